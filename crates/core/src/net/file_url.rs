//! `file:` URLs: the file, streamed from disk, with a MIME type from its
//! extension (Chromium `net/base/mime_util.cc` has the full table; the
//! common web types are here).

use std::path::{Path, PathBuf};

use tokio_util::io::ReaderStream;

use super::NetError;

pub struct FileBody {
    pub mime: Option<&'static str>,
    pub len: u64,
    pub stream: ReaderStream<tokio::fs::File>,
}

/// Opens the file a `file:` URL names.
///
/// # Errors
/// `ERR_FILE_NOT_FOUND` for a missing file or a folder (Chromium would list a
/// folder; we do not), `ERR_ACCESS_DENIED` when it cannot be read,
/// `ERR_INVALID_URL` for a URL that names no local path (`file://host/x`) or
/// whose path hides a separator or a NUL in a percent escape (see
/// [`file_url_to_path`]).
pub async fn open(url: &url::Url) -> Result<FileBody, NetError> {
    open_path(&file_url_to_path(url)?).await
}

/// The local path a `file:` URL names, as Chromium's `FileURLToFilePath`
/// (`net/base/filename_util.cc`) reads it: only local hosts, and a percent
/// escape may not stand for a path separator. Decoding `%2F` would let one
/// path segment (`..%2Fsecret`) become two, so such URLs are refused rather
/// than read. Chromium refuses `%5C` only on Windows; it is refused here on
/// every platform, as is `%00`, which no file name can hold.
///
/// # Errors
/// `ERR_INVALID_URL` when the URL names no local path.
pub fn file_url_to_path(url: &url::Url) -> Result<PathBuf, NetError> {
    if url.scheme() != "file" || hides_separator(url.path()) {
        return Err(NetError::InvalidUrl);
    }
    url.to_file_path().map_err(|_| NetError::InvalidUrl)
}

/// Whether `path` (still percent-encoded) has an escape for `/`, `\` or NUL.
pub(crate) fn hides_separator(path: &str) -> bool {
    path.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && matches!(
                (w[1].to_ascii_uppercase(), w[2].to_ascii_uppercase()),
                (b'2', b'F') | (b'5', b'C') | (b'0', b'0')
            )
    })
}

/// Opens the file at `path`, streamed, with a MIME type from its extension.
///
/// # Errors
/// As [`open`], less the URL errors.
pub async fn open_path(path: &Path) -> Result<FileBody, NetError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => NetError::FileNotFound,
        std::io::ErrorKind::PermissionDenied => NetError::AccessDenied,
        _ => NetError::FileNotFound,
    };
    let meta = tokio::fs::metadata(path).await.map_err(io)?;
    if meta.is_dir() {
        return Err(NetError::FileNotFound);
    }
    let file = tokio::fs::File::open(path).await.map_err(io)?;
    Ok(FileBody {
        mime: mime_for(path),
        len: meta.len(),
        stream: ReaderStream::new(file),
    })
}

pub fn mime_for(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" | "shtml" | "shtm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "txt" | "text" => "text/plain",
        "xml" => "text/xml",
        "xhtml" | "xht" => "application/xhtml+xml",
        "svg" | "svgz" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" | "jfif" | "pjpeg" | "pjp" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" | "tgz" => "application/gzip",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: a percent escape may not stand for a separator or NUL; other
    // escapes are decoded, and `..` segments were already resolved by the
    // URL parser (so they name the folder above, not a hidden one).
    #[test]
    fn file_urls_to_paths() {
        let rows: &[(&str, Option<&str>)] = &[
            ("file:///srv/www/index.html", Some("/srv/www/index.html")),
            ("file:///srv/www/a%20b.txt", Some("/srv/www/a b.txt")),
            ("file://localhost/srv/x", Some("/srv/x")),
            ("file:///srv/www/../secret", Some("/srv/secret")),
            ("file:///srv/www/%2e%2e/secret", Some("/srv/secret")),
            ("file:///srv/www/..%2Fsecret", None),
            ("file:///srv/www/..%2fsecret", None),
            ("file:///srv/www/%2F%2Fetc/passwd", None),
            ("file:///srv/www/..%5Csecret", None),
            ("file:///srv/www/..%5csecret", None),
            ("file:///srv/www/x%00.txt", None),
            ("file://remote.example/share/x", None),
            ("http://example.com/x", None),
        ];
        for (url, want) in rows {
            let got = file_url_to_path(&url::Url::parse(url).unwrap()).ok();
            assert_eq!(
                got.as_deref(),
                want.map(Path::new),
                "{url}"
            );
        }
    }
}

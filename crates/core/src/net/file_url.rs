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
/// `ERR_INVALID_URL` for a URL that names no local path (`file://host/x`).
pub async fn open(url: &url::Url) -> Result<FileBody, NetError> {
    let path: PathBuf = url.to_file_path().map_err(|_| NetError::InvalidUrl)?;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => NetError::FileNotFound,
        std::io::ErrorKind::PermissionDenied => NetError::AccessDenied,
        _ => NetError::FileNotFound,
    };
    let meta = tokio::fs::metadata(&path).await.map_err(io)?;
    if meta.is_dir() {
        return Err(NetError::FileNotFound);
    }
    let file = tokio::fs::File::open(&path).await.map_err(io)?;
    Ok(FileBody {
        mime: mime_for(&path),
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

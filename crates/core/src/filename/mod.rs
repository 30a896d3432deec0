//! Download file names as Chromium picks them on Linux: `GenerateFileName`
//! (`net/base/filename_util.cc`, `filename_util_internal.cc`), the
//! Content-Disposition parser (`net/http/http_content_disposition.cc`), the
//! illegal-character rules of `base/i18n/file_util_icu.cc`, the extension
//! rules of `base::FilePath` and `net/base/mime_util.cc`, and
//! `base::GetUniquePath` (`base/files/file_util.cc`).

mod content_disposition;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use content_disposition::{DispositionType, HttpContentDisposition};

/// The name used when nothing better is found and no default is given.
const FINAL_FALLBACK_NAME: &str = "download";

/// How many numbered alternatives [`unique_path`] tries (Chromium's
/// `kMaxUniqueFiles`).
const MAX_UNIQUE_FILES: u32 = 100;

/// Chromium's GenerateFileName (Linux). The name comes from, in Chromium's
/// order: the Content-Disposition `filename*`/`filename`, then
/// `suggested_name`, then the URL's last path segment (unescaped; none for
/// `about:` and `data:`), then the URL's host when `default_name` is empty,
/// and last `default_name` (or "download" when empty). The name is then
/// sanitized for the file system: leading and trailing dots trimmed, '/'
/// and '\\' replaced by '_', control, format and `"~*:<>?|` characters
/// replaced by '_', and white space or a dot at either end replaced by '_'.
/// A name made only of '-' and '_' falls back to the default. Unless the
/// name came from Content-Disposition, an extension is added from
/// `mime_type` when the name has none (or when the URL has a query, which
/// marks a generated name), using a built-in table (text/plain → .txt,
/// application/pdf → .pdf, image/png → .png, …).
pub fn generate_file_name(
    url: &url::Url,
    content_disposition: Option<&str>,
    referrer_charset: &str,
    suggested_name: &str,
    mime_type: &str,
    default_name: &str,
) -> String {
    generate_file_name_bytes(
        url,
        content_disposition.map(str::as_bytes),
        referrer_charset,
        suggested_name,
        mime_type,
        default_name,
    )
}

/// [`generate_file_name`] for a Content-Disposition header given as the
/// bytes received, which may hold raw non-UTF-8 names (read in
/// `referrer_charset`).
pub fn generate_file_name_bytes(
    url: &url::Url,
    content_disposition: Option<&[u8]>,
    referrer_charset: &str,
    suggested_name: &str,
    mime_type: &str,
    default_name: &str,
) -> String {
    let mut overwrite_extension = false;
    let mut from_content_disposition = false;
    let mut filename = String::new();
    if let Some(header) = content_disposition.filter(|h| !h.is_empty()) {
        filename = HttpContentDisposition::parse(header, referrer_charset).filename;
        from_content_disposition = !filename.is_empty();
    }
    if filename.is_empty() {
        filename = suggested_name.to_owned();
    }
    if filename.is_empty() {
        filename = file_name_from_url(url, referrer_charset, &mut overwrite_extension);
    }
    if filename.is_empty() && default_name.is_empty() {
        if let Some(host) = url.host_str().filter(|h| !h.is_empty()) {
            filename = host.to_owned();
        }
    }

    let mut name = sanitize_generated_file_name(&filename);
    if name.chars().all(|c| c == '-' || c == '_') {
        name = if default_name.is_empty() { FINAL_FALLBACK_NAME } else { default_name }.to_owned();
        overwrite_extension = false;
    }
    let name = replace_illegal_characters(&name);
    let name = if from_content_disposition {
        name
    } else {
        ensure_safe_extension(&name, mime_type, overwrite_extension)
    };
    if name.is_empty() {
        // Only reachable with an empty default name; Chromium then uses its
        // final fallback.
        return FINAL_FALLBACK_NAME.to_owned();
    }
    name
}

/// The decoded file name Content-Disposition gives, if any: `filename*`
/// (RFC 5987/2231) over `filename` (token or quoted string, RFC 2047 encoded
/// words, %-escaped UTF-8, raw UTF-8 or `referrer_charset` text). The name
/// is not sanitized.
pub fn content_disposition_file_name(header: &str, referrer_charset: &str) -> Option<String> {
    let filename = HttpContentDisposition::parse(header.as_bytes(), referrer_charset).filename;
    (!filename.is_empty()).then_some(filename)
}

/// `path` itself if nothing exists there, else `stem (1).ext`, …
/// `stem (100).ext`, the number going before the extension and before a
/// double extension such as `.tar.gz` (Chromium's `GetUniquePath`), or None
/// when all are taken. A symlink counts as existing even when dangling.
pub fn unique_path(path: &Path) -> Option<PathBuf> {
    let exists = |p: &Path| p.symlink_metadata().is_ok();
    if !exists(path) {
        return Some(path.to_owned());
    }
    (1..=MAX_UNIQUE_FILES)
        .filter_map(|n| insert_before_extension(path, &format!(" ({n})")))
        .find(|candidate| !exists(candidate))
}

/// `base::FilePath::InsertBeforeExtension` on the last component; None for
/// a path without a usable last component (`..`, `/`).
fn insert_before_extension(path: &Path, suffix: &str) -> Option<PathBuf> {
    let name = path.file_name()?;
    let mut new_name = std::ffi::OsString::new();
    match name.to_str() {
        Some(name) => {
            let (stem, ext) = split_extension(name);
            new_name.push(stem);
            new_name.push(suffix);
            new_name.push(ext);
        }
        None => {
            // A name that is not UTF-8 keeps its bytes; the number goes last.
            new_name.push(name);
            new_name.push(suffix);
        }
    }
    Some(path.with_file_name(new_name))
}

/// Splits a file name where `base::FilePath::Extension` does: before the
/// last '.', or before the one ahead of it for a double extension (a short
/// middle part followed by a compression suffix such as `.tar.gz`, or
/// `.user.js`). The extension part keeps its leading '.'.
pub(crate) fn split_extension(name: &str) -> (&str, &str) {
    let pos = extension_separator_position(name);
    match pos {
        Some(pos) => name.split_at(pos),
        None => (name, ""),
    }
}

fn extension_separator_position(name: &str) -> Option<usize> {
    if name == "." || name == ".." {
        return None;
    }
    let last_dot = name.rfind('.')?;
    if last_dot == 0 {
        return Some(0);
    }
    let Some(penultimate_dot) = name[..last_dot].rfind('.') else {
        return Some(last_dot);
    };
    if name[penultimate_dot + 1..].eq_ignore_ascii_case("user.js") {
        return Some(penultimate_dot);
    }
    const DOUBLE_EXTENSION_SUFFIXES: &[&str] = &["bz", "bz2", "gz", "lz", "lzma", "lzo", "xz", "z", "zst"];
    let last = &name[last_dot + 1..];
    let middle = last_dot - penultimate_dot;
    if DOUBLE_EXTENSION_SUFFIXES.iter().any(|s| last.eq_ignore_ascii_case(s)) && middle > 1 && middle <= 5 {
        return Some(penultimate_dot);
    }
    Some(last_dot)
}

/// The last component of `url`'s path, %-unescaped, as Chromium's
/// `GetFileNameFromURL`: path parameters after ';' are dropped, non-UTF-8
/// bytes are read in `referrer_charset`, and a URL with a query marks the
/// extension as unreliable.
fn file_name_from_url(url: &url::Url, referrer_charset: &str, overwrite_extension: &mut bool) -> String {
    if matches!(url.scheme(), "about" | "data") {
        return String::new();
    }
    let path = url.path();
    let Some(slash) = path.rfind('/') else {
        return String::new();
    };
    let last = &path[slash + 1..];
    let last = last.split(';').next().unwrap_or("");
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(last).collect();
    let decoded = content_disposition::decode_raw_8bit(&bytes, referrer_charset);
    *overwrite_extension = !decoded.is_empty() && url.query().is_some();
    decoded
}

/// Chromium's `SanitizeGeneratedFileName` on Linux: dots trimmed from both
/// ends, then path separators replaced by '_'.
fn sanitize_generated_file_name(name: &str) -> String {
    name.trim_matches('.').replace(['/', '\\'], "_")
}

/// `base::i18n::ReplaceIllegalCharactersInPath` with '_': characters never
/// allowed are replaced anywhere, and white space or '.' at either end.
fn replace_illegal_characters(name: &str) -> String {
    let count = name.chars().count();
    name.chars()
        .enumerate()
        .map(|(i, c)| {
            let at_end = i == 0 || i + 1 == count;
            if is_illegal_anywhere(c) || (at_end && (c.is_whitespace() || c == '.')) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Control (Cc) and format (Cf) characters, noncharacters, and
/// `"~*/:<>?\|`.
fn is_illegal_anywhere(c: char) -> bool {
    let cp = c as u32;
    matches!(c, '"' | '~' | '*' | '/' | ':' | '<' | '>' | '?' | '\\' | '|')
        || c.is_control()
        || is_format_char(cp)
        || (0xFDD0..=0xFDEF).contains(&cp)
        || (cp & 0xFFFE) == 0xFFFE
}

/// The Unicode general category Cf (format), as of Unicode 15.
fn is_format_char(cp: u32) -> bool {
    matches!(
        cp,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// Chromium's `EnsureSafeExtension` on Linux: keeps the name's extension
/// unless it has none (or `ignore_extension`) and the MIME type has a
/// preferred one; an extension already valid for the type, or a double
/// extension whose last part is, is kept.
fn ensure_safe_extension(name: &str, mime_type: &str, ignore_extension: bool) -> String {
    let (stem, dotted_ext) = split_extension(name);
    let ext = dotted_ext.strip_prefix('.').unwrap_or(dotted_ext);
    let mime = mime_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime.is_empty() || (!ext.is_empty() && !ignore_extension) {
        return name.to_owned();
    }
    let Some(preferred) = preferred_extension_for_mime_type(&mime) else {
        return name.to_owned();
    };
    let known = extensions_for_mime_type(&mime);
    let final_ext = name.rfind('.').map(|i| &name[i + 1..]).unwrap_or("");
    if known.contains(&ext) || (!final_ext.is_empty() && known.contains(&final_ext)) {
        return name.to_owned();
    }
    if stem.is_empty() {
        // Chromium's ReplaceExtension keeps a name that is all extension.
        return name.to_owned();
    }
    format!("{stem}.{preferred}")
}

/// Chromium's built-in MIME table (`net/base/mime_util.cc`): the primary
/// mappings, which win, then the secondary ones standing in for the
/// platform database. The first extension listed for a type is preferred.
const MIME_TABLE: &[(&str, &str)] = &[
    // Primary.
    ("video/webm", "webm"),
    ("audio/mpeg", "mp3"),
    ("application/wasm", "wasm"),
    ("application/x-chrome-extension", "crx"),
    ("application/xhtml+xml", "xhtml,xht,xhtm"),
    ("audio/flac", "flac"),
    ("audio/mp3", "mp3"),
    ("audio/ogg", "ogg,oga,opus"),
    ("audio/wav", "wav"),
    ("audio/webm", "webm"),
    ("audio/x-m4a", "m4a"),
    ("image/avif", "avif"),
    ("image/gif", "gif"),
    ("image/jpeg", "jpeg,jpg"),
    ("image/png", "png"),
    ("image/apng", "png,apng"),
    ("image/svg+xml", "svg,svgz"),
    ("image/webp", "webp"),
    ("multipart/related", "mht,mhtml"),
    ("text/css", "css"),
    ("text/html", "html,htm,shtml,shtm"),
    ("text/javascript", "js,mjs"),
    ("text/xml", "xml"),
    ("video/mp4", "mp4,m4v"),
    ("video/ogg", "ogv,ogm"),
    ("text/csv", "csv"),
    // Secondary.
    ("image/x-icon", "ico"),
    ("application/epub+zip", "epub"),
    ("application/font-woff", "woff"),
    ("application/gzip", "gz,tgz"),
    ("application/javascript", "js"),
    ("application/json", "json"),
    ("application/msword", "doc,dot"),
    ("application/pdf", "pdf"),
    ("application/pkcs7-mime", "p7m,p7c,p7z"),
    ("application/pkcs7-signature", "p7s"),
    ("application/postscript", "ps,eps,ai"),
    ("application/rdf+xml", "rdf"),
    ("application/rss+xml", "rss"),
    ("application/rtf", "rtf"),
    ("application/vnd.android.package-archive", "apk"),
    ("application/vnd.mozilla.xul+xml", "xul"),
    ("application/vnd.ms-excel", "xls"),
    ("application/vnd.ms-powerpoint", "ppt"),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("application/x-gzip", "gz,tgz"),
    ("application/x-mpegurl", "m3u8"),
    ("application/x-shockwave-flash", "swf,swl"),
    ("application/x-tar", "tar"),
    ("application/x-x509-ca-cert", "cer,crt"),
    ("application/zip", "zip"),
    ("audio/webm", "weba"),
    ("image/bmp", "bmp"),
    ("image/jpeg", "jfif,pjpeg,pjp"),
    ("image/tiff", "tiff,tif"),
    ("image/vnd.microsoft.icon", "ico"),
    ("image/x-png", "png"),
    ("image/x-xbitmap", "xbm"),
    ("message/rfc822", "eml"),
    ("text/calendar", "ics"),
    ("text/html", "ehtml"),
    ("text/plain", "txt,text"),
    ("text/x-sh", "sh"),
    ("text/xml", "xsl,xbl,xslt"),
    ("video/mpeg", "mpeg,mpg"),
];

/// The extension (without '.') Chromium prefers for `mime` (lower case,
/// no parameters).
fn preferred_extension_for_mime_type(mime: &str) -> Option<&'static str> {
    MIME_TABLE
        .iter()
        .find(|(m, _)| *m == mime)
        .and_then(|(_, exts)| exts.split(',').next())
}

/// Every extension the table lists for `mime`.
fn extensions_for_mime_type(mime: &str) -> Vec<&'static str> {
    MIME_TABLE
        .iter()
        .filter(|(m, _)| *m == mime)
        .flat_map(|(_, exts)| exts.split(','))
        .collect()
}

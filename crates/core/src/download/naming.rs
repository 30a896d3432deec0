//! File names for downloads come from `crate::filename` (Chromium's
//! `GenerateFileName` and uniquification). TEMPORARY: until that module is
//! merged, this file stands in for its two functions with the bare minimum
//! (URL's last segment, no Content-Disposition) so the rest compiles; the
//! merge replaces the bodies with `pub use crate::filename::...`.

use std::path::{Path, PathBuf};

pub fn generate_file_name(
    url: &url::Url,
    _content_disposition: Option<&str>,
    _referrer_charset: &str,
    _suggested_name: &str,
    _mime_type: &str,
    default_name: &str,
) -> String {
    url.path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| default_name.to_string())
}

pub fn unique_path(path: &Path) -> Option<PathBuf> {
    if !path.exists() {
        return Some(path.to_path_buf());
    }
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    (1..=100)
        .map(|n| path.with_file_name(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
}

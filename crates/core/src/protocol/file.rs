//! Which file a file protocol's answer (`callback(path)` or `{ path }`) may
//! serve.
//!
//! Electron turns the path into a `file:` URL and loads that, so `..` in the
//! path is resolved by name, never by following the file system. On top of
//! that, the part of the path that repeats the request URL's path is
//! confined: those components were chosen by whoever wrote the URL, so none
//! of them may be a symbolic link leading out of the folder the handler put
//! them in. A handler that maps `app://host/<p>` to `<root>/<p>` can thus
//! not be walked out of `<root>` by the URL, whatever `<root>` holds. (A
//! request URL hiding a separator in an escape is refused before this, by
//! the caller.)

use std::path::{Component, Path, PathBuf};

use percent_encoding::percent_decode_str;
use url::Url;

/// Why a file answer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileResponseError {
    /// The path is not absolute (Electron requires an absolute path).
    NotAbsolute,
    /// A component the request URL named is a link that leads out of the
    /// handler's folder.
    OutsideFolder,
    /// The file does not exist.
    NotFound,
}

/// `path` with `.` and `..` resolved by name, as its `file:` URL would be.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// How many of `path`'s last components repeat the last segments of
/// `url`'s path (percent-decoded; empty segments skipped).
fn url_named_components(path: &Path, url: &Url) -> usize {
    let segments: Vec<String> = url
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let components: Vec<&std::ffi::OsStr> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s),
            _ => None,
        })
        .collect();
    components
        .iter()
        .rev()
        .zip(segments.iter().rev())
        .take_while(|(c, s)| c.to_str() == Some(s.as_str()))
        .count()
}

/// The file a file answer naming `path` for a request to `url` may serve.
///
/// # Errors
/// [`FileResponseError`]: a relative path, a URL-named link leading out of
/// the handler's folder, or a missing file.
pub async fn confined_path(path: &str, url: &Url) -> Result<PathBuf, FileResponseError> {
    let path = Path::new(path);
    if !path.is_absolute() {
        return Err(FileResponseError::NotAbsolute);
    }
    let path = lexical(path);
    let named = url_named_components(&path, url);
    if named == 0 {
        return Ok(path);
    }
    let mut folder = path.clone();
    for _ in 0..named {
        folder.pop();
    }
    let real = tokio::fs::canonicalize(&path)
        .await
        .map_err(|_| FileResponseError::NotFound)?;
    let real_folder = tokio::fs::canonicalize(&folder)
        .await
        .map_err(|_| FileResponseError::NotFound)?;
    if !real.starts_with(&real_folder) {
        return Err(FileResponseError::OutsideFolder);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: `..` is resolved by name; the trailing components that repeat
    // the URL's path are those the URL chose.
    #[test]
    fn url_named_parts() {
        let rows: &[(&str, &str, usize)] = &[
            ("/srv/www/a/b.txt", "app://h/a/b.txt", 2),
            ("/srv/www/b.txt", "app://h/a/b.txt", 1),
            ("/srv/www/index.html", "app://h/", 0),
            ("/srv/www/a b.txt", "app://h/a%20b.txt", 1),
            ("/srv/www/fixed.txt", "app://h/other", 0),
            ("/srv/www/x", "app://h/x/", 1),
        ];
        for (path, url, want) in rows {
            let got = url_named_components(Path::new(path), &Url::parse(url).unwrap());
            assert_eq!(got, *want, "{path} for {url}");
        }
        assert_eq!(lexical(Path::new("/srv/www/../x/./y")), Path::new("/srv/x/y"));
        assert_eq!(lexical(Path::new("/../../etc")), Path::new("/etc"));
    }

    // Rule: a URL-named link may not lead out of the handler's folder; a
    // link the handler itself names is followed.
    #[cfg(unix)]
    #[tokio::test]
    async fn links_named_by_the_url_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("www");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("sub/ok.txt"), "ok").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("out.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("sub/ok.txt"), root.join("in.txt")).unwrap();
        let p = |rel: &str| root.join(rel).to_string_lossy().into_owned();
        let u = |s: &str| Url::parse(s).unwrap();
        let rows: &[(String, &str, Result<(), FileResponseError>)] = &[
            (p("sub/ok.txt"), "app://h/sub/ok.txt", Ok(())),
            (p("in.txt"), "app://h/in.txt", Ok(())),
            (p("out.txt"), "app://h/out.txt", Err(FileResponseError::OutsideFolder)),
            (p("up/secret.txt"), "app://h/up/secret.txt", Err(FileResponseError::OutsideFolder)),
            // The handler named the link itself: it is followed.
            (p("out.txt"), "app://h/", Ok(())),
            (p("sub/../../secret.txt"), "app://h/x", Ok(())),
            (p("missing.txt"), "app://h/missing.txt", Err(FileResponseError::NotFound)),
            ("relative/x.txt".to_string(), "app://h/x.txt", Err(FileResponseError::NotAbsolute)),
        ];
        for (path, url, want) in rows {
            let got = confined_path(path, &u(url)).await.map(|_| ());
            assert_eq!(&got, want, "{path} for {url}");
        }
    }
}

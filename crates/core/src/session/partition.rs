//! The folder name of a persistent partition: Electron's `MakePartitionName`
//! (lower-case ASCII, then Chromium's `EscapePath`).

use crate::{Error, Result};

/// Whether Chromium's `EscapePath` escapes byte `b`: controls, space, non-ASCII
/// and `"#%:<>?[\]^`{|}` plus DEL (Chromium `base/strings/escape.cc`, `kPathCharmap`).
fn escaped_in_path(b: u8) -> bool {
    b < 0x20 || b >= 0x7f || b" \"#%:<>?[\\]^`{|}".contains(&b)
}

/// `persist:NAME` is stored in `Partitions/<partition_directory_name(NAME)>`.
///
/// `/` is not escaped, exactly as in Electron, so a name may nest folders;
/// unlike Electron, a name whose folder would leave `Partitions/` is refused.
///
/// # Errors
/// `InvalidArgument` when a `/`-separated segment is empty, `.` or `..`.
pub fn partition_directory_name(name: &str) -> Result<String> {
    let mut out = String::with_capacity(name.len());
    for b in name.to_ascii_lowercase().bytes() {
        if escaped_in_path(b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    if out
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(Error::invalid_argument(format!(
            "Invalid partition: 'persist:{name}' does not name a folder inside Partitions/"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: names are lower-cased (ASCII only) and path-escaped; `/` is kept.
    #[test]
    fn names_are_lowercased_and_escaped() {
        let rows: &[(&str, &str)] = &[
            ("work", "work"),
            ("Work", "work"),
            ("my session", "my%20session"),
            ("a:b?c#d%e", "a%3Ab%3Fc%23d%25e"),
            ("ÉTÉ", "%C3%89t%C3%89"),
            ("x/y", "x/y"),
            ("tab\tand\"quote", "tab%09and%22quote"),
            ("!$&'()*+,;=@~-._", "!$&'()*+,;=@~-._"),
            ("[{|}]^`<>\\", "%5B%7B%7C%7D%5D%5E%60%3C%3E%5C"),
        ];
        for (name, want) in rows {
            assert_eq!(
                partition_directory_name(name).unwrap(),
                *want,
                "name {name:?}"
            );
        }
    }

    // Rule: no name may point outside Partitions/.
    #[test]
    fn names_that_escape_the_partitions_folder_are_refused() {
        for name in ["..", ".", "../x", "a/../../b", "a//b", "/abs", "x/", ""] {
            let err = partition_directory_name(name).unwrap_err();
            assert!(err.is_invalid_argument(), "name {name:?}");
        }
        // Dots inside a segment are fine.
        assert_eq!(partition_directory_name("..a").unwrap(), "..a");
    }
}

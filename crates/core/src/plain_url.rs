//! What the cookie and proxy rules read of a URL, and a URL read without
//! the URL parser when it is plain enough that parsing could change nothing.
//!
//! `cookies.set`, `cookies.get` and `resolveProxy` receive URLs as strings;
//! parsing one (with IDNA processing of its host) cost about a tenth of a
//! `set` and of a PAC resolution. Most are of the form `https://host/path`
//! with a lower-case ASCII host and a path the parser keeps as it is:
//! [`PlainUrl::parse`] reads those, and declines everything else, which
//! then goes through [`url::Url`].

use url::{Host, Url};

/// The parts of a URL the cookie and proxy rules look at, as [`Url`]
/// gives them.
pub trait UrlParts {
    fn scheme(&self) -> &str;
    fn host(&self) -> Option<Host<&str>>;
    fn host_str(&self) -> Option<&str>;
    /// The port, `None` when absent or the scheme's default.
    fn port(&self) -> Option<u16>;
    fn port_or_known_default(&self) -> Option<u16>;
    fn path(&self) -> &str;
}

impl UrlParts for Url {
    fn scheme(&self) -> &str {
        Url::scheme(self)
    }
    fn host(&self) -> Option<Host<&str>> {
        Url::host(self)
    }
    fn host_str(&self) -> Option<&str> {
        Url::host_str(self)
    }
    fn port(&self) -> Option<u16> {
        Url::port(self)
    }
    fn port_or_known_default(&self) -> Option<u16> {
        Url::port_or_known_default(self)
    }
    fn path(&self) -> &str {
        Url::path(self)
    }
}

/// A URL string of a web scheme (`http`, `https`, `ws`, `wss`) whose parts
/// are exactly what the URL parser would make of it, borrowed from the
/// string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainUrl<'a> {
    scheme: &'a str,
    host: &'a str,
    port: Option<u16>,
    path: &'a str,
}

impl<'a> PlainUrl<'a> {
    /// `s` read when it is `http`, `https`, `ws` or `wss` (lower case),
    /// `://`, a host of lower-case ASCII labels (letters, digits, hyphens;
    /// no `xn--` label; the last label starting with a letter, so it is no
    /// IP address), an optional port of digits, and then nothing or a
    /// [plain path](is_plain_path) with no query or fragment. `None` for
    /// anything else, which the URL parser is then needed for.
    pub fn parse(s: &'a str) -> Option<PlainUrl<'a>> {
        let (scheme, rest) = s.split_once("://")?;
        let default_port = default_port(scheme)?;
        let end = rest.bytes().position(|b| b == b'/' || b == b':').unwrap_or(rest.len());
        let host = &rest[..end];
        if !is_plain_host(host) {
            return None;
        }
        let mut rest = &rest[end..];
        let mut port = None;
        if let Some(after) = rest.strip_prefix(':') {
            let digits = after.bytes().position(|b| b == b'/').unwrap_or(after.len());
            if digits == 0 || digits > 5 || !after[..digits].bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let p: u32 = after[..digits].parse().ok()?;
            let p = u16::try_from(p).ok()?;
            port = (p != default_port).then_some(p);
            rest = &after[digits..];
        }
        let path = if rest.is_empty() { "/" } else { rest };
        if !is_plain_path(path) || path.contains('%') {
            return None;
        }
        Some(PlainUrl { scheme, host, port, path })
    }
}

/// The default port of the schemes a [`PlainUrl`] may have.
fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        _ => None,
    }
}

fn is_plain_host(host: &str) -> bool {
    let mut labels = host.split('.').peekable();
    while let Some(label) = labels.next() {
        let ok = !label.is_empty()
            && !label.starts_with("xn--")
            && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return false;
        }
        if labels.peek().is_none() && !label.as_bytes()[0].is_ascii_lowercase() {
            return false;
        }
    }
    true
}

/// A path the URL parser keeps as it is: it starts with `/`, has only
/// printable ASCII outside the path percent-encode set and no backslash
/// (a slash in special URLs), and no segment that could be a dot segment
/// (`.`, `..`, or those written with `%2e`).
pub(crate) fn is_plain_path(path: &str) -> bool {
    path.starts_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'#' | b'<' | b'>' | b'?' | b'`' | b'{' | b'}' | b'^' | b'\\'))
        && !path.contains("/.")
        && !path.as_bytes().windows(3).any(|w| w[0] == b'%' && w[1] == b'2' && w[2].eq_ignore_ascii_case(&b'e'))
}

impl UrlParts for PlainUrl<'_> {
    fn scheme(&self) -> &str {
        self.scheme
    }
    fn host(&self) -> Option<Host<&str>> {
        Some(Host::Domain(self.host))
    }
    fn host_str(&self) -> Option<&str> {
        Some(self.host)
    }
    fn port(&self) -> Option<u16> {
        self.port
    }
    fn port_or_known_default(&self) -> Option<u16> {
        self.port.or_else(|| default_port(self.scheme))
    }
    fn path(&self) -> &str {
        self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(u: &dyn UrlParts) -> (String, Option<String>, Option<u16>, Option<u16>, String) {
        (
            u.scheme().to_string(),
            u.host_str().map(String::from),
            u.port(),
            u.port_or_known_default(),
            u.path().to_string(),
        )
    }

    // Whatever PlainUrl reads, it reads as the URL parser does; what it
    // declines, the parser is needed for. Every printable ASCII character
    // is tried in the host, the port and the path.
    #[test]
    fn plain_urls_read_as_the_url_parser_reads_them() {
        let mut inputs: Vec<String> = [
            "https://a.com/", "https://a.com", "http://a.com:80/x", "http://a.com:080/x", "https://a.com:443/",
            "https://a.com:8443/p/q", "wss://a-b.c1.com/", "ws://localhost/", "http://a.com:/", "http://a.com:99999/",
            "http://1.2.3.4/", "http://a.1/", "http://a.0x1/", "http://xn--nxasmq6b.com/", "http://A.com/",
            "http://a..com/", "http://.a.com/", "http://a.com./", "http://a.com/./b", "http://a.com/b/..",
            "http://a.com/%2e/", "http://a.com/a%20b", "http://a.com/?q", "http://a.com/#f", "http://u@a.com/",
            "HTTP://a.com/", "ftp://a.com/", "http://a.com\\x", "http:/a.com/", "http://a.com/é", " http://a.com/",
            "http://a.com/ ", "http://a_b.com/",
        ]
        .map(String::from)
        .to_vec();
        for b in 0x20u8..0x7f {
            let c = b as char;
            inputs.push(format!("https://a{c}b.com/"));
            inputs.push(format!("https://ab.com:4{c}/"));
            inputs.push(format!("https://ab.com/p{c}q/r"));
        }
        let mut read = 0;
        for s in &inputs {
            let Some(plain) = PlainUrl::parse(s) else { continue };
            read += 1;
            let url = Url::parse(s).unwrap_or_else(|e| panic!("{s:?} read as plain, but the parser fails: {e}"));
            assert_eq!(parts(&plain), parts(&url), "{s:?}");
            assert_eq!(plain.host(), url.host(), "{s:?}");
        }
        assert!(read > 100, "most inputs are plain: {read}");
    }
}

//! URL match patterns as Chromium's extensions `URLPattern` parses and
//! matches them (`extensions/common/url_pattern.cc`), with every scheme
//! allowed, which is how Electron builds the patterns of a webRequest filter.
//!
//! Grammar: `<all_urls>`, or `scheme://host/path` for standard schemes
//! (`*` as the scheme means http or https; `*` or `*.suffix` as the host;
//! an optional `:port` or `:*`), or `scheme:path` for the others. Only `*`
//! is a wildcard in the path, and the path is matched against the URL's
//! path and query.

use url::Url;

/// Why a pattern was refused, worded as Chromium's `GetParseResultString`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternError {
    MissingSchemeSeparator,
    InvalidScheme,
    WrongSchemeSeparator,
    EmptyHost,
    InvalidHostWildcard,
    EmptyPath,
    InvalidPort,
    InvalidHost,
}

impl PatternError {
    pub fn message(self) -> &'static str {
        match self {
            PatternError::MissingSchemeSeparator => "Missing scheme separator.",
            PatternError::InvalidScheme => "Invalid scheme.",
            PatternError::WrongSchemeSeparator => "Wrong scheme type.",
            PatternError::EmptyHost => "Host can not be empty.",
            PatternError::InvalidHostWildcard => "Invalid host wildcard.",
            PatternError::EmptyPath => "Empty path.",
            PatternError::InvalidPort => "Invalid port.",
            PatternError::InvalidHost => "Invalid host.",
        }
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// One parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPattern {
    all_urls: bool,
    /// As written (Chromium compares schemes case-sensitively), or `*`.
    scheme: String,
    /// Canonical host; empty with `match_subdomains` means any host.
    host: String,
    match_subdomains: bool,
    /// `*` or a decimal port.
    port: String,
    /// The path pattern; `*` is the only wildcard.
    path: String,
}

/// Schemes parsed with `//` and a host: the URL standard's special schemes,
/// plus any registered as standard (`registerSchemesAsPrivileged`).
pub fn is_standard_scheme(scheme: &str) -> bool {
    scheme == "*"
        || ["http", "https", "ws", "wss", "ftp", "file", "filesystem"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
        || crate::web_request::standard_scheme_registered(scheme)
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// A port the pattern may name for `scheme`: `*`, or a number for schemes
/// that have ports at all.
fn valid_port(scheme: &str, port: &str) -> bool {
    if port == "*" {
        return true;
    }
    default_port(scheme).is_some()
        && !port.is_empty()
        && port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().is_ok_and(|p| p < 65536)
}

impl UrlPattern {
    /// Parses `pattern` as Chromium does with every scheme allowed.
    ///
    /// # Errors
    /// The [`PatternError`] Chromium would report.
    pub fn parse(pattern: &str) -> Result<UrlPattern, PatternError> {
        if pattern == "<all_urls>" {
            return Ok(UrlPattern {
                all_urls: true,
                scheme: "*".to_string(),
                host: String::new(),
                match_subdomains: true,
                port: "*".to_string(),
                path: "/*".to_string(),
            });
        }
        let (scheme_end, has_slashes) = match pattern.find("://") {
            Some(i) => (i, true),
            None => (pattern.find(':').ok_or(PatternError::MissingSchemeSeparator)?, false),
        };
        let scheme = &pattern[..scheme_end];
        let standard = is_standard_scheme(scheme);
        if standard != has_slashes {
            return Err(PatternError::WrongSchemeSeparator);
        }
        let rest_start = scheme_end + if standard { 3 } else { 1 };
        if rest_start >= pattern.len() {
            return Err(PatternError::EmptyHost);
        }
        let mut out = UrlPattern {
            all_urls: false,
            scheme: scheme.to_string(),
            host: String::new(),
            match_subdomains: false,
            port: "*".to_string(),
            path: String::new(),
        };
        let path_start;
        if !standard {
            path_start = rest_start;
        } else if scheme == "file" {
            // The host of a file pattern is ignored; `file://foo*` means `file:///foo*`.
            path_start = match pattern[rest_start..].find('/') {
                Some(i) => rest_start + i,
                None => rest_start - 1,
            };
        } else {
            let host_end = match pattern[rest_start..].find('/') {
                Some(0) => return Err(PatternError::EmptyHost),
                Some(i) => rest_start + i,
                None => return Err(PatternError::EmptyPath),
            };
            let host_and_port = &pattern[rest_start..host_end];
            let port_sep = if !host_and_port.starts_with('[') {
                host_and_port.find(':')
            } else {
                let close = host_and_port.find(']').ok_or(PatternError::InvalidHost)?;
                if close == 1 {
                    return Err(PatternError::EmptyHost);
                }
                if close < host_and_port.len() - 1 {
                    if host_and_port.as_bytes()[close + 1] != b':' {
                        return Err(PatternError::InvalidHost);
                    }
                    Some(close + 1)
                } else {
                    None
                }
            };
            let mut host = host_and_port;
            if let Some(sep) = port_sep {
                let port = &host_and_port[sep + 1..];
                if !valid_port(scheme, port) {
                    return Err(PatternError::InvalidPort);
                }
                out.port = port.to_string();
                host = &host_and_port[..sep];
            }
            if host.is_empty() {
                return Err(PatternError::EmptyHost);
            }
            if host == "*" {
                out.match_subdomains = true;
                host = "";
            } else if let Some(suffix) = host.strip_prefix("*.") {
                if suffix.is_empty() {
                    return Err(PatternError::EmptyHost);
                }
                out.match_subdomains = true;
                host = suffix;
            }
            if host.contains('*') {
                return Err(PatternError::InvalidHostWildcard);
            }
            if !host.is_empty() {
                out.host = canonical_host(host).ok_or(PatternError::InvalidHost)?;
            }
            path_start = host_end;
        }
        out.path = pattern[path_start..].to_string();
        Ok(out)
    }

    /// Whether `url` matches, as Chromium's `URLPattern::MatchesURL`.
    pub fn matches(&self, url: &Url) -> bool {
        if !self.matches_scheme(url.scheme()) {
            return false;
        }
        if self.all_urls {
            return true;
        }
        let path = path_for_request(url);
        if path.is_empty() {
            return false;
        }
        if self.scheme != "file" && !self.matches_host(url) {
            return false;
        }
        if self.port != "*" {
            let port = url
                .port_or_known_default()
                .map_or_else(|| "-1".to_string(), |p| p.to_string());
            if port != self.port {
                return false;
            }
        }
        self.matches_path(&path)
    }

    fn matches_scheme(&self, scheme: &str) -> bool {
        if self.all_urls {
            return true;
        }
        if self.scheme == "*" {
            // `*` stands for http and https only, even with every scheme allowed.
            return matches!(scheme, "http" | "https");
        }
        self.scheme == scheme
    }

    fn matches_host(&self, url: &Url) -> bool {
        // A URL of a scheme that is not standard has no host (GURL).
        let test = match is_standard_scheme(url.scheme()) {
            true => url.host_str().unwrap_or(""),
            false => "",
        };
        let test = test.strip_suffix('.').unwrap_or(test);
        let pattern = self.host.strip_suffix('.').unwrap_or(&self.host);
        if test == pattern {
            return true;
        }
        if !self.match_subdomains {
            return false;
        }
        if pattern.is_empty() {
            return true;
        }
        if matches!(url.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_))) {
            return false;
        }
        test.len() > pattern.len() + 1
            && test.ends_with(pattern)
            && test.as_bytes()[test.len() - pattern.len() - 1] == b'.'
    }

    fn matches_path(&self, test: &str) -> bool {
        // As Chromium: a pattern `…/dir/*` also matches `…/dir` itself.
        if self.path.len() == test.len() + 2
            && self.path.starts_with(test)
            && self.path.ends_with("/*")
        {
            return true;
        }
        glob(test.as_bytes(), self.path.as_bytes())
    }
}

/// The host as Chromium canonicalizes it (lower case, IDNA, IP literals in
/// their canonical form); `None` when it is not a valid host.
fn canonical_host(host: &str) -> Option<String> {
    if host.contains('\0') {
        return None;
    }
    let parsed = url::Host::parse(host).ok()?;
    Some(parsed.to_string())
}

/// What Chromium's `GURL::PathForRequest` gives: the path and query, no
/// fragment. A URL of a scheme that is not standard has everything after
/// `scheme:` as its path, as GURL parses it.
fn path_for_request(url: &Url) -> String {
    let s = url.as_str();
    let end = s.find('#').unwrap_or(s.len());
    if is_standard_scheme(url.scheme()) {
        let mut p = url.path().to_string();
        if let Some(q) = url.query() {
            p.push('?');
            p.push_str(q);
        }
        p
    } else {
        s[url.scheme().len() + 1..end].to_string()
    }
}

/// `*` matches any run of bytes; every other byte matches itself (the path's
/// `?` is literal, as Chromium escapes it). Linear in practice: on a
/// mismatch only the last `*` is retried.
fn glob(text: &[u8], pattern: &[u8]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

//! One proxy server, a chain of them and an ordered fallback list, in the two
//! textual forms Chromium reads: the URI form of `proxyRules` and the
//! `--proxy-server` switch (`socks5://host:1080`) and the PAC form a PAC
//! script returns and `resolveProxy` answers with (`SOCKS5 host:1080`).
//!
//! Follows Chromium `net/base/proxy_server.cc`, `net/base/proxy_string_util.cc`
//! and `net/proxy_resolution/proxy_list.cc`.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};

/// The protocol spoken to a proxy server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyScheme {
    /// No proxy: connect to the destination itself.
    Direct,
    /// Plain-text HTTP proxy (`PROXY` in PAC form).
    Http,
    /// HTTP proxy reached over TLS (`HTTPS` in PAC form).
    Https,
    /// SOCKS version 4 (`SOCKS` or `SOCKS4` in PAC form).
    Socks4,
    /// SOCKS version 5.
    Socks5,
}

impl ProxyScheme {
    /// The port used when a proxy is given without one: 80 for HTTP, 443 for
    /// HTTPS, 1080 for both SOCKS versions (Chromium
    /// `ProxyServer::GetDefaultPortForScheme`). `Direct` has no port.
    pub fn default_port(self) -> u16 {
        match self {
            ProxyScheme::Direct => 0,
            ProxyScheme::Http => 80,
            ProxyScheme::Https => 443,
            ProxyScheme::Socks4 | ProxyScheme::Socks5 => 1080,
        }
    }

    /// Reads the scheme of the URI form (`socks5://`), case-insensitively.
    /// Note that a bare `socks://` means SOCKS5 here, unlike the PAC form.
    pub fn from_uri_scheme(scheme: &str) -> Option<ProxyScheme> {
        const TABLE: &[(&str, ProxyScheme)] = &[
            ("http", ProxyScheme::Http),
            ("socks4", ProxyScheme::Socks4),
            ("socks", ProxyScheme::Socks5),
            ("socks5", ProxyScheme::Socks5),
            ("direct", ProxyScheme::Direct),
            ("https", ProxyScheme::Https),
        ];
        TABLE
            .iter()
            .find(|(name, _)| scheme.eq_ignore_ascii_case(name))
            .map(|(_, s)| *s)
    }

    /// Reads the type word of the PAC form (`PROXY`, `SOCKS5`),
    /// case-insensitively. A bare `SOCKS` means SOCKS4 here.
    pub fn from_pac_type(word: &str) -> Option<ProxyScheme> {
        const TABLE: &[(&str, ProxyScheme)] = &[
            ("proxy", ProxyScheme::Http),
            ("socks", ProxyScheme::Socks4),
            ("socks4", ProxyScheme::Socks4),
            ("socks5", ProxyScheme::Socks5),
            ("direct", ProxyScheme::Direct),
            ("https", ProxyScheme::Https),
        ];
        TABLE
            .iter()
            .find(|(name, _)| word.eq_ignore_ascii_case(name))
            .map(|(_, s)| *s)
    }

    /// The type word this scheme is written with in PAC form. SOCKS4 is
    /// written `SOCKS`, the spelling every PAC consumer understands.
    pub fn pac_type(self) -> &'static str {
        match self {
            ProxyScheme::Direct => "DIRECT",
            ProxyScheme::Http => "PROXY",
            ProxyScheme::Https => "HTTPS",
            ProxyScheme::Socks4 => "SOCKS",
            ProxyScheme::Socks5 => "SOCKS5",
        }
    }
}

/// A proxy server: a scheme and, unless it is `DIRECT`, a canonical host and
/// a port (the scheme's default when none was written).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProxyServer {
    scheme: ProxyScheme,
    /// Canonical host as written in a URL: lower-case, IDNA-encoded, IPv6
    /// literals in brackets. Empty for `DIRECT`.
    host: Box<str>,
    port: u16,
}

/// Whitespace that Chromium's `HttpUtil::TrimLWS` removes: spaces and tabs.
fn trim_lws(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// Splits `host[:port]` the way URL authority parsing does (Chromium
/// `url::ParseServerInfo`): the port follows the last colon that comes after
/// the last `]`. Returns the host and, when a colon was found, the text
/// after it (possibly empty).
pub(crate) fn split_server_info(s: &str) -> (&str, Option<&str>) {
    let bytes = s.as_bytes();
    let mut ipv6_end: Option<usize> = if bytes.first() == Some(&b'[') {
        Some(bytes.len())
    } else {
        None
    };
    let mut colon: Option<usize> = None;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b']' => ipv6_end = Some(i),
            b':' => colon = Some(i),
            _ => {}
        }
    }
    match colon {
        Some(c) if ipv6_end.is_none_or(|e| c > e) => (&s[..c], Some(&s[c + 1..])),
        _ => (s, None),
    }
}

/// Parses a URL port (Chromium `url::ParsePort`): ASCII digits only, at most
/// 65535, leading zeros allowed. `None` when it is not a valid port.
pub(crate) fn parse_port(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = s.trim_start_matches('0');
    if digits.len() > 5 {
        return None;
    }
    if digits.is_empty() {
        return Some(0);
    }
    digits
        .parse::<u32>()
        .ok()
        .and_then(|p| u16::try_from(p).ok())
}

/// Canonicalizes a proxy host as a URL host; IPv6 literals may come with or
/// without brackets.
fn canonical_host(host: &str) -> Option<Box<str>> {
    let host = host.trim_ascii();
    if host.is_empty() {
        return None;
    }
    let parsed = if !host.starts_with('[') && host.contains(':') {
        url::Host::parse(&format!("[{host}]"))
    } else {
        url::Host::parse(host)
    }
    .ok()?;
    let text = parsed.to_string();
    (!text.is_empty()).then(|| text.into_boxed_str())
}

impl ProxyServer {
    /// The `DIRECT` pseudo-server.
    pub fn direct() -> ProxyServer {
        ProxyServer {
            scheme: ProxyScheme::Direct,
            host: Box::from(""),
            port: 0,
        }
    }

    /// Builds a server from its parts (Chromium
    /// `ProxySchemeHostAndPortToProxyServer`): `host_and_port` is
    /// `host`, `host:port`, `[v6]` or `[v6]:port`; empty for `DIRECT`.
    ///
    /// # Errors
    /// `InvalidArgument` naming the problem: a host given to `DIRECT`, a
    /// missing host, user credentials, an empty or invalid port, or a host
    /// that is not a valid URL host.
    pub fn from_scheme_host_and_port(
        scheme: ProxyScheme,
        host_and_port: &str,
    ) -> Result<ProxyServer> {
        let host_and_port = trim_lws(host_and_port);
        let bad = |why: &str| {
            Error::invalid_argument(format!("Invalid proxy server '{host_and_port}': {why}"))
        };
        if scheme == ProxyScheme::Direct {
            return if host_and_port.is_empty() {
                Ok(ProxyServer::direct())
            } else {
                Err(bad("DIRECT takes no host"))
            };
        }
        if host_and_port.contains('@') {
            return Err(bad("user name and password are not allowed"));
        }
        let (host, port) = split_server_info(host_and_port);
        if host.is_empty() {
            return Err(bad("missing host"));
        }
        let port = match port {
            None => scheme.default_port(),
            Some("") => return Err(bad("empty port")),
            Some(p) => parse_port(p).ok_or_else(|| bad("invalid port"))?,
        };
        let host = canonical_host(host).ok_or_else(|| bad("invalid host"))?;
        Ok(ProxyServer { scheme, host, port })
    }

    /// Parses the URI form, `[<scheme>"://"]<host>[":"<port>]` (Chromium
    /// `ProxyUriToProxyServer`); `default_scheme` applies when no scheme is
    /// written. Schemes: `http`, `https`, `socks4`, `socks5`, `socks`
    /// (SOCKS5) and `direct`.
    ///
    /// # Errors
    /// `InvalidArgument` for an unknown scheme (QUIC proxies included, as in
    /// Chromium release builds) or any problem listed at
    /// [`ProxyServer::from_scheme_host_and_port`].
    pub fn from_uri(uri: &str, default_scheme: ProxyScheme) -> Result<ProxyServer> {
        let uri = trim_lws(uri);
        let mut scheme = default_scheme;
        let mut rest = uri;
        if let Some(colon) = uri.find(':') {
            if uri[colon + 1..].starts_with("//") {
                let name = &uri[..colon];
                scheme = ProxyScheme::from_uri_scheme(name).ok_or_else(|| {
                    Error::invalid_argument(format!(
                        "Invalid proxy server '{uri}': unknown scheme '{name}'"
                    ))
                })?;
                rest = &uri[colon + 3..];
            }
        }
        ProxyServer::from_scheme_host_and_port(scheme, rest)
    }

    /// Parses one element of a PAC result, `DIRECT` or `<type> <host>[:port]`
    /// (Chromium `PacResultElementToProxyServer`). Types: `PROXY`, `HTTPS`,
    /// `SOCKS` (SOCKS4), `SOCKS4`, `SOCKS5`, `DIRECT`, in any case.
    ///
    /// # Errors
    /// `InvalidArgument` for an unknown type or any problem listed at
    /// [`ProxyServer::from_scheme_host_and_port`].
    pub fn from_pac_element(element: &str) -> Result<ProxyServer> {
        let element = trim_lws(element);
        let split = element.find([' ', '\t']).unwrap_or(element.len());
        let (word, rest) = element.split_at(split);
        let scheme = ProxyScheme::from_pac_type(word).ok_or_else(|| {
            Error::invalid_argument(format!(
                "Invalid proxy server '{element}': unknown type '{word}'"
            ))
        })?;
        ProxyServer::from_scheme_host_and_port(scheme, rest)
    }

    pub fn scheme(&self) -> ProxyScheme {
        self.scheme
    }

    pub fn is_direct(&self) -> bool {
        self.scheme == ProxyScheme::Direct
    }

    /// The canonical host, IPv6 literals in brackets; empty for `DIRECT`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port; 0 for `DIRECT`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Writes the URI form, leaving out `http://` as Chromium does
    /// (`ProxyServerToProxyUri`): `foopy:80`, `socks5://[::1]:1080`,
    /// `direct://`.
    pub fn to_uri(&self) -> String {
        let prefix = match self.scheme {
            ProxyScheme::Direct => return "direct://".to_owned(),
            ProxyScheme::Http => "",
            ProxyScheme::Https => "https://",
            ProxyScheme::Socks4 => "socks4://",
            ProxyScheme::Socks5 => "socks5://",
        };
        format!("{prefix}{}:{}", self.host, self.port)
    }

    /// Appends the PAC form (`PROXY foopy:80`, `DIRECT`) to `out`.
    pub fn write_pac(&self, out: &mut String) {
        use std::fmt::Write;
        out.push_str(self.scheme.pac_type());
        if !self.is_direct() {
            let _ = write!(out, " {}:{}", self.host, self.port);
        }
    }
}

/// The PAC form (Chromium `ProxyServerToPacResultElement`).
impl fmt::Display for ProxyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_direct() {
            f.write_str("DIRECT")
        } else {
            write!(f, "{} {}:{}", self.scheme.pac_type(), self.host, self.port)
        }
    }
}

/// The servers a connection goes through, in order. Chromium builds other
/// than debug ones only ever make single-server chains, and so does this:
/// a chain is `DIRECT` or one proxy server.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProxyChain {
    server: ProxyServer,
}

impl ProxyChain {
    pub fn direct() -> ProxyChain {
        ProxyChain {
            server: ProxyServer::direct(),
        }
    }

    pub fn is_direct(&self) -> bool {
        self.server.is_direct()
    }

    /// The one proxy of the chain; `None` for `DIRECT`.
    pub fn proxy_server(&self) -> Option<&ProxyServer> {
        (!self.is_direct()).then_some(&self.server)
    }

    /// Parses one URI-form entry, as [`ProxyServer::from_uri`].
    pub fn from_uri(uri: &str, default_scheme: ProxyScheme) -> Result<ProxyChain> {
        ProxyServer::from_uri(uri, default_scheme).map(ProxyChain::from)
    }
}

impl From<ProxyServer> for ProxyChain {
    fn from(server: ProxyServer) -> ProxyChain {
        ProxyChain { server }
    }
}

/// The PAC form of the chain's server.
impl fmt::Display for ProxyChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.server.fmt(f)
    }
}

#[derive(Debug, Clone, Default)]
struct ListInner {
    chains: Vec<ProxyChain>,
    /// The PAC string, built on first use and reused afterwards.
    pac: OnceLock<Box<str>>,
}

/// An ordered list of proxy chains to try, the first one first, falling back
/// to the next when one fails (Chromium `ProxyList`).
///
/// Cloning is cheap (a shared reference), so a resolved list can be handed
/// out per request without copying; its PAC string is computed once.
#[derive(Debug, Clone, Default)]
pub struct ProxyList {
    inner: Arc<ListInner>,
}

impl PartialEq for ProxyList {
    fn eq(&self, other: &ProxyList) -> bool {
        self.inner.chains == other.inner.chains
    }
}

impl Eq for ProxyList {}

impl ProxyList {
    /// An empty list.
    pub fn new() -> ProxyList {
        ProxyList::default()
    }

    /// A list holding only `DIRECT`. Every such list shares one allocation.
    pub fn direct() -> ProxyList {
        static DIRECT: OnceLock<ProxyList> = OnceLock::new();
        DIRECT
            .get_or_init(|| {
                let mut list = ProxyList::new();
                list.add_chain(ProxyChain::direct());
                list
            })
            .clone()
    }

    /// Parses `;`-separated URI-form entries, `http` being the default scheme
    /// (Chromium `ProxyList::Set`). Entries that do not parse are dropped.
    pub fn from_uri_list(list: &str) -> ProxyList {
        let mut out = ProxyList::new();
        for entry in list.split(';').filter(|e| !e.is_empty()) {
            if let Ok(chain) = ProxyChain::from_uri(entry, ProxyScheme::Http) {
                out.add_chain(chain);
            }
        }
        out
    }

    /// Parses a PAC result, `;`-separated PAC-form elements (Chromium
    /// `ProxyList::SetFromPacString`). Elements that do not parse are
    /// dropped; when nothing parses the list is `DIRECT`, as a broken PAC
    /// answer means no proxy.
    pub fn from_pac_string(pac: &str) -> ProxyList {
        let mut out = ProxyList::new();
        for element in pac.split(';').filter(|e| !e.is_empty()) {
            if let Ok(server) = ProxyServer::from_pac_element(element) {
                out.add_chain(ProxyChain::from(server));
            }
        }
        if out.is_empty() {
            out.add_chain(ProxyChain::direct());
        }
        out
    }

    /// Appends a chain to try after the ones already listed.
    pub fn add_chain(&mut self, chain: ProxyChain) {
        let inner = Arc::make_mut(&mut self.inner);
        inner.chains.push(chain);
        inner.pac = OnceLock::new();
    }

    pub fn is_empty(&self) -> bool {
        self.inner.chains.is_empty()
    }

    pub fn len(&self) -> usize {
        self.inner.chains.len()
    }

    /// The chains, in the order they are tried.
    pub fn chains(&self) -> &[ProxyChain] {
        &self.inner.chains
    }

    /// The first chain to try.
    pub fn first(&self) -> Option<&ProxyChain> {
        self.inner.chains.first()
    }

    /// True when the list is exactly `DIRECT`.
    pub fn is_direct_only(&self) -> bool {
        matches!(self.chains(), [only] if only.is_direct())
    }

    /// The PAC string `resolveProxy` answers with: entries joined by `;`
    /// with no space (`PROXY foopy:80;SOCKS5 bar:1080;DIRECT`), empty for
    /// an empty list (Chromium `ProxyList::ToPacString`). Computed once per
    /// list.
    pub fn to_pac_string(&self) -> &str {
        self.inner.pac.get_or_init(|| {
            let mut out = String::with_capacity(self.len() * 24);
            for (i, chain) in self.chains().iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                chain.server.write_pac(&mut out);
            }
            out.into_boxed_str()
        })
    }
}

/// The PAC string, as [`ProxyList::to_pac_string`].
impl fmt::Display for ProxyList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_pac_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Result<String> {
        ProxyServer::from_uri(s, ProxyScheme::Http).map(|p| p.to_string())
    }

    fn pac(s: &str) -> Result<String> {
        ProxyServer::from_pac_element(s).map(|p| p.to_string())
    }

    // Rule: the URI form is `[scheme://]host[:port]`; no scheme means the
    // default (HTTP here), no port means the scheme's default port, and the
    // host is canonicalized as a URL host.
    #[test]
    fn uri_form() {
        // (input, PAC form, URI form)
        let table: &[(&str, &str, &str)] = &[
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (ProxyUriToProxyServer).
            ("foopy:10", "PROXY foopy:10", "foopy:10"),
            ("http://foopy", "PROXY foopy:80", "foopy:80"),
            ("http://foopy:10", "PROXY foopy:10", "foopy:10"),
            (
                "[fedc:ba98:7654:3210:fedc:ba98:7654:3210]:10",
                "PROXY [fedc:ba98:7654:3210:fedc:ba98:7654:3210]:10",
                "[fedc:ba98:7654:3210:fedc:ba98:7654:3210]:10",
            ),
            (
                "http://[3ffe:2a00:100:7031::1]",
                "PROXY [3ffe:2a00:100:7031::1]:80",
                "[3ffe:2a00:100:7031::1]:80",
            ),
            ("socks4://foopy", "SOCKS foopy:1080", "socks4://foopy:1080"),
            ("socks4://foopy:10", "SOCKS foopy:10", "socks4://foopy:10"),
            ("socks5://foopy", "SOCKS5 foopy:1080", "socks5://foopy:1080"),
            ("socks5://foopy:10", "SOCKS5 foopy:10", "socks5://foopy:10"),
            ("socks://foopy", "SOCKS5 foopy:1080", "socks5://foopy:1080"),
            ("socks://foopy:10", "SOCKS5 foopy:10", "socks5://foopy:10"),
            ("https://foopy", "HTTPS foopy:443", "https://foopy:443"),
            ("https://foopy:10", "HTTPS foopy:10", "https://foopy:10"),
            (
                "https://1.2.3.4:10",
                "HTTPS 1.2.3.4:10",
                "https://1.2.3.4:10",
            ),
            (
                "[FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]:10",
                "PROXY [fedc:ba98:7654:3210:fedc:ba98:7654:3210]:10",
                "[fedc:ba98:7654:3210:fedc:ba98:7654:3210]:10",
            ),
            (
                "http://[::192.9.5.5]",
                "PROXY [::c009:505]:80",
                "[::c009:505]:80",
            ),
            (
                "http://[::FFFF:129.144.52.38]:80",
                "PROXY [::ffff:8190:3426]:80",
                "[::ffff:8190:3426]:80",
            ),
            (
                "http://f\u{00fc}py:85",
                "PROXY xn--fpy-hoa:85",
                "xn--fpy-hoa:85",
            ),
            (
                "https://0xA.020.3.4:443",
                "HTTPS 10.16.3.4:443",
                "https://10.16.3.4:443",
            ),
            ("http://FoO.tEsT:80", "PROXY foo.test:80", "foo.test:80"),
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (WhitespaceProxyUriToProxyServer).
            ("  foopy:80", "PROXY foopy:80", "foopy:80"),
            ("foopy:80   \t", "PROXY foopy:80", "foopy:80"),
            ("  \tfoopy:80  ", "PROXY foopy:80", "foopy:80"),
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (DirectProxyUriToProxyChain).
            ("direct://", "DIRECT", "direct://"),
            ("DIRECT://", "DIRECT", "direct://"),
            ("DiReCt://", "DIRECT", "direct://"),
            // Our own rows.
            (
                "socks5://[::1]:1080",
                "SOCKS5 [::1]:1080",
                "socks5://[::1]:1080",
            ),
            ("HTTPS://FooPy:443", "HTTPS foopy:443", "https://foopy:443"),
            ("foopy:080", "PROXY foopy:80", "foopy:80"),
            (
                "http://127.1:3128",
                "PROXY 127.0.0.1:3128",
                "127.0.0.1:3128",
            ),
            ("secure_proxy", "PROXY secure_proxy:80", "secure_proxy:80"),
        ];
        for (input, pac_form, uri_form) in table {
            let server = ProxyServer::from_uri(input, ProxyScheme::Http)
                .unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(server.to_string(), *pac_form, "{input:?}");
            assert_eq!(server.to_uri(), *uri_form, "{input:?}");
        }
    }

    // Rule: the scheme-less default scheme is the caller's (SOCKS4 for
    // `socks=` entries of proxy rules).
    #[test]
    fn uri_form_default_scheme() {
        let table: &[(ProxyScheme, &str, &str)] = &[
            (ProxyScheme::Socks4, "foopy", "SOCKS foopy:1080"),
            (ProxyScheme::Https, "foopy", "HTTPS foopy:443"),
            (ProxyScheme::Socks4, "socks5://foopy", "SOCKS5 foopy:1080"),
        ];
        for (default, input, expected) in table {
            let got = ProxyServer::from_uri(input, *default).map(|p| p.to_string());
            assert_eq!(got.as_deref(), Ok(*expected), "{default:?} {input:?}");
        }
    }

    // Rule: malformed URI-form input is an error naming the problem, never a panic.
    #[test]
    fn uri_form_bad_inputs() {
        let table: &[(&str, &str)] = &[
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (InvalidProxyUriToProxyServer).
            ("", "missing host"),
            ("   ", "missing host"),
            ("dddf:", "empty port"),
            ("dddd:d", "invalid port"),
            ("http://", "missing host"),
            ("http:/", "invalid port"),
            ("http:", "empty port"),
            ("foopy.111", "invalid host"),
            ("foo.test/foo.test:123/foo.test/foo", "invalid port"),
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (DirectProxyUriToProxyChain).
            ("direct://xyz", "DIRECT takes no host"),
            // Our own rows.
            ("foo.test/", "invalid host"),
            ("foo.test:123/", "invalid port"),
            ("foo.test/foo", "invalid host"),
            ("https://", "missing host"),
            ("http://foopy:65536", "invalid port"),
            ("http://foopy:-1", "invalid port"),
            ("http://foopy:+80", "invalid port"),
            ("http://user:pass@foopy:80", "user name and password"),
            ("quic://foopy:443", "unknown scheme 'quic'"),
            ("ftp://foopy", "unknown scheme 'ftp'"),
            ("[https://a:1 https://b:2]", "unknown scheme '[https'"),
            ("foo bar:80", "invalid host"),
            ("[::1", "invalid host"),
            ("::1", "invalid host"),
            (":80", "missing host"),
            ("\u{1F600}\u{0}:80", "invalid host"),
        ];
        for (input, why) in table {
            let err = uri(input).expect_err(input);
            assert!(err.is_invalid_argument(), "{input:?}");
            assert!(err.message().contains(why), "{input:?}: {}", err.message());
        }
    }

    // Rule: the PAC form is `DIRECT` or `<type> <host>[:port]`, types in any
    // case; `SOCKS` is SOCKS4.
    #[test]
    fn pac_form() {
        let table: &[(&str, &str)] = &[
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (PacResultElementToProxyServer).
            ("PROXY foopy:10", "PROXY foopy:10"),
            ("   PROXY    foopy:10   ", "PROXY foopy:10"),
            ("pRoXy foopy:10", "PROXY foopy:10"),
            ("PROXY foopy", "PROXY foopy:80"),
            ("socks foopy", "SOCKS foopy:1080"),
            ("socks4 foopy", "SOCKS foopy:1080"),
            ("socks5 foopy", "SOCKS5 foopy:1080"),
            ("socks5 foopy:11", "SOCKS5 foopy:11"),
            ("https foopy", "HTTPS foopy:443"),
            ("https foopy:10", "HTTPS foopy:10"),
            (
                "PROXY [FEDC:BA98:7654:3210:FEDC:BA98:7654:3210]:10",
                "PROXY [fedc:ba98:7654:3210:fedc:ba98:7654:3210]:10",
            ),
            ("PROXY f\u{00fc}py:85", "PROXY xn--fpy-hoa:85"),
            // Our own rows.
            (" direct  ", "DIRECT"),
            ("DIRECT", "DIRECT"),
            ("PROXY\tfoopy:3128", "PROXY foopy:3128"),
        ];
        for (input, expected) in table {
            assert_eq!(pac(input).as_deref(), Ok(*expected), "{input:?}");
        }
    }

    // Rule: malformed PAC elements are errors naming the problem.
    #[test]
    fn pac_form_bad_inputs() {
        let table: &[(&str, &str)] = &[
            // Rows from Chromium net/base/proxy_string_util_unittest.cc (InvalidPacResultElementToProxyServer).
            ("PROXY", "missing host"),
            ("HTTPS", "missing host"),
            ("SOCKS", "missing host"),
            ("DIRECT foopy:10", "DIRECT takes no host"),
            ("INVALIDSCHEME", "unknown type 'INVALIDSCHEME'"),
            ("INVALIDSCHEME foopy:10", "unknown type 'INVALIDSCHEME'"),
            ("HTTP foopy:10", "unknown type 'HTTP'"),
            // Our own rows.
            ("PROXY ", "missing host"),
            ("SOCKS5 ", "missing host"),
            ("http:80", "unknown type 'http:80'"),
            ("https://foopy", "unknown type 'https://foopy'"),
            ("PROXY foopy:x", "invalid port"),
            ("QUIC foopy:443", "unknown type 'QUIC'"),
            ("", "unknown type ''"),
        ];
        for (input, why) in table {
            let err = pac(input).expect_err(input);
            assert!(err.message().contains(why), "{input:?}: {}", err.message());
        }
    }

    // Rule: a PAC result keeps the elements that parse, in order, and is
    // `DIRECT` when none does.
    #[test]
    fn list_from_pac_string() {
        // Rows from Chromium net/proxy_resolution/proxy_list_unittest.cc (SetFromPacString).
        let table: &[(&str, &str)] = &[
            ("PROXY foopy:10", "PROXY foopy:10"),
            (" DIRECT", "DIRECT"),
            (
                "PROXY foopy1 ; proxy foopy2;\t DIRECT",
                "PROXY foopy1:80;PROXY foopy2:80;DIRECT",
            ),
            (
                "proxy foopy1 ; SOCKS foopy2",
                "PROXY foopy1:80;SOCKS foopy2:1080",
            ),
            (
                "DIRECT ; proxy foopy1 ; DIRECT ; SOCKS5 foopy2;DIRECT ",
                "DIRECT;PROXY foopy1:80;DIRECT;SOCKS5 foopy2:1080;DIRECT",
            ),
            (
                "DIRECT ; proxy foopy1:80; DIRECT ; DIRECT",
                "DIRECT;PROXY foopy1:80;DIRECT;DIRECT",
            ),
            ("PROXY-foopy:10", "DIRECT"),
            ("PROXY", "DIRECT"),
            (
                "PROXY foopy1 ; JUNK ; JUNK ; SOCKS5 foopy2 ; ;",
                "PROXY foopy1:80;SOCKS5 foopy2:1080",
            ),
            // Our own rows.
            ("HTTPS foopy:443;DIRECT", "HTTPS foopy:443;DIRECT"),
            ("", "DIRECT"),
            (";;;", "DIRECT"),
        ];
        for (input, expected) in table {
            assert_eq!(
                ProxyList::from_pac_string(input).to_pac_string(),
                *expected,
                "{input:?}"
            );
        }
    }

    // Rule: a `;`-separated URI list keeps the entries that parse.
    #[test]
    fn list_from_uri_list() {
        let table: &[(&str, &str)] = &[
            ("foopy:80;socks5://bar", "PROXY foopy:80;SOCKS5 bar:1080"),
            ("foopy:;bar", "PROXY bar:80"),
            ("direct://", "DIRECT"),
            ("", ""),
        ];
        for (input, expected) in table {
            assert_eq!(
                ProxyList::from_uri_list(input).to_pac_string(),
                *expected,
                "{input:?}"
            );
        }
    }

    // Rule: the PAC string is recomputed after the list changes, and clones
    // share the list without sharing later changes.
    #[test]
    fn list_pac_string_follows_changes() {
        let mut list = ProxyList::from_uri_list("foopy:80");
        assert_eq!(list.to_pac_string(), "PROXY foopy:80");
        let before = list.clone();
        list.add_chain(ProxyChain::direct());
        assert_eq!(list.to_pac_string(), "PROXY foopy:80;DIRECT");
        assert_eq!(before.to_pac_string(), "PROXY foopy:80");
        assert!(!list.is_direct_only());
        assert!(ProxyList::direct().is_direct_only());
        assert_eq!(
            list.first()
                .and_then(|c| c.proxy_server())
                .map(|p| p.port()),
            Some(80)
        );
    }
}

//! Fixed proxy rules: the `proxyRules` string of `setProxy` and the
//! `--proxy-server` switch, and how they pick a proxy list for a URL.
//!
//! Follows Chromium `ProxyConfig::ProxyRules` in
//! `net/proxy_resolution/proxy_config.cc`.

use url::Url;

use crate::plain_url::UrlParts;

use super::bypass::ProxyBypassRules;
use super::server::{ProxyChain, ProxyList, ProxyScheme};

/// How the proxy lists of [`ProxyRules`] apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProxyRulesType {
    /// No rules: everything goes direct.
    #[default]
    Empty,
    /// One list for every URL (`foopy:80,bar`).
    ProxyList,
    /// A list per URL scheme, plus a fallback (`http=foopy;socks=bar`).
    ProxyListPerScheme,
}

/// Parsed proxy rules with their bypass list.
///
/// The grammar (Chromium `ProxyRules::ParseFromString`):
/// `rules = entry (";" entry)*`, `entry = [scheme "="] uri ("," uri)*`.
/// An entry without `scheme=` coming first makes one list for all URLs and
/// ends the parse; otherwise entries for `http`, `https` and `ftp` URLs
/// accumulate, `socks=` gives the list for every other URL (its bare hosts
/// meaning SOCKS4), and other schemes are ignored. URIs that do not parse
/// are dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyRules {
    pub bypass_rules: ProxyBypassRules,
    /// When set, `bypass_rules` lists the URLs that use the proxy instead.
    pub reverse_bypass: bool,
    pub kind: ProxyRulesType,
    /// The list for every URL, when `kind` is `ProxyList`.
    pub single_proxies: ProxyList,
    pub proxies_for_http: ProxyList,
    pub proxies_for_https: ProxyList,
    pub proxies_for_ftp: ProxyList,
    /// The `socks=` list: for URLs whose scheme has no list of its own.
    pub fallback_proxies: ProxyList,
}

/// Splits on `delims`, skipping empty pieces, as `base::StringTokenizer`.
fn tokens<'a>(s: &'a str, delims: &'a [char]) -> impl Iterator<Item = &'a str> + 'a {
    s.split(delims).filter(|t| !t.is_empty())
}

fn add_uri_list(list: &mut ProxyList, uris: &str, default_scheme: ProxyScheme) {
    for uri in tokens(uris, &[',']) {
        if let Ok(chain) = ProxyChain::from_uri(uri, default_scheme) {
            list.add_chain(chain);
        }
    }
}

impl ProxyRules {
    /// Parses a `proxyRules` string; the bypass list is left empty. Never
    /// fails: what cannot be read is left out, as in Chromium.
    pub fn parse(rules: &str) -> ProxyRules {
        let mut out = ProxyRules::default();
        for entry in tokens(rules, &[';']) {
            let mut parts = tokens(entry, &['=']);
            while let Some(scheme) = parts.next() {
                let Some(uris) = parts.next() else {
                    if out.kind == ProxyRulesType::ProxyListPerScheme {
                        continue;
                    }
                    add_uri_list(&mut out.single_proxies, scheme, ProxyScheme::Http);
                    out.kind = ProxyRulesType::ProxyList;
                    return out;
                };
                out.kind = ProxyRulesType::ProxyListPerScheme;
                let (list, default_scheme) = match scheme.trim_ascii() {
                    "http" => (&mut out.proxies_for_http, ProxyScheme::Http),
                    "https" => (&mut out.proxies_for_https, ProxyScheme::Http),
                    "ftp" => (&mut out.proxies_for_ftp, ProxyScheme::Http),
                    "socks" => (&mut out.fallback_proxies, ProxyScheme::Socks4),
                    _ => continue,
                };
                add_uri_list(list, uris, default_scheme);
            }
        }
        out
    }

    /// Parses rules and a bypass list together, as `setProxy` gives them.
    pub fn parse_with_bypass(rules: &str, bypass: &str) -> ProxyRules {
        let mut out = ProxyRules::parse(rules);
        out.bypass_rules = ProxyBypassRules::parse(bypass);
        out
    }

    pub fn is_empty(&self) -> bool {
        self.kind == ProxyRulesType::Empty
    }

    /// The list for URLs of `scheme`, falling back as Chromium does
    /// (`MapUrlSchemeToProxyList`): the scheme's own non-empty list, then for
    /// `ws`/`wss` the fallback, HTTPS or HTTP list (RFC 6455's advice), then
    /// the fallback list; `None` when nothing applies.
    pub fn map_url_scheme_to_proxy_list(&self, scheme: &str) -> Option<&ProxyList> {
        let own = match scheme {
            "http" => Some(&self.proxies_for_http),
            "https" => Some(&self.proxies_for_https),
            "ftp" => Some(&self.proxies_for_ftp),
            _ => None,
        };
        if let Some(list) = own.filter(|l| !l.is_empty()) {
            return Some(list);
        }
        if scheme == "ws" || scheme == "wss" {
            return [
                &self.fallback_proxies,
                &self.proxies_for_https,
                &self.proxies_for_http,
            ]
            .into_iter()
            .find(|l| !l.is_empty());
        }
        Some(&self.fallback_proxies).filter(|l| !l.is_empty())
    }

    /// Whether `url` goes direct because of the bypass list (or the implicit
    /// bypass of loopback and link-local destinations).
    pub fn bypasses(&self, url: &Url) -> bool {
        !self.is_empty() && self.bypass_rules.matches(url, self.reverse_bypass)
    }

    /// The proxies to try for `url`, in order (Chromium `ProxyRules::Apply`):
    /// `DIRECT` when there are no rules, when the URL bypasses, or when no
    /// per-scheme list applies to its scheme.
    ///
    /// As in Chromium, a single list whose entries all failed to parse
    /// (`proxyRules: "foo:"`) is returned empty: its PAC string is `""`, and
    /// the connection layer must fail such a request with
    /// `net::ERR_NO_SUPPORTED_PROXIES` rather than connect directly.
    ///
    /// The answer shares the rules' list; nothing is copied or formatted.
    pub fn apply(&self, url: &(impl UrlParts + ?Sized)) -> ProxyList {
        if self.is_empty() || self.bypass_rules.matches(url, self.reverse_bypass) {
            return ProxyList::direct();
        }
        let list = match self.kind {
            ProxyRulesType::ProxyList => Some(&self.single_proxies),
            _ => self.map_url_scheme_to_proxy_list(url.scheme()),
        };
        match list {
            Some(list) => list.clone(),
            None => ProxyList::direct(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn pac(list: &ProxyList) -> Option<&str> {
        (!list.is_empty()).then(|| list.to_pac_string())
    }

    type Row = (
        &'static str,
        ProxyRulesType,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    // Rule: `proxyRules` is one list for all URLs, or lists per URL scheme
    // with `socks=` as the fallback; the first entry decides which.
    #[test]
    fn parse_proxy_rules() {
        use ProxyRulesType::{ProxyList as L, ProxyListPerScheme as S};
        // Rows from Chromium net/proxy_resolution/proxy_config_unittest.cc (ParseProxyRules):
        // rules, type, single, http, https, ftp, fallback.
        let table: &[Row] = &[
            (
                "myproxy:80",
                L,
                Some("PROXY myproxy:80"),
                None,
                None,
                None,
                None,
            ),
            (
                "myproxy:80,https://myotherproxy",
                L,
                Some("PROXY myproxy:80;HTTPS myotherproxy:443"),
                None,
                None,
                None,
                None,
            ),
            (
                "http=myproxy:80",
                S,
                None,
                Some("PROXY myproxy:80"),
                None,
                None,
                None,
            ),
            (
                "ftp=ftp-proxy ; https=socks4://foopy",
                S,
                None,
                None,
                Some("SOCKS foopy:1080"),
                Some("PROXY ftp-proxy:80"),
                None,
            ),
            (
                "foopy ; ftp=ftp-proxy",
                L,
                Some("PROXY foopy:80"),
                None,
                None,
                None,
                None,
            ),
            (
                "ftp=ftp-proxy ; foopy",
                S,
                None,
                None,
                None,
                Some("PROXY ftp-proxy:80"),
                None,
            ),
            (
                "ftp=ftp1,ftp2,ftp3",
                S,
                None,
                None,
                None,
                Some("PROXY ftp1:80;PROXY ftp2:80;PROXY ftp3:80"),
                None,
            ),
            (
                "http=http1,http2; http=http3",
                S,
                None,
                Some("PROXY http1:80;PROXY http2:80;PROXY http3:80"),
                None,
                None,
                None,
            ),
            (
                "ftp=ftp1,ftp2,ftp3 ; http=http1,http2; ",
                S,
                None,
                Some("PROXY http1:80;PROXY http2:80"),
                None,
                Some("PROXY ftp1:80;PROXY ftp2:80;PROXY ftp3:80"),
                None,
            ),
            (
                "http=https://secure_proxy; ftp=socks4://socks_proxy; https=socks://foo",
                S,
                None,
                Some("HTTPS secure_proxy:443"),
                Some("SOCKS5 foo:1080"),
                Some("SOCKS socks_proxy:1080"),
                None,
            ),
            (
                "socks=foopy",
                S,
                None,
                None,
                None,
                None,
                Some("SOCKS foopy:1080"),
            ),
            (
                "http=httpproxy ; https=httpsproxy ; ftp=ftpproxy ; socks=foopy ",
                S,
                None,
                Some("PROXY httpproxy:80"),
                Some("PROXY httpsproxy:80"),
                Some("PROXY ftpproxy:80"),
                Some("SOCKS foopy:1080"),
            ),
            (
                "http=httpproxy ; https=httpsproxy ; socks=socks5://foopy ",
                S,
                None,
                Some("PROXY httpproxy:80"),
                Some("PROXY httpsproxy:80"),
                None,
                Some("SOCKS5 foopy:1080"),
            ),
            (
                "crazy=foopy ; foo=bar ; https=myhttpsproxy",
                S,
                None,
                None,
                Some("PROXY myhttpsproxy:80"),
                None,
                None,
            ),
            (
                "http=direct://,myhttpproxy; https=direct://",
                S,
                None,
                Some("DIRECT;PROXY myhttpproxy:80"),
                Some("DIRECT"),
                None,
                None,
            ),
            (
                "http=myhttpproxy,direct://",
                S,
                None,
                Some("PROXY myhttpproxy:80;DIRECT"),
                None,
                None,
                None,
            ),
            (
                "http=[https://proxy1:8080 https://proxy2:8080]",
                S,
                None,
                None,
                None,
                None,
                None,
            ),
            // Our own rows: the forms of Electron's ProxyConfig documentation.
            (
                "http=foopy:80;ftp=foopy2",
                S,
                None,
                Some("PROXY foopy:80"),
                None,
                Some("PROXY foopy2:80"),
                None,
            ),
            (
                "foopy:80,bar,direct://",
                L,
                Some("PROXY foopy:80;PROXY bar:80;DIRECT"),
                None,
                None,
                None,
                None,
            ),
            (
                "socks4://foopy",
                L,
                Some("SOCKS foopy:1080"),
                None,
                None,
                None,
                None,
            ),
            (
                "http=foopy,socks5://bar.com",
                S,
                None,
                Some("PROXY foopy:80;SOCKS5 bar.com:1080"),
                None,
                None,
                None,
            ),
            (
                "http=foopy;socks=foopy2",
                S,
                None,
                Some("PROXY foopy:80"),
                None,
                None,
                Some("SOCKS foopy2:1080"),
            ),
            ("", ProxyRulesType::Empty, None, None, None, None, None),
            (";;", ProxyRulesType::Empty, None, None, None, None, None),
        ];
        for row in table {
            let (input, kind, single, http, https, ftp, fallback) = *row;
            let rules = ProxyRules::parse(input);
            assert_eq!(rules.kind, kind, "{input:?}");
            assert_eq!(pac(&rules.single_proxies), single, "single of {input:?}");
            assert_eq!(pac(&rules.proxies_for_http), http, "http of {input:?}");
            assert_eq!(pac(&rules.proxies_for_https), https, "https of {input:?}");
            assert_eq!(pac(&rules.proxies_for_ftp), ftp, "ftp of {input:?}");
            assert_eq!(
                pac(&rules.fallback_proxies),
                fallback,
                "fallback of {input:?}"
            );
        }
    }

    // Rule: malformed rules never panic; broken entries are dropped, and a
    // single list left empty answers "" (no usable proxy) instead of DIRECT.
    #[test]
    fn parse_bad_inputs() {
        let table: &[(&str, &str)] = &[
            ("foo:", ""),
            ("=", "DIRECT"),
            ("==foopy", "PROXY foopy:80"),
            ("http=", "PROXY http:80"),
            ("http==foopy", "PROXY foopy:80"),
            ("http=foopy=bar", "PROXY foopy:80"),
            ("http=a:99999,b", "PROXY b:80"),
            ("http=,,,", "DIRECT"),
            ("\u{0};\u{1F600}=x", ""),
            ("http=user@host:80", "DIRECT"),
        ];
        for (input, expected) in table {
            let rules = ProxyRules::parse(input);
            assert_eq!(
                rules.apply(&url("http://example.com/")).to_pac_string(),
                *expected,
                "{input:?}"
            );
        }
    }

    // Rule: a URL gets its scheme's list, else the `socks=` fallback, else
    // DIRECT; WebSocket URLs prefer the fallback, then HTTPS, then HTTP.
    #[test]
    fn apply_picks_list_for_scheme() {
        let table: &[(&str, &str, &str)] = &[
            (
                "foopy:80;socks5://bar",
                "https://example.com",
                "PROXY foopy:80",
            ),
            ("http=foopy:80", "http://example.com", "PROXY foopy:80"),
            ("http=foopy:80", "https://example.com", "DIRECT"),
            (
                "http=foopy:80;socks=bar",
                "https://example.com",
                "SOCKS bar:1080",
            ),
            (
                "http=foopy:80;socks=bar",
                "ftp://example.com",
                "SOCKS bar:1080",
            ),
            (
                "http=foopy:80;socks=bar",
                "http://example.com",
                "PROXY foopy:80",
            ),
            ("https=,;socks=bar", "https://example.com", "SOCKS bar:1080"),
            (
                "ftp=ftpproxy",
                "ftp://example.com/file",
                "PROXY ftpproxy:80",
            ),
            // Rows from Chromium net/proxy_resolution/proxy_config_unittest.cc (ProxyConfigWebSocketTest).
            ("proxy:3128", "ws://example.com/echo", "PROXY proxy:3128"),
            (
                "http=proxy:3128 ; https=sslproxy:3128 ; socks=socksproxy:1080",
                "ws://example.com/echo",
                "SOCKS socksproxy:1080",
            ),
            (
                "http=proxy:3128 ; https=sslproxy:3128 ; socks=socks5://socksproxy:1080",
                "ws://example.com/echo",
                "SOCKS5 socksproxy:1080",
            ),
            (
                "http=proxy:3128 ; https=sslproxy:3128",
                "wss://example.com/echo",
                "PROXY sslproxy:3128",
            ),
            (
                "http=proxy:3128 ; https=sslproxy:3128; socks=https://httpsproxy",
                "wss://example.com/echo",
                "HTTPS httpsproxy:443",
            ),
            (
                "ftp=ftpproxy:3128; socks=https://httpsproxy",
                "wss://example.com/echo",
                "HTTPS httpsproxy:443",
            ),
            (
                "http=proxy:3128 ; https=sslproxy:3128",
                "ws://example.com/echo",
                "PROXY sslproxy:3128",
            ),
            (
                "http=proxy:3128",
                "wss://example.com/echo",
                "PROXY proxy:3128",
            ),
            ("ftp=ftpproxy:3128", "wss://example.com/echo", "DIRECT"),
            (
                "http=proxy:3128 ; https=sslproxy:3128 ; bypass .chromium.org",
                "wss://codereview.chromium.org/feed",
                "DIRECT",
            ),
            (
                "http=proxy:3128 ; https=sslproxy:3128 ; bypass <local>",
                "ws://localhost/feed",
                "DIRECT",
            ),
            // Our own rows.
            ("", "http://example.com", "DIRECT"),
            (
                "http=proxy:3128 ; bypass <local>",
                "ws://intranet/feed",
                "DIRECT",
            ),
        ];
        for (rules, u, expected) in table {
            // ` ; bypass X` in a row adds X as a bypass rule.
            let (rules, bypass) = rules.split_once(" ; bypass ").unwrap_or((rules, ""));
            let got = ProxyRules::parse_with_bypass(rules, bypass).apply(&url(u));
            assert_eq!(got.to_pac_string(), *expected, "{rules:?} for {u}");
        }
    }

    // Rule: URLs matching the bypass list, and loopback/link-local ones,
    // go direct; reversed, only the listed ones use the proxy.
    #[test]
    fn apply_bypass() {
        // Rows from Chromium net/proxy_resolution/proxy_config_unittest.cc (ProxyRulesSetBypassFlag), plus our own.
        let mut rules = ProxyRules::parse_with_bypass("http=httpproxy:80", ".com");
        let table: &[(bool, &str, &str)] = &[
            (false, "http://example.com", "DIRECT"),
            (false, "http://example.org", "PROXY httpproxy:80"),
            (false, "http://localhost:3000", "DIRECT"),
            (false, "http://127.0.0.1", "DIRECT"),
            (false, "http://[::1]", "DIRECT"),
            (false, "http://169.254.1.1", "DIRECT"),
            (true, "http://example.org", "DIRECT"),
            (true, "http://example.com", "PROXY httpproxy:80"),
            (true, "http://localhost", "DIRECT"),
        ];
        for (reverse, u, expected) in table {
            rules.reverse_bypass = *reverse;
            let u = url(u);
            assert_eq!(
                rules.apply(&u).to_pac_string(),
                *expected,
                "reverse={reverse} {u}"
            );
            assert_eq!(
                rules.bypasses(&u),
                *expected == "DIRECT",
                "reverse={reverse} {u}"
            );
        }
        let rules = ProxyRules::parse_with_bypass("foopy:80", "<-loopback>");
        assert_eq!(
            rules.apply(&url("http://localhost")).to_pac_string(),
            "PROXY foopy:80"
        );
    }

    // Rule: answers share the parsed lists instead of copying them.
    #[test]
    fn apply_shares_lists() {
        let rules = ProxyRules::parse("foopy:80,direct://");
        let a = rules.apply(&url("http://a.test"));
        let b = rules.apply(&url("http://b.test"));
        assert_eq!(a, b);
        assert_eq!(a.to_pac_string(), "PROXY foopy:80;DIRECT");
        assert!(std::ptr::eq(a.to_pac_string(), b.to_pac_string()));
    }
}

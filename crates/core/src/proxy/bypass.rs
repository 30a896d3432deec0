//! Which URLs go around the proxy: `proxyBypassRules`, the
//! `--proxy-bypass-list` switch and the `no_proxy` environment variable.
//!
//! Follows Chromium `net/proxy_resolution/proxy_bypass_rules.cc`,
//! `net/base/scheme_host_port_matcher.cc` and
//! `net/base/scheme_host_port_matcher_rule.cc`: a list of rules separated by
//! `,` or `;`, evaluated last to first, on top of implicit rules that always
//! send loopback and link-local destinations direct unless `<-loopback>`
//! removes them.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use url::Host;
#[cfg(test)]
use url::Url;

use crate::plain_url::UrlParts;

use super::server::{parse_port, split_server_info};
use crate::error::{Error, Result};

/// What one rule says about a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The URL bypasses the proxy.
    Include,
    /// The URL must not bypass the proxy (only `<-loopback>` says this).
    Exclude,
    NoMatch,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    /// `[scheme://]pattern[:port]`, `*` and `?` being wildcards.
    HostnamePattern {
        scheme: Option<Box<str>>,
        pattern: Box<str>,
        port: Option<u16>,
    },
    /// `[scheme://]ip[:port]`: one IP literal, held in its canonical URL-host
    /// form (`[::1]`). A port of 0 means any port, as in Chromium.
    IpHost {
        scheme: Option<Box<str>>,
        host: Box<str>,
        port: u16,
    },
    /// `[scheme://]ip/prefix`: a CIDR block. Addresses are held as IPv6,
    /// IPv4 ones mapped (`::ffff:a.b.c.d`) so that either family matches the
    /// other's mapped form. `description` is the text as written.
    IpBlock {
        description: Box<str>,
        scheme: Option<Box<str>>,
        prefix: u128,
        prefix_len: u8,
    },
    /// `<local>`: host names without a dot that are not IP literals
    /// (Chromium's meaning; Electron's ProxyConfig page describes an older
    /// one, loopback names and addresses, which the implicit rules cover).
    SimpleHostnames,
    /// `<-loopback>`: undoes the implicit rules.
    SubtractImplicit,
}

/// One parsed bypass rule; `Display` gives its canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BypassRule(Rule);

/// The parts of a URL the rules look at, read once per evaluation.
struct Target<'a> {
    scheme: &'a str,
    /// The host as a URL writes it: lower-case, IPv6 in brackets; empty when
    /// the URL has none.
    host: &'a str,
    /// The URL's port or its scheme's default port.
    port: Option<u16>,
    /// The address when the host is an IP literal, as IPv6 (IPv4 mapped).
    ip: Option<u128>,
}

impl<'a> Target<'a> {
    fn new(url: &'a (impl UrlParts + ?Sized)) -> Target<'a> {
        let ip = match url.host() {
            Some(Host::Ipv4(a)) => Some(mapped(a)),
            Some(Host::Ipv6(a)) => Some(u128::from(a)),
            _ => None,
        };
        Target {
            scheme: url.scheme(),
            host: url.host_str().unwrap_or(""),
            port: url.port_or_known_default(),
            ip,
        }
    }
}

fn mapped(a: Ipv4Addr) -> u128 {
    (0xffff_u128 << 32) | u128::from(u32::from(a))
}

/// `base::MatchPattern` over ASCII: `*` matches any run of bytes, `?` one.
/// Iterative with one backtrack point, so it never recurses or allocates.
pub(crate) fn match_pattern(text: &str, pattern: &str) -> bool {
    let (t, p) = (text.as_bytes(), pattern.as_bytes());
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi] == b'?' || p[pi] == t[ti]) {
            ti += 1;
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

/// Parses an IP literal without brackets (Chromium
/// `IPAddress::AssignFromIPLiteral`): IPv6 when it contains a colon, else
/// IPv4 in any form a URL host accepts (`127.1`, `0x7f.0.0.1`). Returned as
/// IPv6, IPv4 mapped, with the family's bit count.
fn parse_ip_literal(literal: &str) -> Option<(u128, u8)> {
    if literal.contains(':') {
        match Host::parse(&format!("[{literal}]")).ok()? {
            Host::Ipv6(a) => Some((u128::from(a), 128)),
            _ => None,
        }
    } else if literal.is_empty() || literal.contains(['[', ']']) {
        None
    } else {
        match Host::parse(literal).ok()? {
            Host::Ipv4(a) => Some((mapped(a), 32)),
            _ => None,
        }
    }
}

/// Parses `ip/prefix-length` (Chromium `ParseCIDRBlock`): the address
/// without brackets, the length in decimal digits and at most the family's
/// bit count. The address bits past the prefix may be anything.
fn parse_cidr_block(cidr: &str) -> Option<(u128, u8)> {
    let (ip, len) = cidr.split_once('/')?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (addr, bits) = parse_ip_literal(ip)?;
    let len: u32 = len.parse().ok()?;
    let len = u8::try_from(len).ok().filter(|l| *l <= bits)?;
    // Lengths are kept against the 128-bit form.
    Some((addr, len + (128 - bits)))
}

fn prefix_matches(addr: u128, prefix: u128, len: u8) -> bool {
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(len))
    };
    (addr ^ prefix) & mask == 0
}

fn scheme_matches(rule: &Option<Box<str>>, target: &Target<'_>) -> bool {
    rule.as_deref().is_none_or(|s| s == target.scheme)
}

/// Canonical URL-host text of an IP literal (`192.168.1.1`, `[::1]`).
fn ip_host_text(addr: u128, bits: u8) -> Box<str> {
    let text = if bits == 32 {
        Host::<String>::Ipv4(Ipv4Addr::from((addr & 0xffff_ffff) as u32)).to_string()
    } else {
        Host::<String>::Ipv6(Ipv6Addr::from(addr)).to_string()
    };
    text.into_boxed_str()
}

impl Rule {
    /// Parses one rule (Chromium `ParseRule` then
    /// `SchemeHostPortMatcherRule::FromUntrimmedRawString`).
    fn parse(untrimmed: &str) -> Result<Rule> {
        let raw = untrimmed.trim_ascii();
        let bad =
            |why: &str| Error::invalid_argument(format!("Invalid bypass rule '{raw}': {why}"));
        if raw.eq_ignore_ascii_case("<local>") {
            return Ok(Rule::SimpleHostnames);
        }
        if raw.eq_ignore_ascii_case("<-loopback>") {
            return Ok(Rule::SubtractImplicit);
        }
        let (scheme, rest) = match raw.find("://") {
            Some(0) => return Err(bad("empty scheme")),
            Some(i) => (Some(&raw[..i]), &raw[i + 3..]),
            None => (None, raw),
        };
        if rest.is_empty() {
            return Err(bad("missing host"));
        }
        if rest.contains('/') {
            let (prefix, prefix_len) =
                parse_cidr_block(rest).ok_or_else(|| bad("invalid CIDR block"))?;
            // Chromium keeps this scheme as written (not lower-cased).
            return Ok(Rule::IpBlock {
                description: rest.into(),
                scheme: scheme.map(Box::from),
                prefix,
                prefix_len,
            });
        }
        let scheme = scheme.map(|s| s.to_ascii_lowercase().into_boxed_str());
        if let Some((host, port)) = parse_host_and_port(rest) {
            if let Some((addr, bits)) = parse_ip_literal(host) {
                return Ok(Rule::IpHost {
                    scheme,
                    host: ip_host_text(addr, bits),
                    port: port.unwrap_or(0),
                });
            }
        }
        let (pattern, port) = match rest.rfind(':') {
            Some(i) => {
                let digits = &rest[i + 1..];
                let port = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| digits.trim_start_matches('0'))
                    .filter(|d| d.len() <= 5)
                    .and_then(|d| {
                        if d.is_empty() {
                            Some(0)
                        } else {
                            d.parse::<u32>().ok()
                        }
                    })
                    .and_then(|p| u16::try_from(p).ok())
                    .ok_or_else(|| bad("invalid port"))?;
                (&rest[..i], Some(port))
            }
            None => (rest, None),
        };
        let pattern = if pattern.starts_with('.') {
            format!("*{pattern}")
        } else {
            pattern.to_owned()
        };
        Ok(Rule::HostnamePattern {
            scheme,
            pattern: pattern.to_ascii_lowercase().into_boxed_str(),
            port,
        })
    }

    fn evaluate(&self, target: &Target<'_>) -> Verdict {
        let hit = match self {
            Rule::HostnamePattern {
                scheme,
                pattern,
                port,
            } => {
                port.is_none_or(|p| target.port == Some(p))
                    && scheme_matches(scheme, target)
                    && match_pattern(target.host, pattern)
            }
            Rule::IpHost { scheme, host, port } => {
                (*port == 0 || target.port == Some(*port))
                    && scheme_matches(scheme, target)
                    && target.host == &**host
            }
            Rule::IpBlock {
                scheme,
                prefix,
                prefix_len,
                ..
            } => match target.ip {
                Some(ip) => {
                    scheme_matches(scheme, target) && prefix_matches(ip, *prefix, *prefix_len)
                }
                None => false,
            },
            Rule::SimpleHostnames => target.ip.is_none() && !target.host.contains('.'),
            Rule::SubtractImplicit => {
                return if matches_implicit(target) {
                    Verdict::Exclude
                } else {
                    Verdict::NoMatch
                };
            }
        };
        if hit {
            Verdict::Include
        } else {
            Verdict::NoMatch
        }
    }
}

/// Chromium `ParseHostAndPort`, reduced to what rule parsing needs: the host
/// (brackets of an IPv6 literal removed) and the port, or `None` when the
/// text is not a plain `host[:port]`.
fn parse_host_and_port(s: &str) -> Option<(&str, Option<u16>)> {
    if s.contains('@') {
        return None;
    }
    let (host, port) = split_server_info(s);
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None => None,
        Some("") => return None,
        Some(p) => Some(parse_port(p)?),
    };
    let host = if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        parse_ip_literal(inner).filter(|(_, bits)| *bits == 128)?;
        inner
    } else {
        host
    };
    Some((host, port))
}

impl fmt::Display for BypassRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Rule::HostnamePattern {
                scheme,
                pattern,
                port,
            } => {
                if let Some(s) = scheme {
                    write!(f, "{s}://")?;
                }
                f.write_str(pattern)?;
                if let Some(p) = port {
                    write!(f, ":{p}")?;
                }
                Ok(())
            }
            Rule::IpHost { scheme, host, port } => {
                if let Some(s) = scheme {
                    write!(f, "{s}://")?;
                }
                f.write_str(host)?;
                if *port != 0 {
                    write!(f, ":{port}")?;
                }
                Ok(())
            }
            // As in Chromium, a CIDR rule prints as written, without its scheme.
            Rule::IpBlock { description, .. } => f.write_str(description),
            Rule::SimpleHostnames => f.write_str("<local>"),
            Rule::SubtractImplicit => f.write_str("<-loopback>"),
        }
    }
}

/// The implicit rules: `localhost`, `localhost.`, `*.localhost`, loopback
/// IPv4 127/8, `[::1]`, IPv4-mapped loopback `[::ffff:127.x.x.x]`, and the
/// link-local ranges 169.254/16 and `[fe80::]/10` (IPv4-mapped included).
fn matches_implicit(target: &Target<'_>) -> bool {
    match target.ip {
        Some(ip) => {
            let v6 = Ipv6Addr::from(ip);
            if let Some(v4) = v6.to_ipv4_mapped() {
                v4.is_loopback() || v4.is_link_local()
            } else {
                v6 == Ipv6Addr::LOCALHOST || (ip >> 118) == (0xfe80 >> 6)
            }
        }
        None => {
            let h = target.host;
            let h = h.strip_suffix('.').unwrap_or(h);
            h.eq_ignore_ascii_case("localhost")
                || (h.len() >= 10
                    && h.is_char_boundary(h.len() - 10)
                    && h[h.len() - 10..].eq_ignore_ascii_case(".localhost"))
        }
    }
}

/// The parsed bypass list (Chromium `ProxyBypassRules`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyBypassRules {
    rules: Vec<BypassRule>,
}

impl ProxyBypassRules {
    /// An empty list: only the implicit rules apply.
    pub fn new() -> ProxyBypassRules {
        ProxyBypassRules::default()
    }

    /// Parses a list of rules separated by `,` or `;` (Chromium
    /// `ProxyBypassRules::ParseFromString`). As in Chromium, rules that do
    /// not parse are skipped and the others still apply; use
    /// [`ProxyBypassRules::add_rule_from_string`] to learn why one fails.
    pub fn parse(list: &str) -> ProxyBypassRules {
        let mut rules = ProxyBypassRules::new();
        for entry in list.split([',', ';']).filter(|e| !e.is_empty()) {
            let _ = rules.add_rule_from_string(entry);
        }
        rules
    }

    /// Adds one rule after the existing ones (so it takes precedence over
    /// them).
    ///
    /// # Errors
    /// `InvalidArgument` naming the problem (`missing host`, `empty scheme`,
    /// `invalid port`, `invalid CIDR block`); the list is unchanged.
    pub fn add_rule_from_string(&mut self, rule: &str) -> Result<()> {
        self.rules.push(BypassRule(Rule::parse(rule)?));
        Ok(())
    }

    /// Puts `<local>` first (Chromium `PrependRuleToBypassSimpleHostnames`).
    pub fn prepend_rule_to_bypass_simple_hostnames(&mut self) {
        self.rules.insert(0, BypassRule(Rule::SimpleHostnames));
    }

    /// Appends `<-loopback>` (Chromium `AddRulesToSubtractImplicit`).
    pub fn add_rules_to_subtract_implicit(&mut self) {
        self.rules.push(BypassRule(Rule::SubtractImplicit));
    }

    /// Turns every host-name pattern into a suffix match by putting `*` in
    /// front unless it already starts with one, so `google.com` also covers
    /// `www.google.com` (how Chromium reads `no_proxy`). IP and CIDR rules
    /// are unchanged.
    pub fn rewrite_for_suffix_matching(&mut self) {
        for rule in &mut self.rules {
            if let Rule::HostnamePattern { pattern, .. } = &mut rule.0 {
                if !pattern.starts_with('*') {
                    *pattern = format!("*{pattern}").into_boxed_str();
                }
            }
        }
    }

    /// The rules, in the order written.
    pub fn rules(&self) -> &[BypassRule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Whether `url` bypasses the proxy (Chromium `ProxyBypassRules::Matches`).
    /// The last rule with an opinion decides; with none, the implicit rules
    /// decide, and failing those the answer is `reverse`. With `reverse` the
    /// explicit rules list the URLs that do *not* bypass (KDE's inverted
    /// list); the implicit rules still bypass.
    pub fn matches(&self, url: &(impl UrlParts + ?Sized), reverse: bool) -> bool {
        let target = Target::new(url);
        for rule in self.rules.iter().rev() {
            match rule.0.evaluate(&target) {
                Verdict::Include => return !reverse,
                Verdict::Exclude => return reverse,
                Verdict::NoMatch => {}
            }
        }
        matches_implicit(&target) || reverse
    }

    /// Whether `url` is one the implicit rules always send direct.
    pub fn matches_implicit_rules(url: &(impl UrlParts + ?Sized)) -> bool {
        matches_implicit(&Target::new(url))
    }
}

/// The canonical list: each rule followed by `;` (`*.google.com;<local>;`),
/// empty for no rules, as Chromium prints it.
impl fmt::Display for ProxyBypassRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for rule in &self.rules {
            write!(f, "{rule};")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// Parses `list`, checks each rule's canonical form, then checks that
    /// every URL of `matching` bypasses and none of `not_matching` does.
    fn check(list: &str, canonical: &[&str], matching: &[&str], not_matching: &[&str]) {
        let rules = ProxyBypassRules::parse(list);
        let got: Vec<String> = rules.rules().iter().map(|r| r.to_string()).collect();
        assert_eq!(got, canonical, "canonical form of {list:?}");
        for u in matching {
            assert!(rules.matches(&url(u), false), "{list:?} should bypass {u}");
        }
        for u in not_matching {
            // Chromium's rows include hosts such as `sup.192.168.1.1`, which
            // WHATWG URL parsing rejects (a host ending in a number must be
            // IPv4); such a URL is never requested, so it never bypasses.
            let bypasses = Url::parse(u).is_ok_and(|u| rules.matches(&u, false));
            assert!(!bypasses, "{list:?} should not bypass {u}");
        }
    }

    const LOCALHOST: &[&str] = &[
        "localhost",
        "localhost.",
        "foo.localhost",
        "127.0.0.1",
        "127.100.0.2",
        "[::1]",
        "[::0:FFFF:127.0.0.1]",
        "[::fFfF:127.100.0.0]",
        "[0::ffff:7f00:1]",
    ];
    const LINK_LOCAL: &[&str] = &[
        "169.254.3.2",
        "169.254.100.1",
        "[FE80::8]",
        "[fe91::1]",
        "[::ffff:169.254.3.2]",
    ];
    const MISC: &[&str] = &[
        "192.168.0.1",
        "170.254.0.0",
        "128.0.0.1",
        "[::2]",
        "[FD80::1]",
        "foo",
        "www.example3.com",
        "[::ffff:128.0.0.1]",
        "[::ffff:126.100.0.0]",
        "[::ffff:0:127.0.0.1]",
        "[::127.0.0.1]",
        "loopback",
        "loopback.",
    ];

    /// Chromium's `ExpectRulesMatch`: every host of `hosts`, under http,
    /// https and ftp, bypasses exactly when `bypasses`, except the hosts in
    /// `inverted`, which do the opposite.
    fn expect_hosts(rules: &ProxyBypassRules, hosts: &[&str], bypasses: bool, inverted: &[&str]) {
        for scheme in ["http://", "https://", "ftp://"] {
            for host in hosts {
                let expected = bypasses != inverted.contains(host);
                let u = format!("{scheme}{host}");
                assert_eq!(rules.matches(&url(&u), false), expected, "{} on {u}", rules);
            }
        }
    }

    // Rule: a plain host name matches that host exactly, case-insensitively,
    // on any scheme and port.
    #[test]
    fn parse_and_match_basic_host() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (ParseAndMatchBasicHost).
        check(
            "wWw.gOogle.com",
            &["www.google.com"],
            &[
                "http://www.google.com",
                "ftp://www.google.com:99",
                "https://www.google.com:81",
            ],
            &[
                "http://foo.www.google.com",
                "http://xxx.google.com",
                "http://google.com",
                "http://www.google.com.baz.org",
            ],
        );
    }

    // Rule: a leading dot means "any subdomain of", written `*.suffix`.
    #[test]
    fn parse_and_match_basic_domain() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (ParseAndMatchBasicDomain).
        check(
            ".gOOgle.com",
            &["*.google.com"],
            &[
                "http://www.google.com",
                "ftp://www.google.com:99",
                "https://a.google.com:81",
                "http://foo.google.com/x/y?q",
                "http://foo:bar@baz.google.com#x",
            ],
            &["http://google.com", "http://foo.google.com.baz.org"],
        );
    }

    // Rule: a port restricts the match to URLs whose effective port is it.
    #[test]
    fn parse_and_match_basic_domain_with_port() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (ParseAndMatchBasicDomainWithPort).
        check(
            "*.GOOGLE.com:80",
            &["*.google.com:80"],
            &[
                "http://www.google.com",
                "ftp://www.google.com:80",
                "https://a.google.com:80?x",
            ],
            &[
                "http://google.com",
                "http://foo.google.com.baz.org",
                "http://www.google.com:90",
                "https://www.google.com",
            ],
        );
    }

    // Rule: `*` alone matches every host, IP literals included.
    #[test]
    fn match_all() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (MatchAll).
        check(
            "*",
            &["*"],
            &[
                "http://www.google.com",
                "ftp://www.foobar.com:99",
                "https://a.google.com:80?x",
                "http://10.1.2.3",
            ],
            &[],
        );
    }

    // Rule: a wildcard may start the pattern, combined with a port.
    #[test]
    fn wildcard_at_start() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (WildcardAtStart).
        check(
            "*.org:443",
            &["*.org:443"],
            &["http://www.google.org:443", "https://www.google.org"],
            &[
                "http://www.google.org",
                "https://www.google.com",
                "https://www.google.org.com",
            ],
        );
        check(
            "a*c.example",
            &["a*c.example"],
            &["http://abc.example", "http://ac.example"],
            &["http://abd.example"],
        );
        check(
            "h?st",
            &["h?st"],
            &["http://host"],
            &["http://hst", "http://hoost"],
        );
        // A pattern that is not an IP literal is a host pattern, even over IPs.
        check(
            "10.0.0.*",
            &["10.0.0.*"],
            &["http://10.0.0.7"],
            &["http://10.0.1.7"],
        );
    }

    // Rule: an IPv4 literal matches exactly that address, with an optional port.
    #[test]
    fn ipv4_address() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (IPV4Address, IPV4AddressWithPort).
        check(
            "192.168.1.1",
            &["192.168.1.1"],
            &["http://192.168.1.1", "https://192.168.1.1:90"],
            &["http://www.google.com", "http://sup.192.168.1.1"],
        );
        check(
            "192.168.1.1:33",
            &["192.168.1.1:33"],
            &["http://192.168.1.1:33"],
            &[
                "http://www.google.com",
                "http://192.168.1.1",
                "http://sup.192.168.1.1:33",
            ],
        );
        // Non-canonical IPv4 forms are read as a URL host would read them.
        check("127.0.1", &["127.0.0.1"], &["http://127.0.0.1"], &[]);
        check("10.0.0.1:0", &["10.0.0.1"], &["http://10.0.0.1:1234"], &[]);
    }

    // Rule: an IPv6 literal (in brackets) matches that address, canonicalized.
    #[test]
    fn ipv6_address() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (IPV6Address, IPV6AddressWithPort).
        check(
            "[3ffe:2a00:100:7031:0:0::1]",
            &["[3ffe:2a00:100:7031::1]"],
            &[
                "http://[3ffe:2a00:100:7031::1]",
                "http://[3ffe:2a00:100:7031::1]:33",
            ],
            &["http://www.google.com", "http://sup.192.168.1.1:33"],
        );
        check(
            "[3ffe:2a00:100:7031::1]:33",
            &["[3ffe:2a00:100:7031::1]:33"],
            &["http://[3ffe:2a00:100:7031::1]:33"],
            &["http://[3ffe:2a00:100:7031::1]", "http://www.google.com"],
        );
        check("[0:0::1]", &["[::1]"], &["http://[::1]"], &[]);
        check(
            "http://[2001:DB8::1]:99",
            &["http://[2001:db8::1]:99"],
            &["http://[2001:db8::1]:99"],
            &["https://[2001:db8::1]:99", "http://[2001:db8::1]"],
        );
    }

    // Rule: `scheme://` restricts a rule to URLs of that scheme.
    #[test]
    fn scheme_restriction() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (HTTPOnly, HTTPOnlyWithWildcard).
        check(
            "http://www.google.com",
            &["http://www.google.com"],
            &["http://www.google.com/foo", "http://www.google.com:99"],
            &[
                "https://www.google.com",
                "ftp://www.google.com",
                "http://foo.www.google.com",
                "http://www.google.com.org",
            ],
        );
        check(
            "http://*www.google.com",
            &["http://*www.google.com"],
            &[
                "http://www.google.com/foo",
                "http://www.google.com:99",
                "http://foo.www.google.com",
            ],
            &[
                "https://www.google.com",
                "ftp://www.google.com",
                "http://www.google.com.org",
            ],
        );
        check(
            "HTTPS://x.*.y.com:99",
            &["https://x.*.y.com:99"],
            &["https://x.a.y.com:99"],
            &["http://x.a.y.com:99"],
        );
        check(
            "http://.google.com",
            &["http://*.google.com"],
            &["http://a.google.com"],
            &["https://a.google.com"],
        );
    }

    // Rule: rules are separated by `,` or `;`, with spaces around allowed,
    // and no rule is read as a suffix match unless written as one.
    #[test]
    fn multiple_rules() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (DoesNotUseSuffixMatching, MultipleRules).
        check(
            "foo1.com, .foo2.com, 192.168.1.1, *foobar.com:80, *.foo, http://baz, <local>",
            &[
                "foo1.com",
                "*.foo2.com",
                "192.168.1.1",
                "*foobar.com:80",
                "*.foo",
                "http://baz",
                "<local>",
            ],
            &["http://foo1.com"],
            &["http://aaafoo1.com", "http://aaafoo1.com.net"],
        );
        check(
            ".google.com , .foobar.com:30",
            &["*.google.com", "*.foobar.com:30"],
            &["http://baz.google.com:40", "http://bar.foobar.com:30"],
            &[
                "http://google.com:40",
                "http://bar.foobar.com",
                "http://bar.foobar.com:33",
            ],
        );
        let rules = ProxyBypassRules::parse("a.com;b.com,,c.com;");
        assert_eq!(rules.to_string(), "a.com;b.com;c.com;");
    }

    // Rule: an address/prefix matches every IP literal in the block; IPv4
    // and IPv4-mapped IPv6 match each other.
    #[test]
    fn parse_and_match_cidr_ipv4() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (ParseAndMatchCIDR_IPv4).
        check(
            "192.168.1.1/16",
            &["192.168.1.1/16"],
            &[
                "http://192.168.1.1",
                "ftp://192.168.4.4",
                "https://192.168.0.0:81",
                "http://[::ffff:192.168.11.11]",
            ],
            &[
                "http://foobar.com",
                "http://192.169.1.1",
                "http://xxx.192.168.1.1",
                "http://192.168.1.1.xx",
            ],
        );
        check(
            "0.0.0.0/0",
            &["0.0.0.0/0"],
            &["http://1.2.3.4", "http://[::ffff:1.2.3.4]"],
            &["http://[::2]", "http://example.com"],
        );
        check(
            "10.1.2.3/32",
            &["10.1.2.3/32"],
            &["http://10.1.2.3"],
            &["http://10.1.2.4"],
        );
    }

    // Rule: IPv6 CIDR blocks match IPv6 literals, and IPv4 literals through
    // their mapped form.
    #[test]
    fn parse_and_match_cidr_ipv6() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (ParseAndMatchCIDR_IPv6).
        check(
            "a:b:c:d::/48",
            &["a:b:c:d::/48"],
            &["http://[A:b:C:9::]"],
            &["http://foobar.com", "http://192.169.1.1"],
        );
        check(
            "::ffff:192.168.1.1/112",
            &["::ffff:192.168.1.1/112"],
            &["http://[::ffff:192.168.1.3]", "http://192.168.11.11"],
            &["http://10.10.1.1"],
        );
        check(
            "::fffe:192.168.1.1/112",
            &["::fffe:192.168.1.1/112"],
            &["http://[::fffe:192.168.1.3]"],
            &[
                "http://[::ffff:192.168.1.3]",
                "http://192.168.11.11",
                "http://10.10.1.1",
            ],
        );
        check(
            "fefe::/10",
            &["fefe::/10"],
            &["http://[fec0::1]"],
            &["http://[fe00::1]"],
        );
        check(
            "http://fefe::/10",
            &["fefe::/10"],
            &["http://[fec0::1]"],
            &["https://[fec0::1]"],
        );
    }

    // Rule: input that is not a rule is skipped by `parse` and reported with
    // its reason by `add_rule_from_string`; nothing panics.
    #[test]
    fn bad_inputs() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (BadInputs, ParseInvalidPort, ParseBracketedIPv6Range), plus our own.
        let table: &[(&str, &str)] = &[
            ("://", "empty scheme"),
            ("  ", "missing host"),
            ("", "missing host"),
            ("http://", "missing host"),
            ("*.foo.com:-34", "invalid port"),
            ("*.com:+443", "invalid port"),
            ("*.com:-443", "invalid port"),
            ("*.com:65536", "invalid port"),
            ("*.com:99999999999999999999", "invalid port"),
            ("foo:", "invalid port"),
            ("[a:b:c:d::]/48", "invalid CIDR block"),
            ("192.168.1.1/33", "invalid CIDR block"),
            ("::1/129", "invalid CIDR block"),
            ("192.168.1.1/", "invalid CIDR block"),
            ("192.168.1.1/+8", "invalid CIDR block"),
            ("192.168.1.1/8/8", "invalid CIDR block"),
            ("foo.com/8", "invalid CIDR block"),
            ("http://a/b", "invalid CIDR block"),
        ];
        for (input, why) in table {
            let mut rules = ProxyBypassRules::new();
            let err = rules.add_rule_from_string(input).expect_err(input);
            assert!(err.is_invalid_argument(), "{input:?}");
            assert!(err.message().contains(why), "{input:?}: {}", err.message());
            assert!(rules.is_empty(), "{input:?}");
        }
        let rules = ProxyBypassRules::parse("://, *.org:443 ,http://, [a:b::]/48, \u{0}\u{1F600}");
        assert_eq!(rules.to_string(), "*.org:443;\u{0}\u{1f600};");
    }

    // Rule: rule lists compare equal when their canonical forms do.
    #[test]
    fn equals() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (Equals).
        assert_eq!(
            ProxyBypassRules::parse("foo1.com, .foo2.com"),
            ProxyBypassRules::parse("foo1.com,.FOo2.com")
        );
        assert_ne!(
            ProxyBypassRules::parse(".foo2.com"),
            ProxyBypassRules::parse("foo1.com,.FOo2.com")
        );
    }

    // Rule: with no rules, localhost names, loopback and link-local
    // addresses bypass (the implicit rules), and nothing else does.
    #[test]
    fn default_implicit_rules() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (DefaultImplicitRules).
        let rules = ProxyBypassRules::new();
        assert_eq!(rules.to_string(), "");
        expect_hosts(&rules, LOCALHOST, true, &[]);
        expect_hosts(&rules, LINK_LOCAL, true, &[]);
        expect_hosts(&rules, MISC, false, &[]);
        // Chromium's IsLocalHostname: one trailing dot dropped, then
        // `localhost` or any name ending in `.localhost`, in any case.
        let table: &[(&str, bool)] = &[
            ("http://LOCALHOST:8080", true),
            ("http://a.b.LocalHost./", true),
            ("http://.localhost/", true),
            ("http://localhost../", false),
            ("http://localhost.example", false),
            ("http://notlocalhost", false),
        ];
        for (u, expected) in table {
            assert_eq!(
                ProxyBypassRules::matches_implicit_rules(&url(u)),
                *expected,
                "{u}"
            );
        }
    }

    // Rule: `<-loopback>` removes the implicit rules.
    #[test]
    fn negative_loopback() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (NegativeWinLoopback).
        let rules = ProxyBypassRules::parse("www.example.com;<-loopback>");
        assert_eq!(rules.to_string(), "www.example.com;<-loopback>;");
        expect_hosts(&rules, LOCALHOST, false, &[]);
        expect_hosts(&rules, LINK_LOCAL, false, &[]);
        expect_hosts(&rules, MISC, false, &[]);
        assert!(rules.matches(&url("http://www.example.com/"), false));
    }

    // Rule: later rules win, so a host listed after `<-loopback>` bypasses
    // again, while one listed before it does not.
    #[test]
    fn loopback_rule_order() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (RemoveImplicitAndAddLocalhost, AddLocalhostThenRemoveImplicit).
        let rules = ProxyBypassRules::parse("<-loopback>; localhost");
        expect_hosts(&rules, LOCALHOST, false, &["localhost"]);
        expect_hosts(&rules, LINK_LOCAL, false, &[]);
        expect_hosts(&rules, MISC, false, &[]);
        let rules = ProxyBypassRules::parse("localhost; <-loopback>");
        expect_hosts(&rules, LOCALHOST, false, &[]);
        expect_hosts(&rules, LINK_LOCAL, false, &[]);
        expect_hosts(&rules, MISC, false, &[]);
        let mut rules = ProxyBypassRules::parse("foo");
        rules.add_rules_to_subtract_implicit();
        assert_eq!(rules.to_string(), "foo;<-loopback>;");
    }

    // Rule: `<local>` bypasses host names without a dot that are not IP
    // literals; it is not about localhost.
    #[test]
    fn bypass_simple_hostnames() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (BypassSimpleHostnames).
        let rules = ProxyBypassRules::parse("<-loopback>; <local>");
        assert_eq!(rules.to_string(), "<-loopback>;<local>;");
        assert!(rules.matches(&url("http://example/"), false));
        for u in [
            "http://example./",
            "http://example.com/",
            "http://[dead::beef]/",
            "http://192.168.1.1/",
        ] {
            assert!(!rules.matches(&url(u), false), "{u}");
        }
        expect_hosts(&rules, LOCALHOST, false, &["localhost"]);
        expect_hosts(&rules, LINK_LOCAL, false, &[]);
        expect_hosts(&rules, MISC, false, &["foo", "loopback"]);
        let mut rules = ProxyBypassRules::parse("a.com");
        rules.prepend_rule_to_bypass_simple_hostnames();
        assert_eq!(rules.to_string(), "<local>;a.com;");
    }

    // Rule: `<local>` and `<-loopback>` are read in any case.
    #[test]
    fn loopback_and_local_case_insensitive() {
        // Rows from Chromium net/proxy_resolution/proxy_bypass_rules_unittest.cc (LoopbackAndLocalCaseInsensitive).
        let rules = ProxyBypassRules::parse("<Local>; <-LoopBacK>; <LoCaL>; <-LoOpBack>");
        assert_eq!(
            rules.to_string(),
            "<local>;<-loopback>;<local>;<-loopback>;"
        );
    }

    // Rule: reversed, the listed hosts are the ones that use the proxy;
    // the implicit rules still bypass.
    #[test]
    fn reversed() {
        let rules = ProxyBypassRules::parse(".com");
        let table: &[(&str, bool)] = &[
            ("http://example.com", false),
            ("http://example.org", true),
            ("http://localhost", true),
        ];
        for (u, expected) in table {
            assert_eq!(rules.matches(&url(u), true), *expected, "{u}");
        }
    }

    // Rule: suffix matching (for `no_proxy`) puts `*` before host-name patterns.
    #[test]
    fn suffix_matching() {
        let mut rules = ProxyBypassRules::parse(
            "google.com, .example.org, *x.net, 10.0.0.1, 10.0.0.0/8, <local>",
        );
        rules.rewrite_for_suffix_matching();
        assert_eq!(
            rules.to_string(),
            "*google.com;*.example.org;*x.net;10.0.0.1;10.0.0.0/8;<local>;"
        );
        assert!(rules.matches(&url("http://www.google.com"), false));
        assert!(rules.matches(&url("http://google.com"), false));
    }

    // Rule: `*` and `?` glob over the whole host, backtracking as needed.
    #[test]
    fn pattern_matching() {
        let table: &[(&str, &str, bool)] = &[
            ("www.google.com", "*.google.com", true),
            ("google.com", "*.google.com", false),
            ("aXbXc", "a*b*c", true),
            ("abcbd", "a*bd", true),
            ("abc", "a?c", true),
            ("ac", "a?c", false),
            ("", "*", true),
            ("", "", true),
            ("a", "", false),
            ("abc", "**c", true),
        ];
        for (text, pattern, expected) in table {
            assert_eq!(
                match_pattern(text, pattern),
                *expected,
                "{text:?} ~ {pattern:?}"
            );
        }
    }
}

//! Host resolution for a session: the `host-resolver-rules` switch (Chromium
//! `net/base/host_mapping_rules.cc` and `MappedHostResolver`), loopback
//! answers for `localhost` names, IP literals, and a per-session cache of the
//! system resolver's answers.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::NetError;
use crate::hooks::BoxFuture;

/// How long a system answer is reused: Chromium's cache TTL for results of
/// the system resolver, which reports no TTL.
pub const CACHE_TTL: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Replacement {
    Host { host: String, port: Option<u16> },
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Map {
        pattern: String,
        replacement: Replacement,
    },
    Exclude {
        pattern: String,
    },
}

/// The parsed `host-resolver-rules` switch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostResolverRules {
    rules: Vec<Rule>,
}

/// What the rules make of a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// Resolve this host (the original one when no rule applies); connect to
    /// `port` when the rule gave one.
    Host { host: String, port: Option<u16> },
    /// `~NOTFOUND`: the name does not resolve.
    NotFound,
}

/// `base::MatchPattern`: `*` matches any run of characters, `?` one.
fn match_pattern(text: &str, pattern: &str) -> bool {
    let (t, p): (Vec<char>, Vec<char>) = (text.chars().collect(), pattern.chars().collect());
    let (mut ti, mut pi, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

impl HostResolverRules {
    /// Parses the switch's value: comma-separated `MAP <pattern> <host[:port]>`,
    /// `MAP <pattern> ~NOTFOUND` and `EXCLUDE <pattern>` rules. As in Chromium,
    /// a rule that does not parse is skipped; the others still apply.
    pub fn parse(value: &str) -> HostResolverRules {
        let rules = value
            .split(',')
            .filter_map(|r| Self::parse_rule(r.trim()))
            .collect();
        HostResolverRules { rules }
    }

    fn parse_rule(rule: &str) -> Option<Rule> {
        let parts: Vec<&str> = rule.split_whitespace().collect();
        match parts.as_slice() {
            [verb, pattern, replacement] if verb.eq_ignore_ascii_case("map") => {
                let pattern = pattern.to_ascii_lowercase();
                if *replacement == "~NOTFOUND" {
                    return Some(Rule::Map {
                        pattern,
                        replacement: Replacement::NotFound,
                    });
                }
                let (host, port) = split_host_port(replacement)?;
                Some(Rule::Map {
                    pattern,
                    replacement: Replacement::Host {
                        host: host.to_ascii_lowercase(),
                        port,
                    },
                })
            }
            [verb, pattern] if verb.eq_ignore_ascii_case("exclude") => Some(Rule::Exclude {
                pattern: pattern.to_ascii_lowercase(),
            }),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Applies the rules to `host` (connecting on `port`): exclusions first,
    /// then the first MAP rule whose pattern matches the host, or `host:port`.
    pub fn map(&self, host: &str, port: u16) -> Mapped {
        let host = host.to_ascii_lowercase();
        let excluded = self
            .rules
            .iter()
            .any(|r| matches!(r, Rule::Exclude { pattern } if match_pattern(&host, pattern)));
        if !excluded {
            let with_port = format!("{host}:{port}");
            for rule in &self.rules {
                if let Rule::Map {
                    pattern,
                    replacement,
                } = rule
                {
                    if match_pattern(&host, pattern) || match_pattern(&with_port, pattern) {
                        return match replacement {
                            Replacement::NotFound => Mapped::NotFound,
                            Replacement::Host { host, port } => Mapped::Host {
                                host: host.clone(),
                                port: *port,
                            },
                        };
                    }
                }
            }
        }
        Mapped::Host { host, port: None }
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after {
            "" => Some((host, None)),
            p => Some((host, Some(p.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => Some((h, Some(p.parse().ok()?))),
        _ => Some((s, None)),
    }
}

/// Where an answer may come from (`resolveHost`'s `source`, reduced to what
/// matters here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Any,
    /// Only literals, `localhost` names and the cache.
    LocalOnly,
}

/// Whether the cache may be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUsage {
    Allowed,
    StaleAllowed,
    Disallowed,
}

/// The system resolver, or a stand-in for it in tests.
pub type Lookup = Arc<dyn Fn(String) -> BoxFuture<Result<Vec<IpAddr>, NetError>> + Send + Sync>;

/// The system resolver (`getaddrinfo`, off the async threads).
pub fn system_lookup() -> Lookup {
    Arc::new(|host: String| {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| NetError::NameNotResolved)?;
            let ips: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
            if ips.is_empty() {
                Err(NetError::NameNotResolved)
            } else {
                Ok(ips)
            }
        })
    })
}

/// A session's resolver.
pub struct HostResolver {
    rules: HostResolverRules,
    lookup: Lookup,
    cache: Mutex<HashMap<String, (Vec<IpAddr>, Instant)>>,
}

fn is_localhost(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost")
}

impl HostResolver {
    pub fn new(rules: HostResolverRules, lookup: Lookup) -> HostResolver {
        HostResolver {
            rules,
            lookup,
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn clear_cache(&self) {
        self.cache.lock().unwrap().clear();
    }

    /// Resolves `host` for a connection on `port`: addresses to connect to.
    ///
    /// # Errors
    /// `ERR_NAME_NOT_RESOLVED` for an unknown name or a `~NOTFOUND` rule;
    /// `ERR_DNS_CACHE_MISS` for a `LocalOnly` lookup that would need DNS.
    pub async fn resolve(
        &self,
        host: &str,
        port: u16,
        source: Source,
        cache: CacheUsage,
    ) -> Result<Vec<SocketAddr>, NetError> {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let (target, mapped_port) = match self.rules.map(host, port) {
            Mapped::NotFound => return Err(NetError::NameNotResolved),
            Mapped::Host { host, port } => (host, port),
        };
        let port = mapped_port.unwrap_or(0);
        let with_port = |ips: Vec<IpAddr>| {
            ips.into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect()
        };
        if let Ok(ip) = target.parse::<IpAddr>() {
            return Ok(with_port(vec![ip]));
        }
        if is_localhost(&target) {
            return Ok(with_port(vec![
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ]));
        }
        if cache != CacheUsage::Disallowed {
            if let Some((ips, at)) = self.cache.lock().unwrap().get(&target) {
                if cache == CacheUsage::StaleAllowed || at.elapsed() < CACHE_TTL {
                    return Ok(with_port(ips.clone()));
                }
            }
        }
        if source == Source::LocalOnly {
            return Err(NetError::DnsCacheMiss);
        }
        let ips = (self.lookup)(target.clone()).await?;
        self.cache
            .lock()
            .unwrap()
            .insert(target, (ips.clone(), Instant::now()));
        Ok(with_port(ips))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn patterns() {
        let rows: &[(&str, &str, bool)] = &[
            ("www.foo.com", "*.foo.com", true),
            ("foo.com", "*.foo.com", false),
            ("a.b.foo.com", "*.foo.com", true),
            ("x.test", "?.test", true),
            ("xy.test", "?.test", false),
            ("anything", "*", true),
            ("www.foo.com:1234", "*:1234", true),
        ];
        for (text, pattern, want) in rows {
            assert_eq!(match_pattern(text, pattern), *want, "{text} ~ {pattern}");
        }
    }

    // Rows follow Chromium's host_mapping_rules_unittest.cc.
    #[test]
    fn rules() {
        let r = HostResolverRules::parse("MAP *.com baz , map *.net bar:60, EXCLUDE *.foo.com, MAP nx.test ~NOTFOUND, MAP [::1]:80 x, MAP v6.test [::1]:8443, bogus rule, MAP onlytwo");
        let rows: &[(&str, u16, Mapped)] = &[
            (
                "www.google.com",
                80,
                Mapped::Host {
                    host: "baz".into(),
                    port: None,
                },
            ),
            (
                "chrome.net",
                80,
                Mapped::Host {
                    host: "bar".into(),
                    port: Some(60),
                },
            ),
            (
                "www.foo.com",
                80,
                Mapped::Host {
                    host: "www.foo.com".into(),
                    port: None,
                },
            ),
            ("NX.TEST", 443, Mapped::NotFound),
            (
                "v6.test",
                80,
                Mapped::Host {
                    host: "::1".into(),
                    port: Some(8443),
                },
            ),
            (
                "unmatched.org",
                80,
                Mapped::Host {
                    host: "unmatched.org".into(),
                    port: None,
                },
            ),
        ];
        for (host, port, want) in rows {
            assert_eq!(r.map(host, *port), *want, "{host}");
        }
        assert_eq!(r.rules.len(), 6, "the two malformed rules are skipped");
        assert!(HostResolverRules::parse("").is_empty());
    }

    fn counting_resolver(rules: &str) -> (HostResolver, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let lookup: Lookup = Arc::new(move |host: String| {
            c.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                if host == "known.test" {
                    Ok(vec![
                        "10.1.2.3".parse().unwrap(),
                        "fd00::1".parse().unwrap(),
                    ])
                } else {
                    Err(NetError::NameNotResolved)
                }
            })
        });
        (
            HostResolver::new(HostResolverRules::parse(rules), lookup),
            calls,
        )
    }

    // Rule: answers are cached per session; the cache can be bypassed or cleared.
    #[tokio::test]
    async fn cache() {
        let (r, calls) = counting_resolver("");
        let a = r
            .resolve("known.test", 0, Source::Any, CacheUsage::Allowed)
            .await
            .unwrap();
        assert_eq!(a.len(), 2);
        r.resolve("known.test", 0, Source::Any, CacheUsage::Allowed)
            .await
            .unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "second answer from the cache"
        );
        assert!(r
            .resolve("known.test", 0, Source::LocalOnly, CacheUsage::Allowed)
            .await
            .is_ok());
        r.resolve("known.test", 0, Source::Any, CacheUsage::Disallowed)
            .await
            .unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "disallowed skips the cache"
        );
        r.clear_cache();
        assert_eq!(
            r.resolve("known.test", 0, Source::LocalOnly, CacheUsage::Allowed)
                .await,
            Err(NetError::DnsCacheMiss)
        );
        assert_eq!(
            r.resolve("unknown.test", 0, Source::Any, CacheUsage::Allowed)
                .await,
            Err(NetError::NameNotResolved)
        );
    }

    #[tokio::test]
    async fn literals_localhost_and_rules_need_no_lookup() {
        let (r, calls) = counting_resolver("MAP *.app.test 127.0.0.1, MAP gone.test ~NOTFOUND, MAP alias.test known.test, MAP port.test 127.0.0.1:9999");
        let ips = |v: Vec<SocketAddr>| v.into_iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ips(r
                .resolve("api.app.test", 0, Source::Any, CacheUsage::Allowed)
                .await
                .unwrap()),
            ["127.0.0.1:0"]
        );
        assert_eq!(
            ips(r
                .resolve("localhost", 0, Source::LocalOnly, CacheUsage::Allowed)
                .await
                .unwrap()),
            ["127.0.0.1:0", "[::1]:0"]
        );
        assert_eq!(
            ips(r
                .resolve("[::1]", 0, Source::Any, CacheUsage::Allowed)
                .await
                .unwrap()),
            ["[::1]:0"]
        );
        assert_eq!(
            ips(r
                .resolve("port.test", 0, Source::Any, CacheUsage::Allowed)
                .await
                .unwrap()),
            ["127.0.0.1:9999"]
        );
        assert_eq!(
            r.resolve("gone.test", 0, Source::Any, CacheUsage::Allowed)
                .await,
            Err(NetError::NameNotResolved)
        );
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        assert_eq!(
            r.resolve("alias.test", 0, Source::Any, CacheUsage::Allowed)
                .await
                .unwrap()
                .len(),
            2,
            "mapped names are resolved"
        );
    }
}

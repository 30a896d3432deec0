//! Where a session's proxy configuration comes from: `ses.setProxy(config)`,
//! the command-line switches, or the system (on Linux, the environment).
//!
//! Follows Electron `Session::SetProxy` (`shell/browser/api/
//! electron_api_session.cc`) and `BrowserProcessImpl::
//! ApplyProxyModeFromCommandLine`, Chromium `ProxyConfigDictionary` and
//! `ProxyConfigServiceLinux::Delegate::GetConfigFromEnv`
//! (`net/proxy_resolution/proxy_config_service_linux.cc`).

use url::Url;

use crate::plain_url::UrlParts;

use super::rules::{ProxyRules, ProxyRulesType};
use super::server::{ProxyChain, ProxyList, ProxyScheme, ProxyServer};
use crate::error::{Error, Result};

/// The `mode` of Electron's `ProxyConfig` (Chromium `ProxyPrefs::ProxyMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyMode {
    Direct,
    AutoDetect,
    PacScript,
    FixedServers,
    System,
}

impl ProxyMode {
    const NAMES: [(&'static str, ProxyMode); 5] = [
        ("direct", ProxyMode::Direct),
        ("auto_detect", ProxyMode::AutoDetect),
        ("pac_script", ProxyMode::PacScript),
        ("fixed_servers", ProxyMode::FixedServers),
        ("system", ProxyMode::System),
    ];

    /// Reads Electron's mode names exactly (case matters).
    pub fn parse(name: &str) -> Option<ProxyMode> {
        ProxyMode::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| *m)
    }

    pub fn as_str(self) -> &'static str {
        ProxyMode::NAMES
            .iter()
            .find(|(_, m)| *m == self)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }
}

/// The fields of the object given to `ses.setProxy`, as strings; `None` for
/// a missing field. The binding converts the JavaScript object into this.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetProxyOptions {
    pub mode: Option<String>,
    pub pac_script: Option<String>,
    pub proxy_rules: Option<String>,
    pub proxy_bypass_rules: Option<String>,
}

/// A proxy configuration (Chromium `net::ProxyConfig`): automatic settings
/// (auto-detection, a PAC URL) and manual rules. With automatic settings the
/// PAC script decides and the rules are unused; Electron's modes never set
/// both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    /// Look for a PAC script at `http://wpad/wpad.dat` (WPAD).
    pub auto_detect: bool,
    /// The PAC script's URL (`http:`, `https:`, `file:` or `data:`).
    pub pac_url: Option<Url>,
    /// When set, a PAC script that cannot be fetched or run fails requests
    /// (`net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED`) instead of falling
    /// back to direct connections.
    pub pac_mandatory: bool,
    pub proxy_rules: ProxyRules,
}

impl ProxyConfig {
    /// No proxy for anything.
    pub fn direct() -> ProxyConfig {
        ProxyConfig::default()
    }

    /// WPAD auto-detection.
    pub fn auto_detected() -> ProxyConfig {
        ProxyConfig {
            auto_detect: true,
            ..ProxyConfig::default()
        }
    }

    /// A PAC script at `url`; direct when `url` is not a valid absolute URL
    /// (empty included), as Chromium's preference tracker falls back.
    pub fn pac_script(url: &str, mandatory: bool) -> ProxyConfig {
        match Url::parse(url) {
            Ok(url) => ProxyConfig {
                pac_url: Some(url),
                pac_mandatory: mandatory,
                ..ProxyConfig::default()
            },
            Err(_) => ProxyConfig::direct(),
        }
    }

    /// Fixed rules with their bypass list; empty rules mean direct, and the
    /// bypass list is then dropped (Chromium
    /// `ProxyConfigDictionary::CreateFixedServers`).
    pub fn fixed_servers(rules: &str, bypass: &str) -> ProxyConfig {
        if rules.is_empty() {
            return ProxyConfig::direct();
        }
        ProxyConfig {
            proxy_rules: ProxyRules::parse_with_bypass(rules, bypass),
            ..ProxyConfig::default()
        }
    }

    /// Whether a PAC script (fetched, or found by WPAD) decides.
    pub fn has_automatic_settings(&self) -> bool {
        self.auto_detect || self.pac_url.is_some()
    }

    /// The proxies for `url` when no PAC script needs to run: the rules
    /// applied to it (`DIRECT` for a direct configuration), or, for a PAC
    /// configuration, `DIRECT` when the implicit rules send `url` direct
    /// (Chromium never lets a PAC script proxy loopback or link-local
    /// destinations). `None` when the PAC script must decide; its answer is
    /// read with [`ProxyList::from_pac_string`].
    pub fn resolve_fixed(&self, url: &(impl UrlParts + ?Sized)) -> Option<ProxyList> {
        if !self.has_automatic_settings() {
            Some(self.proxy_rules.apply(url))
        } else if super::bypass::ProxyBypassRules::matches_implicit_rules(url) {
            Some(ProxyList::direct())
        } else {
            None
        }
    }
}

/// What a session uses: a configuration, or whatever the system says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxySettings {
    Config(ProxyConfig),
    /// The system's settings; on Linux see [`system_config`].
    System,
}

/// The message Electron rejects `setProxy` with for an unknown `mode`.
pub const INVALID_MODE_MESSAGE: &str =
    "Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system";

impl ProxySettings {
    /// Converts `ses.setProxy`'s options as Electron does. Without a `mode`,
    /// a non-empty `pacScript` means `pac_script` (so it wins over
    /// `proxyRules`), and otherwise the mode is `fixed_servers`. The PAC
    /// script is mandatory; an invalid `pacScript` URL and empty `proxyRules`
    /// in their modes mean direct; `proxyBypassRules` applies to
    /// `fixed_servers` only.
    ///
    /// # Errors
    /// A `mode` that is not one of Electron's five names: a plain `Error`
    /// (Electron rejects the promise with it) whose message is
    /// [`INVALID_MODE_MESSAGE`].
    pub fn from_set_proxy(options: &SetProxyOptions) -> Result<ProxySettings> {
        let pac_url = options.pac_script.as_deref().unwrap_or("");
        let mode = match options.mode.as_deref() {
            None if !pac_url.is_empty() => ProxyMode::PacScript,
            None => ProxyMode::FixedServers,
            Some(name) => {
                ProxyMode::parse(name).ok_or_else(|| Error::failed(INVALID_MODE_MESSAGE))?
            }
        };
        Ok(match mode {
            ProxyMode::Direct => ProxySettings::Config(ProxyConfig::direct()),
            ProxyMode::System => ProxySettings::System,
            ProxyMode::AutoDetect => ProxySettings::Config(ProxyConfig::auto_detected()),
            ProxyMode::PacScript => ProxySettings::Config(ProxyConfig::pac_script(pac_url, true)),
            ProxyMode::FixedServers => ProxySettings::Config(ProxyConfig::fixed_servers(
                options.proxy_rules.as_deref().unwrap_or(""),
                options.proxy_bypass_rules.as_deref().unwrap_or(""),
            )),
        })
    }

    /// The configuration in force: the one set, or for `System` the
    /// system's as read from the environment through `env` (see
    /// [`system_config`]).
    pub fn effective_config(&self, env: impl Fn(&str) -> Option<String>) -> ProxyConfig {
        match self {
            ProxySettings::Config(config) => config.clone(),
            ProxySettings::System => system_config(env),
        }
    }

    /// The configuration the command line imposes, or `None` when it says
    /// nothing about proxies (then the system's settings apply until
    /// `setProxy`). `switch` returns a switch's value, `Some("")` for a
    /// switch given without one. Precedence as in Electron:
    /// `no-proxy-server`, then `proxy-pac-url` (not mandatory), then
    /// `proxy-auto-detect`, then `proxy-server` with `proxy-bypass-list`.
    pub fn from_command_line(switch: impl Fn(&str) -> Option<String>) -> Option<ProxySettings> {
        let config = if switch("no-proxy-server").is_some() {
            ProxyConfig::direct()
        } else if let Some(url) = switch("proxy-pac-url") {
            ProxyConfig::pac_script(&url, false)
        } else if switch("proxy-auto-detect").is_some() {
            ProxyConfig::auto_detected()
        } else if let Some(rules) = switch("proxy-server") {
            let bypass = switch("proxy-bypass-list").unwrap_or_default();
            ProxyConfig::fixed_servers(&rules, &bypass)
        } else {
            return None;
        };
        Some(ProxySettings::Config(config))
    }
}

/// Reads an environment variable as Chromium's `base::Environment` does: the
/// name as given, then, if unset, the name in the other case (`http_proxy`
/// then `HTTP_PROXY`; `SOCKS_SERVER` then `socks_server`).
fn env_var(get: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    if let Some(v) = get(name) {
        return Some(v);
    }
    let first = name.bytes().next()?;
    let other = if first.is_ascii_lowercase() {
        name.to_ascii_uppercase()
    } else if first.is_ascii_uppercase() {
        name.to_ascii_lowercase()
    } else {
        return None;
    };
    get(&other)
}

/// Reads a proxy from an environment value (Chromium
/// `FixupProxyHostScheme` then `ProxyUriToProxyServer`): any `scheme://` is
/// dropped, `scheme` decides (except that `socks4://` picks SOCKS4 where
/// SOCKS5 is wanted),
/// credentials before `@` are ignored, a trailing `/` is removed, and
/// `DIRECT` is refused.
fn env_proxy(value: &str, scheme: ProxyScheme) -> Option<ProxyServer> {
    if value.is_empty() {
        return None;
    }
    let mut scheme = scheme;
    if scheme == ProxyScheme::Socks5
        && value.len() >= 9
        && value.is_char_boundary(9)
        && value[..9].eq_ignore_ascii_case("socks4://")
    {
        scheme = ProxyScheme::Socks4;
    }
    let mut host = match value.find("://") {
        Some(i) => &value[i + 3..],
        None => value,
    };
    if let Some(at) = host.find('@') {
        host = &host[at + 1..];
    }
    let host = host.strip_suffix('/').unwrap_or(host);
    let uri = match scheme {
        ProxyScheme::Socks4 => format!("socks4://{host}"),
        ProxyScheme::Socks5 => format!("socks5://{host}"),
        _ => host.to_owned(),
    };
    ProxyServer::from_uri(&uri, ProxyScheme::Http)
        .ok()
        .filter(|p| !p.is_direct())
}

fn single(server: ProxyServer) -> ProxyList {
    let mut list = ProxyList::new();
    list.add_chain(ProxyChain::from(server));
    list
}

/// The configuration the environment variables describe, as Chromium reads
/// them on Linux desktops without GNOME or KDE settings; `None` when they
/// describe none. `get` looks a variable up (`std::env::var(..).ok()` in
/// production), so tests need no real environment.
///
/// In order: `auto_proxy` (empty: auto-detect; else a PAC URL, direct when
/// it is not a valid absolute URL); `all_proxy`
/// for every URL; else `http_proxy`, `https_proxy`, `ftp_proxy` per scheme
/// (always HTTP proxies: a `scheme://` in the value is dropped, as Chromium
/// does; `http_proxy` is not reused for HTTPS); else `SOCKS_SERVER` (SOCKS5, or SOCKS4 when
/// `SOCKS_VERSION` is `4`). `no_proxy` is the bypass list with every host
/// name read as a suffix (`google.com` covers `www.google.com`); with no
/// proxy found, a non-empty `no_proxy` alone means direct. Each name is
/// tried as written, then in the other case.
pub fn config_from_env(get: impl Fn(&str) -> Option<String>) -> Option<ProxyConfig> {
    if let Some(auto) = env_var(&get, "auto_proxy") {
        return Some(if auto.is_empty() {
            ProxyConfig::auto_detected()
        } else {
            ProxyConfig::pac_script(&auto, false)
        });
    }
    let mut rules = ProxyRules::parse("");
    let from = |name: &str, scheme| env_var(&get, name).and_then(|v| env_proxy(&v, scheme));
    if let Some(all) = from("all_proxy", ProxyScheme::Http) {
        rules.kind = ProxyRulesType::ProxyList;
        rules.single_proxies = single(all);
    } else {
        let mut any = false;
        for (name, list) in [
            ("http_proxy", &mut rules.proxies_for_http),
            ("https_proxy", &mut rules.proxies_for_https),
            ("ftp_proxy", &mut rules.proxies_for_ftp),
        ] {
            if let Some(server) = from(name, ProxyScheme::Http) {
                *list = single(server);
                any = true;
            }
        }
        if any {
            rules.kind = ProxyRulesType::ProxyListPerScheme;
        }
    }
    if rules.is_empty() {
        let version4 = env_var(&get, "SOCKS_VERSION").as_deref() == Some("4");
        let scheme = if version4 {
            ProxyScheme::Socks4
        } else {
            ProxyScheme::Socks5
        };
        if let Some(socks) = from("SOCKS_SERVER", scheme) {
            rules.kind = ProxyRulesType::ProxyList;
            rules.single_proxies = single(socks);
        }
    }
    let no_proxy = env_var(&get, "no_proxy").unwrap_or_default();
    if rules.is_empty() {
        return (!no_proxy.is_empty()).then(ProxyConfig::direct);
    }
    rules.bypass_rules = super::bypass::ProxyBypassRules::parse(&no_proxy);
    rules.bypass_rules.rewrite_for_suffix_matching();
    Some(ProxyConfig {
        proxy_rules: rules,
        ..ProxyConfig::default()
    })
}

/// The system configuration on Linux: the environment's, or direct when it
/// describes none.
pub fn system_config(get: impl Fn(&str) -> Option<String>) -> ProxyConfig {
    config_from_env(get).unwrap_or_else(ProxyConfig::direct)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A one-line summary of a configuration, for table rows.
    fn summary(config: &ProxyConfig) -> String {
        if config.auto_detect {
            return "auto_detect".into();
        }
        if let Some(url) = &config.pac_url {
            let m = if config.pac_mandatory {
                " mandatory"
            } else {
                ""
            };
            return format!("pac {url}{m}");
        }
        let r = &config.proxy_rules;
        let mut out = match r.kind {
            ProxyRulesType::Empty => return "direct".into(),
            ProxyRulesType::ProxyList => format!("all={}", r.single_proxies),
            ProxyRulesType::ProxyListPerScheme => {
                let mut parts = vec![];
                for (name, list) in [
                    ("http", &r.proxies_for_http),
                    ("https", &r.proxies_for_https),
                    ("ftp", &r.proxies_for_ftp),
                    ("socks", &r.fallback_proxies),
                ] {
                    if !list.is_empty() {
                        parts.push(format!("{name}={list}"));
                    }
                }
                parts.join(" ")
            }
        };
        if !r.bypass_rules.is_empty() {
            out.push_str(&format!(" bypass={}", r.bypass_rules));
        }
        out
    }

    fn settings_summary(s: &ProxySettings) -> String {
        match s {
            ProxySettings::System => "system".into(),
            ProxySettings::Config(c) => summary(c),
        }
    }

    fn opt(s: &str) -> Option<String> {
        (s != "-").then(|| s.to_owned())
    }

    // Rule: mode names are Electron's five, matched exactly.
    #[test]
    fn mode_names() {
        let table: &[(&str, Option<ProxyMode>)] = &[
            ("direct", Some(ProxyMode::Direct)),
            ("auto_detect", Some(ProxyMode::AutoDetect)),
            ("pac_script", Some(ProxyMode::PacScript)),
            ("fixed_servers", Some(ProxyMode::FixedServers)),
            ("system", Some(ProxyMode::System)),
            ("Direct", None),
            ("", None),
            ("fixed-servers", None),
        ];
        for (name, expected) in table {
            assert_eq!(ProxyMode::parse(name), *expected, "{name:?}");
            if let Some(m) = expected {
                assert_eq!(m.as_str(), *name);
            }
        }
    }

    // Rule: setProxy's options become a configuration as in Electron; with no
    // mode, a pacScript wins over proxyRules. `-` marks a missing field.
    #[test]
    fn from_set_proxy() {
        // (mode, pacScript, proxyRules, proxyBypassRules) -> summary
        let table: &[(&str, &str, &str, &str, &str)] = &[
            ("-", "-", "-", "-", "direct"),
            ("-", "-", "foopy:80", "-", "all=PROXY foopy:80"),
            (
                "-",
                "-",
                "foopy:80",
                "<local>;*.test",
                "all=PROXY foopy:80 bypass=<local>;*.test;",
            ),
            (
                "-",
                "http://pac.test/p.pac",
                "foopy:80",
                "-",
                "pac http://pac.test/p.pac mandatory",
            ),
            ("-", "", "foopy:80", "-", "all=PROXY foopy:80"),
            ("direct", "http://pac.test/p.pac", "foopy:80", "-", "direct"),
            ("auto_detect", "-", "foopy:80", "-", "auto_detect"),
            (
                "pac_script",
                "data:text/plain,x",
                "-",
                "-",
                "pac data:text/plain,x mandatory",
            ),
            ("pac_script", "-", "foopy:80", "-", "direct"),
            ("pac_script", "proxy.pac", "-", "-", "direct"),
            (
                "fixed_servers",
                "http://pac.test/p.pac",
                "http=a;socks=b",
                "-",
                "http=PROXY a:80 socks=SOCKS b:1080",
            ),
            ("fixed_servers", "-", "", "*.test", "direct"),
            ("system", "-", "foopy:80", "-", "system"),
        ];
        for (mode, pac, rules, bypass, expected) in table {
            let options = SetProxyOptions {
                mode: opt(mode),
                pac_script: opt(pac),
                proxy_rules: opt(rules),
                proxy_bypass_rules: opt(bypass),
            };
            let got = ProxySettings::from_set_proxy(&options)
                .unwrap_or_else(|e| panic!("{options:?}: {e}"));
            assert_eq!(settings_summary(&got), *expected, "{options:?}");
        }
    }

    // Rule: an unknown mode is rejected with Electron's message, as a plain Error.
    #[test]
    fn from_set_proxy_bad_mode() {
        for mode in ["", "Direct", "fixed", "pac"] {
            let options = SetProxyOptions {
                mode: Some(mode.into()),
                ..SetProxyOptions::default()
            };
            let err = ProxySettings::from_set_proxy(&options).expect_err(mode);
            assert!(!err.is_invalid_argument(), "{mode:?}");
            assert_eq!(err.message(), INVALID_MODE_MESSAGE, "{mode:?}");
        }
    }

    // Rule: fixed configurations resolve without PAC; PAC ones need a script,
    // except for destinations the implicit rules send direct.
    #[test]
    fn resolve_fixed() {
        let url = Url::parse("http://example.com/").unwrap();
        let table: &[(ProxyConfig, Option<&str>)] = &[
            (ProxyConfig::direct(), Some("DIRECT")),
            (
                ProxyConfig::fixed_servers("foopy:80,direct://", ""),
                Some("PROXY foopy:80;DIRECT"),
            ),
            (
                ProxyConfig::fixed_servers("foopy:80", "example.com"),
                Some("DIRECT"),
            ),
            (ProxyConfig::auto_detected(), None),
            (ProxyConfig::pac_script("http://pac.test/", true), None),
        ];
        let local = Url::parse("http://localhost:3000/").unwrap();
        for config in [
            ProxyConfig::auto_detected(),
            ProxyConfig::pac_script("http://pac.test/", true),
        ] {
            let got = config
                .resolve_fixed(&local)
                .map(|l| l.to_pac_string().to_owned());
            assert_eq!(
                got.as_deref(),
                Some("DIRECT"),
                "{} for localhost",
                summary(&config)
            );
        }
        for (config, expected) in table {
            let got = config.resolve_fixed(&url);
            assert_eq!(
                got.as_ref().map(|l| l.to_pac_string()),
                *expected,
                "{}",
                summary(config)
            );
        }
    }

    // Rule: the proxy switches map to a configuration in Electron's order of
    // precedence; without any, the command line imposes nothing.
    #[test]
    fn from_command_line() {
        let table: &[(&[(&str, &str)], &str)] = &[
            (&[], "none"),
            (
                &[("no-proxy-server", ""), ("proxy-server", "foopy:80")],
                "direct",
            ),
            (
                &[
                    ("proxy-pac-url", "http://pac.test/"),
                    ("proxy-server", "foopy:80"),
                ],
                "pac http://pac.test/",
            ),
            (
                &[("proxy-auto-detect", ""), ("proxy-server", "foopy:80")],
                "auto_detect",
            ),
            (
                &[
                    ("proxy-server", "socks5://a:1080"),
                    ("proxy-bypass-list", "*.test"),
                ],
                "all=SOCKS5 a:1080 bypass=*.test;",
            ),
            (&[("proxy-server", "")], "direct"),
            (&[("proxy-bypass-list", "*.test")], "none"),
        ];
        for (switches, expected) in table {
            let map: HashMap<&str, &str> = switches.iter().copied().collect();
            let got = ProxySettings::from_command_line(|name| map.get(name).map(|v| v.to_string()));
            let got = got
                .as_ref()
                .map(settings_summary)
                .unwrap_or_else(|| "none".into());
            assert_eq!(got, *expected, "{switches:?}");
        }
    }

    // Rule: environment variables describe a configuration as Chromium reads
    // them on Linux, lower case first, then upper case.
    #[test]
    fn from_env() {
        let table: &[(&[(&str, &str)], &str)] = &[
            // Rows from Chromium net/proxy_resolution/proxy_config_service_linux_unittest.cc (BasicEnvTest).
            (&[("no_proxy", "*")], "direct"),
            (&[("auto_proxy", "")], "auto_detect"),
            (&[("auto_proxy", "http://wpad/wpad.dat")], "pac http://wpad/wpad.dat"),
            (&[("auto_proxy", "wpad.dat")], "direct"),
            (&[("all_proxy", "www.google.com")], "all=PROXY www.google.com:80"),
            (&[("all_proxy", "www.google.com:99")], "all=PROXY www.google.com:99"),
            (&[("all_proxy", "http://www.google.com:99")], "all=PROXY www.google.com:99"),
            (
                &[("http_proxy", "www.google.com:80"), ("https_proxy", "www.foo.com:110"), ("ftp_proxy", "ftp.foo.com:121")],
                "http=PROXY www.google.com:80 https=PROXY www.foo.com:110 ftp=PROXY ftp.foo.com:121",
            ),
            (&[("all_proxy", ""), ("SOCKS_SERVER", "socks.com:888")], "all=SOCKS5 socks.com:888"),
            (&[("all_proxy", ""), ("SOCKS_SERVER", "socks.com:888"), ("SOCKS_VERSION", "4")], "all=SOCKS socks.com:888"),
            (&[("all_proxy", ""), ("SOCKS_SERVER", "socks.com")], "all=SOCKS5 socks.com:1080"),
            (
                &[("all_proxy", "www.google.com"), ("no_proxy", ".google.com, foo.com:99, 1.2.3.4:22, 127.0.0.1/8")],
                "all=PROXY www.google.com:80 bypass=*.google.com;*foo.com:99;1.2.3.4:22;127.0.0.1/8;",
            ),
            // Our own rows.
            (&[], "none"),
            (&[("auto_proxy", "")], "auto_detect"),
            (
                &[
                    ("auto_proxy", "http://wpad.test/w.pac"),
                    ("all_proxy", "a:1"),
                ],
                "pac http://wpad.test/w.pac",
            ),
            (
                &[("all_proxy", "http://a:3128/"), ("http_proxy", "b")],
                "all=PROXY a:3128",
            ),
            (&[("ALL_PROXY", "a:3128")], "all=PROXY a:3128"),
            (&[("http_proxy", "http://a:3128")], "http=PROXY a:3128"),
            (
                &[("http_proxy", "a"), ("HTTP_PROXY", "b")],
                "http=PROXY a:80",
            ),
            (
                &[("HTTPS_PROXY", "https://b:8443"), ("ftp_proxy", "c")],
                "https=PROXY b:8443 ftp=PROXY c:80",
            ),
            (&[("https_proxy", "socks5://s")], "https=PROXY s:80"),
            (
                &[("http_proxy", "http://user:pw@a:3128/")],
                "http=PROXY a:3128",
            ),
            (&[("http_proxy", "direct://")], "none"),
            (&[("http_proxy", "")], "none"),
            (&[("http_proxy", "a:bad")], "none"),
            (&[("SOCKS_SERVER", "s:9050")], "all=SOCKS5 s:9050"),
            (&[("socks_server", "s")], "all=SOCKS5 s:1080"),
            (
                &[("SOCKS_SERVER", "s"), ("SOCKS_VERSION", "4")],
                "all=SOCKS s:1080",
            ),
            (&[("SOCKS_SERVER", "socks4://s")], "all=SOCKS s:1080"),
            (
                &[("SOCKS_SERVER", "s"), ("http_proxy", "h")],
                "http=PROXY h:80",
            ),
            (
                &[
                    ("http_proxy", "h"),
                    ("no_proxy", "google.com, .example.org,10.0.0.0/8"),
                ],
                "http=PROXY h:80 bypass=*google.com;*.example.org;10.0.0.0/8;",
            ),
            (
                &[("http_proxy", "h"), ("NO_PROXY", "a.test")],
                "http=PROXY h:80 bypass=*a.test;",
            ),
        ];
        for (vars, expected) in table {
            let map: HashMap<&str, &str> = vars.iter().copied().collect();
            let got = config_from_env(|name| map.get(name).map(|v| v.to_string()));
            let got = got.as_ref().map(summary).unwrap_or_else(|| "none".into());
            assert_eq!(got, *expected, "{vars:?}");
        }
    }

    // Rule: `System` settings resolve through the environment; set ones as set.
    #[test]
    fn effective_config() {
        let env = |name: &str| (name == "all_proxy").then(|| "sys:3128".to_owned());
        let table: &[(ProxySettings, &str)] = &[
            (ProxySettings::System, "all=PROXY sys:3128"),
            (ProxySettings::Config(ProxyConfig::direct()), "direct"),
            (
                ProxySettings::Config(ProxyConfig::fixed_servers("a:1", "")),
                "all=PROXY a:1",
            ),
        ];
        for (settings, expected) in table {
            assert_eq!(
                summary(&settings.effective_config(env)),
                *expected,
                "{settings:?}"
            );
        }
        assert_eq!(
            ProxySettings::System.effective_config(|_| None),
            ProxyConfig::direct()
        );
    }

    // Rule: `no_proxy` host names are suffixes; the system falls back to direct.
    #[test]
    fn env_bypass_and_system_fallback() {
        let vars = |name: &str| match name {
            "http_proxy" => Some("h:3128".to_owned()),
            "no_proxy" => Some("example.com".to_owned()),
            _ => None,
        };
        let config = system_config(vars);
        let table: &[(&str, &str)] = &[
            ("http://www.example.com/", "DIRECT"),
            ("http://example.com/", "DIRECT"),
            ("http://example.org/", "PROXY h:3128"),
            ("https://example.org/", "DIRECT"),
            ("http://localhost/", "DIRECT"),
        ];
        for (u, expected) in table {
            let got = config.resolve_fixed(&Url::parse(u).unwrap()).unwrap();
            assert_eq!(got.to_pac_string(), *expected, "{u}");
        }
        assert_eq!(system_config(|_| None), ProxyConfig::direct());
    }
}

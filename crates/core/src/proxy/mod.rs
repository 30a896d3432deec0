//! Proxy configuration: which proxies a URL goes through, without any
//! networking. Chromium's vocabulary throughout:
//!
//! - [`ProxyServer`], [`ProxyChain`], [`ProxyList`]: servers in URI form
//!   (`socks5://host:1080`) and PAC form (`SOCKS5 host:1080`); a list's PAC
//!   string is what `ses.resolveProxy` answers.
//! - [`ProxyRules`]: the `proxyRules` grammar and [`ProxyRules::apply`],
//!   which picks the list for a URL.
//! - [`ProxyBypassRules`]: the `proxyBypassRules` grammar and the implicit
//!   bypass of loopback and link-local destinations.
//! - [`ProxySettings`], [`ProxyConfig`]: what `ses.setProxy`, the command
//!   line and the environment (`system` mode) configure, and
//!   [`ProxyConfig::resolve_fixed`] for configurations without PAC.
//! - [`PacScript`]: a PAC script compiled once in an isolated QuickJS engine
//!   bounded by [`PacLimits`], answering `FindProxyForURL` with DNS through
//!   the session's resolver ([`PacHost`]); failures are [`PacError`]s.

mod bypass;
mod config;
mod pac;
mod rules;
mod server;

pub use bypass::{BypassRule, ProxyBypassRules};
pub use config::{
    config_from_env, system_config, ProxyConfig, ProxyMode, ProxySettings, SetProxyOptions,
    INVALID_MODE_MESSAGE,
};
pub use pac::{PacArguments, PacError, PacHost, PacLimits, PacResolver, PacScript};
pub use rules::{ProxyRules, ProxyRulesType};
pub use server::{ProxyChain, ProxyList, ProxyScheme, ProxyServer};

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: no input makes any parser or matcher panic; this feeds each of
    // them hostile rows and a few thousand strings built from the grammars'
    // own punctuation (a fixed pseudo-random sequence, so failures repeat).
    #[test]
    fn hostile_inputs_never_panic() {
        let rows = [
            "",
            " ",
            "\t",
            ":",
            "::",
            ":::",
            "//",
            "://",
            "[",
            "]",
            "[]",
            "[:]",
            "@",
            "=",
            ";",
            ",",
            "/",
            "*",
            "?",
            "<",
            "<local",
            "<-loopback",
            "[::1",
            "::1]",
            "[::1]:",
            "[::1]:x",
            "1.2.3.4/",
            "/8",
            "1.2.3.4/99999999999999",
            "a:99999999999999999999",
            "http=",
            "=http",
            "socks=",
            "\u{0}",
            "\u{1F600}",
            "é:80",
            "%00",
            "%zz",
            "xn--",
            "a..b",
            ".",
            "..",
            "*.",
            "*.*:*",
            "direct://x",
            "DIRECT x",
            "PROXY [",
            "SOCKS5 :",
            "https://[fe80::1%25eth0]:80",
        ];
        let alphabet: Vec<char> = ":/[]@.,;=*? \t<>-019afxHTPSOCKDIRE\u{0}é\u{1F600}%"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut generated = Vec::new();
        for _ in 0..3000 {
            let mut s = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (seed >> 59) as usize;
            for _ in 0..len {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            generated.push(s);
        }
        let urls: Vec<url::Url> = [
            "http://a.b/",
            "https://[::1]:8/",
            "ws://10.0.0.1/",
            "file:///x",
            "foo://%41/",
        ]
        .iter()
        .map(|u| url::Url::parse(u).unwrap())
        .collect();
        for input in rows
            .iter()
            .copied()
            .chain(generated.iter().map(String::as_str))
        {
            let _ = ProxyServer::from_uri(input, ProxyScheme::Http);
            let _ = ProxyServer::from_pac_element(input);
            let _ = ProxyList::from_pac_string(input).to_pac_string();
            let _ = ProxyList::from_uri_list(input).to_pac_string();
            let rules = ProxyRules::parse_with_bypass(input, input);
            let _ = rules.bypass_rules.to_string();
            let mut suffix = rules.bypass_rules.clone();
            suffix.rewrite_for_suffix_matching();
            for u in &urls {
                let _ = rules.apply(u).to_pac_string();
                let _ = suffix.matches(u, true);
            }
            let options = SetProxyOptions {
                mode: None,
                pac_script: Some(input.to_owned()),
                proxy_rules: Some(input.to_owned()),
                proxy_bypass_rules: Some(input.to_owned()),
            };
            let _ = ProxySettings::from_set_proxy(&options);
            let _ = config_from_env(|_| Some(input.to_owned()));
            let _ = config_from_env(|name| (name != "auto_proxy").then(|| input.to_owned()));
        }
    }
}

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

mod bypass;
mod config;
mod rules;
mod server;

pub use bypass::{BypassRule, ProxyBypassRules};
pub use config::{
    config_from_env, system_config, ProxyConfig, ProxyMode, ProxySettings, SetProxyOptions,
    INVALID_MODE_MESSAGE,
};
pub use rules::{ProxyRules, ProxyRulesType};
pub use server::{ProxyChain, ProxyList, ProxyScheme, ProxyServer};

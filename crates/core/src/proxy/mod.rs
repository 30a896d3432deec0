//! Proxy configuration: which proxies a URL goes through, without any
//! networking. Chromium's vocabulary throughout:
//!
//! - [`ProxyServer`], [`ProxyChain`], [`ProxyList`]: servers in URI form
//!   (`socks5://host:1080`) and PAC form (`SOCKS5 host:1080`); a list's PAC
//!   string is what `ses.resolveProxy` answers.

mod server;

pub use server::{ProxyChain, ProxyList, ProxyScheme, ProxyServer};

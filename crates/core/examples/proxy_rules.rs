//! Fixed-rules proxy resolution inside the core, without the Node binding:
//! `ProxyConfig::resolve_fixed` over a spread of URLs, with its PAC string.
//! Run by `bench/proxy.mjs`; prints resolutions per second.

use std::time::Instant;

use electron_session_core::proxy::ProxyConfig;
use url::Url;

fn main() {
    let config = ProxyConfig::fixed_servers(
        "http=web.proxy.test:8080;https=secure.proxy.test:8443,direct://;socks=socks5://s.test",
        "*.corp.example, <local>, 10.0.0.0/8, .cdn.example:443",
    );
    let urls: Vec<Url> = [
        "http://www.shop.example/a",
        "https://my.bank.example/login",
        "http://wiki.corp.example/page",
        "http://intranet/",
        "http://10.1.2.3/x",
        "https://img.cdn.example/i.png",
        "ftp://files.example/f",
        "http://localhost:8080/",
    ]
    .iter()
    .map(|u| Url::parse(u).expect("a valid URL"))
    .collect();
    let rounds = 3;
    let per_round = 2_000_000;
    let mut best = 0.0f64;
    let mut bytes = 0usize;
    for _ in 0..rounds {
        let t0 = Instant::now();
        for i in 0..per_round {
            let list = config.resolve_fixed(&urls[i % urls.len()]).expect("fixed rules answer");
            bytes += list.to_pac_string().len();
        }
        best = best.max(per_round as f64 / t0.elapsed().as_secs_f64());
    }
    println!("fixed rules in the core: {best:.0} resolutions/s (best of {rounds} rounds of {per_round}; {bytes} bytes of answers)");
}

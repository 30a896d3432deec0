//! A PAC script run inside the core, without the Node binding: the
//! script `bench/proxy.mjs` uses (read from that file, so both run the same
//! text) over the same spread of URLs. Run by `bench/proxy.mjs`; prints
//! resolutions per second, which is what QuickJS itself costs.

use std::sync::Arc;
use std::time::Instant;

use electron_session_core::proxy::{PacHost, PacLimits, PacScript};
use url::Url;

fn main() {
    let bench = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/proxy.mjs"))
        .expect("bench/proxy.mjs is readable");
    let start = bench.find("const script = `").expect("the script is in bench/proxy.mjs") + 16;
    let end = start + bench[start..].find('`').expect("the script ends");
    // The template literal escapes backslashes; the script has them single.
    let source = bench[start..end].replace("\\\\", "\\");
    let host = PacHost::new(Arc::new(|_: &str| Vec::new()));
    let mut script = PacScript::new(&source, PacLimits::default(), host).expect("the bench script compiles");
    let hosts = [
        "intranet", "build7.corp.example", "wiki.corp.example", "www.partner.example", "a.b.c.d.e.example",
        "img.cdn.example", "static3.example", "clip.video.example", "daily.news.example", "www.shop.example",
        "my.bank.example", "feed.social.example", "10.1.2.3", "192.168.7.7", "100.70.1.1", "8.8.4.4", "localhost",
    ];
    let urls: Vec<Url> = (0..10_000)
        .map(|i| {
            let scheme = if i % 3 == 0 { "https" } else { "http" };
            Url::parse(&format!("{scheme}://{}/path/{i}", hosts[i % hosts.len()])).expect("a valid URL")
        })
        .collect();
    let rounds = 3;
    let mut best = 0.0f64;
    for _ in 0..rounds {
        let t0 = Instant::now();
        for url in &urls {
            script.find_proxy(url).expect("the script answers");
        }
        best = best.max(urls.len() as f64 / t0.elapsed().as_secs_f64());
    }
    println!("PAC script in the core: {best:.0} resolutions/s (best of {rounds} rounds of {})", urls.len());
}

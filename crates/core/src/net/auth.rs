//! HTTP authentication: Basic and Digest challenges answered with the URL's
//! credentials or the session's auth cache, as Chromium's
//! `HttpAuthController` does (`net/http/http_auth*.cc`). NTLM and Negotiate
//! need platform libraries that are not available here.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use md5::Digest as _;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    Basic,
    Digest,
}

/// One `WWW-Authenticate` challenge (Chromium reads one per header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: Scheme,
    pub realm: String,
    pub params: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl Credentials {
    /// The percent-decoded userinfo of `url`, if it has any.
    pub fn from_url(url: &Url) -> Option<Credentials> {
        if url.username().is_empty() && url.password().is_none() {
            return None;
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        Some(Credentials {
            username: decode(url.username()),
            password: decode(url.password().unwrap_or("")),
        })
    }
}

/// Parses `Scheme param=value, param="quoted \"value\""`; `None` for schemes
/// other than Basic and Digest, and for Digest without a nonce.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header
        .split_once(char::is_whitespace)
        .unwrap_or((header, ""));
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "basic" => Scheme::Basic,
        "digest" => Scheme::Digest,
        _ => return None,
    };
    let params = parse_params(rest);
    if scheme == Scheme::Digest && !params.contains_key("nonce") {
        return None;
    }
    Some(Challenge {
        scheme,
        realm: params.get("realm").cloned().unwrap_or_default(),
        params,
    })
}

fn parse_params(s: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',' && !c.is_whitespace()))
                .collect();
        if name.is_empty() {
            return out;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next_if_eq(&'=').is_none() {
            continue;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string();
        }
        out.insert(name.to_ascii_lowercase(), value);
    }
}

/// The challenge to answer among `headers`' `WWW-Authenticate` values:
/// Digest before Basic, as Chromium scores them.
pub fn choose_challenge<'a>(values: impl Iterator<Item = &'a str>) -> Option<Challenge> {
    let mut all: Vec<Challenge> = values.filter_map(parse_challenge).collect();
    all.sort_by_key(|c| match c.scheme {
        Scheme::Digest => 0,
        Scheme::Basic => 1,
    });
    all.into_iter().next()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest_hash(algorithm: &str, data: &str) -> Option<String> {
    match algorithm.to_ascii_uppercase().trim_end_matches("-SESS") {
        "MD5" => Some(hex(&md5::Md5::digest(data.as_bytes()))),
        "SHA-256" => Some(hex(ring::digest::digest(
            &ring::digest::SHA256,
            data.as_bytes(),
        )
        .as_ref())),
        _ => None,
    }
}

/// The `Authorization` value answering `challenge` for `method` on `uri`
/// (the request target: path and query). `nc` counts uses of the nonce.
pub fn authorization(
    challenge: &Challenge,
    creds: &Credentials,
    method: &str,
    uri: &str,
    nc: u32,
    cnonce: &str,
) -> Option<String> {
    match challenge.scheme {
        Scheme::Basic => {
            let token = base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", creds.username, creds.password));
            Some(format!("Basic {token}"))
        }
        Scheme::Digest => {
            let p = &challenge.params;
            let nonce = p.get("nonce")?;
            let algorithm = p.get("algorithm").map(String::as_str).unwrap_or("MD5");
            let mut ha1 = digest_hash(
                algorithm,
                &format!("{}:{}:{}", creds.username, challenge.realm, creds.password),
            )?;
            if algorithm.to_ascii_uppercase().ends_with("-SESS") {
                ha1 = digest_hash(algorithm, &format!("{ha1}:{nonce}:{cnonce}"))?;
            }
            let ha2 = digest_hash(algorithm, &format!("{method}:{uri}"))?;
            let qop_auth = p
                .get("qop")
                .is_some_and(|q| q.split(',').any(|x| x.trim().eq_ignore_ascii_case("auth")));
            let nc = format!("{nc:08x}");
            let response = if qop_auth {
                digest_hash(
                    algorithm,
                    &format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"),
                )?
            } else {
                digest_hash(algorithm, &format!("{ha1}:{nonce}:{ha2}"))?
            };
            let quote = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
            let mut out = format!(
                "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={algorithm}, response=\"{response}\"",
                quote(&creds.username),
                quote(&challenge.realm),
                quote(nonce),
                quote(uri)
            );
            if let Some(opaque) = p.get("opaque") {
                out.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
            }
            if qop_auth {
                out.push_str(&format!(", qop=auth, nc={nc}, cnonce=\"{cnonce}\""));
            }
            Some(out)
        }
    }
}

/// A fresh client nonce.
pub fn cnonce() -> String {
    let mut bytes = [0u8; 8];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .expect("system randomness");
    hex(&bytes)
}

#[derive(Debug, Clone)]
struct Entry {
    origin: String,
    /// Requests whose path starts with this directory authenticate at once.
    path: String,
    challenge: Challenge,
    creds: Credentials,
    nc: u32,
}

/// Credentials that worked, per origin and realm (Chromium's `HttpAuthCache`).
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<Vec<Entry>>,
}

/// The directory of a URL path: what later requests must be under to reuse
/// an entry.
fn directory(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => path[..=i].to_string(),
        None => "/".to_string(),
    }
}

impl AuthCache {
    pub fn clear(&self) {
        self.entries.lock().unwrap().clear();
    }

    /// Records credentials that answered `challenge` for `url`.
    pub fn add(&self, url: &Url, challenge: &Challenge, creds: &Credentials, nc: u32) {
        let origin = url.origin().ascii_serialization();
        let path = directory(url.path());
        let mut entries = self.entries.lock().unwrap();
        entries.retain(|e| {
            !(e.origin == origin
                && e.challenge.realm == challenge.realm
                && e.challenge.scheme == challenge.scheme)
        });
        entries.push(Entry {
            origin,
            path,
            challenge: challenge.clone(),
            creds: creds.clone(),
            nc,
        });
    }

    /// Credentials for a realm of `url`'s origin that challenged before.
    pub fn for_realm(&self, url: &Url, challenge: &Challenge) -> Option<Credentials> {
        let origin = url.origin().ascii_serialization();
        let entries = self.entries.lock().unwrap();
        entries
            .iter()
            .find(|e| {
                e.origin == origin
                    && e.challenge.realm == challenge.realm
                    && e.challenge.scheme == challenge.scheme
            })
            .map(|e| e.creds.clone())
    }

    /// A pre-emptive `Authorization` for a request to `url`, when a cached
    /// entry's directory contains its path (the longest such one).
    pub fn preemptive(&self, url: &Url, method: &str, target: &str) -> Option<String> {
        let origin = url.origin().ascii_serialization();
        let mut entries = self.entries.lock().unwrap();
        let entry = entries
            .iter_mut()
            .filter(|e| e.origin == origin && url.path().starts_with(&e.path))
            .max_by_key(|e| e.path.len())?;
        entry.nc += 1;
        authorization(
            &entry.challenge,
            &entry.creds,
            method,
            target,
            entry.nc,
            &cnonce(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        let c = parse_challenge(
            r#"Digest realm="test \"realm\"", qop="auth,auth-int", nonce="abc", opaque=xyz"#,
        )
        .unwrap();
        assert_eq!(c.scheme, Scheme::Digest);
        assert_eq!(c.realm, r#"test "realm""#);
        assert_eq!(c.params["qop"], "auth,auth-int");
        assert_eq!(c.params["opaque"], "xyz");
        assert_eq!(parse_challenge("Basic realm=\"x\"").unwrap().realm, "x");
        assert_eq!(parse_challenge("Negotiate"), None);
        assert_eq!(parse_challenge("Digest realm=\"no nonce\""), None);
        let best = choose_challenge(
            [
                "Basic realm=\"b\"",
                "NTLM",
                "Digest realm=\"d\", nonce=\"n\"",
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(best.scheme, Scheme::Digest);
    }

    // The example of RFC 7616 section 3.9.1 (MD5 and SHA-256).
    #[test]
    fn digest_response_matches_rfc_7616() {
        let creds = Credentials {
            username: "Mufasa".into(),
            password: "Circle of Life".into(),
        };
        for (alg, want) in [
            ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
            (
                "SHA-256",
                "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
            ),
        ] {
            let header = format!(
                r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#
            );
            let c = parse_challenge(&header).unwrap();
            let auth = authorization(
                &c,
                &creds,
                "GET",
                "/dir/index.html",
                1,
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            )
            .unwrap();
            assert!(
                auth.contains(&format!("response=\"{want}\"")),
                "{alg}: {auth}"
            );
            assert!(auth.contains("qop=auth, nc=00000001"), "{auth}");
        }
    }

    #[test]
    fn basic_and_url_credentials() {
        let url = Url::parse("http://us%20er:p%40ss@h.test/x").unwrap();
        let creds = Credentials::from_url(&url).unwrap();
        assert_eq!(
            (creds.username.as_str(), creds.password.as_str()),
            ("us er", "p@ss")
        );
        let c = parse_challenge("Basic realm=\"r\"").unwrap();
        assert_eq!(
            authorization(&c, &creds, "GET", "/x", 1, "").unwrap(),
            "Basic dXMgZXI6cEBzcw=="
        );
        assert!(Credentials::from_url(&Url::parse("http://h.test/").unwrap()).is_none());
    }

    // Rule: a cached entry authenticates later requests under its directory.
    #[test]
    fn cache_paths() {
        let cache = AuthCache::default();
        let c = parse_challenge("Basic realm=\"r\"").unwrap();
        let creds = Credentials {
            username: "u".into(),
            password: "p".into(),
        };
        cache.add(
            &Url::parse("http://h.test/private/area/page").unwrap(),
            &c,
            &creds,
            1,
        );
        let pre = |u: &str| cache.preemptive(&Url::parse(u).unwrap(), "GET", "/");
        assert!(pre("http://h.test/private/area/other").is_some());
        assert!(
            pre("http://h.test/private/").is_none(),
            "above the directory"
        );
        assert!(
            pre("http://other.test/private/area/x").is_none(),
            "other origin"
        );
        assert_eq!(
            cache.for_realm(&Url::parse("http://h.test/anything").unwrap(), &c),
            Some(creds)
        );
        cache.clear();
        assert!(pre("http://h.test/private/area/other").is_none());
    }
}

//! `protocol.registerSchemesAsPrivileged`: capabilities given to custom
//! schemes, process-wide, before the first session uses them (Electron
//! `shell/browser/api/electron_api_protocol.cc`).
//!
//! Without a renderer most privileges only need to be remembered. The ones
//! that change what a request does here are `standard` (URLs of the scheme
//! are parsed like `https:` URLs with a host, see [`canonicalize`]) and, as
//! data for callers, `secure`, `supportFetchAPI` and `stream`.

use std::sync::RwLock;

use url::Url;

use crate::net::NetError;

/// The privileges of one scheme (Electron's `CustomScheme.privileges`).
/// Every field defaults to `false`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemePrivileges {
    pub standard: bool,
    pub secure: bool,
    pub bypass_csp: bool,
    pub allow_service_workers: bool,
    pub support_fetch_api: bool,
    pub cors_enabled: bool,
    pub stream: bool,
    pub code_cache: bool,
    pub allow_extensions: bool,
}

/// A scheme and its privileges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomScheme {
    pub scheme: String,
    pub privileges: SchemePrivileges,
}

static SCHEMES: RwLock<Vec<CustomScheme>> = RwLock::new(Vec::new());

/// Adds `schemes` to the process-wide list; a scheme given again has its
/// privileges replaced. Scheme names are compared lower-cased, as URLs
/// carry them.
pub fn register_schemes_as_privileged(schemes: Vec<CustomScheme>) {
    let mut all = SCHEMES.write().unwrap();
    for mut s in schemes {
        s.scheme = s.scheme.to_ascii_lowercase();
        all.retain(|known| known.scheme != s.scheme);
        all.push(s);
    }
}

/// The privileges `scheme` was registered with, if any.
pub fn privileges(scheme: &str) -> Option<SchemePrivileges> {
    let scheme = scheme.to_ascii_lowercase();
    SCHEMES
        .read()
        .unwrap()
        .iter()
        .find(|s| s.scheme == scheme)
        .map(|s| s.privileges.clone())
}

/// The custom schemes registered as `standard`, in registration order
/// (Electron's `protocol.getStandardSchemes()`).
pub fn standard_schemes() -> Vec<String> {
    SCHEMES
        .read()
        .unwrap()
        .iter()
        .filter(|s| s.privileges.standard)
        .map(|s| s.scheme.clone())
        .collect()
}

/// `url` as Chromium canonicalizes a URL of its scheme: for a custom scheme
/// registered `standard` (with a host and no port, `url::SCHEME_WITH_HOST`),
/// the host is required and lower-cased, extra slashes after the colon are
/// skipped, a port and user info are dropped, and the path is at least `/`.
/// Other URLs are returned unchanged.
///
/// # Errors
/// `ERR_INVALID_URL` for a standard-scheme URL without a host (`app://`).
pub fn canonicalize(url: Url) -> Result<Url, NetError> {
    let is_standard = privileges(url.scheme()).is_some_and(|p| p.standard);
    if !is_standard {
        return Ok(url);
    }
    let scheme = url.scheme().to_string();
    // A special scheme's parser applies exactly the standard rules.
    let rest = &url.as_str()[scheme.len() + 1..];
    let as_https = Url::parse(&format!("https:{rest}")).map_err(|_| NetError::InvalidUrl)?;
    let host = as_https.host_str().ok_or(NetError::InvalidUrl)?;
    let mut out = format!("{scheme}://{host}{}", as_https.path());
    if let Some(q) = as_https.query() {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = as_https.fragment() {
        out.push('#');
        out.push_str(f);
    }
    Url::parse(&out).map_err(|_| NetError::InvalidUrl)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standard(scheme: &str) {
        register_schemes_as_privileged(vec![CustomScheme {
            scheme: scheme.to_string(),
            privileges: SchemePrivileges {
                standard: true,
                ..Default::default()
            },
        }]);
    }

    // Rule: a standard custom scheme is parsed like https with a host and no
    // port; a non-standard one keeps the URL as written (Electron's
    // api-protocol-spec "normalizes urls in standard schemes").
    #[test]
    fn standard_schemes_are_canonicalized() {
        standard("std-test");
        let rows: &[(&str, Option<&str>)] = &[
            ("std-test://foo", Some("std-test://foo/")),
            ("std-test:///foo", Some("std-test://foo/")),
            ("std-test://foo:1234", Some("std-test://foo/")),
            ("std-test://FOO/a/../b?q#f", Some("std-test://foo/b?q#f")),
            ("std-test://user:pw@foo/x", Some("std-test://foo/x")),
            ("std-test://", None),
            ("plain-test://foo", Some("plain-test://foo")),
            ("plain-test:///foo", Some("plain-test:///foo")),
            ("plain-test://", Some("plain-test://")),
            ("plain-test://foo/:30", Some("plain-test://foo/:30")),
        ];
        for (input, want) in rows {
            let got = canonicalize(Url::parse(input).unwrap()).ok();
            assert_eq!(got.as_ref().map(Url::as_str), *want, "{input}");
        }
        assert!(standard_schemes().contains(&"std-test".to_string()));
        assert!(privileges("STD-TEST").is_some_and(|p| p.standard && !p.secure));
        assert_eq!(privileges("plain-test"), None);
    }
}

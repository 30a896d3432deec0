//! The validated cookie, after Chromium's `CanonicalCookie`
//! (`net/cookies/canonical_cookie.cc`), with the domain and path rules of
//! `net/cookies/cookie_util.cc`.

use std::net::IpAddr;

use url::{Host, Url};

use crate::plain_url::UrlParts;
use super::parse::{self, ParsedCookie, MAX_ATTRIBUTE_VALUE_SIZE};
use super::status::{CookieInclusionStatus, ExclusionReason};
use super::time::{self, Time, DAY, SECOND, TIME_MIN};
use super::{CookiePriority, CookieSameSite, CookieSourceScheme};

/// The longest a cookie may live: 400 days from its creation (RFC 6265bis).
pub const MAX_EXPIRY_AGE: Time = 400 * DAY;

/// A cookie as the store keeps it: every attribute resolved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalCookie {
    pub name: String,
    pub value: String,
    /// The host for a host-only cookie (`example.com`), or `.` followed by
    /// the domain for a domain cookie (`.example.com`).
    pub domain: String,
    pub path: String,
    pub creation: Time,
    /// `None` for a session cookie.
    pub expiry: Option<Time>,
    pub last_access: Time,
    pub last_update: Time,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: CookieSameSite,
    pub priority: CookiePriority,
    pub source_scheme: CookieSourceScheme,
    /// The port of the URL that set the cookie; -1 when unknown.
    pub source_port: i32,
}

/// What `cookies.set(details)` receives, once the binding has checked the
/// types (Electron's `Cookies::Set`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CookieDetails {
    pub url: String,
    pub name: Option<String>,
    pub value: Option<String>,
    pub domain: Option<String>,
    pub path: Option<String>,
    /// Default: true for `no_restriction`, false otherwise.
    pub secure: Option<bool>,
    pub http_only: Option<bool>,
    /// Unix seconds; `None` makes a session cookie.
    pub expiration_date: Option<f64>,
    /// Unix seconds (undocumented in Electron, but read).
    pub creation_date: Option<f64>,
    /// Unix seconds (undocumented in Electron, but read).
    pub last_access_date: Option<f64>,
    /// Default: `Lax`, as in Electron.
    pub same_site: Option<CookieSameSite>,
}

/// How same-site the request or response carrying cookies is (a reduced
/// `CookieOptions::SameSiteCookieContext`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SameSiteContext {
    /// A cross-site subresource: only `SameSite=None` cookies.
    CrossSite,
    /// A cross-site top-level navigation with a safe method: `Lax` too.
    SameSiteLax,
    /// Same-site: every cookie.
    SameSiteStrict,
}

/// The access being made (Chromium's `CookieOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieOptions {
    /// HTTP access may read and write HttpOnly cookies; script access may not.
    pub include_http_only: bool,
    pub same_site_context: SameSiteContext,
    /// Whether reading refreshes `last_access` (throttled to once a minute).
    pub update_access_time: bool,
}

impl CookieOptions {
    /// Network access from a same-site context (what Electron uses for
    /// `cookies.set` with `httpOnly`, and for `cookies.get`).
    pub fn all_inclusive() -> Self {
        CookieOptions {
            include_http_only: true,
            same_site_context: SameSiteContext::SameSiteStrict,
            update_access_time: true,
        }
    }
}

/// The URL of `cookies.set(details)`: `InvalidDomain` when it does not
/// parse or has no host.
pub(crate) fn details_url(details: &CookieDetails) -> Result<Url, CookieInclusionStatus> {
    match Url::parse(&details.url) {
        Ok(u) if u.host_str().is_some_and(|h| !h.is_empty()) => Ok(u),
        _ => Err(ExclusionReason::InvalidDomain.into()),
    }
}

/// True for schemes Chromium calls cryptographic.
fn is_cryptographic(url: &(impl UrlParts + ?Sized)) -> bool {
    matches!(url.scheme(), "https" | "wss")
}

/// Chromium's `net::IsLocalhost`: `localhost`, `*.localhost`, 127.0.0.0/8
/// and `::1`.
pub fn is_localhost(url: &(impl UrlParts + ?Sized)) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => {
            let d = d.strip_suffix('.').unwrap_or(d).to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Whether `url` may set and read Secure cookies: a cryptographic scheme,
/// or a localhost URL, which Chromium treats as potentially trustworthy.
pub fn is_secure_access_allowed(url: &(impl UrlParts + ?Sized)) -> bool {
    is_cryptographic(url) || is_localhost(url)
}

fn url_host(url: &(impl UrlParts + ?Sized)) -> String {
    url_host_ref(url).into_owned()
}

/// [`url_host`] without a copy when the host is lower case already (as
/// `Url` makes every special-scheme host).
fn url_host_ref(url: &(impl UrlParts + ?Sized)) -> std::borrow::Cow<'_, str> {
    let host = url.host_str().unwrap_or("");
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(host.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(host)
    }
}

fn host_is_ip(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.parse::<IpAddr>().is_ok()
}

/// Chromium's `GetDomainAndRegistry` with private registries: the
/// registrable domain (eTLD+1) of `host`, or an empty string for IP
/// addresses, public suffixes themselves, and hosts under no known suffix.
pub fn domain_and_registry(host: &str) -> String {
    let host = host.trim_start_matches('.');
    if host.is_empty() || host_is_ip(host) {
        return String::new();
    }
    match psl::domain(host.as_bytes()) {
        Some(d) if d.suffix().is_known() => String::from_utf8_lossy(d.as_bytes()).into_owned(),
        _ => String::new(),
    }
}

/// `cookie_util::GetEffectiveDomain`: the registrable domain for HTTP(S)
/// and WS(S) URLs, the host itself for other schemes.
fn effective_domain(scheme: &str, host: &str) -> String {
    if matches!(scheme, "http" | "https" | "ws" | "wss") {
        domain_and_registry(host)
    } else {
        host.trim_start_matches('.').to_string()
    }
}

/// Canonicalizes a Domain attribute the way a URL host is (lower case,
/// IDNA, IP forms), keeping one leading dot. `None` when it is no host.
fn canonicalize_domain(domain: &str) -> Option<String> {
    let (dot, rest) = match domain.strip_prefix('.') {
        Some(r) => (".", r),
        None => ("", domain),
    };
    if rest.is_empty() {
        return None;
    }
    let host = Host::parse(rest).ok()?;
    Some(format!("{dot}{host}"))
}

/// `cookie_util::GetCookieDomainWithString`: the cookie domain a Domain
/// attribute gives for `url`, or `None` when the attribute is invalid.
///
/// No attribute makes a host-only cookie, and so does an attribute equal to
/// an IP host (a leading dot ignored). Otherwise the attribute must not
/// contain `%`, must canonicalize, and must domain-match the URL's host
/// within the same registrable domain; the result then starts with a dot.
/// When the host has no registrable domain (an IP address, a public suffix
/// such as `co.uk`, an intranet name), only an attribute equal to the host
/// (a leading dot and case ignored) is accepted, as a host-only cookie.
pub fn cookie_domain(url: &(impl UrlParts + ?Sized), domain_attr: &str) -> Option<String> {
    let host = url_host(url);
    if host.ends_with("..") {
        return None;
    }
    if domain_attr.is_empty()
        || (host_is_ip(&host)
            && (host.eq_ignore_ascii_case(domain_attr)
                || format!(".{host}").eq_ignore_ascii_case(domain_attr)))
    {
        return Some(host);
    }
    if domain_attr.contains('%') {
        return None;
    }
    let canonical = canonicalize_domain(domain_attr)?;
    let url_registrable = effective_domain(url.scheme(), &host);
    if url_registrable.is_empty() {
        let normalized = domain_attr
            .strip_prefix('.')
            .unwrap_or(domain_attr)
            .to_ascii_lowercase();
        return (host == normalized).then_some(host);
    }
    let dotted = if canonical.starts_with('.') {
        canonical
    } else {
        format!(".{canonical}")
    };
    if effective_domain(url.scheme(), &dotted) != url_registrable {
        return None;
    }
    let matches = if host.len() < dotted.len() {
        dotted[1..] == host
    } else {
        host.ends_with(&dotted)
    };
    matches.then_some(dotted)
}

/// `cookie_util::IsDomainMatch`: whether a cookie with `domain` may be sent
/// to `host`. A host-only domain matches only itself; a dotted domain
/// matches its own host and every subdomain.
pub fn domain_match(domain: &str, host: &str) -> bool {
    if host == domain {
        return true;
    }
    if !domain.starts_with('.') {
        return false;
    }
    if &domain[1..] == host {
        return true;
    }
    host.len() > domain.len() && host.ends_with(domain)
}

/// `cookie_util::IsOnPath`: RFC 6265 path-match. The cookie path must be a
/// prefix of the URL path, ending at a `/` of either.
pub fn path_match(cookie_path: &str, url_path: &str) -> bool {
    if cookie_path.is_empty() || !url_path.starts_with(cookie_path) {
        return false;
    }
    cookie_path.len() == url_path.len()
        || cookie_path.ends_with('/')
        || url_path.as_bytes()[cookie_path.len()] == b'/'
}

/// RFC 6265's default-path: the URL's path up to, not including, its last
/// `/`; `/` when that leaves nothing. A given path starting with `/` is
/// used as it is (`CanonicalCookie::CanonPathWithString`).
pub fn canon_path(url: &(impl UrlParts + ?Sized), path_attr: &str) -> String {
    if path_attr.starts_with('/') {
        return path_attr.to_string();
    }
    let url_path = url.path();
    match url_path.rfind('/') {
        None | Some(0) => "/".to_string(),
        Some(i) => url_path[..i].to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CookiePrefix {
    None,
    Secure,
    Host,
}

/// The `__Secure-` / `__Host-` prefix of a name, compared without case.
fn cookie_prefix(name: &str) -> CookiePrefix {
    let starts = |p: &str| name.len() >= p.len() && name[..p.len()].eq_ignore_ascii_case(p);
    if starts("__Secure-") {
        CookiePrefix::Secure
    } else if starts("__Host-") {
        CookiePrefix::Host
    } else {
        CookiePrefix::None
    }
}

/// An empty-named cookie whose value looks like a prefixed name would be
/// sent as `__Host-x=…`: Chromium refuses it (`HasHiddenPrefixName`).
fn has_hidden_prefix_name(value: &str) -> bool {
    let v = value.trim_start_matches([' ', '\t']);
    cookie_prefix(v) != CookiePrefix::None
}

/// `IsCookiePrefixValid`: `__Secure-` needs Secure from a cryptographic
/// URL (localhost is not enough here, unlike for Secure itself); `__Host-`
/// also needs `Path=/` and no Domain attribute (or one equal to an IP host).
fn prefix_valid(name: &str, url: &(impl UrlParts + ?Sized), secure: bool, domain_attr: &str, path_attr: &str) -> bool {
    match cookie_prefix(name) {
        CookiePrefix::None => true,
        CookiePrefix::Secure => secure && is_cryptographic(url),
        CookiePrefix::Host => {
            secure
                && is_cryptographic(url)
                && path_attr == "/"
                && (domain_attr.is_empty()
                    || (host_is_ip(&url_host(url)) && url_host(url) == domain_attr))
        }
    }
}

/// `ValidateAndAdjustExpiryDate`: caps an expiry at 400 days after creation.
fn cap_expiry(expiry: Option<Time>, creation: Time) -> Option<Time> {
    expiry.map(|e| e.min(creation.saturating_add(MAX_EXPIRY_AGE)))
}

/// How `base::StringToInt64` reads a Max-Age value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Int64 {
    /// The whole string is an optionally signed decimal number.
    Clean(i64),
    /// A number too large or too small: the saturated bound.
    Overflow(i64),
    /// Anything else (garbage, empty, trailing text).
    Invalid,
}

fn string_to_i64(s: &str) -> Int64 {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Int64::Invalid;
    }
    let mut n: i64 = 0;
    for d in digits {
        let d = (d - b'0') as i64;
        let next = n
            .checked_mul(10)
            .and_then(|n| if neg { n.checked_sub(d) } else { n.checked_add(d) });
        match next {
            Some(v) => n = v,
            None => return Int64::Overflow(if neg { i64::MIN } else { i64::MAX }),
        }
    }
    Int64::Clean(n)
}

/// `CanonicalCookie::ParseExpiration`: a clean Max-Age wins over Expires
/// (zero or less means already expired; overflow saturates); any other
/// Max-Age is ignored. An Expires date is shifted by the clock skew between
/// server and client.
fn parse_expiration(pc: &ParsedCookie, now: Time, server_time: Option<Time>) -> Option<Time> {
    if let Some(max_age) = pc.max_age() {
        match string_to_i64(max_age) {
            Int64::Clean(n) if n <= 0 => return Some(TIME_MIN),
            Int64::Clean(n) => return Some(now.saturating_add(n.saturating_mul(SECOND))),
            Int64::Overflow(i64::MIN) => return Some(TIME_MIN),
            Int64::Overflow(_) => return Some(i64::MAX),
            Int64::Invalid => {}
        }
    }
    let expires = pc.expires().filter(|e| !e.is_empty())?;
    let t = parse::parse_cookie_expiration_time(expires)?;
    let skew = server_time.map_or(0, |s| now.saturating_sub(s));
    Some(t.saturating_add(skew))
}

/// `GetAndAdjustPortForTrustworthyUrls`: the URL's port, except that a
/// Secure cookie from a non-cryptographic URL on its default port is
/// recorded with 443, as if set over HTTPS. -1 when the scheme has no port.
fn source_port(url: &(impl UrlParts + ?Sized), secure: bool) -> i32 {
    let port = url.port_or_known_default().map_or(-1, i32::from);
    if secure && !is_cryptographic(url) && url.port().is_none() && port != -1 {
        return 443;
    }
    port
}

/// Secure when the URL is cryptographic or the cookie is Secure (a
/// trustworthy origin setting a Secure cookie counts as secure).
fn source_scheme(url: &(impl UrlParts + ?Sized), secure: bool) -> CookieSourceScheme {
    if secure || is_cryptographic(url) {
        CookieSourceScheme::Secure
    } else {
        CookieSourceScheme::NonSecure
    }
}

/// Percent-encodes a cookie path as a URL path is (`url::CanonicalizePath`).
/// `None` when it would be unchanged, as most paths are.
fn encode_path(path: &str) -> Option<String> {
    if crate::plain_url::is_plain_path(path) {
        return None;
    }
    Some(encode_path_by_url(path))
}

fn encode_path_by_url(path: &str) -> String {
    let mut u = Url::parse("http://h/").expect("static URL parses");
    u.set_path(path);
    u.path().to_string()
}

impl CanonicalCookie {
    /// Builds a cookie from a Set-Cookie line received from `url`
    /// (Chromium's `CanonicalCookie::Create`). `now` is the creation time;
    /// `server_time` is the response's `Date`, used to correct `Expires`
    /// for clock skew.
    ///
    /// Path defaults to the URL's directory; Domain must domain-match the
    /// URL (see [`cookie_domain`]); the expiry is capped at 400 days. A
    /// `Partitioned` cookie is accepted but kept unpartitioned (this store
    /// has no partitions).
    ///
    /// # Errors
    /// Every reason that applies, in a status: those of
    /// [`ParsedCookie::parse`]; `InvalidDomain`; `SecureOnly` for Secure
    /// from an insecure URL that is not localhost; `InvalidPrefix` for a
    /// broken `__Secure-`/`__Host-` rule or a hidden prefix in an
    /// empty-named cookie; `SameSiteNoneInsecure`; `InvalidPartitioned`
    /// for Partitioned without Secure; `FailureToStore` for a URL without
    /// a host.
    pub fn create(
        url: &Url,
        line: &str,
        now: Time,
        server_time: Option<Time>,
    ) -> Result<CanonicalCookie, CookieInclusionStatus> {
        if url.host_str().is_none_or(str::is_empty) {
            return Err(ExclusionReason::FailureToStore.into());
        }
        let pc = ParsedCookie::parse(line)?;
        let mut status = CookieInclusionStatus::include();
        let domain_attr = pc.domain().unwrap_or("");
        let domain = cookie_domain(url, domain_attr);
        if domain.is_none() {
            status.add(ExclusionReason::InvalidDomain);
        }
        let secure = pc.is_secure();
        if secure && !is_secure_access_allowed(url) {
            status.add(ExclusionReason::SecureOnly);
        }
        if !prefix_valid(pc.name(), url, secure, domain_attr, pc.path().unwrap_or("")) {
            status.add(ExclusionReason::InvalidPrefix);
        }
        if pc.name().is_empty() && has_hidden_prefix_name(pc.value()) {
            status.add(ExclusionReason::InvalidPrefix);
        }
        if pc.is_partitioned() && !(secure && is_secure_access_allowed(url)) {
            status.add(ExclusionReason::InvalidPartitioned);
        }
        let same_site = pc.same_site();
        if same_site == CookieSameSite::NoRestriction && !secure {
            status.add(ExclusionReason::SameSiteNoneInsecure);
        }
        if !status.is_include() {
            return Err(status);
        }
        let expiry = cap_expiry(parse_expiration(&pc, now, server_time), now);
        Ok(CanonicalCookie {
            name: pc.name().to_string(),
            value: pc.value().to_string(),
            domain: domain.unwrap_or_default(),
            path: canon_path(url, pc.path().unwrap_or("")),
            creation: now,
            expiry,
            last_access: now,
            last_update: now,
            secure,
            http_only: pc.is_http_only(),
            same_site,
            priority: pc.priority(),
            source_scheme: source_scheme(url, secure),
            source_port: source_port(url, secure),
        })
    }

    /// Builds a cookie from Electron's `cookies.set(details)` (Chromium's
    /// `CanonicalCookie::CreateSanitizedCookie` as Electron calls it).
    ///
    /// A `domain` makes a domain cookie (`.example.com`) if it
    /// domain-matches the URL; none makes a host-only cookie. `path`
    /// defaults to the URL's directory and is stored percent-encoded as a
    /// URL path; `secure` defaults to whether `sameSite` is
    /// `no_restriction`; `sameSite` to `lax`; no `expirationDate` makes a
    /// session cookie, and an expiry is capped at 400 days after creation.
    /// Creation defaults to `now`; without `lastAccessDate` the last access
    /// stays null (0), as in Chromium, until the cookie is first read.
    ///
    /// # Errors
    /// Every reason that applies, in a status whose
    /// [`electron_set_error`](CookieInclusionStatus::electron_set_error) is
    /// Electron's rejection message: `InvalidDomain` for a URL that does
    /// not parse or has no host, or a domain that is bad or would not
    /// survive a Set-Cookie round trip; `DisallowedCharacter` for such a
    /// name, value or path; `NoCookieContent`, `NameValuePairExceedsMaxSize`;
    /// `AttributeValueExceedsMaxSize` for a domain or path over 1024 bytes;
    /// `FailureToStore` for a path not starting with `/`, or a last-access
    /// date without a creation date; `InvalidPrefix`.
    pub fn from_details(
        details: &CookieDetails,
        now: Time,
    ) -> Result<CanonicalCookie, CookieInclusionStatus> {
        let url = details_url(details)?;
        Self::from_details_and_url(details, &url, now)
    }

    /// [`from_details`](Self::from_details) with `details.url` already
    /// parsed by [`details_url`] (or read as a [`PlainUrl`](super::PlainUrl)).
    pub(crate) fn from_details_and_url(
        details: &CookieDetails,
        url: &(impl UrlParts + ?Sized),
        now: Time,
    ) -> Result<CanonicalCookie, CookieInclusionStatus> {
        let name = details.name.as_deref().unwrap_or("");
        let value = details.value.as_deref().unwrap_or("");
        let domain = details.domain.as_deref().unwrap_or("");
        let path = details.path.as_deref().unwrap_or("");
        let same_site = details.same_site.unwrap_or(CookieSameSite::Lax);
        let secure = details
            .secure
            .unwrap_or(same_site == CookieSameSite::NoRestriction);
        let mut status = CookieInclusionStatus::include();

        if parse::parse_token_string(name) != name
            || parse::parse_value_string(value) != value
            || parse::parse_value_string(path) != path
        {
            status.add(ExclusionReason::DisallowedCharacter);
        }
        if let Err(r) = parse::check_name_value_pair(name, value) {
            status.add(r);
        }
        let mut domain_ok = true;
        if parse::parse_value_string(domain) != domain
            || !parse::attribute_value_has_valid_char_set(domain)
        {
            status.add(ExclusionReason::InvalidDomain);
            domain_ok = false;
        }
        if domain.len() > MAX_ATTRIBUTE_VALUE_SIZE {
            status.add(ExclusionReason::AttributeValueExceedsMaxSize);
            domain_ok = false;
        }
        let domain_attr = if domain_ok { domain } else { "" };
        let cookie_domain = cookie_domain(url, domain_attr);
        if cookie_domain.is_none() {
            status.add(ExclusionReason::InvalidDomain);
        }
        let cookie_path = canon_path(url, path);
        let encoded_path = encode_path(&cookie_path);
        if !path.is_empty() {
            if cookie_path != path {
                status.add(ExclusionReason::FailureToStore);
            } else if encoded_path.as_ref().unwrap_or(&cookie_path).len() > MAX_ATTRIBUTE_VALUE_SIZE {
                status.add(ExclusionReason::AttributeValueExceedsMaxSize);
            }
        }
        if !prefix_valid(name, url, secure, domain_attr, &cookie_path) {
            status.add(ExclusionReason::InvalidPrefix);
        }
        if name.is_empty() && has_hidden_prefix_name(value) {
            status.add(ExclusionReason::InvalidPrefix);
        }
        // Electron's ParseTimeProperty: absent is null, 0 is the Unix epoch.
        let creation = details.creation_date.and_then(time::from_unix_seconds);
        let last_access = details.last_access_date.and_then(time::from_unix_seconds);
        if last_access.is_some() && creation.is_none() {
            status.add(ExclusionReason::FailureToStore);
        }
        if !status.is_include() {
            return Err(status);
        }
        let creation = creation.unwrap_or(now);
        Ok(CanonicalCookie {
            name: name.to_string(),
            value: value.to_string(),
            domain: cookie_domain.unwrap_or_default(),
            path: encoded_path.unwrap_or(cookie_path),
            creation,
            expiry: cap_expiry(
                details.expiration_date.and_then(time::from_unix_seconds),
                creation,
            ),
            // Chromium leaves an unset last-access time null.
            last_access: last_access.unwrap_or(0),
            last_update: now,
            secure,
            http_only: details.http_only.unwrap_or(false),
            same_site,
            priority: CookiePriority::Medium,
            source_scheme: source_scheme(url, secure),
            source_port: source_port(url, secure),
        })
    }

    /// True when the cookie has no Domain attribute (its domain is a host).
    pub fn is_host_only(&self) -> bool {
        !self.domain.starts_with('.')
    }

    /// True for a cookie with an expiry (kept across restarts).
    pub fn is_persistent(&self) -> bool {
        self.expiry.is_some()
    }

    /// True when the expiry is at or before `now`.
    pub fn is_expired(&self, now: Time) -> bool {
        self.expiry.is_some_and(|e| now >= e)
    }

    /// The domain without its leading dot.
    pub fn domain_without_dot(&self) -> &str {
        self.domain.strip_prefix('.').unwrap_or(&self.domain)
    }

    /// Electron's `expirationDate`: the expiry as Unix seconds.
    pub fn expiration_date(&self) -> Option<f64> {
        self.expiry.map(time::to_unix_seconds)
    }

    /// Whether this cookie would be sent to `host` (see [`domain_match`]).
    pub fn is_domain_match(&self, host: &str) -> bool {
        domain_match(&self.domain, host)
    }

    /// Two cookies with the same name, domain and path replace each other
    /// (`IsEquivalent`).
    pub fn is_equivalent(&self, other: &CanonicalCookie) -> bool {
        self.name == other.name && self.domain == other.domain && self.path == other.path
    }

    /// `IsEquivalentForSecureCookieMatching`: the "leave secure cookies
    /// alone" test. Same name, domains that domain-match one way or the
    /// other, and this cookie's path on the secure cookie's path.
    pub fn is_equivalent_for_secure_cookie_matching(&self, secure: &CanonicalCookie) -> bool {
        let sub = |a: &str, b: &str| a == b || a.ends_with(&format!(".{b}"));
        let (mine, theirs) = (self.domain_without_dot(), secure.domain_without_dot());
        self.name == secure.name
            && (sub(mine, theirs) || sub(theirs, mine))
            && path_match(&secure.path, &self.path)
    }

    /// True when a page could not tell the two cookies apart
    /// (`IsWebEquivalentTo`): equivalent, with the same value, Secure,
    /// SameSite, HttpOnly and expiry.
    pub fn is_web_equivalent_to(&self, other: &CanonicalCookie) -> bool {
        self.is_equivalent(other)
            && self.value == other.value
            && self.secure == other.secure
            && self.same_site == other.same_site
            && self.http_only == other.http_only
            && self.expiry == other.expiry
    }

    /// Whether this cookie may be sent with a request to `url`
    /// (`IncludeForRequestURL`).
    ///
    /// Checks, each adding its reason: HttpOnly against script access
    /// (`HttpOnly`); Secure against URLs that may not see Secure cookies,
    /// localhost excepted (`SecureOnly`); domain (`DomainMismatch`); path
    /// (`NotOnPath`); SameSite against the context, an unspecified SameSite
    /// counting as Lax (`SameSiteStrict`, `SameSiteLax`,
    /// `SameSiteUnspecifiedTreatedAsLax`); and SameSite=None without Secure
    /// (`SameSiteNoneInsecure`).
    pub fn include_for_url(&self, url: &(impl UrlParts + ?Sized), options: &CookieOptions) -> CookieInclusionStatus {
        let mut status = CookieInclusionStatus::include();
        if self.http_only && !options.include_http_only {
            status.add(ExclusionReason::HttpOnly);
        }
        if self.secure && !is_secure_access_allowed(url) {
            status.add(ExclusionReason::SecureOnly);
        }
        if !self.is_domain_match(&url_host_ref(url)) {
            status.add(ExclusionReason::DomainMismatch);
        }
        if !path_match(&self.path, url.path()) {
            status.add(ExclusionReason::NotOnPath);
        }
        let ctx = options.same_site_context;
        match self.same_site {
            CookieSameSite::Strict if ctx < SameSiteContext::SameSiteStrict => {
                status.add(ExclusionReason::SameSiteStrict)
            }
            CookieSameSite::Lax if ctx < SameSiteContext::SameSiteLax => {
                status.add(ExclusionReason::SameSiteLax)
            }
            CookieSameSite::Unspecified if ctx < SameSiteContext::SameSiteLax => {
                status.add(ExclusionReason::SameSiteUnspecifiedTreatedAsLax)
            }
            CookieSameSite::NoRestriction if !self.secure => {
                status.add(ExclusionReason::SameSiteNoneInsecure)
            }
            _ => {}
        }
        status
    }

    /// Whether this cookie may be stored from `url` in this context
    /// (`IsSetPermittedInContext`): Secure from a URL allowed Secure
    /// cookies, HttpOnly only by HTTP access, SameSite against the context
    /// (setting treats a Lax context as enough for Strict and Lax cookies,
    /// as Chromium's set path does), and SameSite=None only with Secure.
    pub fn is_set_permitted(&self, url: &(impl UrlParts + ?Sized), options: &CookieOptions) -> CookieInclusionStatus {
        let mut status = CookieInclusionStatus::include();
        if self.secure && !is_secure_access_allowed(url) {
            status.add(ExclusionReason::SecureOnly);
        }
        if self.http_only && !options.include_http_only {
            status.add(ExclusionReason::HttpOnly);
        }
        let cross = options.same_site_context == SameSiteContext::CrossSite;
        match self.same_site {
            CookieSameSite::Strict if cross => status.add(ExclusionReason::SameSiteStrict),
            CookieSameSite::Lax if cross => status.add(ExclusionReason::SameSiteLax),
            CookieSameSite::Unspecified if cross => {
                status.add(ExclusionReason::SameSiteUnspecifiedTreatedAsLax)
            }
            CookieSameSite::NoRestriction if !self.secure => {
                status.add(ExclusionReason::SameSiteNoneInsecure)
            }
            _ => {}
        }
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The shortcut for plain paths answers as the URL parser does, for
    // every printable ASCII character and the dot segments.
    #[test]
    fn encode_path_shortcut_matches_the_url_parser() {
        let mut paths: Vec<String> = (0x20u8..0x7f).map(|b| format!("/a{}b/c", b as char)).collect();
        paths.extend(["/", "/a/./b", "/a/../b", "/a/.b", "/%2e/x", "/%2E%2e/x", "/a%20b", "/é", "a/b", "/a/b/"].map(String::from));
        for p in &paths {
            assert_eq!(encode_path(p).unwrap_or_else(|| p.clone()), encode_path_by_url(p), "{p:?}");
        }
    }
    use crate::cookies::time::UNIX_EPOCH_OFFSET_US;

    const NOW: Time = UNIX_EPOCH_OFFSET_US + 1_700_000_000 * SECOND;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn create(u: &str, line: &str) -> Result<CanonicalCookie, CookieInclusionStatus> {
        CanonicalCookie::create(&url(u), line, NOW, None)
    }

    fn reasons(r: &[ExclusionReason]) -> CookieInclusionStatus {
        let mut s = CookieInclusionStatus::include();
        for x in r {
            s.add(*x);
        }
        s
    }

    // A Domain attribute must domain-match the host within one registrable
    // domain and is stored with a leading dot; none gives a host-only
    // cookie. Rows from canonical_cookie_unittest.cc (Create, CreateInvalidDomain)
    // and cookie_util_unittest.cc (GetCookieDomainWithString).
    #[test]
    fn domain_attribute() {
        let rows: &[(&str, &str, Option<&str>)] = &[
            ("http://www.example.com/", "", Some("www.example.com")),
            ("http://www.example.com/", "example.com", Some(".example.com")),
            ("http://www.example.com/", ".example.com", Some(".example.com")),
            ("http://www.example.com/", "EXAMPLE.com", Some(".example.com")),
            ("http://www.example.com/", "www.example.com", Some(".www.example.com")),
            ("http://example.com/", ".example.com", Some(".example.com")),
            ("http://www.example.com/", "foo.example.com", None),
            ("http://www.example.com/", "other.com", None),
            ("http://www.example.com/", "ample.com", None),
            ("http://www.example.com/", "com", None),
            ("http://www.example.com/", ".com", None),
            ("http://www.example.co.uk/", "co.uk", None),
            ("http://co.uk/", "co.uk", Some("co.uk")),
            ("http://co.uk/", ".co.uk", Some("co.uk")),
            ("http://co.uk/", "CO.uk", Some("co.uk")),
            ("http://foo.github.io/", "github.io", None),
            ("http://1.2.3.4/", "", Some("1.2.3.4")),
            ("http://1.2.3.4/", "1.2.3.4", Some("1.2.3.4")),
            ("http://1.2.3.4/", ".1.2.3.4", Some("1.2.3.4")),
            ("http://1.2.3.4/", "2.3.4", None),
            ("http://[::1]/", "[::1]", Some("[::1]")),
            ("http://localhost/", "localhost", Some("localhost")),
            ("http://localhost/", ".localhost", Some("localhost")),
            ("http://localhost/", "other", None),
            ("http://www.example.com../", "example.com", None),
            ("http://intranet/", "intranet", Some("intranet")),
            ("http://intranet/", "Intranet", Some("intranet")),
            ("http://a.intranet/", "intranet", None),
            ("http://www.example.com/", "%65xample.com", None),
            ("http://www.xn--bcher-kva.ch/", "bücher.ch", Some(".xn--bcher-kva.ch")),
        ];
        for (u, attr, want) in rows {
            assert_eq!(
                cookie_domain(&url(u), attr).as_deref(),
                *want,
                "{u} Domain={attr}"
            );
        }
        let bad = create("http://www.example.com/", "a=b; domain=other.com").unwrap_err();
        assert!(bad.has_only(ExclusionReason::InvalidDomain), "{bad:?}");
    }

    // Without a Path attribute (or with one not starting with '/') the path
    // is the URL's directory (RFC 6265 default-path). Rows from
    // canonical_cookie_unittest.cc (CreationPath).
    #[test]
    fn default_path() {
        let rows: &[(&str, &str, &str)] = &[
            ("http://a.com/", "a=b", "/"),
            ("http://a.com/x", "a=b", "/"),
            ("http://a.com/x/", "a=b", "/x"),
            ("http://a.com/x/y/z?q=1", "a=b", "/x/y"),
            ("http://a.com/x/y", "a=b; path=/p", "/p"),
            ("http://a.com/x/y", "a=b; path=p", "/x"),
            ("http://a.com/x/y", "a=b; path=", "/x"),
        ];
        for (u, line, want) in rows {
            assert_eq!(create(u, line).unwrap().path, *want, "{u} {line}");
        }
    }

    // Path-match: a prefix ending at a '/' of either path. Rows from
    // cookie_util_unittest.cc / RFC 6265 5.1.4.
    #[test]
    fn path_matching() {
        let rows: &[(&str, &str, bool)] = &[
            ("/", "/", true),
            ("/", "/anything", true),
            ("/foo", "/foo", true),
            ("/foo", "/foo/bar", true),
            ("/foo/", "/foo/bar", true),
            ("/foo", "/foobar", false),
            ("/foo/", "/foo", false),
            ("/foo", "/", false),
            ("", "/", false),
        ];
        for (cookie, u, want) in rows {
            assert_eq!(path_match(cookie, u), *want, "{cookie} on {u}");
        }
    }

    // Domain-match: host-only cookies match their host only; domain cookies
    // also match subdomains. Rows from cookie_util_unittest.cc (IsDomainMatch).
    #[test]
    fn domain_matching() {
        let rows: &[(&str, &str, bool)] = &[
            ("example.com", "example.com", true),
            ("example.com", "www.example.com", false),
            (".example.com", "example.com", true),
            (".example.com", "www.example.com", true),
            (".example.com", "a.b.example.com", true),
            (".example.com", "badexample.com", false),
            (".example.com", "example.org", false),
            (".www.example.com", "example.com", false),
        ];
        for (domain, host, want) in rows {
            assert_eq!(domain_match(domain, host), *want, "{domain} ~ {host}");
        }
    }

    // A Secure cookie from localhost over HTTP is recorded as if set over
    // HTTPS: secure source scheme and port 443 (GetAndAdjustPortForTrustworthyUrls).
    #[test]
    fn source_scheme_and_port() {
        let rows: &[(&str, &str, CookieSourceScheme, i32)] = &[
            ("http://a.com/", "a=b", CookieSourceScheme::NonSecure, 80),
            ("http://a.com:8080/", "a=b", CookieSourceScheme::NonSecure, 8080),
            ("https://a.com/", "a=b", CookieSourceScheme::Secure, 443),
            ("http://localhost/", "a=b; Secure", CookieSourceScheme::Secure, 443),
            ("http://localhost:3000/", "a=b; Secure", CookieSourceScheme::Secure, 3000),
            ("http://localhost/", "a=b", CookieSourceScheme::NonSecure, 80),
        ];
        for (u, line, scheme, port) in rows {
            let c = create(u, line).unwrap();
            assert_eq!((c.source_scheme, c.source_port), (*scheme, *port), "{u} {line}");
        }
    }

    // Secure can be set only from a secure URL, or localhost (potentially
    // trustworthy). Rows from canonical_cookie_unittest.cc (CreateWithSecure)
    // and cookie_monster_unittest.cc (SetSecureCookiesFromLocalhost).
    #[test]
    fn secure_from_insecure_url() {
        let rows: &[(&str, bool)] = &[
            ("https://a.com/", true),
            ("wss://a.com/", true),
            ("http://a.com/", false),
            ("ws://a.com/", false),
            ("http://localhost/", true),
            ("http://sub.localhost/", true),
            ("http://127.0.0.1/", true),
            ("http://127.1.2.3/", true),
            ("http://[::1]/", true),
            ("http://128.0.0.1/", false),
        ];
        for (u, ok) in rows {
            let got = create(u, "a=b; Secure");
            match ok {
                true => assert!(
                    got.as_ref().is_ok_and(|c| c.secure && c.source_scheme == CookieSourceScheme::Secure),
                    "{u}: {got:?}"
                ),
                false => assert_eq!(
                    got.err(),
                    Some(ExclusionReason::SecureOnly.into()),
                    "{u}"
                ),
            }
        }
    }

    // __Secure- needs Secure from a cryptographic URL (not localhost);
    // __Host- also needs no Domain and Path=/; prefixes compare without case; an empty name must not hide
    // a prefix in its value. Rows from canonical_cookie_unittest.cc
    // (SecureCookiePrefix, HostCookiePrefix, HiddenPrefix).
    #[test]
    fn prefixes() {
        use ExclusionReason::*;
        let https = "https://www.example.com/";
        let http = "http://www.example.com/";
        let rows: &[(&str, &str, Option<CookieInclusionStatus>)] = &[
            (https, "__Secure-A=B; Secure", None),
            (https, "__Secure-A=B", Some(reasons(&[InvalidPrefix]))),
            (https, "__secure-A=B", Some(reasons(&[InvalidPrefix]))),
            (https, "__SECURE-A=B; Secure", None),
            (http, "__Secure-A=B; Secure", Some(reasons(&[SecureOnly, InvalidPrefix]))),
            (https, "__SecureA=B", None),
            (https, "__Host-A=B; Secure; Path=/", None),
            (https, "__Host-A=B; Secure", Some(reasons(&[InvalidPrefix]))),
            (https, "__Host-A=B; Path=/", Some(reasons(&[InvalidPrefix]))),
            (https, "__Host-A=B; Secure; Path=/foo", Some(reasons(&[InvalidPrefix]))),
            (
                https,
                "__Host-A=B; Secure; Path=/; Domain=example.com",
                Some(reasons(&[InvalidPrefix])),
            ),
            (
                https,
                "__Host-A=B; Secure; Path=/; Domain=www.example.com",
                Some(reasons(&[InvalidPrefix])),
            ),
            (https, "__HOST-A=B; Secure; Path=/", None),
            (https, "__Host-A=B; Secure; Path=/; Domain=", None),
            (https, "__Host-A", Some(reasons(&[InvalidPrefix]))),
            (https, "=__Secure-A", Some(reasons(&[InvalidPrefix]))),
            (https, "= __host-A", Some(reasons(&[InvalidPrefix]))),
            (https, "=Secure-A", None),
            ("http://localhost/", "__Host-A=B; Secure; Path=/", Some(reasons(&[InvalidPrefix]))),
            ("http://localhost/", "__Secure-A=B; Secure", Some(reasons(&[InvalidPrefix]))),
            ("https://1.2.3.4/", "__Host-A=B; Secure; Path=/; Domain=1.2.3.4", None),
        ];
        for (u, line, want) in rows {
            assert_eq!(create(u, line).err(), *want, "{u} {line}");
        }
    }

    // SameSite=None without Secure is refused. Rows from
    // canonical_cookie_unittest.cc (IsSetPermittedInContext).
    #[test]
    fn same_site_none_needs_secure() {
        let rows: &[(&str, Option<CookieInclusionStatus>)] = &[
            ("a=b; SameSite=None", Some(ExclusionReason::SameSiteNoneInsecure.into())),
            ("a=b; SameSite=None; Secure", None),
            ("a=b; SameSite=Lax", None),
            ("a=b; SameSite=bogus", None),
            ("a=b; Partitioned", Some(ExclusionReason::InvalidPartitioned.into())),
            ("a=b; Partitioned; Secure", None),
        ];
        for (line, want) in rows {
            assert_eq!(create("https://a.com/", line).err(), *want, "{line}");
        }
        let local: &[(&str, Option<CookieInclusionStatus>)] = &[
            ("a=b; Partitioned; Secure", None),
            ("a=b; Partitioned", Some(ExclusionReason::InvalidPartitioned.into())),
        ];
        for (line, want) in local {
            assert_eq!(create("http://localhost/", line).err(), *want, "{line}");
        }
    }

    // Max-Age wins over Expires; Max-Age <= 0 means already expired; an
    // unparseable Max-Age falls back to Expires; an expiry is capped at 400
    // days. Rows from canonical_cookie_unittest.cc (CreateWithMaxAge,
    // TestSetCreationDate, ExpiryCap).
    #[test]
    fn expiry() {
        let in_400 = NOW + MAX_EXPIRY_AGE;
        let expires_2020 = time::from_utc_exploded(2020, 1, 1, 0, 0, 0);
        let rows: &[(&str, Option<Time>)] = &[
            ("a=b", None),
            ("a=b; max-age=60", Some(NOW + 60 * SECOND)),
            ("a=b; max-age=+60", Some(NOW + 60 * SECOND)),
            ("a=b; max-age=0", Some(TIME_MIN)),
            ("a=b; max-age=-1", Some(TIME_MIN)),
            ("a=b; max-age=60abc", None),
            ("a=b; max-age=6 0", None),
            ("a=b; max-age=60abc; expires=Wed, 01 Jan 2020 00:00:00 GMT", expires_2020),
            ("a=b; max-age=abc", None),
            ("a=b; max-age=", None),
            ("a=b; max-age=99999999999999999999", Some(in_400)),
            ("a=b; max-age=-99999999999999999999", Some(TIME_MIN)),
            ("a=b; max-age=999999999", Some(in_400)),
            ("a=b; expires=Wed, 01 Jan 2020 00:00:00 GMT", expires_2020),
            ("a=b; expires=Wed, 01 Jan 2020 00:00:00 GMT; max-age=60", Some(NOW + 60 * SECOND)),
            ("a=b; max-age=60; expires=Wed, 01 Jan 2020 00:00:00 GMT", Some(NOW + 60 * SECOND)),
            ("a=b; max-age=x; expires=Wed, 01 Jan 2020 00:00:00 GMT", expires_2020),
            ("a=b; expires=Fri, 01 Jan 2100 00:00:00 GMT", Some(in_400)),
            ("a=b; expires=garbage", None),
        ];
        for (line, want) in rows {
            assert_eq!(create("http://a.com/", line).unwrap().expiry, *want, "{line}");
        }
        // An Expires date is moved by the server's clock skew.
        let skewed = CanonicalCookie::create(
            &url("http://a.com/"),
            "a=b; expires=Wed, 01 Jan 2020 00:00:00 GMT",
            NOW,
            Some(NOW - 10 * SECOND),
        )
        .unwrap();
        assert_eq!(skewed.expiry, expires_2020.map(|t| t + 10 * SECOND));
    }

    // Electron's cookies.set(details): domain cookies get a leading dot, no
    // domain is host-only, secure defaults from sameSite, and each bad input
    // has Electron's reason. Rows follow Electron's api-session-spec and
    // canonical_cookie_unittest.cc (CreateSanitizedCookie_Logic).
    #[test]
    fn from_details() {
        use ExclusionReason::*;
        let d = |f: &dyn Fn(&mut CookieDetails)| {
            let mut d = CookieDetails {
                url: "https://www.example.com/a/b".into(),
                name: Some("n".into()),
                value: Some("v".into()),
                ..Default::default()
            };
            f(&mut d);
            d
        };
        let ok = CanonicalCookie::from_details(&d(&|_| {}), NOW).unwrap();
        assert_eq!(
            (ok.domain.as_str(), ok.path.as_str(), ok.secure, ok.same_site, ok.expiry),
            ("www.example.com", "/a", false, CookieSameSite::Lax, None)
        );
        let dom = CanonicalCookie::from_details(&d(&|d| d.domain = Some("example.com".into())), NOW)
            .unwrap();
        assert_eq!(dom.domain, ".example.com");
        assert!(!dom.is_host_only());
        let none = CanonicalCookie::from_details(
            &d(&|d| d.same_site = Some(CookieSameSite::NoRestriction)),
            NOW,
        )
        .unwrap();
        assert!(none.secure);
        let exp = CanonicalCookie::from_details(&d(&|d| d.expiration_date = Some(1_700_000_060.5)), NOW)
            .unwrap();
        assert_eq!(exp.expiration_date(), Some(1_700_000_060.5));
        let epoch = CanonicalCookie::from_details(&d(&|d| d.expiration_date = Some(0.0)), NOW).unwrap();
        assert!(epoch.is_expired(NOW));
        assert_eq!((ok.creation, ok.last_access, ok.last_update), (NOW, 0, NOW));
        let spaced = CanonicalCookie::from_details(&d(&|d| d.path = Some("/a b".into())), NOW).unwrap();
        assert_eq!(spaced.path, "/a%20b");

        let rows: &[(CookieDetails, CookieInclusionStatus)] = &[
            (d(&|d| d.url = "not a url".into()), reasons(&[InvalidDomain])),
            (d(&|d| d.domain = Some("other.com".into())), reasons(&[InvalidDomain])),
            (d(&|d| d.domain = Some("a.com;x".into())), reasons(&[InvalidDomain])),
            (d(&|d| d.domain = Some(" example.com".into())), reasons(&[InvalidDomain])),
            (d(&|d| d.name = Some("a;b".into())), reasons(&[DisallowedCharacter])),
            (d(&|d| d.name = Some(" n".into())), reasons(&[DisallowedCharacter])),
            (d(&|d| d.value = Some("v\x01".into())), reasons(&[DisallowedCharacter])),
            (
                d(&|d| {
                    d.name = None;
                    d.value = None
                }),
                reasons(&[NoCookieContent]),
            ),
            (
                d(&|d| d.value = Some("x".repeat(4096))),
                reasons(&[NameValuePairExceedsMaxSize]),
            ),
            (d(&|d| d.path = Some("nope".into())), reasons(&[FailureToStore])),
            (
                d(&|d| d.path = Some(format!("/{}", "p".repeat(1024)))),
                reasons(&[AttributeValueExceedsMaxSize]),
            ),
            (
                d(&|d| d.domain = Some("a".repeat(1025))),
                reasons(&[AttributeValueExceedsMaxSize]),
            ),
            (d(&|d| d.name = Some("__Host-n".into())), reasons(&[InvalidPrefix])),
            (d(&|d| d.last_access_date = Some(1.0)), reasons(&[FailureToStore])),
        ];
        for (details, want) in rows {
            assert_eq!(
                CanonicalCookie::from_details(details, NOW).err(),
                Some(*want),
                "{details:?}"
            );
        }
    }

    // A cookie is sent only where Secure, HttpOnly, domain, path and
    // SameSite allow. Rows from canonical_cookie_unittest.cc
    // (IncludeForRequestURL, IncludeForRequestURLSameSite).
    #[test]
    fn include_for_request_url() {
        use ExclusionReason::*;
        use SameSiteContext as Ctx;
        let opts = |http: bool, ctx: SameSiteContext| CookieOptions {
            include_http_only: http,
            same_site_context: ctx,
            update_access_time: false,
        };
        let rows: &[(&str, &str, &str, CookieOptions, CookieInclusionStatus)] = &[
            ("https://www.a.com/", "a=b", "https://www.a.com/", opts(true, Ctx::SameSiteStrict), reasons(&[])),
            ("https://www.a.com/", "a=b; Secure", "http://www.a.com/", opts(true, Ctx::SameSiteStrict), reasons(&[SecureOnly])),
            ("http://localhost/", "a=b; Secure", "http://localhost/", opts(true, Ctx::SameSiteStrict), reasons(&[])),
            ("https://www.a.com/", "a=b; HttpOnly", "https://www.a.com/", opts(false, Ctx::SameSiteStrict), reasons(&[HttpOnly])),
            ("https://www.a.com/", "a=b", "https://sub.www.a.com/", opts(true, Ctx::SameSiteStrict), reasons(&[DomainMismatch])),
            ("https://www.a.com/", "a=b; domain=a.com", "https://sub.a.com/", opts(true, Ctx::SameSiteStrict), reasons(&[])),
            ("https://www.a.com/", "a=b; path=/x", "https://www.a.com/y", opts(true, Ctx::SameSiteStrict), reasons(&[NotOnPath])),
            ("https://www.a.com/", "a=b; SameSite=Strict", "https://www.a.com/", opts(true, Ctx::SameSiteLax), reasons(&[SameSiteStrict])),
            ("https://www.a.com/", "a=b; SameSite=Lax", "https://www.a.com/", opts(true, Ctx::SameSiteLax), reasons(&[])),
            ("https://www.a.com/", "a=b; SameSite=Lax", "https://www.a.com/", opts(true, Ctx::CrossSite), reasons(&[SameSiteLax])),
            ("https://www.a.com/", "a=b", "https://www.a.com/", opts(true, Ctx::CrossSite), reasons(&[SameSiteUnspecifiedTreatedAsLax])),
            ("https://www.a.com/", "a=b; SameSite=None; Secure", "https://www.a.com/", opts(true, Ctx::CrossSite), reasons(&[])),
            ("https://www.a.com/", "a=b; Secure; HttpOnly; path=/x", "http://www.a.com/", opts(false, Ctx::SameSiteStrict), reasons(&[HttpOnly, SecureOnly, NotOnPath])),
        ];
        for (set_url, line, get_url, o, want) in rows {
            let c = create(set_url, line).unwrap();
            assert_eq!(c.include_for_url(&url(get_url), o), *want, "{line} -> {get_url}");
        }
    }
}

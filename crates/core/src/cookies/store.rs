//! The in-memory cookie store of a session, after Chromium's `CookieMonster`
//! (`net/cookies/cookie_monster.cc`): uniqueness, the "leave secure cookies
//! alone" rule, Cookie-header order, throttled last-access updates, expiry,
//! and Chromium's eviction by domain and globally.
//!
//! Every method takes the current time, so that tests control the clock;
//! callers pass [`time::now()`](super::time::now).

use std::collections::HashMap;

use url::Url;

use super::canonical::{self, CanonicalCookie, CookieDetails, CookieOptions, SameSiteContext};
use crate::plain_url::{UrlParts, PlainUrl};
use super::status::{CookieInclusionStatus, ExclusionReason};
use super::time::{Time, DAY, MINUTE};
use super::CookiePriority;

/// Most cookies kept per registrable domain before eviction starts.
pub const DOMAIN_MAX_COOKIES: usize = 180;
/// How many a domain eviction removes: it purges down to 150.
pub const DOMAIN_PURGE_COOKIES: usize = 30;
/// Most cookies kept in all before global eviction starts.
pub const MAX_COOKIES: usize = 3300;
/// How many a global eviction removes: it purges down to 3000.
pub const PURGE_COOKIES: usize = 300;
/// Cookies of each priority a domain eviction leaves, most recently used
/// first (Chromium's quotas; they add up to 150).
pub const DOMAIN_COOKIES_QUOTA_LOW: usize = 30;
pub const DOMAIN_COOKIES_QUOTA_MEDIUM: usize = 50;
pub const DOMAIN_COOKIES_QUOTA_HIGH: usize = 70;
/// Cookies used within this time are never evicted globally.
pub const SAFE_FROM_GLOBAL_PURGE: Time = 30 * DAY;
/// Reading a cookie refreshes its last-access time at most this often.
pub const LAST_ACCESS_THRESHOLD: Time = MINUTE;

/// Why a cookie changed: Chromium's `CookieChangeCause`, named as Electron's
/// `changed` event reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CookieChangeCause {
    /// A new cookie, or one whose value changed.
    Inserted,
    /// A cookie identical to the one it replaced.
    InsertedNoChangeOverwrite,
    /// Same value as the cookie it replaced, other attributes changed.
    InsertedNoValueChangeOverwrite,
    /// Deleted by a caller (`cookies.remove`).
    Explicit,
    /// Replaced by a cookie with another value.
    Overwrite,
    /// Deleted because it expired.
    Expired,
    /// Deleted by eviction.
    Evicted,
    /// Deleted by a cookie set with an expiry in the past.
    ExpiredOverwrite,
}

impl CookieChangeCause {
    /// Electron's string for the cause.
    pub fn as_electron_str(self) -> &'static str {
        match self {
            Self::Inserted => "inserted",
            Self::InsertedNoChangeOverwrite => "inserted-no-change-overwrite",
            Self::InsertedNoValueChangeOverwrite => "inserted-no-value-change-overwrite",
            Self::Explicit => "explicit",
            Self::Overwrite => "overwrite",
            Self::Expired => "expired",
            Self::Evicted => "evicted",
            Self::ExpiredOverwrite => "expired-overwrite",
        }
    }

    /// True for the causes that remove a cookie (Electron's `removed`).
    pub fn is_deletion(self) -> bool {
        !matches!(
            self,
            Self::Inserted | Self::InsertedNoChangeOverwrite | Self::InsertedNoValueChangeOverwrite
        )
    }
}

/// One change, as Electron's `changed` event carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieChange {
    pub cookie: CanonicalCookie,
    pub cause: CookieChangeCause,
}

impl CookieChange {
    /// Electron's `removed` argument.
    pub fn removed(&self) -> bool {
        self.cause.is_deletion()
    }
}

/// Electron's `cookies.get(filter)`; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieFilter {
    /// Only cookies that would be sent to this URL (HttpOnly included, any
    /// SameSite). An empty string means all cookies, as in Electron.
    pub url: Option<String>,
    pub name: Option<String>,
    /// Only cookies that would be sent to this host (`IsDomainMatch`).
    pub domain: Option<String>,
    pub path: Option<String>,
    pub secure: Option<bool>,
    /// `true`: session cookies only; `false`: persistent only.
    pub session: Option<bool>,
    pub http_only: Option<bool>,
}

/// Where a store writes persistent cookies (Chromium's
/// `CookieMonster::PersistentCookieStore`). Session cookies never reach it.
pub trait PersistentCookieStore: Send {
    fn add_cookie(&mut self, cookie: &CanonicalCookie);
    fn update_cookie_access_time(&mut self, cookie: &CanonicalCookie);
    fn delete_cookie(&mut self, cookie: &CanonicalCookie);
    /// Writes everything queued and returns once it is on disk.
    ///
    /// # Errors
    /// `Failed` when the write fails. Default: nothing to write.
    fn flush(&mut self) -> crate::Result<()> {
        Ok(())
    }
}

/// The registrable domain a cookie domain is filed under
/// (`CookieMonster::GetKey`): its eTLD+1, or the host itself when it has
/// none; without a leading dot.
pub fn cookie_key(domain: &str) -> String {
    let d = canonical::domain_and_registry(domain);
    if d.is_empty() {
        domain.trim_start_matches('.').to_string()
    } else {
        d
    }
}

/// The `Cookie` request header for `cookies` in the given order:
/// `name=value` joined by `; `, a cookie with an empty name written as just
/// its value (`CanonicalCookie::BuildCookieLine`).
pub fn build_cookie_line(cookies: &[CanonicalCookie]) -> String {
    let mut line = String::new();
    for c in cookies {
        if !line.is_empty() {
            line.push_str("; ");
        }
        if !c.name.is_empty() {
            line.push_str(&c.name);
            line.push('=');
        }
        line.push_str(&c.value);
    }
    line
}

/// Cookie-header order: longer paths first, then older cookies first.
fn header_order(a: &CanonicalCookie, b: &CanonicalCookie) -> std::cmp::Ordering {
    b.path
        .len()
        .cmp(&a.path.len())
        .then(a.creation.cmp(&b.creation))
}

/// Least recently accessed first, ties broken by creation.
fn lru_order(a: &CanonicalCookie, b: &CanonicalCookie) -> std::cmp::Ordering {
    a.last_access
        .cmp(&b.last_access)
        .then(a.creation.cmp(&b.creation))
}

/// Identifies one stored cookie: its key bucket and name, domain, path.
type CookieId = (String, String, String, String);

fn id_of(key: &str, c: &CanonicalCookie) -> CookieId {
    (key.to_string(), c.name.clone(), c.domain.clone(), c.path.clone())
}

/// The cookie store of one session.
pub struct CookieMonster {
    /// Cookies by key ([`cookie_key`]), each bucket in insertion order. A
    /// hash map with a fixed hasher: lookups on every request and set, and
    /// the same order of buckets in every run.
    cookies: HashMap<String, Vec<CanonicalCookie>, foldhash::fast::FixedState>,
    count: usize,
    cookieable_schemes: Vec<String>,
    persistent: Option<Box<dyn PersistentCookieStore>>,
    pending: Vec<CookieChange>,
    /// No cookie was accessed before this time, as far as the store knows
    /// (Chromium's `earliest_access_time_`; 0 when unknown): the global
    /// eviction, which spares cookies accessed in the last 30 days, runs
    /// only while it is older than that. Set when loading and after each
    /// global eviction, lowered by inserts; accesses only make cookies newer.
    earliest_access: Time,
    /// Changes with every change to what [`get`](Self::get) can answer.
    generation: u32,
    /// Whether inserts are among the changes returned (each a copy of the
    /// cookie); see [`report_inserts`](Self::report_inserts).
    report_inserts: bool,
}

impl Default for CookieMonster {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for CookieMonster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CookieMonster")
            .field("count", &self.count)
            .field("persistent", &self.persistent.is_some())
            .finish()
    }
}

impl CookieMonster {
    /// An empty store kept only in memory.
    pub fn new() -> Self {
        CookieMonster {
            cookies: HashMap::with_hasher(foldhash::fast::FixedState::default()),
            count: 0,
            cookieable_schemes: ["http", "https", "ws", "wss"].map(String::from).to_vec(),
            persistent: None,
            pending: Vec::new(),
            earliest_access: 0,
            generation: 0,
            report_inserts: true,
        }
    }

    /// A store holding `loaded` (read from disk) that writes persistent
    /// changes to `store`. Of duplicates (same name, domain, path) the most
    /// recently created is kept, as Chromium does when loading.
    pub fn with_persistent_store(
        loaded: Vec<CanonicalCookie>,
        store: Box<dyn PersistentCookieStore>,
    ) -> Self {
        let mut m = Self::new();
        m.persistent = Some(store);
        let mut loaded = loaded;
        loaded.sort_by_key(|c| std::cmp::Reverse(c.creation));
        for c in loaded {
            let key = cookie_key(&c.domain);
            let bucket = m.cookies.entry(key).or_default();
            if bucket.iter().any(|e| e.is_equivalent(&c)) {
                if let Some(p) = m.persistent.as_mut() {
                    p.delete_cookie(&c);
                }
                continue;
            }
            if m.count == 0 || c.last_access < m.earliest_access {
                m.earliest_access = c.last_access;
            }
            bucket.push(c);
            m.count += 1;
        }
        m
    }

    /// Adds a scheme whose URLs may set and read cookies (the defaults are
    /// `http`, `https`, `ws`, `wss`).
    pub fn add_cookieable_scheme(&mut self, scheme: &str) {
        let s = scheme.to_ascii_lowercase();
        if !self.cookieable_schemes.contains(&s) {
            self.generation = self.generation.wrapping_add(1);
            self.cookieable_schemes.push(s);
        }
    }

    fn is_cookieable(&self, url: &(impl UrlParts + ?Sized)) -> bool {
        self.cookieable_schemes.iter().any(|s| s == url.scheme())
    }

    /// How many cookies the store holds, expired ones included until they
    /// are collected.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// A number that changes with every change to the store that can
    /// change what [`get`](Self::get) answers (a cookie added or deleted, a
    /// scheme made cookieable); reading never changes it, except for the
    /// expired cookies it deletes. A caller may keep an answer while it is
    /// unchanged and the answer's cookies have not expired.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// Whether the changes `set` returns include the inserted cookie (on by
    /// default). Off, nothing is copied for an insert: for a caller that
    /// would drop the changes unread.
    pub fn report_inserts(&mut self, on: bool) {
        self.report_inserts = on;
    }

    /// Changes made while reading (expired cookies found and deleted) since
    /// the last call; `set`, `remove` and `delete_all` return theirs.
    pub fn take_changes(&mut self) -> Vec<CookieChange> {
        std::mem::take(&mut self.pending)
    }

    fn persist_add(&mut self, c: &CanonicalCookie) {
        if c.is_persistent() {
            if let Some(p) = self.persistent.as_mut() {
                p.add_cookie(c);
            }
        }
    }

    fn persist_delete(&mut self, c: &CanonicalCookie) {
        if c.is_persistent() {
            if let Some(p) = self.persistent.as_mut() {
                p.delete_cookie(c);
            }
        }
    }

    /// Removes the cookie `id` and records the change.
    fn delete(&mut self, id: &CookieId, cause: CookieChangeCause, out: &mut Vec<CookieChange>) {
        let Some(bucket) = self.cookies.get_mut(&id.0) else {
            return;
        };
        let Some(i) = bucket
            .iter()
            .position(|c| c.name == id.1 && c.domain == id.2 && c.path == id.3)
        else {
            return;
        };
        self.delete_at(&id.0, i, cause, out);
    }

    /// Removes the cookie at `i` in the bucket `key` and records the change.
    fn delete_at(&mut self, key: &str, i: usize, cause: CookieChangeCause, out: &mut Vec<CookieChange>) {
        let Some(bucket) = self.cookies.get_mut(key) else {
            return;
        };
        let cookie = bucket.remove(i);
        if bucket.is_empty() {
            self.cookies.remove(key);
        }
        self.count -= 1;
        self.generation = self.generation.wrapping_add(1);
        self.persist_delete(&cookie);
        out.push(CookieChange { cookie, cause });
    }

    /// Parses a Set-Cookie line received from `url` and stores it (see
    /// [`CanonicalCookie::create`] and [`set_canonical_cookie`](Self::set_canonical_cookie)).
    ///
    /// # Errors
    /// The reasons of either step.
    pub fn set_cookie_line(
        &mut self,
        url: &Url,
        line: &str,
        options: &CookieOptions,
        now: Time,
        server_time: Option<Time>,
    ) -> Result<Vec<CookieChange>, CookieInclusionStatus> {
        let cookie = CanonicalCookie::create(url, line, now, server_time)?;
        self.set_canonical_cookie(cookie, url, options, now)
    }

    /// Electron's `cookies.set(details)`: builds the cookie with
    /// [`CanonicalCookie::from_details`] and stores it as Electron does, as
    /// an HTTP access only when `httpOnly` is set (so that a script-style
    /// set cannot replace an HttpOnly cookie) and in a same-site context.
    ///
    /// # Errors
    /// A status whose `electron_set_error()` is Electron's rejection text.
    pub fn set_from_details(
        &mut self,
        details: &CookieDetails,
        now: Time,
    ) -> Result<Vec<CookieChange>, CookieInclusionStatus> {
        match PlainUrl::parse(&details.url) {
            Some(url) => self.set_from_details_and_url(details, &url, now),
            None => {
                let url = canonical::details_url(details)?;
                self.set_from_details_and_url(details, &url, now)
            }
        }
    }

    fn set_from_details_and_url(
        &mut self,
        details: &CookieDetails,
        url: &(impl UrlParts + ?Sized),
        now: Time,
    ) -> Result<Vec<CookieChange>, CookieInclusionStatus> {
        let cookie = CanonicalCookie::from_details_and_url(details, url, now)?;
        let options = CookieOptions {
            include_http_only: cookie.http_only,
            same_site_context: SameSiteContext::SameSiteStrict,
            update_access_time: false,
        };
        self.set_canonical_cookie(cookie, url, &options, now)
    }

    /// Stores `cookie`, set from `url` with `options`
    /// (`CookieMonster::SetCanonicalCookie`), and returns what changed.
    ///
    /// An equivalent cookie (same name, domain, path) is replaced: the old
    /// one is reported as `Overwrite`, then the new one as `Inserted`, or
    /// `InsertedNoValueChangeOverwrite` when the value is the same (the new
    /// cookie then keeps the old creation time), or
    /// `InsertedNoChangeOverwrite` when a page could not tell them apart. A
    /// cookie already expired is not stored but deletes its equivalent
    /// (`ExpiredOverwrite`). Eviction may follow
    /// (`Evicted`, `Expired`).
    ///
    /// # Errors
    /// `NoncookieableScheme` for a scheme without cookies; the reasons of
    /// [`CanonicalCookie::is_set_permitted`]; `OverwriteSecure` when a
    /// cookie from a URL not allowed Secure cookies would replace or shadow
    /// a Secure cookie of the same name (domain-matching either way, on its
    /// path); `OverwriteHttpOnly` when a non-HTTP access would replace an
    /// HttpOnly cookie.
    pub fn set_canonical_cookie(
        &mut self,
        mut cookie: CanonicalCookie,
        url: &(impl UrlParts + ?Sized),
        options: &CookieOptions,
        now: Time,
    ) -> Result<Vec<CookieChange>, CookieInclusionStatus> {
        let mut status = cookie.is_set_permitted(url, options);
        if !self.is_cookieable(url) {
            status.add(ExclusionReason::NoncookieableScheme);
        }
        let allowed_secure = canonical::is_secure_access_allowed(url);
        let key = cookie_key(&cookie.domain);
        let mut skipped_secure = false;
        let mut skipped_http_only = false;
        // Where the equivalent cookie is in the bucket.
        let mut to_replace: Option<usize> = None;
        for (i, existing) in self.cookies.get(&key).into_iter().flatten().enumerate() {
            if existing.secure
                && !allowed_secure
                && cookie.is_equivalent_for_secure_cookie_matching(existing)
            {
                skipped_secure = true;
            }
            if cookie.is_equivalent(existing) {
                if !options.include_http_only && existing.http_only {
                    skipped_http_only = true;
                } else {
                    to_replace = Some(i);
                }
            }
        }
        if skipped_secure {
            status.add(ExclusionReason::OverwriteSecure);
        }
        if skipped_http_only {
            status.add(ExclusionReason::OverwriteHttpOnly);
        }
        if !status.is_include() {
            return Err(status);
        }

        // As Chromium, "now" for this insert is the cookie's creation time
        // (set to `now` when missing).
        if cookie.creation == 0 {
            cookie.creation = now;
        }
        let creation = cookie.creation;
        let mut changes = Vec::new();
        let already_expired = cookie.is_expired(creation);
        let mut insert_cause = CookieChangeCause::Inserted;
        if let Some(i) = to_replace {
            let old = &self.cookies[&key][i];
            if old.value == cookie.value {
                cookie.creation = old.creation;
                insert_cause = CookieChangeCause::InsertedNoValueChangeOverwrite;
            }
            if old.is_web_equivalent_to(&cookie) {
                insert_cause = CookieChangeCause::InsertedNoChangeOverwrite;
            }
            let cause = if already_expired {
                CookieChangeCause::ExpiredOverwrite
            } else {
                CookieChangeCause::Overwrite
            };
            self.delete_at(&key, i, cause, &mut changes);
        }
        if !already_expired {
            // A lower bound still (Chromium leaves it be here, so a cookie
            // set with no last access would escape eviction).
            self.earliest_access = self.earliest_access.min(cookie.last_access);
            self.generation = self.generation.wrapping_add(1);
            self.persist_add(&cookie);
            if self.report_inserts {
                changes.push(CookieChange {
                    cookie: cookie.clone(),
                    cause: insert_cause,
                });
            }
            match self.cookies.get_mut(&key) {
                Some(bucket) => bucket.push(cookie),
                None => {
                    self.cookies.insert(key.clone(), vec![cookie]);
                }
            }
            self.count += 1;
        }
        self.garbage_collect(creation, &key, &mut changes);
        Ok(changes)
    }

    /// The cookies to send with a request to `url`, in Cookie-header order
    /// (longer paths first, then older first); see
    /// [`CanonicalCookie::include_for_url`]. Expired cookies met on the way
    /// are deleted (their changes wait in [`take_changes`](Self::take_changes)).
    /// With `options.update_access_time`, each returned cookie's last access
    /// becomes `now` unless it was refreshed less than a minute ago.
    pub fn get_for_url(&mut self, url: &Url, options: &CookieOptions, now: Time) -> Vec<CanonicalCookie> {
        let mut out = Vec::new();
        self.visit_for_url(url, options, now, |c| out.push(c.clone()));
        out
    }

    /// [`get_for_url`](Self::get_for_url) handing each cookie to `f` in
    /// order instead of copying it out.
    ///
    /// Returns the earliest expiry of a cookie the URL's bucket still
    /// holds: the soonest time the answer can change without a change to
    /// the store (`None` when none of them expires).
    fn visit_for_url(
        &mut self,
        url: &(impl UrlParts + ?Sized),
        options: &CookieOptions,
        now: Time,
        mut f: impl FnMut(&CanonicalCookie),
    ) -> Option<Time> {
        if !self.is_cookieable(url) {
            return None;
        }
        let host = url.host_str().unwrap_or("");
        let key = if host.bytes().any(|b| b.is_ascii_uppercase()) {
            cookie_key(&host.to_ascii_lowercase())
        } else {
            cookie_key(host)
        };
        let mut changes = Vec::new();
        let expired: Vec<CookieId> = self
            .cookies
            .get(&key)
            .into_iter()
            .flatten()
            .filter(|c| c.is_expired(now))
            .map(|c| id_of(&key, c))
            .collect();
        for id in &expired {
            self.delete(id, CookieChangeCause::Expired, &mut changes);
        }
        self.pending.append(&mut changes);
        let Some(bucket) = self.cookies.get_mut(&key) else {
            return None;
        };
        // Indices of the cookies sent, in bucket order.
        let mut included = Vec::new();
        let mut touched = Vec::new();
        let mut earliest_expiry: Option<Time> = None;
        for (i, c) in bucket.iter_mut().enumerate() {
            if let Some(e) = c.expiry {
                earliest_expiry = Some(earliest_expiry.map_or(e, |x| x.min(e)));
            }
            if !c.include_for_url(url, options).is_include() {
                continue;
            }
            if options.update_access_time && now - c.last_access >= LAST_ACCESS_THRESHOLD {
                c.last_access = now;
                if c.is_persistent() {
                    touched.push(c.clone());
                }
            }
            included.push(i);
        }
        if let Some(p) = self.persistent.as_mut() {
            for c in &touched {
                p.update_cookie_access_time(c);
            }
        }
        let bucket = &self.cookies[&key];
        // A stable sort, as over the copies before.
        included.sort_by(|&a, &b| header_order(&bucket[a], &bucket[b]));
        for i in included {
            f(&bucket[i]);
        }
        earliest_expiry
    }

    /// The `Cookie` header value for a request to `url`, or `None` when no
    /// cookie applies.
    pub fn cookie_header_for_url(&mut self, url: &Url, options: &CookieOptions, now: Time) -> Option<String> {
        let cookies = self.get_for_url(url, options, now);
        (!cookies.is_empty()).then(|| build_cookie_line(&cookies))
    }

    /// Every cookie, expired ones deleted first, in Cookie-header order
    /// (`GetAllCookies`).
    pub fn get_all(&mut self, now: Time) -> Vec<CanonicalCookie> {
        let mut changes = Vec::new();
        self.collect_expired_everywhere(now, &mut changes);
        self.pending.append(&mut changes);
        self.all_in_header_order().into_iter().cloned().collect()
    }

    /// Every cookie in Cookie-header order; ties in key order, then in
    /// insertion order (the order of an ordered map of buckets, stably sorted).
    fn all_in_header_order(&self) -> Vec<&CanonicalCookie> {
        let mut all: Vec<(&str, &CanonicalCookie)> = self
            .cookies
            .iter()
            .flat_map(|(k, b)| b.iter().map(move |c| (k.as_str(), c)))
            .collect();
        all.sort_by(|a, b| header_order(a.1, b.1).then_with(|| a.0.cmp(b.0)));
        all.into_iter().map(|(_, c)| c).collect()
    }

    /// Electron's `cookies.get(filter)`: with a URL, the cookies that would
    /// be sent to it (HttpOnly included, any SameSite, last access left
    /// alone); without one, all cookies; then filtered by name, path (equal),
    /// domain (the cookie would be sent to that host), secure, session and
    /// httpOnly. A URL that does not parse matches no cookie.
    pub fn get(&mut self, filter: &CookieFilter, now: Time) -> Vec<CanonicalCookie> {
        let mut out = Vec::new();
        self.visit(filter, now, |c| out.push(c.clone()));
        out
    }

    /// [`get`](Self::get) handing each cookie to `f` in order instead of
    /// copying it out. With a URL, returns what
    /// [`visit_for_url`](Self::visit_for_url) does: the earliest expiry of
    /// a cookie that could be answered for that URL; else `None`.
    pub fn visit(&mut self, filter: &CookieFilter, now: Time, mut f: impl FnMut(&CanonicalCookie)) -> Option<Time> {
        let keep = |c: &CanonicalCookie| {
            filter.name.as_ref().is_none_or(|n| *n == c.name)
                && filter.path.as_ref().is_none_or(|p| *p == c.path)
                && filter.domain.as_ref().is_none_or(|d| c.is_domain_match(d))
                && filter.secure.is_none_or(|s| s == c.secure)
                && filter.session.is_none_or(|s| s != c.is_persistent())
                && filter.http_only.is_none_or(|h| h == c.http_only)
        };
        match filter.url.as_deref().filter(|u| !u.is_empty()) {
            Some(u) => {
                let options = CookieOptions {
                    update_access_time: false,
                    ..CookieOptions::all_inclusive()
                };
                let f = |c: &CanonicalCookie| {
                    if keep(c) {
                        f(c);
                    }
                };
                if let Some(url) = PlainUrl::parse(u) {
                    return self.visit_for_url(&url, &options, now, f);
                }
                let url = Url::parse(u).ok()?;
                self.visit_for_url(&url, &options, now, f)
            }
            None => {
                let mut changes = Vec::new();
                self.collect_expired_everywhere(now, &mut changes);
                self.pending.append(&mut changes);
                for c in self.all_in_header_order() {
                    if keep(c) {
                        f(c);
                    }
                }
                None
            }
        }
    }

    /// Electron's `cookies.remove(url, name)`: deletes every cookie named
    /// `name` that would be sent to `url` (any SameSite, HttpOnly included).
    pub fn remove(&mut self, url: &Url, name: &str) -> Vec<CookieChange> {
        let options = CookieOptions {
            update_access_time: false,
            ..CookieOptions::all_inclusive()
        };
        self.delete_matching(|c| c.name == name && c.include_for_url(url, &options).is_include())
    }

    /// Electron's `cookies.flushStore()`: writes what the persistent store
    /// has queued and returns once it is committed; nothing to do for an
    /// in-memory store.
    ///
    /// # Errors
    /// The persistent store's write error.
    pub fn flush_store(&mut self) -> crate::Result<()> {
        match self.persistent.as_mut() {
            Some(p) => p.flush(),
            None => Ok(()),
        }
    }

    /// The cookies for which `pred` is true, in key order, then insertion
    /// order (so that their changes are reported in that order).
    fn ids_where(&self, pred: impl Fn(&CanonicalCookie) -> bool) -> Vec<CookieId> {
        let mut ids: Vec<CookieId> = self
            .cookies
            .iter()
            .flat_map(|(k, b)| b.iter().map(move |c| (k, c)))
            .filter(|(_, c)| pred(c))
            .map(|(k, c)| id_of(k, c))
            .collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        ids
    }

    /// Deletes every cookie for which `pred` is true (`Explicit`).
    pub fn delete_matching(&mut self, pred: impl Fn(&CanonicalCookie) -> bool) -> Vec<CookieChange> {
        let ids = self.ids_where(pred);
        let mut changes = Vec::new();
        for id in &ids {
            self.delete(id, CookieChangeCause::Explicit, &mut changes);
        }
        changes
    }

    /// Deletes every cookie (`Explicit`).
    pub fn delete_all(&mut self) -> Vec<CookieChange> {
        self.delete_matching(|_| true)
    }

    fn collect_expired_everywhere(&mut self, now: Time, out: &mut Vec<CookieChange>) {
        let ids = self.ids_where(|c| c.is_expired(now));
        for id in &ids {
            self.delete(id, CookieChangeCause::Expired, out);
        }
    }

    /// Chromium's `GarbageCollect` after an insert under `key`.
    ///
    /// Per domain: over 180 cookies, expired ones go first, then the least
    /// recently used are evicted down to 150 in rounds — low priority
    /// non-secure, low secure, medium non-secure, high non-secure, medium
    /// secure, high secure — each round skipped while its priority has no
    /// more cookies than its quota (30 low, 50 medium, 70 high), and never
    /// taking a priority below its quota. Globally: over 3300 cookies,
    /// expired ones go first, then the least recently used down to 3000,
    /// non-secure before secure, sparing every cookie used in the last 30
    /// days.
    fn garbage_collect(&mut self, now: Time, key: &str, out: &mut Vec<CookieChange>) {
        if self.cookies.get(key).map_or(0, Vec::len) > DOMAIN_MAX_COOKIES {
            let expired: Vec<CookieId> = self.cookies[key]
                .iter()
                .filter(|c| c.is_expired(now))
                .map(|c| id_of(key, c))
                .collect();
            for id in &expired {
                self.delete(id, CookieChangeCause::Expired, out);
            }
            let mut live: Vec<CanonicalCookie> = self.cookies.get(key).cloned().unwrap_or_default();
            if live.len() > DOMAIN_MAX_COOKIES {
                let mut purge_goal = live.len() - (DOMAIN_MAX_COOKIES - DOMAIN_PURGE_COOKIES);
                live.sort_by(lru_order);
                const ROUNDS: [(CookiePriority, bool); 6] = [
                    (CookiePriority::Low, true),
                    (CookiePriority::Low, false),
                    (CookiePriority::Medium, true),
                    (CookiePriority::High, true),
                    (CookiePriority::Medium, false),
                    (CookiePriority::High, false),
                ];
                for (priority, protect_secure) in ROUNDS {
                    if purge_goal == 0 {
                        break;
                    }
                    let quota = match priority {
                        CookiePriority::Low => DOMAIN_COOKIES_QUOTA_LOW,
                        CookiePriority::Medium => DOMAIN_COOKIES_QUOTA_MEDIUM,
                        CookiePriority::High => DOMAIN_COOKIES_QUOTA_HIGH,
                    };
                    let victims =
                        purge_least_recent_matches(&mut live, priority, quota, purge_goal, protect_secure);
                    purge_goal -= victims.len();
                    for v in &victims {
                        self.delete(&id_of(key, v), CookieChangeCause::Evicted, out);
                    }
                }
            }
        }

        let safe_date = now.saturating_sub(SAFE_FROM_GLOBAL_PURGE);
        if self.count > MAX_COOKIES && self.earliest_access < safe_date {
            self.collect_expired_everywhere(now, out);
            if self.count > MAX_COOKIES {
                let purge_goal = self.count - (MAX_COOKIES - PURGE_COOKIES);
                // Victims are chosen over references, then deleted: every
                // cookie is looked at, only the victims are copied.
                let mut all: Vec<(&str, &CanonicalCookie)> = self
                    .cookies
                    .iter()
                    .flat_map(|(k, b)| b.iter().map(move |c| (k.as_str(), c)))
                    .collect();
                // Ties in key order, then insertion order, in every run.
                all.sort_by(|a, b| a.0.cmp(b.0));
                let (secure, non_secure): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, c)| c.secure);
                let non_secure_goal = purge_goal.min(non_secure.len());
                let mut victims = least_recently_accessed(&non_secure, non_secure_goal, safe_date);
                let secure_goal = (purge_goal - victims.len()).min(secure.len());
                victims.append(&mut least_recently_accessed(&secure, secure_goal, safe_date));
                for id in &victims {
                    self.delete(id, CookieChangeCause::Evicted, out);
                }
            }
            // The oldest access left, so that inserts skip this pass until
            // a cookie left may be evicted (Chromium sets it after a purge).
            self.earliest_access = self.cookies.values().flatten().map(|c| c.last_access).min().unwrap_or(0);
        }
    }
}

/// `GarbageCollectLeastRecentlyAccessed`'s choice: up to `goal` of
/// `cookies`, least recently used first, only those last used before
/// `safe_date`.
fn least_recently_accessed(
    cookies: &[(&str, &CanonicalCookie)],
    goal: usize,
    safe_date: Time,
) -> Vec<CookieId> {
    if goal == 0 {
        return Vec::new();
    }
    // The first `goal` in `lru_order`, ties kept in list order (as a stable
    // sort would): select them, then sort only those.
    let mut order: Vec<(Time, Time, usize)> = cookies
        .iter()
        .enumerate()
        .map(|(i, (_, c))| (c.last_access, c.creation, i))
        .collect();
    if goal < order.len() {
        order.select_nth_unstable(goal - 1);
        order.truncate(goal);
    }
    order.sort_unstable();
    order
        .iter()
        .map(|&(_, _, i)| cookies[i])
        .take_while(|(_, c)| c.last_access < safe_date)
        .map(|(key, c)| id_of(key, c))
        .collect()
}

/// Chromium's `PurgeLeastRecentMatches` over `cookies` (sorted least
/// recently used first): removes from the list, and returns, up to
/// `purge_goal` cookies of `priority` — only non-secure ones when
/// `protect_secure` — leaving at least `to_protect` of that priority.
fn purge_least_recent_matches(
    cookies: &mut Vec<CanonicalCookie>,
    priority: CookiePriority,
    to_protect: usize,
    purge_goal: usize,
    protect_secure: bool,
) -> Vec<CanonicalCookie> {
    let at_priority = cookies.iter().filter(|c| c.priority == priority).count();
    if at_priority <= to_protect {
        return Vec::new();
    }
    let mut deletable = if protect_secure {
        let secure = cookies
            .iter()
            .filter(|c| c.priority == priority && c.secure)
            .count();
        at_priority - secure.max(to_protect)
    } else {
        at_priority - to_protect
    };
    let mut removed = Vec::new();
    let mut i = 0;
    while removed.len() < purge_goal && i < cookies.len() && deletable > 0 {
        let c = &cookies[i];
        let eligible = c.priority == priority && !(protect_secure && c.secure);
        if eligible {
            removed.push(cookies.remove(i));
            deletable -= 1;
        } else {
            i += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookies::time::{SECOND, UNIX_EPOCH_OFFSET_US};
    use crate::cookies::CookieSameSite;
    use std::sync::{Arc, Mutex};

    const T0: Time = UNIX_EPOCH_OFFSET_US + 1_700_000_000 * SECOND;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn http() -> CookieOptions {
        CookieOptions::all_inclusive()
    }

    fn set(m: &mut CookieMonster, u: &str, line: &str, now: Time) -> Result<Vec<CookieChange>, CookieInclusionStatus> {
        m.set_cookie_line(&url(u), line, &http(), now, None)
    }

    fn header(m: &mut CookieMonster, u: &str, now: Time) -> String {
        m.cookie_header_for_url(&url(u), &http(), now).unwrap_or_default()
    }

    fn causes(changes: &[CookieChange]) -> Vec<(&str, &'static str)> {
        changes
            .iter()
            .map(|c| (c.cookie.value.as_str(), c.cause.as_electron_str()))
            .collect()
    }

    // Name, domain and path make a cookie unique; setting an equivalent one
    // reports Chromium's change causes. Rows from cookie_monster_unittest.cc
    // (SetCookieableSchemes, TestCookieDeleteAll, InsertedNoChangeOverwrite).
    #[test]
    fn change_causes() {
        let mut m = CookieMonster::new();
        let u = "https://www.a.com/";
        let steps: &[(&str, Vec<(&str, &str)>)] = &[
            ("a=1", vec![("1", "inserted")]),
            ("a=1", vec![("1", "overwrite"), ("1", "inserted-no-change-overwrite")]),
            ("a=1; HttpOnly", vec![("1", "overwrite"), ("1", "inserted-no-value-change-overwrite")]),
            ("a=2; HttpOnly", vec![("1", "overwrite"), ("2", "inserted")]),
            ("a=2; path=/x", vec![("2", "inserted")]),
            ("a=3; Max-Age=0", vec![("2", "expired-overwrite")]),
            ("a=4; Max-Age=0", vec![]),
        ];
        for (i, (line, want)) in steps.iter().enumerate() {
            let got = set(&mut m, u, line, T0 + i as Time * SECOND).unwrap();
            assert_eq!(causes(&got), *want, "step {i}: {line}");
        }
        assert_eq!(m.len(), 1);
        let removed = m.remove(&url("https://www.a.com/x"), "a");
        assert_eq!(causes(&removed), vec![("2", "explicit")]);
        assert!(removed[0].removed() && m.is_empty());
    }

    // An overwrite with the same value keeps the old creation time; a new
    // value starts a new one (cookie_monster.cc creation_date_to_inherit).
    #[test]
    fn overwrite_creation_time() {
        let rows: &[(&str, Time)] = &[("a=1; Max-Age=60", T0), ("a=2", T0 + SECOND)];
        for (line, want) in rows {
            let mut m = CookieMonster::new();
            set(&mut m, "http://a.com/", "a=1", T0).unwrap();
            let changes = set(&mut m, "http://a.com/", line, T0 + SECOND).unwrap();
            assert_eq!(changes.last().unwrap().cookie.creation, *want, "{line}");
        }
    }

    // A non-secure URL may not overwrite or shadow a Secure cookie of the
    // same name (leave secure cookies alone). Rows from
    // cookie_monster_unittest.cc (SetSecureCookies).
    #[test]
    fn leave_secure_cookies_alone() {
        use ExclusionReason::*;
        let rows: &[(&str, &str, Option<ExclusionReason>)] = &[
            ("http://www.a.com/", "A=C", None),
            ("http://www.a.com/", "A=C; path=/my", Some(OverwriteSecure)),
            ("http://www.a.com/", "A=C; path=/my/path", Some(OverwriteSecure)),
            ("http://www.a.com/", "A=C; path=/myfoo", None),
            ("http://www.a.com/", "A=C; path=/other", None),
            ("http://www.a.com/", "A=C; domain=a.com; path=/my", Some(OverwriteSecure)),
            ("http://sub.www.a.com/", "A=C; path=/my", Some(OverwriteSecure)),
            ("http://other.a.com/", "A=C; path=/my", None),
            ("http://www.a.com/", "B=C; path=/my", None),
            ("https://www.a.com/", "A=C; path=/my", None),
            ("http://localhost/", "A=C", None),
        ];
        for (u, line, want) in rows {
            let mut m = CookieMonster::new();
            set(&mut m, "https://www.a.com/", "A=B; Secure; path=/my", T0).unwrap();
            set(&mut m, "https://localhost/", "A=B; Secure", T0).unwrap();
            let got = set(&mut m, u, line, T0 + SECOND).err();
            assert_eq!(got, want.map(CookieInclusionStatus::excluded), "{u} {line}");
        }
    }

    // Script access may not set HttpOnly cookies nor replace them; an
    // insecure set over a Secure HttpOnly cookie gets both reasons.
    // Rows from cookie_monster_unittest.cc (HttpOnlyTest).
    #[test]
    fn http_only_rules() {
        let script = CookieOptions {
            include_http_only: false,
            ..http()
        };
        let mut m = CookieMonster::new();
        let u = url("http://a.com/");
        assert_eq!(
            m.set_cookie_line(&u, "a=1; HttpOnly", &script, T0, None).err(),
            Some(ExclusionReason::HttpOnly.into())
        );
        m.set_cookie_line(&u, "a=1; HttpOnly", &http(), T0, None).unwrap();
        assert_eq!(
            m.set_cookie_line(&u, "a=2", &script, T0, None).err(),
            Some(ExclusionReason::OverwriteHttpOnly.into())
        );
        assert_eq!(m.cookie_header_for_url(&u, &script, T0), None);
        assert_eq!(header(&mut m, "http://a.com/", T0), "a=1");
        m.set_cookie_line(&url("https://a.com/"), "s=1; Secure; HttpOnly", &http(), T0, None).unwrap();
        let mut both = CookieInclusionStatus::excluded(ExclusionReason::OverwriteSecure);
        both.add(ExclusionReason::OverwriteHttpOnly);
        assert_eq!(m.set_cookie_line(&u, "s=2", &script, T0, None).err(), Some(both));
    }

    // Only http, https, ws and wss URLs have cookies unless a scheme is added.
    #[test]
    fn cookieable_schemes() {
        let mut m = CookieMonster::new();
        let u = url("file:///tmp/x");
        let r = m.set_canonical_cookie(
            CanonicalCookie::create(&url("http://a.com/"), "a=b", T0, None).unwrap(),
            &u,
            &http(),
            T0,
        );
        assert_eq!(r.err(), Some(ExclusionReason::NoncookieableScheme.into()));
        let mut m = CookieMonster::new();
        m.add_cookieable_scheme("app");
        set(&mut m, "app://host/", "a=b", T0).unwrap();
        assert_eq!(header(&mut m, "app://host/", T0), "a=b");
    }

    // The Cookie header lists longer paths first, then older cookies first;
    // an empty-named cookie is written as its value. Rows from
    // cookie_monster_unittest.cc (TestCookieOrdering) and
    // canonical_cookie_unittest.cc (BuildCookieLine).
    #[test]
    fn cookie_header_order() {
        let mut m = CookieMonster::new();
        let lines = [
            ("http://d.c.b.a.google.com/aa/x.html", "c=1"),
            ("http://b.a.google.com/aa/bb/cc/x.html", "d=1; domain=b.a.google.com"),
            ("http://b.a.google.com/aa/bb/cc/x.html", "a=4; domain=b.a.google.com"),
            ("http://c.b.a.google.com/aa/bb/cc/x.html", "e=1; domain=c.b.a.google.com"),
            ("http://d.c.b.a.google.com/aa/bb/x.html", "b=1"),
            ("http://news.bbc.co.uk/midpath/x.html", "g=10"),
            ("http://d.c.b.a.google.com/", "novalue"),
        ];
        for (i, (u, line)) in lines.iter().enumerate() {
            set(&mut m, u, line, T0 + i as Time * SECOND).unwrap();
        }
        let rows: &[(&str, &str)] = &[
            ("http://d.c.b.a.google.com/aa/bb/cc/dd", "d=1; a=4; e=1; b=1; c=1; novalue"),
            ("http://d.c.b.a.google.com/", "novalue"),
            ("http://b.a.google.com/aa/bb/cc/dd", "d=1; a=4"),
            ("http://news.bbc.co.uk/midpath/x", "g=10"),
            ("http://bbc.co.uk/", ""),
        ];
        for (u, want) in rows {
            assert_eq!(header(&mut m, u, T0 + 100 * SECOND), *want, "{u}");
        }
    }

    // Reading updates last access at most once a minute, and never when the
    // caller asks not to. Rows from cookie_monster_unittest.cc
    // (TestLastAccess).
    #[test]
    fn last_access_throttle() {
        let mut m = CookieMonster::new();
        set(&mut m, "http://a.com/", "a=b", T0).unwrap();
        let no_update = CookieOptions {
            update_access_time: false,
            ..http()
        };
        let rows: &[(Time, bool, Time)] = &[
            (T0 + 30 * SECOND, true, T0),
            (T0 + 90 * SECOND, false, T0),
            (T0 + 90 * SECOND, true, T0 + 90 * SECOND),
            (T0 + 120 * SECOND, true, T0 + 90 * SECOND),
            (T0 + 151 * SECOND, true, T0 + 151 * SECOND),
        ];
        for (now, update, want) in rows {
            let o = if *update { http() } else { no_update };
            let got = m.get_for_url(&url("http://a.com/"), &o, *now);
            assert_eq!(got[0].last_access, *want, "read at {now} update={update}");
            let stored = m.get_all(*now);
            assert_eq!(stored[0].last_access, *want, "stored after read at {now}");
        }
    }

    // Expired cookies are not returned and are deleted with cause expired.
    #[test]
    fn expiry_collection() {
        let mut m = CookieMonster::new();
        set(&mut m, "http://a.com/", "a=1; Max-Age=10", T0).unwrap();
        set(&mut m, "http://a.com/", "b=2", T0).unwrap();
        assert_eq!(header(&mut m, "http://a.com/", T0 + 9 * SECOND), "a=1; b=2");
        assert!(m.take_changes().is_empty());
        assert_eq!(header(&mut m, "http://a.com/", T0 + 10 * SECOND), "b=2");
        assert_eq!(causes(&m.take_changes()), vec![("1", "expired")]);
        assert_eq!(m.len(), 1);
    }

    // Electron's get(filter) fields each narrow the list. Rows follow
    // Electron's MatchesCookie (electron_api_cookies.cc).
    #[test]
    fn electron_filter() {
        let mut m = CookieMonster::new();
        set(&mut m, "https://www.a.com/", "s=1; Secure; HttpOnly", T0).unwrap();
        set(&mut m, "https://www.a.com/p", "p=2; path=/p; Max-Age=100", T0 + 1).unwrap();
        set(&mut m, "https://www.a.com/", "d=3; domain=a.com", T0 + 2).unwrap();
        set(&mut m, "https://b.com/", "b=4", T0 + 3).unwrap();
        let f = |f: &dyn Fn(&mut CookieFilter)| {
            let mut x = CookieFilter::default();
            f(&mut x);
            x
        };
        let rows: &[(CookieFilter, &[&str])] = &[
            (f(&|_| {}), &["p", "s", "d", "b"]),
            (f(&|x| x.url = Some(String::new())), &["p", "s", "d", "b"]),
            (f(&|x| x.url = Some("https://www.a.com/".into())), &["s", "d"]),
            (f(&|x| x.url = Some("http://www.a.com/p/q".into())), &["p", "d"]),
            (f(&|x| x.url = Some("https://x.a.com/".into())), &["d"]),
            (f(&|x| x.url = Some("::".into())), &[]),
            (f(&|x| x.name = Some("b".into())), &["b"]),
            (f(&|x| x.path = Some("/p".into())), &["p"]),
            (f(&|x| x.domain = Some("www.a.com".into())), &["p", "s", "d"]),
            (f(&|x| x.domain = Some("sub.a.com".into())), &["d"]),
            (f(&|x| x.secure = Some(true)), &["s"]),
            (f(&|x| x.session = Some(false)), &["p"]),
            (f(&|x| x.session = Some(true)), &["s", "d", "b"]),
            (f(&|x| x.http_only = Some(true)), &["s"]),
        ];
        for (filter, want) in rows {
            let got: Vec<String> = m.get(filter, T0 + 10).into_iter().map(|c| c.name).collect();
            assert_eq!(got, *want, "{filter:?}");
        }
    }

    // cookies.set(details) as Electron stores it: a non-httpOnly set cannot
    // replace an HttpOnly cookie; results carry Electron's message.
    #[test]
    fn set_from_details() {
        let mut m = CookieMonster::new();
        let d = |name: &str, http_only: bool| CookieDetails {
            url: "https://a.com/".into(),
            name: Some(name.into()),
            value: Some("v".into()),
            http_only: Some(http_only),
            same_site: Some(CookieSameSite::Strict),
            ..Default::default()
        };
        let changes = m.set_from_details(&d("h", true), T0).unwrap();
        assert_eq!(changes[0].cause, CookieChangeCause::Inserted);
        let err = m.set_from_details(&d("h", false), T0).unwrap_err();
        assert_eq!(
            err.electron_set_error(),
            "Failed to set cookie - The cookie would have overwritten an HttpOnly cookie, and was not allowed to do so.EXCLUDE_OVERWRITE_HTTP_ONLY, DO_NOT_WARN, NO_EXEMPTION"
        );
        // "Already expired" is judged at the cookie's creation time: a cookie
        // created and expiring in the past is stored, then collected on read.
        let old = CookieDetails {
            creation_date: Some(1_600_000_000.0),
            expiration_date: Some(1_650_000_000.0),
            ..d("old", false)
        };
        let changes = m.set_from_details(&old, T0).unwrap();
        assert_eq!(changes[0].cause, CookieChangeCause::Inserted);
        assert!(m.get_all(T0).iter().all(|c| c.name != "old"));
        assert_eq!(m.take_changes()[0].cause, CookieChangeCause::Expired);
        let file = CookieDetails {
            url: "file:///x".into(),
            ..d("f", false)
        };
        assert_eq!(
            m.set_from_details(&file, T0).err(),
            Some(ExclusionReason::InvalidDomain.into())
        );
    }

    fn fill(m: &mut CookieMonster, n: usize, attrs: &str, prefix: &str, start: Time) {
        for i in 0..n {
            let line = format!("{prefix}{i}=v{attrs}");
            set(m, "https://www.a.com/", &line, start + i as Time).unwrap();
        }
    }

    fn count(m: &mut CookieMonster, now: Time, pred: impl Fn(&CanonicalCookie) -> bool) -> usize {
        m.get_all(now).iter().filter(|c| pred(c)).count()
    }

    // Over 180 cookies per domain, the least recently used are evicted
    // down to 150. Rows from cookie_monster_unittest.cc (TestDomainIsolation /
    // GarbageCollectionTriggers).
    #[test]
    fn domain_eviction_lru() {
        let mut m = CookieMonster::new();
        fill(&mut m, 180, "", "c", T0);
        assert_eq!(m.len(), 180);
        let changes = set(&mut m, "https://www.a.com/", "last=v", T0 + 1000).unwrap();
        assert_eq!(m.len(), 150);
        let evicted: Vec<_> = changes.iter().filter(|c| c.cause == CookieChangeCause::Evicted).collect();
        assert_eq!(evicted.len(), 31);
        assert_eq!(evicted[0].cookie.name, "c0");
        assert_eq!(evicted[30].cookie.name, "c30");
        // Another registrable domain is counted apart.
        set(&mut m, "https://b.com/", "x=y", T0).unwrap();
        assert_eq!(m.len(), 151);
    }

    // Eviction goes by priority then security, each priority keeping its
    // quota (30 low, 50 medium, 70 high). Rows from cookie_monster_unittest.cc
    // (TestPriorityAwareGarbageCollectNonSecure / ...Mixed).
    #[test]
    fn domain_eviction_priorities() {
        // (low non-secure, low secure, medium non-secure, medium secure,
        //  high non-secure, high secure) inserted, then left after eviction.
        type Counts = [usize; 6];
        let rows: &[(Counts, Counts)] = &[
            ([181, 0, 0, 0, 0, 0], [150, 0, 0, 0, 0, 0]),
            ([0, 0, 181, 0, 0, 0], [0, 0, 150, 0, 0, 0]),
            ([100, 0, 81, 0, 0, 0], [69, 0, 81, 0, 0, 0]),
            ([10, 0, 10, 0, 161, 0], [10, 0, 10, 0, 130, 0]),
            ([50, 50, 40, 0, 41, 0], [19, 50, 40, 0, 41, 0]),
            ([30, 30, 50, 0, 71, 0], [0, 30, 50, 0, 70, 0]),
            ([0, 40, 0, 0, 0, 141], [0, 30, 0, 0, 0, 120]),
            ([0, 31, 0, 80, 0, 70], [0, 30, 0, 50, 0, 70]),
        ];
        let attrs = [
            "; priority=low",
            "; priority=low; Secure",
            "; priority=medium",
            "; priority=medium; Secure",
            "; priority=high",
            "; priority=high; Secure",
        ];
        for (inserted, want) in rows {
            let mut m = CookieMonster::new();
            let mut t = T0;
            for (kind, n) in inserted.iter().enumerate() {
                fill(&mut m, *n, attrs[kind], &format!("k{kind}_"), t);
                t += 10_000;
            }
            let mut got = [0usize; 6];
            for c in m.get_all(t) {
                let kind = c.priority as usize * 2 + c.secure as usize;
                got[kind] += 1;
            }
            assert_eq!(got, *want, "inserted {inserted:?}");
        }
    }

    #[test]
    fn global_eviction_victims_in_stable_lru_order() {
        // Chromium sorts the candidates (std::sort over last access, then
        // creation) and takes the first ones; ties here keep list order, as
        // the stable sort this selection replaced did.
        let cookies: Vec<CanonicalCookie> = (0..500)
            .map(|i| {
                let mut c = CanonicalCookie::create(&url("https://a.com/"), &format!("c{i}=v"), T0, None).unwrap();
                c.last_access = T0 + ((i * 7919) % 13) as Time;
                c.creation = T0 + ((i * 104729) % 5) as Time;
                c
            })
            .collect();
        let list: Vec<(&str, &CanonicalCookie)> = cookies.iter().map(|c| ("a.com", c)).collect();
        for (goal, safe) in [(0, T0 + 100), (1, T0 + 100), (37, T0 + 100), (300, T0 + 100), (499, T0 + 100), (500, T0 + 100), (900, T0 + 100), (300, T0 + 6)] {
            let mut sorted = list.clone();
            sorted.sort_by(|a, b| lru_order(a.1, b.1));
            let want: Vec<CookieId> = sorted
                .iter()
                .take(goal)
                .take_while(|(_, c)| c.last_access < safe)
                .map(|(k, c)| id_of(k, c))
                .collect();
            assert_eq!(least_recently_accessed(&list, goal, safe), want, "goal {goal}, safe {safe}");
        }
    }

    // Over 3300 cookies in all, the least recently used are evicted down to
    // 3000, non-secure first, sparing cookies used in the last 30 days.
    // Rows from cookie_monster_unittest.cc (TestGCTimes / GarbageCollectWithSecureCookiesOnly).
    #[test]
    fn global_eviction() {
        let old = T0 - 60 * DAY;
        let build = |secure_old: usize, plain_old: usize, recent: usize| {
            let mut m = CookieMonster::new();
            let mut n = 0;
            let mut add = |m: &mut CookieMonster, count: usize, secure: bool, t: Time| {
                for _ in 0..count {
                    let attrs = if secure { "; Secure" } else { "" };
                    let line = format!("c{n}=v{attrs}");
                    let host = format!("https://h{}.com/", n / 100);
                    set(m, &host, &line, t + n as Time).unwrap();
                    n += 1;
                }
            };
            add(&mut m, secure_old, true, old);
            add(&mut m, plain_old, false, old);
            add(&mut m, recent, false, T0);
            m
        };
        let rows: &[((usize, usize, usize), usize, usize)] = &[
            // (secure old, non-secure old, recent), then one recent insert
            // -> (total, secure left)
            ((0, 3300, 0), 3000, 0),
            ((1000, 2300, 0), 3000, 1000),
            ((3300, 0, 0), 3000, 2999),
            ((0, 0, 3300), 3301, 0),
            ((0, 100, 3200), 3201, 0),
        ];
        for (input, total, secure_left) in rows {
            let mut m = build(input.0, input.1, input.2);
            assert_eq!(m.len(), input.0 + input.1 + input.2, "{input:?}");
            set(&mut m, "https://trigger.com/", "t=v", T0 + DAY).unwrap();
            assert_eq!(m.len(), *total, "{input:?}");
            assert_eq!(count(&mut m, T0 + DAY, |c| c.secure), *secure_left, "{input:?}");
        }
    }

    // The generation changes with every change `get` could see, and only
    // then; `visit` with a URL tells when its answer can change by expiry.
    #[test]
    fn generation_and_validity() {
        let mut m = CookieMonster::new();
        let filter = |u: &str| CookieFilter { url: Some(u.into()), ..CookieFilter::default() };
        let visit = |m: &mut CookieMonster, u: &str, now: Time| m.visit(&filter(u), now, |_| {});
        let g0 = m.generation();
        set(&mut m, "https://a.com/", "s=1", T0).unwrap();
        let g1 = m.generation();
        assert_ne!(g1, g0, "insert");
        assert_eq!(visit(&mut m, "https://a.com/", T0), None, "a session cookie never expires");
        set(&mut m, "https://a.com/x", "p=1; Path=/x; Max-Age=100", T0).unwrap();
        let g2 = m.generation();
        assert_ne!(g2, g1, "insert");
        // Reading changes nothing, and tells the earliest expiry in the
        // bucket, even of a cookie this URL does not get (its path).
        assert_eq!(visit(&mut m, "https://a.com/", T0 + 1), Some(T0 + 100 * SECOND));
        assert_eq!(header(&mut m, "https://a.com/x", T0 + 2 * MINUTE), "s=1", "p=1 expired");
        let g3 = m.generation();
        assert_ne!(g3, g2, "an expired cookie deleted while reading");
        assert_eq!(visit(&mut m, "https://a.com/", T0 + 3 * MINUTE), None);
        assert_eq!(m.generation(), g3, "reading alone");
        assert_eq!(m.visit(&CookieFilter::default(), T0, |_| {}), None, "no URL: no expiry told");
        m.remove(&url("https://a.com/"), "s");
        let g4 = m.generation();
        assert_ne!(g4, g3, "remove");
        m.add_cookieable_scheme("chrome-extension");
        assert_ne!(m.generation(), g4, "a new cookieable scheme");
    }

    // Global eviction runs only while a cookie may be old enough to go
    // (Chromium's earliest_access_time_): cookies set with no last access
    // (as Electron's cookies.set does) are evicted; recently used ones,
    // however many, stay.
    #[test]
    fn global_eviction_spares_recent_and_takes_unset_last_access() {
        let details = |i: usize, last_access: Option<f64>| CookieDetails {
            url: format!("https://h{}.com/", i / 100),
            name: Some(format!("c{i}")),
            value: Some("v".into()),
            creation_date: last_access,
            last_access_date: last_access,
            ..CookieDetails::default()
        };
        let now = T0;
        let recent = Some(super::super::time::to_unix_seconds(now));
        let mut m = CookieMonster::new();
        for i in 0..4000 {
            m.set_from_details(&details(i, recent), now).unwrap();
        }
        assert_eq!(m.len(), 4000, "all used just now");
        let mut m = CookieMonster::new();
        for i in 0..4000 {
            m.set_from_details(&details(i, None), now + i as Time).unwrap();
        }
        assert!(m.len() <= MAX_COOKIES && m.len() >= MAX_COOKIES - PURGE_COOKIES, "{}", m.len());
    }

    // A store can live behind a session's lock and move between threads.
    #[test]
    fn store_is_send() {
        fn send<T: Send>() {}
        send::<CookieMonster>();
        send::<CookieChange>();
    }

    #[derive(Default)]
    struct Log(Arc<Mutex<Vec<String>>>);

    impl PersistentCookieStore for Log {
        fn add_cookie(&mut self, c: &CanonicalCookie) {
            self.0.lock().unwrap().push(format!("add {}={}", c.name, c.value));
        }
        fn update_cookie_access_time(&mut self, c: &CanonicalCookie) {
            self.0.lock().unwrap().push(format!("touch {}", c.name));
        }
        fn delete_cookie(&mut self, c: &CanonicalCookie) {
            self.0.lock().unwrap().push(format!("delete {}={}", c.name, c.value));
        }
    }

    // Only persistent cookies reach the persistent store: adds, overwrites,
    // deletions and (throttled) access-time updates.
    #[test]
    fn persistent_store_sees_persistent_cookies_only() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut m = CookieMonster::with_persistent_store(Vec::new(), Box::new(Log(log.clone())));
        set(&mut m, "http://a.com/", "s=1", T0).unwrap();
        set(&mut m, "http://a.com/", "p=1; Max-Age=1000", T0).unwrap();
        set(&mut m, "http://a.com/", "p=2; Max-Age=1000", T0).unwrap();
        header(&mut m, "http://a.com/", T0 + 2 * MINUTE);
        m.remove(&url("http://a.com/"), "p");
        m.remove(&url("http://a.com/"), "s");
        assert_eq!(
            *log.lock().unwrap(),
            vec!["add p=1", "delete p=1", "add p=2", "touch p", "delete p=2"]
        );
    }

    // Loading keeps the newest of duplicate cookies and deletes the others
    // from disk (cookie_monster.cc EnsureCookiesMapIsValid).
    #[test]
    fn load_deduplicates() {
        let c = |v: &str, created: Time| {
            let mut c = CanonicalCookie::create(&url("http://a.com/"), &format!("a={v}; Max-Age=100"), created, None).unwrap();
            c.creation = created;
            c
        };
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut m = CookieMonster::with_persistent_store(vec![c("old", T0), c("new", T0 + 1)], Box::new(Log(log.clone())));
        assert_eq!(header(&mut m, "http://a.com/", T0), "a=new");
        assert_eq!(*log.lock().unwrap(), vec!["delete a=old"]);
    }
}

//! `ses.cookies`: Electron's `Cookies` class over the session's core jar
//! (`shell/browser/api/electron_api_cookies.cc`). `lib/cookies.js` links
//! EventEmitter and turns `_setChangeListener` calls into `changed` events.

use std::sync::Arc;

use electron_session_core::cookies::{
    CanonicalCookie, CookieDetails, CookieFilter, CookieSameSite,
};
use electron_session_core::session::Session as CoreSession;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::args::{self, Loose, Prop};
use crate::session::Session;

/// Electron's `Cookie` object, its fields in Electron's order;
/// `expirationDate` only for persistent cookies.
#[napi(object, js_name = "CookieObject")]
pub struct JsCookie {
    pub name: String,
    pub value: String,
    pub domain: String,
    pub host_only: bool,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    pub session: bool,
    pub expiration_date: Option<f64>,
    #[napi(ts_type = "'unspecified' | 'no_restriction' | 'lax' | 'strict'")]
    pub same_site: String,
}

fn cookie_to_js(c: &CanonicalCookie) -> JsCookie {
    JsCookie {
        name: c.name.clone(),
        value: c.value.clone(),
        domain: c.domain.clone(),
        host_only: c.is_host_only(),
        path: c.path.clone(),
        secure: c.secure,
        http_only: c.http_only,
        session: !c.is_persistent(),
        expiration_date: c.expiration_date(),
        same_site: c.same_site.as_electron_str().to_string(),
    }
}

/// Bits of the flags number `_get` writes for each cookie; `lib/cookies.js`
/// reads them. The SameSite index (into `_sameSiteNames()`) is above them.
const PACKED_HOST_ONLY: u32 = 1;
const PACKED_SECURE: u32 = 2;
const PACKED_HTTP_ONLY: u32 = 4;
const PACKED_SESSION: u32 = 8;
const PACKED_HAS_EXPIRATION: u32 = 16;
const PACKED_SAME_SITE_SHIFT: u32 = 5;
/// Numbers `_get` writes before the cookies: their count, the jar's
/// generation, and the time (Unix milliseconds, rounded down; `Infinity`
/// for never) until which an answer for a URL alone stays right while the
/// generation is unchanged (see `SessionCookies::visit_now`).
const PACKED_HEADER: usize = 3;
/// Numbers `_get` writes per cookie: the UTF-16 lengths of name, value,
/// domain and path (their text is concatenated in the string it returns),
/// the flags, and `expirationDate` (0 when absent).
const PACKED_STRIDE: usize = 6;

/// SameSite values in the order `_sameSiteNames()` lists them (and `_set`
/// receives their index).
const SAME_SITE_ORDER: [CookieSameSite; 4] = [
    CookieSameSite::Unspecified,
    CookieSameSite::NoRestriction,
    CookieSameSite::Lax,
    CookieSameSite::Strict,
];

/// `_get`'s answer when its numbers did not fit the buffer it was given.
#[napi(object)]
pub struct PackedCookies {
    pub strings: String,
    pub numbers: Float64Array,
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Writes the numbers of a packed answer into the caller's buffer, and what
/// does not fit into a spill vector.
struct PackedNumbers<'a> {
    out: &'a mut [f64],
    len: usize,
    spill: Vec<f64>,
}

impl PackedNumbers<'_> {
    fn push(&mut self, x: f64) {
        if self.len < self.out.len() {
            self.out[self.len] = x;
        } else {
            self.spill.push(x);
        }
        self.len += 1;
    }

    fn set(&mut self, at: usize, x: f64) {
        if at < self.out.len() {
            self.out[at] = x;
        } else {
            self.spill[at - self.out.len()] = x;
        }
    }
}

/// `get` from an open jar, packed as `_get` answers (see there) with the
/// numbers in `out` when they fit; `None` before the jar is open.
fn pack_now(
    jar: &electron_session_core::session::SessionCookies,
    out: &mut [f64],
    filter: &CookieFilter,
) -> Option<Either<String, PackedCookies>> {
    let mut strings = String::with_capacity(256);
    let mut numbers = PackedNumbers {
        out,
        len: 0,
        spill: Vec::new(),
    };
    for _ in 0..PACKED_HEADER {
        numbers.push(0.0);
    }
    let mut count = 0usize;
    let validity = jar.visit_now(filter, |c| {
        count += 1;
        for s in [&c.name, &c.value, &c.domain, &c.path] {
            strings.push_str(s);
            numbers.push(utf16_len(s) as f64);
        }
        let expiration = c.expiration_date();
        let same_site = SAME_SITE_ORDER
            .iter()
            .position(|s| *s == c.same_site)
            .unwrap_or(0) as u32;
        let flags = (if c.is_host_only() { PACKED_HOST_ONLY } else { 0 })
            | (if c.secure { PACKED_SECURE } else { 0 })
            | (if c.http_only { PACKED_HTTP_ONLY } else { 0 })
            | (if c.is_persistent() { 0 } else { PACKED_SESSION })
            | (if expiration.is_some() { PACKED_HAS_EXPIRATION } else { 0 })
            | (same_site << PACKED_SAME_SITE_SHIFT);
        numbers.push(f64::from(flags));
        numbers.push(expiration.unwrap_or(0.0));
    })?;
    debug_assert_eq!(numbers.len, PACKED_HEADER + count * PACKED_STRIDE);
    numbers.set(0, count as f64);
    numbers.set(1, f64::from(validity.generation));
    let until = validity.until.map_or(f64::INFINITY, |t| {
        (electron_session_core::cookies::time::to_unix_seconds(t) * 1000.0).floor()
    });
    numbers.set(2, until);
    if numbers.spill.is_empty() {
        return Some(Either::A(strings));
    }
    let mut all = numbers.out.to_vec();
    all.append(&mut numbers.spill);
    Some(Either::B(PackedCookies {
        strings,
        numbers: Float64Array::new(all),
    }))
}

/// What the `_setChangeListener` function receives for one change.
#[napi(object)]
pub struct CookieChangeArg {
    pub cookie: JsCookie,
    pub cause: String,
    pub removed: bool,
}

/// A property of the type Electron's `FindString`/`FindBool`/`FindDouble`
/// asks for; any other type counts as absent, as there.
fn find<T: Prop>(obj: &Object, name: &str) -> Result<Option<T>> {
    let v: Unknown = obj.get_named_property(name)?;
    T::read(&v)
}

/// A plain object argument (gin's conversion to a dictionary).
fn dictionary<'a>(env: &Env, v: &Unknown<'a>, index: usize) -> Result<Object<'a>> {
    if v.get_type()? != ValueType::Object || v.is_array()? {
        return Err(args::conversion_failure(env, index, v));
    }
    unsafe { v.cast::<Object>() }
}

type ChangeFn = ThreadsafeFunction<CookieChangeArg, (), CookieChangeArg, Status, false, true>;

#[napi]
pub struct Cookies {
    session: Arc<CoreSession>,
}

#[napi]
impl Cookies {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "Cookies objects cannot be created with 'new'",
        ))
    }

    /// Resolves the cookies matching `filter` (see the core's `CookieFilter`).
    #[napi(catch_unwind, ts_return_type = "Promise<Array<CookieObject>>")]
    pub fn get<'env>(&self, env: &'env Env, filter: Unknown) -> Result<PromiseRaw<'env, Vec<JsCookie>>> {
        let obj = dictionary(env, &filter, 0)?;
        let filter = CookieFilter {
            url: find(&obj, "url")?,
            name: find(&obj, "name")?,
            domain: find(&obj, "domain")?,
            path: find(&obj, "path")?,
            secure: find(&obj, "secure")?,
            session: find(&obj, "session")?,
            http_only: find(&obj, "httpOnly")?,
        };
        let jar = self.session.cookies().clone();
        // An open jar answers at once: no hop to the runtime.
        if let Some(list) = jar.get_now(&filter) {
            return PromiseRaw::resolve(env, list.iter().map(cookie_to_js).collect());
        }
        env.spawn_future(async move {
            let list = jar.get(&filter).await.map_err(args::reject_core)?;
            Ok(list.iter().map(cookie_to_js).collect())
        })
    }

    /// Sets a cookie; rejects with Electron's messages.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn set<'env>(&self, env: &'env Env, details: Unknown) -> Result<PromiseRaw<'env, ()>> {
        let obj = dictionary(env, &details, 0)?;
        let reject = |message: String| -> Result<PromiseRaw<'env, ()>> {
            env.spawn_future(async move { Err::<(), _>(Error::new(Status::GenericFailure, message)) })
        };
        let Some(url) = find::<String>(&obj, "url")? else {
            return reject("Missing required option 'url'".into());
        };
        let same_site = match find::<String>(&obj, "sameSite")? {
            None => None,
            Some(s) => match CookieSameSite::from_electron_str(&s) {
                Ok(v) => Some(v),
                Err(message) => return reject(message),
            },
        };
        let details = CookieDetails {
            url,
            name: find(&obj, "name")?,
            value: find(&obj, "value")?,
            domain: find(&obj, "domain")?,
            path: find(&obj, "path")?,
            secure: find(&obj, "secure")?,
            http_only: find(&obj, "httpOnly")?,
            expiration_date: find(&obj, "expirationDate")?,
            creation_date: find(&obj, "creationDate")?,
            last_access_date: find(&obj, "lastAccessDate")?,
            same_site,
        };
        let jar = self.session.cookies().clone();
        match jar.set_now(&details) {
            Some(Ok(())) => PromiseRaw::resolve(env, ()),
            Some(Err(e)) => env.spawn_future(async move { Err(args::reject_core(e)) }),
            None => env.spawn_future(async move { jar.set(&details).await.map_err(args::reject_core) }),
        }
    }

    /// `get` with the filter's fields read by `lib/cookies.js` (each
    /// `undefined` unless of the type `get` reads). From an open jar, answers
    /// at once: a string with every cookie's name, value, domain and path
    /// one after the other, and in `out` the `PACKED_HEADER` numbers then
    /// `PACKED_STRIDE` numbers per cookie; or, when `out` is too small, both in a
    /// `PackedCookies`. Before the jar is open, `get`'s Promise.
    #[napi(
        js_name = "_get",
        catch_unwind,
        ts_return_type = "string | PackedCookies | Promise<Array<CookieObject>>"
    )]
    #[allow(clippy::too_many_arguments)]
    pub fn get_packed<'env>(
        &self,
        env: &'env Env,
        mut out: Float64ArraySlice,
        url: Option<String>,
        name: Option<String>,
        domain: Option<String>,
        path: Option<String>,
        secure: Option<bool>,
        session: Option<bool>,
        http_only: Option<bool>,
    ) -> Result<Either3<String, PackedCookies, PromiseRaw<'env, Vec<JsCookie>>>> {
        let filter = CookieFilter {
            url,
            name,
            domain,
            path,
            secure,
            session,
            http_only,
        };
        let jar = self.session.cookies();
        // SAFETY: the buffer is the caller's, and nothing else reads or
        // writes it until this call returns.
        match pack_now(jar, unsafe { out.as_mut() }, &filter) {
            Some(Either::A(s)) => Ok(Either3::A(s)),
            Some(Either::B(p)) => Ok(Either3::B(p)),
            None => {
                let jar = jar.clone();
                env.spawn_future(async move {
                    let list = jar.get(&filter).await.map_err(args::reject_core)?;
                    Ok(list.iter().map(cookie_to_js).collect())
                })
                .map(Either3::C)
            }
        }
    }

    /// A function doing what `_get` does from an open jar, with the same
    /// arguments, for `lib/cookies.js`; it answers `false` before the jar is
    /// open. Being a plain function over the jar, it costs less to call than
    /// a method.
    #[napi(
        js_name = "_fastGet",
        catch_unwind,
        ts_return_type = "(out: Float64Array, url?: string, name?: string, domain?: string, path?: string, secure?: boolean, session?: boolean, httpOnly?: boolean) => string | PackedCookies | false"
    )]
    pub fn fast_get<'env>(&self, env: &'env Env) -> Result<Function<'env, Unknown<'env>, Either3<String, PackedCookies, bool>>> {
        let session = self.session.clone();
        env.create_function_from_closure("get", move |ctx| {
            let mut out = ctx.get::<Float64ArraySlice>(0)?;
            // Arguments left out are undefined (the shell passes only the
            // buffer and the URL when the filter has nothing else).
            let n = ctx.length();
            let s = |i: usize| -> Result<Option<String>> { Ok(if n > i { ctx.get::<Loose<String>>(i)?.0 } else { None }) };
            let b = |i: usize| -> Result<Option<bool>> { Ok(if n > i { ctx.get::<Loose<bool>>(i)?.0 } else { None }) };
            let filter = CookieFilter {
                url: s(1)?,
                name: s(2)?,
                domain: s(3)?,
                path: s(4)?,
                secure: b(5)?,
                session: b(6)?,
                http_only: b(7)?,
            };
            // SAFETY: as in `_get`.
            Ok(match pack_now(session.cookies(), unsafe { out.as_mut() }, &filter) {
                Some(Either::A(s)) => Either3::A(s),
                Some(Either::B(p)) => Either3::B(p),
                None => Either3::C(false),
            })
        })
    }

    /// A function doing what `_set` does from an open jar, with the same
    /// arguments, for `lib/cookies.js`: `true` once set, the rejection
    /// message when the jar refuses the cookie (see `_rejectWith`), `false`
    /// before the jar is open (nothing done).
    #[napi(
        js_name = "_fastSet",
        catch_unwind,
        ts_return_type = "(url: string, name?: string, value?: string, domain?: string, path?: string, secure?: boolean, httpOnly?: boolean, expirationDate?: number, creationDate?: number, lastAccessDate?: number, sameSite?: number) => boolean | string"
    )]
    pub fn fast_set<'env>(&self, env: &'env Env) -> Result<Function<'env, Unknown<'env>, Either<bool, String>>> {
        let session = self.session.clone();
        env.create_function_from_closure("set", move |ctx| {
            let s = |i: usize| Ok::<_, Error>(ctx.get::<Loose<String>>(i)?.0);
            let b = |i: usize| Ok::<_, Error>(ctx.get::<Loose<bool>>(i)?.0);
            let x = |i: usize| Ok::<_, Error>(ctx.get::<Loose<f64>>(i)?.0);
            let details = CookieDetails {
                url: s(0)?.unwrap_or_default(), // the shell passes a string
                name: s(1)?,
                value: s(2)?,
                domain: s(3)?,
                path: s(4)?,
                secure: b(5)?,
                http_only: b(6)?,
                expiration_date: x(7)?,
                creation_date: x(8)?,
                last_access_date: x(9)?,
                same_site: ctx
                    .get::<Option<u32>>(10)?
                    .and_then(|i| SAME_SITE_ORDER.get(i as usize).copied()),
            };
            Ok(match session.cookies().set_now(&details) {
                Some(Ok(())) => Either::A(true),
                Some(Err(e)) => Either::B(e.message().to_string()),
                None => Either::A(false),
            })
        })
    }

    /// A function answering the jar's generation (see `PACKED_HEADER`), for
    /// `lib/cookies.js` to know whether an answer it kept is still right.
    #[napi(js_name = "_fastGeneration", catch_unwind, ts_return_type = "() => number")]
    pub fn fast_generation<'env>(&self, env: &'env Env) -> Result<Function<'env, (), u32>> {
        let session = self.session.clone();
        env.create_function_from_closure("generation", move |_| Ok(session.cookies().generation()))
    }

    /// `set`'s rejection with `message` (a message `_fastSet` answered).
    #[napi(js_name = "_rejectWith", catch_unwind, ts_return_type = "Promise<void>")]
    pub fn reject_with<'env>(&self, env: &'env Env, message: String) -> Result<PromiseRaw<'env, ()>> {
        env.spawn_future(async move { Err::<(), _>(Error::new(Status::GenericFailure, message)) })
    }

    /// `set` with the details' fields read by `lib/cookies.js` (each
    /// `undefined` unless of the type `set` reads; `same_site` an index into
    /// `_sameSiteNames()`). `null` once set from an open jar (the shell
    /// then resolves at once), else `set`'s Promise.
    #[napi(js_name = "_set", catch_unwind, ts_return_type = "Promise<void> | null")]
    #[allow(clippy::too_many_arguments)]
    pub fn set_fields<'env>(
        &self,
        env: &'env Env,
        url: String,
        name: Option<String>,
        value: Option<String>,
        domain: Option<String>,
        path: Option<String>,
        secure: Option<bool>,
        http_only: Option<bool>,
        expiration_date: Option<f64>,
        creation_date: Option<f64>,
        last_access_date: Option<f64>,
        same_site: Option<u32>,
    ) -> Result<Option<PromiseRaw<'env, ()>>> {
        let details = CookieDetails {
            url,
            name,
            value,
            domain,
            path,
            secure,
            http_only,
            expiration_date,
            creation_date,
            last_access_date,
            same_site: same_site.and_then(|i| SAME_SITE_ORDER.get(i as usize).copied()),
        };
        let jar = self.session.cookies().clone();
        match jar.set_now(&details) {
            Some(Ok(())) => Ok(None),
            Some(Err(e)) => env.spawn_future(async move { Err(args::reject_core(e)) }).map(Some),
            None => env
                .spawn_future(async move { jar.set(&details).await.map_err(args::reject_core) })
                .map(Some),
        }
    }

    /// The rejection of `set` without a string `url` (`same_site` absent),
    /// or with a `sameSite` that is not one of `_sameSiteNames()`.
    #[napi(js_name = "_setRejection", catch_unwind, ts_return_type = "Promise<void>")]
    pub fn set_rejection<'env>(&self, env: &'env Env, same_site: Option<String>) -> Result<PromiseRaw<'env, ()>> {
        let message = match same_site {
            None => "Missing required option 'url'".to_string(),
            Some(s) => match CookieSameSite::from_electron_str(&s) {
                Err(message) => message,
                Ok(_) => format!("'{s}' is a known same site value"),
            },
        };
        env.spawn_future(async move { Err::<(), _>(Error::new(Status::GenericFailure, message)) })
    }

    /// Electron's SameSite names, in the order `_set` and `_get` index them.
    #[napi(js_name = "_sameSiteNames")]
    pub fn same_site_names() -> Vec<&'static str> {
        SAME_SITE_ORDER.iter().map(|s| s.as_electron_str()).collect()
    }

    /// Removes the cookies named `name` that would be sent to `url`.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn remove<'env>(&self, env: &'env Env, url: Unknown, name: Unknown) -> Result<PromiseRaw<'env, ()>> {
        let url = args::string(env, &url, 0)?;
        let name = args::string(env, &name, 1)?;
        let jar = self.session.cookies().clone();
        if jar.remove_now(&url, &name).is_some() {
            return PromiseRaw::resolve(env, ());
        }
        env.spawn_future(async move { jar.remove(&url, &name).await.map_err(args::reject_core) })
    }

    /// Resolves once every change so far is committed to `Network/Cookies`.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn flush_store<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let jar = self.session.cookies().clone();
        env.spawn_future(async move { jar.flush_store().await.map_err(args::reject_core) })
    }

    /// Whether `changed` has listeners: changes are sent to JavaScript only then.
    #[napi(js_name = "_watchChanges", catch_unwind)]
    pub fn watch_changes(&self, on: bool) {
        self.session.cookies().watch_changes(on);
    }

    /// Sets the function called on the JS thread with `{ cookie, cause,
    /// removed }` for every change; held weakly.
    #[napi(js_name = "_setChangeListener", catch_unwind)]
    pub fn set_change_listener(&self, listener: Function<CookieChangeArg, ()>) -> Result<()> {
        let tsfn: ChangeFn = listener
            .build_threadsafe_function::<CookieChangeArg>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        let tsfn = Arc::new(tsfn);
        self.session
            .cookies()
            .set_change_listener(Some(Box::new(move |change| {
                let arg = CookieChangeArg {
                    cookie: cookie_to_js(&change.cookie),
                    cause: change.cause.as_electron_str().to_string(),
                    removed: change.removed(),
                };
                tsfn.call(arg, ThreadsafeFunctionCallMode::NonBlocking);
            })));
        Ok(())
    }
}

#[napi]
impl Session {
    /// Commits this session's queued cookie writes, blocking; `lib/session.js`
    /// calls it on process exit.
    #[napi(js_name = "_flushCookiesAtExit", catch_unwind)]
    pub fn flush_cookies_at_exit(&self) {
        if let Err(e) = self.inner.cookies().flush_blocking() {
            eprintln!("electron-session: cookies not saved at exit: {}", e.message());
        }
    }

    /// A Cookies object for this session (`lib/cookies.js` keeps one per session).
    #[napi(getter, js_name = "_cookies", catch_unwind)]
    pub fn cookies(&self) -> Cookies {
        Cookies {
            session: self.inner.clone(),
        }
    }
}

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

use crate::args::{self, Prop};
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

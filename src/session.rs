//! `Session`: one per partition or path. Methods that Electron implements in
//! JavaScript, or that take handlers, are completed by `lib/session.js`; the
//! `_`-prefixed natives here are what it builds on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use electron_session_core::app::App as CoreApp;
use electron_session_core::hooks::SharedHook;
use electron_session_core::net::{self, CacheUsage, DnsSource, NetworkConditions, SslConfig};
use electron_session_core::permissions::{self, DeviceType, Frame, RequestError};
use electron_session_core::proxy::{ProxySettings, SetProxyOptions};
use electron_session_core::session::{
    random_preload_id, PreloadKind, PreloadScript, Session as CoreSession, SessionOptions,
    SessionRegistry,
};
use napi::bindgen_prelude::*;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::{Map, Value};

use crate::args;
use crate::hooks::{into_js_error, JsHook};

#[napi]
pub struct Session {
    pub(crate) inner: Arc<CoreSession>,
}

fn session_options(env: &Env, options: &Unknown) -> Result<SessionOptions> {
    let Some(obj) = args::optional_object(env, options, 1)? else {
        return Ok(SessionOptions::default());
    };
    let bad = "Invalid value for options.cache: expected a boolean";
    Ok(SessionOptions {
        cache: args::property(env, &obj, "cache", bad)?,
    })
}

/// The session for `partition`; a new wrapper each call, around the one core
/// session of that partition (`lib/session.js` keeps wrapper identity).
#[napi(js_name = "_fromPartition", catch_unwind)]
pub fn from_partition(env: Env, partition: Unknown, options: Unknown) -> Result<Session> {
    let partition = args::string(&env, &partition, 0)?;
    let options = session_options(&env, &options)?;
    let (inner, _) = SessionRegistry::global()
        .from_partition(CoreApp::global(), &partition, &options)
        .map_err(|e| args::throw_core(&env, e))?;
    Ok(Session { inner })
}

#[napi(js_name = "_fromPath", catch_unwind)]
pub fn from_path(env: Env, path: Unknown, options: Unknown) -> Result<Session> {
    let path = args::string(&env, &path, 0)?;
    let options = session_options(&env, &options)?;
    let (inner, _) = SessionRegistry::global()
        .from_path(CoreApp::global(), Path::new(&path), &options)
        .map_err(|e| args::throw_core(&env, e))?;
    Ok(Session { inner })
}

/// A handler argument: a function (already wrapped by the JS shell) or `null`.
fn handler<Q, A>(env: &Env, value: &Unknown) -> Result<Option<SharedHook<Q, A>>>
where
    Q: crate::hooks::Question,
    A: FromNapiValue + Send + 'static,
{
    match value.get_type()? {
        ValueType::Null => Ok(None),
        ValueType::Function => {
            let f: Function<Value, Promise<A>> = unsafe { value.cast()? };
            Ok(Some(Arc::new(JsHook::new(f)?)))
        }
        _ => Err(args::type_error(env, "Must pass null or function")),
    }
}

/// `setSSLConfig`'s argument.
fn ssl_config(env: &Env, value: &Unknown) -> Result<SslConfig> {
    let obj = args::optional_object(env, value, 0)?
        .ok_or_else(|| args::conversion_failure(env, 0, value))?;
    let field = |name: &str| -> Result<Option<String>> {
        args::property(
            env,
            &obj,
            name,
            &format!("Invalid value for config.{name}: expected a string"),
        )
    };
    let (min, max) = (field("minVersion")?, field("maxVersion")?);
    let suites: Unknown = obj.get_named_property("disabledCipherSuites")?;
    let bad_suites = || {
        args::type_error(env, "Invalid value for config.disabledCipherSuites: expected an array of integers from 0 to 65535")
    };
    let disabled = if args::is_undefined(&suites) {
        Vec::new()
    } else {
        if !suites.is_array()? {
            return Err(bad_suites());
        }
        let items: Vec<Unknown> = unsafe { suites.cast()? };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if item.get_type()? != ValueType::Number {
                return Err(bad_suites());
            }
            let n: f64 = unsafe { item.cast()? };
            if n.fract() != 0.0 || !(0.0..=65535.0).contains(&n) {
                return Err(bad_suites());
            }
            out.push(n as u16);
        }
        out
    };
    SslConfig::new(min.as_deref(), max.as_deref(), disabled).map_err(|e| args::throw_core(env, e))
}

fn details_object(env: &Env, value: &Unknown, index: usize) -> Result<Map<String, Value>> {
    match args::optional_object(env, value, index)? {
        None => Ok(Map::new()),
        Some(_) => match unsafe { value.cast::<Value>()? } {
            Value::Object(m) => Ok(m),
            _ => Err(args::conversion_failure(env, index, value)),
        },
    }
}

/// The arguments of a page's permission request or check, checked.
struct PermissionQuestion {
    frame: Frame,
    permission: String,
    details: Map<String, Value>,
}

impl PermissionQuestion {
    fn read(
        env: &Env,
        web_contents_id: u32,
        url: String,
        permission: &Unknown,
        details: &Unknown,
    ) -> Result<Self> {
        let permission = args::string(env, permission, 0)?;
        permissions::validate_permission(&permission).map_err(|e| args::throw_core(env, e))?;
        let details = details_object(env, details, 1)?;
        let frame = Frame {
            web_contents_id,
            main_frame_url: url.clone(),
            url,
            is_main_frame: true,
        };
        Ok(PermissionQuestion {
            frame,
            permission,
            details,
        })
    }
}

fn permission_result(r: std::result::Result<bool, RequestError>) -> Result<bool> {
    match r {
        Ok(granted) => Ok(granted),
        Err(RequestError::Invalid(e)) => Err(args::reject_core(e)),
        Err(RequestError::Handler(e)) => Err(into_js_error(e)),
    }
}

#[napi]
impl Session {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::plain_error(
            &env,
            "Session objects cannot be created with 'new'",
        ))
    }

    /// Identifies the core session behind this wrapper.
    #[napi(getter, js_name = "_id", catch_unwind)]
    pub fn id(&self) -> u32 {
        self.inner.id()
    }

    #[napi(catch_unwind)]
    pub fn is_persistent(&self) -> bool {
        self.inner.is_persistent()
    }

    /// The folder this session stores its data in; `null` when in memory.
    #[napi(catch_unwind)]
    pub fn get_storage_path(&self) -> Option<String> {
        self.inner
            .storage_path()
            .map(|p| p.to_string_lossy().into_owned())
    }

    #[napi(getter, catch_unwind)]
    pub fn storage_path(&self) -> Option<String> {
        self.get_storage_path()
    }

    #[napi(catch_unwind)]
    pub fn set_user_agent(
        &self,
        env: Env,
        user_agent: Unknown,
        accept_languages: Unknown,
    ) -> Result<()> {
        let ua = args::string(&env, &user_agent, 0)?;
        let langs = args::optional_string(&env, &accept_languages, 1)?;
        self.inner.set_user_agent(&ua, langs.as_deref());
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn get_user_agent(&self) -> String {
        self.inner.user_agent()
    }

    #[napi(catch_unwind)]
    pub fn set_preloads(&self, env: Env, preloads: Unknown) -> Result<()> {
        let list = args::string_array(&env, &preloads, 0)?;
        self.inner
            .set_preloads(list.into_iter().map(PathBuf::from).collect())
            .map_err(|e| args::throw_core(&env, e))
    }

    #[napi(catch_unwind)]
    pub fn get_preloads(&self) -> Vec<String> {
        self.inner
            .preloads()
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect()
    }

    /// Registers a preload script; returns its id (a random UUID unless given).
    #[napi(catch_unwind)]
    pub fn register_preload_script(&self, env: Env, script: Unknown) -> Result<String> {
        let obj = args::optional_object(&env, &script, 0)?
            .ok_or_else(|| args::conversion_failure(&env, 0, &script))?;
        let bad = |name: &str, expected: &str| {
            format!("Invalid value for script.{name}: expected {expected}")
        };
        let required = |name: &str| -> Result<String> {
            let message = bad(name, "a string");
            args::property::<String>(&env, &obj, name, &message)?
                .ok_or_else(|| args::type_error(&env, &message))
        };
        let kind = PreloadKind::parse(&required("type")?).map_err(|e| args::throw_core(&env, e))?;
        let file_path = required("filePath")?;
        let id = args::property(&env, &obj, "id", &bad("id", "a string"))?
            .unwrap_or_else(random_preload_id);
        let mut filters = Map::new();
        for name in ["matches", "excludeMatches", "includeGlobs", "excludeGlobs"] {
            if let Some(list) =
                args::property::<Vec<String>>(&env, &obj, name, &bad(name, "an array of strings"))?
            {
                filters.insert(name.to_string(), Value::from(list));
            }
        }
        let name = "matchOriginAsFallback";
        if let Some(fallback) = args::property::<bool>(&env, &obj, name, &bad(name, "a boolean"))? {
            filters.insert(name.into(), Value::Bool(fallback));
        }
        let script = PreloadScript {
            id,
            kind,
            file_path: PathBuf::from(file_path),
            filters,
            deprecated: false,
        };
        self.inner
            .register_preload_script(script)
            .map_err(|e| args::throw_core(&env, e))
    }

    #[napi(catch_unwind)]
    pub fn unregister_preload_script(&self, env: Env, id: Unknown) -> Result<()> {
        let id = args::string(&env, &id, 0)?;
        self.inner
            .unregister_preload_script(&id)
            .map_err(|e| args::throw_core(&env, e))
    }

    /// `[{ type, id, filePath, …filters }]`, in registration order.
    #[napi(
        catch_unwind,
        ts_return_type = "Array<{ type: 'frame' | 'service-worker', id: string, filePath: string }>"
    )]
    pub fn get_preload_scripts(&self) -> Vec<Value> {
        self.inner
            .preload_scripts()
            .iter()
            .map(|s| s.to_json())
            .collect()
    }

    #[napi(catch_unwind)]
    pub fn set_code_cache_path(&self, env: Env, path: Unknown) -> Result<()> {
        let bad = || args::type_error(&env, "Absolute path must be provided to store code cache.");
        if path.get_type()? != ValueType::String {
            return Err(bad());
        }
        let path: String = unsafe { path.cast()? };
        self.inner
            .set_code_cache_path(Path::new(&path))
            .map_err(|e| args::throw_core(&env, e))
    }

    /// Empties the code cache. `options.urls` must be an array of valid URLs
    /// when given; see the core for why any list clears everything.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn clear_code_caches<'env>(
        &self,
        env: &'env Env,
        options: Unknown,
    ) -> Result<PromiseRaw<'env, ()>> {
        if let Some(obj) = args::optional_object(env, &options, 0)? {
            let urls: Unknown = obj.get_named_property("urls")?;
            if !args::is_undefined(&urls) {
                for u in args::string_array(env, &urls, 0)? {
                    if url::Url::parse(&u).is_err() {
                        return Err(args::type_error(
                            env,
                            &format!("Invalid URL in options.urls: '{u}'"),
                        ));
                    }
                }
            }
        }
        let inner = self.inner.clone();
        env.spawn_future(async move { inner.clear_code_caches().await.map_err(args::reject_core) })
    }

    /// Forgets the credentials that answered this session's auth challenges.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn clear_auth_cache<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        self.inner.network().auth_cache().clear();
        env.spawn_future(async { Ok(()) })
    }

    /// Stored for NTLM/Negotiate, which are not available here (see README).
    #[napi(js_name = "allowNTLMCredentialsForDomains", catch_unwind)]
    pub fn allow_ntlm_credentials_for_domains(&self, env: Env, domains: Unknown) -> Result<()> {
        let domains = args::string(&env, &domains, 0)?;
        self.inner.network().set_ntlm_domains(&domains);
        Ok(())
    }

    /// Empties this session's host cache.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn clear_host_resolver_cache<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        self.inner.network().clear_host_resolver_cache();
        env.spawn_future(async { Ok(()) })
    }

    /// Resolves `host` as this session's requests would.
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<{ endpoints: Array<{ address: string, family: 'ipv4' | 'ipv6' }> }>"
    )]
    pub fn resolve_host<'env>(
        &self,
        env: &'env Env,
        host: Unknown,
        options: Unknown,
    ) -> Result<PromiseRaw<'env, Value>> {
        let host = args::string(env, &host, 0)?;
        let mut query_type = None;
        let mut source = DnsSource::Any;
        let mut cache = CacheUsage::Allowed;
        if let Some(obj) = args::optional_object(env, &options, 1)? {
            let option = |name: &str, allowed: &[&str]| -> Result<Option<String>> {
                let bad = format!(
                    "Invalid value for options.{name}: expected one of '{}'",
                    allowed.join("', '")
                );
                match args::property::<String>(env, &obj, name, &bad)? {
                    Some(s) if !allowed.contains(&s.as_str()) => Err(args::type_error(env, &bad)),
                    value => Ok(value),
                }
            };
            query_type = option("queryType", &["A", "AAAA"])?;
            if option("source", &["any", "system", "dns", "mdns", "localOnly"])?.as_deref()
                == Some("localOnly")
            {
                source = DnsSource::LocalOnly;
            }
            cache = match option("cacheUsage", &["allowed", "staleAllowed", "disallowed"])?
                .as_deref()
            {
                Some("staleAllowed") => CacheUsage::StaleAllowed,
                Some("disallowed") => CacheUsage::Disallowed,
                _ => CacheUsage::Allowed,
            };
            option("secureDnsPolicy", &["allow", "disable"])?;
        }
        let inner = self.inner.clone();
        env.spawn_future(async move {
            let ips = inner.network().resolve_host(&host, source, cache).await.map_err(|e| Error::from_reason(e.name()))?;
            let endpoints: Vec<Value> = ips
                .into_iter()
                .filter(|ip| match query_type.as_deref() {
                    Some("A") => ip.is_ipv4(),
                    Some("AAAA") => ip.is_ipv6(),
                    _ => true,
                })
                .map(|ip| serde_json::json!({ "address": ip.to_string(), "family": if ip.is_ipv4() { "ipv4" } else { "ipv6" } }))
                .collect();
            if endpoints.is_empty() {
                return Err(Error::from_reason("net::ERR_NAME_NOT_RESOLVED"));
            }
            Ok(serde_json::json!({ "endpoints": endpoints }))
        })
    }

    /// Sets the proxy configuration; resolves once later requests use it.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn set_proxy<'env>(&self, env: &'env Env, config: Unknown) -> Result<PromiseRaw<'env, ()>> {
        let obj = args::optional_object(env, &config, 0)?
            .ok_or_else(|| args::conversion_failure(env, 0, &config))?;
        let field = |name: &str| {
            let bad = format!("Invalid value for config.{name}: expected a string");
            args::property::<String>(env, &obj, name, &bad)
        };
        let options = SetProxyOptions {
            mode: field("mode")?,
            pac_script: field("pacScript")?,
            proxy_rules: field("proxyRules")?,
            proxy_bypass_rules: field("proxyBypassRules")?,
        };
        let settings = ProxySettings::from_set_proxy(&options);
        if let Ok(settings) = &settings {
            self.inner.network().set_proxy(settings.clone());
        }
        env.spawn_future(async move { settings.map(|_| ()).map_err(args::reject_core) })
    }

    /// Resolves with the proxies for `url`, in PAC form (`PROXY a:80;DIRECT`).
    #[napi(catch_unwind, ts_return_type = "Promise<string>")]
    pub fn resolve_proxy<'env>(&self, env: &'env Env, url: Unknown) -> Result<PromiseRaw<'env, String>> {
        let text = args::string(env, &url, 0)?;
        let url = url::Url::parse(&text)
            .map_err(|_| args::type_error(env, &format!("Invalid URL: '{text}'")))?;
        let inner = self.inner.clone();
        env.spawn_future(async move {
            let list = inner
                .network()
                .resolve_proxy(&inner, &url)
                .await
                .map_err(|e| Error::from_reason(e.name()))?;
            Ok(list.to_pac_string().to_string())
        })
    }

    /// A handle to this session for `_resolveProxyNow`.
    #[napi(js_name = "_proxyHandle", ts_return_type = "unknown")]
    pub fn proxy_handle(&self) -> External<Arc<CoreSession>> {
        External::new(self.inner.clone())
    }

    /// Reads the proxy settings again; resolves when they are in force.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn force_reload_proxy_config<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        self.inner.network().force_reload_proxy_config();
        env.spawn_future(async { Ok(()) })
    }

    /// Opens sockets to `options.url`'s origin ahead of the requests that
    /// will use them; returns at once, as Electron's does.
    #[napi(catch_unwind)]
    pub fn preconnect(&self, env: Env, options: Unknown) -> Result<()> {
        let bad_url = "Must pass non-empty valid url to session.preconnect.";
        let obj = args::optional_object(&env, &options, 0)?
            .ok_or_else(|| args::type_error(&env, bad_url))?;
        let url = args::property::<String>(&env, &obj, "url", bad_url)?
            .and_then(|u| url::Url::parse(&u).ok())
            .ok_or_else(|| args::type_error(&env, bad_url))?;
        let max = net::MAX_PRECONNECT_SOCKETS;
        let range = format!("numSocketsToPreconnect is outside range [1,{max}]");
        let sockets = args::property::<f64>(&env, &obj, "numSockets", &range)?.unwrap_or(1.0);
        if !(1.0..(max + 1) as f64).contains(&sockets) {
            return Err(args::type_error(&env, &range));
        }
        let inner = self.inner.clone();
        napi::bindgen_prelude::spawn(async move {
            inner.network().preconnect(&inner, &url, sockets as u32).await
        });
        Ok(())
    }

    /// Emulates network conditions for requests started from now on.
    #[napi(catch_unwind)]
    pub fn enable_network_emulation(&self, env: Env, options: Unknown) -> Result<()> {
        let obj = args::optional_object(&env, &options, 0)?
            .ok_or_else(|| args::conversion_failure(&env, 0, &options))?;
        let bad = "Invalid value for options.offline: expected a boolean";
        let offline = args::property(&env, &obj, "offline", bad)?.unwrap_or(false);
        let number = |name: &str| -> Result<f64> {
            let bad = format!("Invalid value for options.{name}: expected a number >= 0");
            Ok(args::property(&env, &obj, name, &bad)?.unwrap_or(0.0))
        };
        let conditions = NetworkConditions::new(
            offline,
            number("latency")?,
            number("downloadThroughput")?,
            number("uploadThroughput")?,
        )
        .map_err(|e| args::throw_core(&env, e))?;
        self.inner.network().set_emulation(Some(conditions));
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn disable_network_emulation(&self) {
        self.inner.network().set_emulation(None);
    }

    /// TLS versions and cipher suites for connections opened from now on.
    #[napi(js_name = "setSSLConfig", catch_unwind)]
    pub fn set_ssl_config(&self, env: Env, config: Unknown) -> Result<()> {
        self.inner
            .network()
            .set_ssl_config(ssl_config(&env, &config)?);
        Ok(())
    }

    /// The JS shell passes an adapter that answers with a number.
    #[napi(js_name = "_setCertificateVerifyProc", catch_unwind)]
    pub fn set_certificate_verify_proc(&self, env: Env, proc_: Unknown) -> Result<()> {
        self.inner
            .network()
            .set_verify_proc(handler::<_, i32>(&env, &proc_)?);
        Ok(())
    }

    #[napi(js_name = "_setPermissionRequestHandler", catch_unwind)]
    pub fn set_permission_request_handler(&self, env: Env, handler: Unknown) -> Result<()> {
        self.inner
            .permissions()
            .set_request_handler(self::handler(&env, &handler)?);
        Ok(())
    }

    #[napi(js_name = "_setPermissionCheckHandler", catch_unwind)]
    pub fn set_permission_check_handler(&self, env: Env, handler: Unknown) -> Result<()> {
        self.inner
            .permissions()
            .set_check_handler(self::handler(&env, &handler)?);
        Ok(())
    }

    #[napi(js_name = "_setDevicePermissionHandler", catch_unwind)]
    pub fn set_device_permission_handler(&self, env: Env, handler: Unknown) -> Result<()> {
        self.inner
            .permissions()
            .set_device_handler(self::handler(&env, &handler)?);
        Ok(())
    }

    /// A page of web contents `web_contents_id`, showing `url` in its main
    /// frame, requests `permission`.
    #[napi(
        js_name = "_requestPermission",
        catch_unwind,
        ts_return_type = "Promise<boolean>"
    )]
    pub fn request_permission<'env>(
        &self,
        env: &'env Env,
        web_contents_id: u32,
        url: String,
        permission: Unknown,
        details: Unknown,
    ) -> Result<PromiseRaw<'env, bool>> {
        let q = PermissionQuestion::read(env, web_contents_id, url, &permission, &details)?;
        let inner = self.inner.clone();
        env.spawn_future(async move {
            permission_result(
                inner
                    .permissions()
                    .request(&q.frame, &q.permission, q.details)
                    .await,
            )
        })
    }

    /// The same page checks `permission`.
    #[napi(
        js_name = "_checkPermission",
        catch_unwind,
        ts_return_type = "Promise<boolean>"
    )]
    pub fn check_permission<'env>(
        &self,
        env: &'env Env,
        web_contents_id: u32,
        url: String,
        permission: Unknown,
        details: Unknown,
    ) -> Result<PromiseRaw<'env, bool>> {
        let q = PermissionQuestion::read(env, web_contents_id, url, &permission, &details)?;
        let inner = self.inner.clone();
        env.spawn_future(async move {
            permission_result(
                inner
                    .permissions()
                    .check(Some(&q.frame), &q.permission, q.details)
                    .await,
            )
        })
    }

    #[napi(
        js_name = "_checkDevicePermission",
        catch_unwind,
        ts_return_type = "Promise<boolean>"
    )]
    pub fn check_device_permission<'env>(
        &self,
        env: &'env Env,
        url: String,
        device_type: Unknown,
        device: Unknown,
    ) -> Result<PromiseRaw<'env, bool>> {
        let device_type = DeviceType::parse(&args::string(env, &device_type, 0)?)
            .map_err(|e| args::throw_core(env, e))?;
        let device = Value::Object(details_object(env, &device, 1)?);
        let inner = self.inner.clone();
        env.spawn_future(async move {
            permission_result(
                inner
                    .permissions()
                    .check_device(&url, device_type, device)
                    .await,
            )
        })
    }
}

/// The proxies for `url` in PAC form when they are known at once (see the
/// core's `resolve_proxy_ready`), else `null`: `lib/session.js` then calls
/// `resolveProxy`. Also `null` for an argument `resolveProxy` would refuse,
/// so the error comes from there. A function over a handle rather than a
/// method: the checks napi makes of a class instance's `this` were 13%
/// of what a ready answer costs.
#[napi(js_name = "_resolveProxyNow", catch_unwind, ts_args_type = "session: unknown, url: string")]
pub fn resolve_proxy_now(session: &External<Arc<CoreSession>>, url: String) -> Option<String> {
    let list = session.network().resolve_proxy_ready(&url)?;
    Some(list.to_pac_string().to_string())
}

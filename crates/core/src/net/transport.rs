//! The HTTP(S) transaction of one hop: the request headers from the
//! session, a connection from the session's pool (or a new one), HTTP/1.1
//! or HTTP/2 as TLS negotiated, and the response head and decoded body.
//! Sessions never share sockets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use http_body_util::BodyExt;
use tokio_util::sync::CancellationToken;
use url::Url;

use serde_json::json;

use super::auth::AuthCache;
use super::connect::{self, Stream};
use super::decode::{self, IoStream};
use super::dns::{self, CacheUsage, HostResolver, HostResolverRules, Source as DnsSource};
use super::emulation::{Emulation, NetworkConditions};
use super::http1::{self, Conn, Head, Outgoing, SendError};
use super::pool::{Key, Pool, H2Body, H2};
use super::tls::{self, SslConfig, VerifyProc};
use super::via_proxy::{self, Target, Via};
use crate::proxy::{
    PacArguments, PacHost, PacLimits, PacScript, ProxyChain, ProxyConfig, ProxyList, ProxyServer, ProxySettings,
};
use super::{header, Body, NetError, Request, RequestBody, Response};
use crate::netlog::{header_lines, Phase};
use crate::plain_url::{PlainUrl, UrlParts};
use crate::session::Session;
use crate::web_request::{Event, Tracker};

/// What Chromium advertises it can decode.
const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// The most sockets `preconnect` opens at once (Electron's limit).
pub const MAX_PRECONNECT_SOCKETS: u32 = 6;

/// A session's connections: its socket pool and the TLS settings new
/// connections use.
pub struct NetworkContext {
    /// Built on first use from the settings below; dropped when they change.
    /// The second is for HTTPS proxies, which speak HTTP/1.1 only.
    tls: Mutex<Option<(Arc<rustls::ClientConfig>, Arc<rustls::ClientConfig>)>>,
    proxy: Mutex<ProxyState>,
    pool: Arc<Pool>,
    /// Parent of every request's cancellation token: cancelled by
    /// `close_all_connections`, then replaced.
    connections: Mutex<CancellationToken>,
    ssl: Mutex<SslConfig>,
    verify_proc: Mutex<Option<VerifyProc>>,
    ignore_cert_errors: bool,
    emulation: Mutex<Option<Arc<Emulation>>>,
    resolver: Arc<HostResolver>,
    auth_cache: AuthCache,
    ntlm_domains: Mutex<Option<String>>,
}

/// Command-line switches a session's network reads when it is created.
#[derive(Debug, Clone, Default)]
pub struct NetworkSwitches {
    /// `ignore-certificate-errors`.
    pub ignore_cert_errors: bool,
    /// `host-resolver-rules`.
    pub host_resolver_rules: HostResolverRules,
    /// `no-proxy-server`, `proxy-pac-url`, `proxy-auto-detect`,
    /// `proxy-server` with `proxy-bypass-list`; `None`: the system's.
    pub proxy: Option<ProxySettings>,
}

/// How long a proxy that failed is tried only after the others (Chromium's
/// default proxy retry delay).
const PROXY_RETRY_DELAY: Duration = Duration::from_secs(300);

/// The proxy configuration in force and the proxies that failed lately
/// (Chromium's `ProxyResolutionService` with its `ProxyRetryInfoMap`).
struct ProxyState {
    /// What was configured; `config` is what it means now.
    settings: ProxySettings,
    config: ProxyConfig,
    bad: HashMap<ProxyServer, Instant>,
    /// The PAC script of `config`, fetched and compiled on first use;
    /// `None` inside when it could not be fetched or compiled.
    pac: Arc<tokio::sync::OnceCell<Option<Arc<Mutex<PacScript>>>>>,
    /// PAC answers already read, by their text (a script returns few
    /// distinct strings, and reading one is a pure function of it).
    answers: HashMap<Box<str>, ProxyList>,
}

/// The most PAC answers [`ProxyState::answers`] keeps; it starts again
/// when full.
const KEPT_PAC_ANSWERS: usize = 256;

impl ProxyState {
    /// `answer`, a PAC script's result, as a proxy list.
    fn read_answer(&mut self, answer: &str) -> ProxyList {
        if let Some(list) = self.answers.get(answer) {
            return list.clone();
        }
        let list = ProxyList::from_pac_string(answer);
        if self.answers.len() >= KEPT_PAC_ANSWERS {
            self.answers.clear();
        }
        self.answers.insert(answer.into(), list.clone());
        list
    }

    /// `list` with the proxies that failed lately moved to its end.
    fn deprioritize(&mut self, list: ProxyList) -> ProxyList {
        self.bad.retain(|_, at| at.elapsed() < PROXY_RETRY_DELAY);
        if self.bad.is_empty() || list.is_direct_only() {
            return list;
        }
        let is_bad = |c: &ProxyChain| c.proxy_server().is_some_and(|p| self.bad.contains_key(p));
        let mut ordered = ProxyList::new();
        let (good, bad): (Vec<&ProxyChain>, Vec<&ProxyChain>) = list.chains().iter().partition(|c| !is_bad(c));
        for chain in good.into_iter().chain(bad) {
            ordered.add_chain(chain.clone());
        }
        ordered
    }
}

/// Where WPAD looks for a PAC script (`auto_detect`), as Chromium's DNS-based
/// discovery does.
const WPAD_URL: &str = "http://wpad/wpad.dat";
/// The largest PAC script fetched (Chromium's `kDefaultMaxResponseBytes`).
const MAX_PAC_BYTES: usize = 1 << 20;
/// How long a PAC fetch may take (Chromium's `kDefaultMaxDuration`).
const PAC_FETCH_TIMEOUT: Duration = Duration::from_secs(300);

/// The environment as Chromium on Linux reads it for the `system` mode.
fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl NetworkContext {
    pub fn new(switches: NetworkSwitches) -> NetworkContext {
        NetworkContext {
            tls: Mutex::new(None),
            proxy: Mutex::new({
                let settings = switches.proxy.unwrap_or(ProxySettings::System);
                ProxyState {
                    config: settings.effective_config(environment),
                    settings,
                    bad: HashMap::new(),
                    pac: Arc::default(),
                    answers: HashMap::new(),
                }
            }),
            pool: Arc::new(Pool::default()),
            connections: Mutex::new(CancellationToken::new()),
            ssl: Mutex::new(SslConfig::default()),
            verify_proc: Mutex::new(None),
            ignore_cert_errors: switches.ignore_cert_errors,
            emulation: Mutex::new(None),
            resolver: Arc::new(HostResolver::new(
                switches.host_resolver_rules,
                dns::system_lookup(),
            )),
            auth_cache: AuthCache::default(),
            ntlm_domains: Mutex::new(None),
        }
    }

    /// The TLS configurations for origins and for HTTPS proxies.
    fn tls_configs(&self) -> Result<(Arc<rustls::ClientConfig>, Arc<rustls::ClientConfig>), NetError> {
        let mut slot = self.tls.lock().unwrap();
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let config = tls::client_config(
            &self.ssl.lock().unwrap(),
            self.ignore_cert_errors,
            self.verify_proc.lock().unwrap().clone(),
        )?;
        let mut for_proxy = config.clone();
        for_proxy.alpn_protocols = vec![b"http/1.1".to_vec()];
        let configs = (Arc::new(config), Arc::new(for_proxy));
        *slot = Some(configs.clone());
        Ok(configs)
    }

    /// Later connections use the current TLS settings; requests in flight
    /// keep their sockets, which are not reused.
    fn renew(&self) {
        *self.tls.lock().unwrap() = None;
        self.pool.close_idle();
    }

    /// Opens a connection to `key`'s origin, through its proxy if it has one.
    async fn connect(&self, key: &Key, user_agent: &str) -> Result<Stream, NetError> {
        let (origin_tls, proxy_tls) = self.tls_configs()?;
        let Some(proxy) = &key.proxy else {
            let tls = key.https.then_some(origin_tls);
            return connect::connect(&self.resolver, &key.host, key.port, tls).await;
        };
        let target = Target { host: &key.host, port: key.port, user_agent };
        let forward = via_proxy::via(Some(proxy), key.https) == Via::Forward;
        let stream = via_proxy::connect(&self.resolver, proxy, &target, forward, proxy_tls).await?;
        if key.https {
            connect::start_tls(stream, &key.host, origin_tls).await
        } else {
            Ok(stream)
        }
    }

    /// `ses.setProxy`: the configuration requests use from now on. Idle
    /// sockets are closed and the memory of failed proxies is cleared, so no
    /// later request uses a connection made under the old configuration.
    pub fn set_proxy(&self, settings: ProxySettings) {
        let config = settings.effective_config(environment);
        {
            let mut state = self.proxy.lock().unwrap();
            state.settings = settings;
            state.config = config;
            state.bad.clear();
            state.pac = Arc::default();
        }
        self.pool.close_idle();
    }

    /// `ses.forceReloadProxyConfig`: reads the configured settings again
    /// (the environment, for the `system` mode).
    pub fn force_reload_proxy_config(&self) {
        let settings = self.proxy.lock().unwrap().settings.clone();
        self.set_proxy(settings);
    }

    /// The proxies for `url`, in the order they are tried: Chromium's list
    /// (from the rules, or from the PAC script, fetched and compiled once
    /// per configuration), with proxies that failed in the last five
    /// minutes moved to its end.
    ///
    /// A PAC script that cannot be fetched, compiled or run means `DIRECT`,
    /// unless it is mandatory (`setProxy`'s `pac_script` mode).
    ///
    /// # Errors
    /// `ERR_MANDATORY_PROXY_CONFIGURATION_FAILED` when a mandatory PAC
    /// script fails.
    pub fn resolve_proxy<'a>(
        &'a self,
        session: &'a Session,
        url: &'a Url,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<ProxyList, NetError>> + Send + 'a>>
    {
        // Boxed behind a named type: a PAC fetch is a request, which
        // resolves its own proxies, so the future type would contain itself.
        Box::pin(self.resolve_proxy_now(session, url))
    }

    async fn resolve_proxy_now(&self, session: &Session, url: &Url) -> Result<ProxyList, NetError> {
        let (pac_url, mandatory, cell) = {
            let state = self.proxy.lock().unwrap();
            // The rules decide (the common case), or else the PAC script.
            if let Some(list) = state.config.resolve_fixed(url) {
                drop(state);
                return Ok(self.deprioritize(list));
            }
            let pac_url = state.config.pac_url.clone().or_else(|| {
                state.config.auto_detect.then(|| Url::parse(WPAD_URL).expect("a valid URL"))
            });
            (pac_url, state.config.pac_mandatory, state.pac.clone())
        };
        let list = match pac_url {
            Some(pac_url) => match self.run_pac(session, &pac_url, &cell, url).await {
                Some(list) => list,
                None if mandatory => return Err(NetError::MandatoryProxyConfigurationFailed),
                None => ProxyList::direct(),
            },
            None => ProxyList::direct(),
        };
        Ok(self.deprioritize(list))
    }

    /// The proxies for `url` when they are known without waiting: from the
    /// rules, or from a PAC script already fetched and compiled that
    /// answers within [`READY_PAC_TIME`] without resolving a name. `None`
    /// means [`resolve_proxy`](Self::resolve_proxy) must be awaited; it
    /// gives the same answer, or the failure.
    ///
    /// `url` is a string: the common plain URLs are read without the URL
    /// parser ([`PlainUrl`]); `None` too when it is no valid URL.
    pub fn resolve_proxy_ready(&self, url: &str) -> Option<ProxyList> {
        let plain = PlainUrl::parse(url);
        let parsed = if plain.is_none() { Some(Url::parse(url).ok()?) } else { None };
        let parts: &dyn UrlParts = match (&plain, &parsed) {
            (Some(plain), _) => plain,
            (_, Some(parsed)) => parsed,
            _ => return None,
        };
        let cell = {
            let mut state = self.proxy.lock().unwrap();
            if let Some(list) = state.config.resolve_fixed(parts) {
                return Some(state.deprioritize(list));
            }
            state.pac.clone()
        };
        let script = cell.get()?.clone()?;
        let arguments = match &plain {
            Some(plain) => PacArguments::of_plain(plain),
            None => PacArguments::of(parsed.as_ref()?),
        };
        let answer = script.try_lock().ok()?.try_find_proxy(&arguments, READY_PAC_TIME)?;
        let mut state = self.proxy.lock().unwrap();
        let list = state.read_answer(&answer);
        Some(state.deprioritize(list))
    }

    /// `list` with the proxies that failed lately moved to its end.
    fn deprioritize(&self, list: ProxyList) -> ProxyList {
        self.proxy.lock().unwrap().deprioritize(list)
    }

    /// Asks the PAC script at `pac_url` (fetched and compiled on first use)
    /// for `url`'s proxies; `None` when it cannot answer.
    async fn run_pac(
        &self,
        session: &Session,
        pac_url: &Url,
        cell: &tokio::sync::OnceCell<Option<Arc<Mutex<PacScript>>>>,
        url: &Url,
    ) -> Option<ProxyList> {
        let script = cell
            .get_or_init(|| async {
                let source = fetch_pac(session, pac_url).await?;
                let host = PacHost::new(self.pac_resolver());
                let compiled = tokio::task::spawn_blocking(move || {
                    PacScript::new(&source, PacLimits::default(), host)
                })
                .await
                .ok()?
                .ok()?;
                Some(Arc::new(Mutex::new(compiled)))
            })
            .await
            .clone()?;
        let url = url.clone();
        let answer = tokio::task::spawn_blocking(move || script.lock().unwrap().find_proxy(&url))
            .await
            .ok()?
            .ok()?;
        Some(self.proxy.lock().unwrap().read_answer(&answer))
    }

    /// DNS for PAC scripts: the session's own resolver (host-resolver-rules
    /// and cache included), waited on from the script's blocking thread.
    fn pac_resolver(&self) -> crate::proxy::PacResolver {
        let resolver = self.resolver.clone();
        let runtime = tokio::runtime::Handle::current();
        Arc::new(move |host: &str| {
            runtime
                .block_on(resolver.resolve(host, 0, DnsSource::Any, CacheUsage::Allowed))
                .map(|addrs| addrs.into_iter().map(|a| a.ip()).collect())
                .unwrap_or_default()
        })
    }

    fn mark_bad(&self, proxy: &ProxyServer) {
        self.proxy.lock().unwrap().bad.insert(proxy.clone(), Instant::now());
    }

    /// `ses.preconnect`: opens up to `sockets` connections to `url`'s origin
    /// and keeps them idle for later requests. An origin that speaks HTTP/2
    /// gets one connection, which every request shares. Failures are
    /// silent, as in Chromium.
    pub async fn preconnect(&self, session: &Session, url: &Url, sockets: u32) {
        let Some(mut key) = pool_key(url) else { return };
        let Ok(proxies) = self.resolve_proxy(session, url).await else { return };
        key.proxy = proxies.first().and_then(|c| c.proxy_server()).cloned();
        let ua = session.user_agent();
        let n = sockets.clamp(1, MAX_PRECONNECT_SOCKETS);
        let generations: Vec<u64> = (0..n).map(|_| self.pool.opening(&key)).collect();
        let (key, ua) = (&key, &ua);
        let opens = generations.into_iter().map(|generation| async move {
            let conn = match self.connect(key, ua).await {
                Ok(stream) if stream.is_h2() => {
                    if self.pool.h2(key).is_none() {
                        let _ = self.pool.start_h2(key, stream).await;
                    }
                    None
                }
                Ok(stream) => Some(Conn::new(stream)),
                Err(_) => None,
            };
            self.pool.opened(key, generation, conn);
        });
        futures_util::future::join_all(opens).await;
    }

    /// A cancellation token for a new request: cancelling it aborts that
    /// request; `close_all_connections` cancels every one of them.
    pub fn request_token(&self) -> CancellationToken {
        self.connections.lock().unwrap().child_token()
    }

    /// Fails every request in flight with `ERR_ABORTED` and closes every
    /// pooled socket; later requests open new connections.
    pub fn close_all_connections(&self) {
        let old = std::mem::take(&mut *self.connections.lock().unwrap());
        old.cancel();
        self.pool.close_all();
    }

    /// Credentials that answered this session's auth challenges.
    pub fn auth_cache(&self) -> &AuthCache {
        &self.auth_cache
    }

    /// `allowNTLMCredentialsForDomains`: kept for when an NTLM/Negotiate
    /// implementation exists; none is available here.
    pub fn set_ntlm_domains(&self, domains: &str) {
        *self.ntlm_domains.lock().unwrap() = Some(domains.to_string());
    }

    pub fn ntlm_domains(&self) -> Option<String> {
        self.ntlm_domains.lock().unwrap().clone()
    }

    /// Empties this session's host cache.
    pub fn clear_host_resolver_cache(&self) {
        self.resolver.clear_cache();
    }

    /// Resolves `host` as this session's requests would (rules, cache,
    /// system resolver), for `ses.resolveHost`.
    ///
    /// # Errors
    /// `ERR_NAME_NOT_RESOLVED`, or `ERR_DNS_CACHE_MISS` for a local-only miss.
    pub async fn resolve_host(
        &self,
        host: &str,
        source: DnsSource,
        cache: CacheUsage,
    ) -> Result<Vec<std::net::IpAddr>, NetError> {
        let addrs = self.resolver.resolve(host, 0, source, cache).await?;
        let mut ips: Vec<std::net::IpAddr> = Vec::new();
        for a in addrs {
            if !ips.contains(&a.ip()) {
                ips.push(a.ip());
            }
        }
        Ok(ips)
    }

    /// Emulates `conditions` for requests started from now on; `None` stops.
    pub fn set_emulation(&self, conditions: Option<NetworkConditions>) {
        *self.emulation.lock().unwrap() = conditions.map(|c| Arc::new(Emulation::new(c)));
    }

    fn emulation(&self) -> Option<Arc<Emulation>> {
        self.emulation.lock().unwrap().clone()
    }

    /// Applies to connections opened from now on.
    pub fn set_ssl_config(&self, config: SslConfig) {
        *self.ssl.lock().unwrap() = config;
        self.renew();
    }

    /// Sets (or with `None` removes) the certificate verify procedure, for
    /// connections opened from now on; its cached answers are dropped.
    pub fn set_verify_proc(&self, verify_proc: Option<VerifyProc>) {
        *self.verify_proc.lock().unwrap() = verify_proc;
        self.renew();
    }
}


/// The pool key of an http(s) URL's origin.
fn pool_key(url: &Url) -> Option<Key> {
    Some(Key {
        https: match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return None,
        },
        host: url.host_str()?.to_string(),
        port: url.port_or_known_default()?,
        proxy: None,
    })
}

/// The `Host` header of `url`: host, and the port unless it is the default.
fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

/// Whether `name` is a header token (RFC 9110 `tchar`s) and `value` has no
/// CR, LF or NUL: what may go on the wire.
fn valid_header(name: &str, value: &str) -> bool {
    const SEPARATORS: &[u8] = b"\"(),/:;<=>?@[\\]{}";
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !SEPARATORS.contains(&b))
        && value.chars().all(|c| !matches!(c, '\r' | '\n' | '\0') && (c as u32) < 256)
}

/// The headers a request says of itself, which webRequest listeners see
/// and may replace: the caller's, in their order and case, then the jar's
/// cookies, then the session's `User-Agent`, `Accept-Encoding` and
/// `Accept-Language` where the caller set none (Chromium's
/// `URLRequestHttpJob`).
///
/// # Errors
/// `ERR_INVALID_ARGUMENT` for a header that cannot be sent.
fn content_headers(session: &Session, req: &Request) -> Result<Vec<(String, String)>, NetError> {
    let has = |name: &str| header(&req.headers, name).is_some();
    let mut out = Vec::with_capacity(req.headers.len() + 4);
    for (name, value) in &req.headers {
        if !valid_header(name, value) {
            return Err(NetError::InvalidArgument);
        }
        out.push((name.clone(), value.clone()));
    }
    // Stage: cookies are attached here. As Chromium's URLRequestHttpJob
    // (`SetHeader`), the jar's cookies replace a caller's Cookie header;
    // with none to send, the caller's header stays.
    if !req.omit_credentials {
        if let Some(line) = session.cookies().header_for_request(&req.url, &super::FETCH_COOKIE_OPTIONS) {
            match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("cookie")) {
                Some(existing) => existing.1 = line,
                None => out.push(("Cookie".to_string(), line)),
            }
        }
    }
    // Then the session's identity, unless the request set it.
    let defaults = [
        ("User-Agent", session.user_agent()),
        ("Accept-Encoding", ACCEPT_ENCODING.to_string()),
        ("Accept-Language", session.accept_language()),
    ];
    for (name, value) in defaults {
        if !has(name) && !value.is_empty() && valid_header(name, &value) {
            out.push((name.to_string(), value));
        }
    }
    Ok(out)
}

/// The headers as they go on the wire, after Chromium's
/// `HttpNetworkTransaction::BuildRequestHeaders`: `Host` and `Connection`
/// first, then the body's framing, then `content`, each added only where
/// `content` does not set it.
fn wire_headers(req: &Request, content: Vec<(String, String)>) -> Vec<(String, String)> {
    let has = |name: &str| header(&content, name).is_some();
    let mut out = Vec::with_capacity(content.len() + 3);
    if !has("host") {
        out.push(("Host".to_string(), host_header(&req.url)));
    }
    if !has("connection") {
        out.push(("Connection".to_string(), "keep-alive".to_string()));
    }
    if !has("content-length") && !has("transfer-encoding") {
        match &req.body {
            Some(RequestBody::Bytes(b)) => out.push(("Content-Length".to_string(), b.len().to_string())),
            Some(RequestBody::Stream(_)) => out.push(("Transfer-Encoding".to_string(), "chunked".to_string())),
            // Chromium announces an empty body for methods that expect one.
            None if matches!(req.method.as_str(), "POST" | "PUT") => {
                out.push(("Content-Length".to_string(), "0".to_string()))
            }
            None => {}
        }
    }
    out.extend(content);
    out
}

/// The request body for one attempt, throttled when emulation caps uploads.
/// A streamed body can be taken once; bytes any number of times. It is
/// chunked unless its length is known or the caller framed it.
fn outgoing(req: &Request, emulation: Option<&Arc<Emulation>>) -> Result<Option<Outgoing>, NetError> {
    let framed = header(&req.headers, "content-length").is_some()
        || header(&req.headers, "transfer-encoding").is_some();
    let (body, chunked): (Body, bool) = match &req.body {
        None => return Ok(None),
        Some(RequestBody::Bytes(bytes)) => (futures_util::stream::iter([Ok(bytes.clone())]).boxed(), false),
        Some(RequestBody::Stream(slot)) => (slot.lock().unwrap().take().ok_or(NetError::Failed)?, !framed),
    };
    let body = match emulation.and_then(|e| e.upload.clone()) {
        Some(throttle) => throttle.body(body),
        None => body,
    };
    Ok(Some(Outgoing { body, chunked }))
}

/// A response head and its raw (not yet decoded) body.
struct Exchanged {
    status: u16,
    status_text: String,
    /// `HTTP/1.1`, `HTTP/1.0` or `HTTP/2`: for NetLog's status line.
    version: &'static str,
    headers: Vec<(String, String)>,
    body: Body,
    /// The address the request went to (a proxy's when proxied).
    ip: Option<std::net::IpAddr>,
}

/// Where an attempt failed: while connecting (to the origin or a proxy),
/// which may fall back to the next proxy, or later.
enum Failure {
    Connect(NetError),
    Request(NetError),
}

/// Connection errors that send a request on to the next proxy of its list
/// (Chromium `CanFalloverToNextProxy`; a refused tunnel is not one).
fn can_fall_back(e: NetError) -> bool {
    matches!(
        e,
        NetError::ProxyConnectionFailed
            | NetError::NameNotResolved
            | NetError::InternetDisconnected
            | NetError::AddressUnreachable
            | NetError::ConnectionClosed
            | NetError::ConnectionTimedOut
            | NetError::ConnectionReset
            | NetError::ConnectionRefused
            | NetError::ConnectionAborted
            | NetError::TimedOut
            | NetError::SocksConnectionFailed
            | NetError::ProxyCertificateInvalid
            | NetError::SslProtocolError
    )
}

/// Errors after which a request that went out on a reused HTTP/1.1 socket
/// is sent again on a new one: the server closed the idle socket as we
/// used it (Chromium's `HttpNetworkTransaction::ShouldResendRequest`).
fn resend_after(e: NetError) -> bool {
    matches!(
        e,
        NetError::ConnectionReset
            | NetError::ConnectionClosed
            | NetError::ConnectionAborted
            | NetError::EmptyResponse
    )
}

impl NetworkContext {
    /// Sends `req` through the proxies the configuration lists for it (or
    /// directly), in order: a proxy that cannot be reached is marked bad and
    /// the next entry is tried, as Chromium falls back
    /// (`CanFalloverToNextProxy`).
    ///
    /// # Errors
    /// The last entry's error; `ERR_NO_SUPPORTED_PROXIES` for an empty list.
    async fn exchange(
        &self,
        session: &Session,
        origin: &Key,
        req: &Request,
        headers: &[(String, String)],
        user_agent: &str,
        emulation: Option<&Arc<Emulation>>,
    ) -> Result<Exchanged, NetError> {
        let proxies = if req.bypass_proxy {
            ProxyList::direct()
        } else {
            self.resolve_proxy(session, &req.url).await?
        };
        let mut last = NetError::NoSupportedProxies;
        for chain in proxies.chains() {
            let key = Key { proxy: chain.proxy_server().cloned(), ..origin.clone() };
            match self.exchange_on(&key, req, headers, user_agent, emulation).await {
                Err(Failure::Connect(e)) if key.proxy.is_some() && can_fall_back(e) => {
                    self.mark_bad(key.proxy.as_ref().expect("a proxy"));
                    last = e;
                }
                // Chromium reports a SOCKS proxy's "host unreachable" generically.
                Err(Failure::Connect(NetError::SocksConnectionHostUnreachable)) => {
                    return Err(NetError::AddressUnreachable)
                }
                Err(Failure::Connect(e) | Failure::Request(e)) => return Err(e),
                Ok(exchanged) => return Ok(exchanged),
            }
        }
        Err(last)
    }

    /// Sends `req` on a pooled or new connection for `key` and reads the
    /// response head.
    async fn exchange_on(
        &self,
        key: &Key,
        req: &Request,
        headers: &[(String, String)],
        user_agent: &str,
        emulation: Option<&Arc<Emulation>>,
    ) -> Result<Exchanged, Failure> {
        let forward = via_proxy::via(key.proxy.as_ref(), key.https) == Via::Forward;
        let target = if forward {
            // An absolute-form target, as Chromium sends it to an HTTP proxy.
            let mut url = req.url.clone();
            url.set_fragment(None);
            url.to_string()
        } else {
            super::request_target(&req.url)
        };
        let forwarded;
        let headers = if forward {
            forwarded = headers
                .iter()
                .map(|(n, v)| match n.as_str() {
                    "Connection" => ("Proxy-Connection".to_string(), v.clone()),
                    _ => (n.clone(), v.clone()),
                })
                .collect::<Vec<_>>();
            &forwarded[..]
        } else {
            headers
        };
        let resendable = !matches!(req.body, Some(RequestBody::Stream(_)));
        let request = |e| Failure::Request(e);
        loop {
            if let Some(h2) = self.pool.h2(key) {
                return h2_exchange(h2, req, headers, outgoing(req, emulation).map_err(request)?)
                    .await
                    .map_err(request);
            }
            let conn = match self.pool.take(key).await {
                Some(conn) => conn,
                // A preconnect waited for may have opened HTTP/2.
                None if self.pool.h2(key).is_some() => continue,
                None => {
                    let stream = self.connect(key, user_agent).await.map_err(Failure::Connect)?;
                    if stream.is_h2() {
                        let h2 = self.pool.start_h2(key, stream).await.map_err(request)?;
                        let body = outgoing(req, emulation).map_err(request)?;
                        return h2_exchange(h2, req, headers, body).await.map_err(request);
                    }
                    Conn::new(stream)
                }
            };
            let reused = conn.reused;
            let head = http1::request_head(&req.method, &target, headers);
            let body = outgoing(req, emulation).map_err(request)?;
            match self.h1_exchange(key, conn, req, head, body).await {
                Err(e) if reused && resendable && resend_after(e) => continue,
                r => return r.map_err(request),
            }
        }
    }

    async fn h1_exchange(
        &self,
        key: &Key,
        mut conn: Conn,
        req: &Request,
        head: Vec<u8>,
        body: Option<Outgoing>,
    ) -> Result<Exchanged, NetError> {
        match conn.send(head, body).await {
            Ok(()) => {}
            Err(SendError::Body(e)) => return Err(e),
            // The server may have answered before it stopped reading
            // (an early 401 or 413): use that answer if there is one.
            Err(SendError::Write(e)) => {
                if let Ok(head) = conn.read_head().await {
                    return h1_response(conn, head, req, Box::new(drop));
                }
                return Err(e);
            }
        }
        let head = conn.read_head().await?;
        let release = self.pool.releaser(key);
        h1_response(conn, head, req, release)
    }
}

fn h1_response(conn: Conn, head: Head, req: &Request, release: http1::Release) -> Result<Exchanged, NetError> {
    let ip = conn.peer_ip();
    let body = http1::body(conn, &head, &req.method, release)?;
    Ok(Exchanged {
        status: head.status,
        version: if head.minor == 0 { "HTTP/1.0" } else { "HTTP/1.1" },
        status_text: head.reason,
        headers: head.headers,
        body,
        ip,
    })
}

/// Headers that belong to one HTTP/1.1 connection and have no place in
/// HTTP/2 (RFC 9113 §8.2.2); `Host` becomes `:authority`.
const CONNECTION_HEADERS: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
];

async fn h2_exchange(
    mut h2: H2,
    req: &Request,
    headers: &[(String, String)],
    body: Option<Outgoing>,
) -> Result<Exchanged, NetError> {
    let mut url = req.url.clone();
    url.set_fragment(None);
    let mut builder = http::Request::builder()
        .method(req.method.as_str())
        .uri(url.as_str());
    for (name, value) in headers {
        if CONNECTION_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
            || (name.eq_ignore_ascii_case("te") && !value.eq_ignore_ascii_case("trailers"))
        {
            continue;
        }
        let value = http::HeaderValue::from_bytes(&value.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>())
            .map_err(|_| NetError::InvalidArgument)?;
        builder = builder.header(name.as_str(), value);
    }
    let body: H2Body = match body {
        None => http_body_util::Empty::new().map_err(|never| match never {}).boxed_unsync(),
        Some(out) => http_body_util::StreamBody::new(out.body.map(|r| {
            r.map(hyper::body::Frame::data).map_err(std::io::Error::other)
        }))
        .boxed_unsync(),
    };
    let request = builder.body(body).map_err(|_| NetError::InvalidArgument)?;
    let ip = h2.ip;
    h2.send.ready().await.map_err(|e| NetError::classify(&e, false))?;
    let resp = h2.send.send_request(request).await.map_err(|e| NetError::classify(&e, false))?;
    let status = resp.status();
    let headers = resp
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().iter().map(|&b| b as char).collect()))
        .collect();
    let body = http_body_util::BodyStream::new(resp.into_body())
        .filter_map(|frame| {
            std::future::ready(match frame {
                Ok(f) => f.into_data().ok().filter(|d| !d.is_empty()).map(Ok),
                Err(e) => Some(Err(NetError::classify(&e, true))),
            })
        })
        .boxed();
    Ok(Exchanged {
        status: status.as_u16(),
        status_text: status.canonical_reason().unwrap_or("").to_string(),
        version: "HTTP/2",
        headers,
        body,
        ip,
    })
}

/// One request/response exchange for `req` (no redirect following).
pub async fn transaction(
    session: &Session,
    req: &Request,
    cancel: &CancellationToken,
    src: u32,
    tracker: Option<&Tracker<'_>>,
) -> Result<Response, NetError> {
    let network = session.network();
    let emulation = network.emulation();
    if let Some(emu) = &emulation {
        if emu.conditions.offline {
            return Err(NetError::InternetDisconnected);
        }
        if !emu.conditions.latency.is_zero() {
            tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(NetError::Aborted),
                _ = tokio::time::sleep(emu.conditions.latency) => {}
            }
        }
    }
    let key = pool_key(&req.url).ok_or(NetError::InvalidUrl)?;
    // Stage: proxy resolution (rules, bypass, PAC) picks the connection here; direct for now.
    let mut content = content_headers(session, req)?;
    // Stage: webRequest.onBeforeSendHeaders / onSendHeaders.
    if let Some(t) = tracker {
        let asked = t.ask(Event::BeforeSendHeaders, &req.url, &req.method, |d| {
            d.request_headers = Some(content.clone());
            d.upload_data = super::upload_data(req.body.as_ref());
        });
        if let Some(asked) = asked {
            if let Some(replaced) = super::verdict(cancel, asked).await?.request_headers {
                if replaced.iter().any(|(n, v)| !valid_header(n, v)) {
                    return Err(NetError::InvalidArgument);
                }
                content = replaced;
            }
        }
        t.notify(Event::SendHeaders, &req.url, &req.method, |d| {
            d.request_headers = Some(content.clone());
        });
    }
    let headers = wire_headers(req, content);
    let log = session.net_log();
    log.add(src, "HTTP_TRANSACTION_SEND_REQUEST_HEADERS", Phase::None, |mode| {
        let target = super::request_target(&req.url);
        let lines = header_lines(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())), mode);
        Some(json!({ "line": format!("{} {target} HTTP/1.1\r\n", req.method), "headers": lines }))
    });
    let user_agent = session.user_agent();
    let resp = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(NetError::Aborted),
        r = network.exchange(session, &key, req, &headers, &user_agent, emulation.as_ref()) => r?,
    };
    let mut response = Response {
        status: resp.status,
        status_text: resp.status_text,
        version: resp.version,
        headers: resp.headers,
        url_list: vec![req.url.clone()],
        body: None,
        remote_ip: resp.ip,
    };
    // Stage: webRequest.onHeadersReceived, whose headers are then the
    // response's: Set-Cookie is stored from them, auth challenges answered.
    if let Some(t) = tracker {
        super::headers_received(t, req, &mut response, cancel).await?;
    }
    if !req.omit_credentials {
        let lines = response.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v.as_str());
        let date = header(&response.headers, "date");
        session.cookies().store_response_cookies(&req.url, lines, date, &super::FETCH_COOKIE_OPTIONS);
    }
    log.add(src, "HTTP_TRANSACTION_READ_RESPONSE_HEADERS", Phase::None, |mode| {
        let status_line = format!("{} {} {}", response.version, response.status, response.status_text);
        let lines = header_lines(response.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())), mode);
        Some(json!({ "headers": std::iter::once(status_line).chain(lines).collect::<Vec<_>>() }))
    });
    let codings = header(&response.headers, "content-encoding")
        .and_then(decode::codings)
        .unwrap_or_default();
    let mut received = resp.body;
    // Stage: network emulation throttles the bytes as received (before decoding).
    if let Some(throttle) = emulation.and_then(|e| e.download.clone()) {
        received = throttle.body(received);
    }
    let body: Body = if codings.is_empty() {
        received
    } else {
        let raw: IoStream = received.map(|r| r.map_err(std::io::Error::other)).boxed();
        decode::decode(raw, &codings)
            .map(|r| r.map_err(|e| decode::net_error(&e)))
            .boxed()
    };
    response.body = Some(body);
    Ok(response)
}

/// How long a PAC script may run on the caller's thread before its
/// answer is left to the blocking path (see `resolve_proxy_ready`).
const READY_PAC_TIME: Duration = Duration::from_millis(10);

/// Fetches a PAC script through the session's pipeline, directly (never
/// through a proxy), as Chromium's `PacFileFetcherImpl` does: cookies are
/// sent and stored as for any request, `http(s)` answers must be 200, and
/// scripts over 1 MiB are refused. The text is UTF-8, or Latin-1 when it is
/// not valid UTF-8.
async fn fetch_pac(session: &Session, url: &Url) -> Option<String> {
    let request = Request {
        bypass_proxy: true,
        bypass_custom_protocol_handlers: true,
        resource_type: None,
        ..Request::get(url.clone())
    };
    let cancel = session.network().request_token();
    let fetch = async {
        let response = super::fetch(session, request, &cancel).await.ok()?;
        if matches!(url.scheme(), "http" | "https") && response.status != 200 {
            return None;
        }
        let mut body = response.body?;
        let mut bytes = Vec::new();
        while let Some(chunk) = body.next().await {
            bytes.extend_from_slice(&chunk.ok()?);
            if bytes.len() > MAX_PAC_BYTES {
                return None;
            }
        }
        Some(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
        })
    };
    tokio::time::timeout(PAC_FETCH_TIMEOUT, fetch).await.ok().flatten()
}

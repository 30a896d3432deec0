//! The HTTP(S) transaction of one hop: connection pool, TLS, request headers
//! from the session, response head and decoded body. One pooled client per
//! session: sessions never share sockets.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tokio_util::sync::CancellationToken;

use serde_json::json;

use super::auth::AuthCache;
use super::decode::{self, IoStream};
use super::dns::{self, CacheUsage, HostResolver, HostResolverRules, Source as DnsSource};
use super::emulation::{Emulation, NetworkConditions};
use super::tls::{self, SslConfig, VerifyProc};
use super::{header, Body, NetError, Request, RequestBody, Response};
use crate::netlog::{header_lines, Phase};
use crate::session::Session;

/// What Chromium advertises it can decode.
const ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

/// A session's connections: its HTTP client (and so its socket pool) and
/// the TLS settings new connections use.
pub struct NetworkContext {
    client: Mutex<Option<reqwest::Client>>,
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
}

impl NetworkContext {
    pub fn new(switches: NetworkSwitches) -> NetworkContext {
        NetworkContext {
            client: Mutex::new(None),
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

    fn client(&self) -> Result<reqwest::Client, NetError> {
        let mut slot = self.client.lock().unwrap();
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let tls = tls::client_config(
            &self.ssl.lock().unwrap(),
            self.ignore_cert_errors,
            self.verify_proc.lock().unwrap().clone(),
        )?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .dns_resolver(Arc::new(dns::ReqwestResolver(self.resolver.clone())))
            // Redirects, proxies and content decoding are pipeline stages, not the library's.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .no_zstd()
            .build()
            .map_err(|_| NetError::Failed)?;
        *slot = Some(client.clone());
        Ok(client)
    }

    /// Later connections use a fresh client; requests in flight keep theirs.
    fn renew(&self) {
        *self.client.lock().unwrap() = None;
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
        self.renew();
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

/// Reads a header value as Chromium does: bytes as Latin-1.
fn latin1(v: &HeaderValue) -> String {
    v.as_bytes().iter().map(|&b| b as char).collect()
}

/// One request/response exchange for `req` (no redirect following).
pub async fn transaction(
    session: &Session,
    req: &Request,
    cancel: &CancellationToken,
    src: u32,
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
    let client = network.client()?;
    // Stage: proxy resolution (rules, bypass, PAC) picks the connection here; direct for now.
    let mut headers = HeaderMap::new();
    for (name, value) in &req.headers {
        let name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| NetError::InvalidArgument)?;
        let value = HeaderValue::from_str(value).map_err(|_| NetError::InvalidArgument)?;
        headers.append(name, value);
    }
    // Stage: cookies are attached here. Then the session's identity, unless the request set it.
    let defaults = [
        ("user-agent", session.user_agent()),
        ("accept-language", session.accept_language()),
        ("accept-encoding", ACCEPT_ENCODING.to_string()),
    ];
    for (name, value) in defaults {
        if header(&req.headers, name).is_none() && !value.is_empty() {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), v);
            }
        }
    }
    // Stage: webRequest.onBeforeSendHeaders / onSendHeaders.
    let method = reqwest::Method::from_bytes(req.method.as_bytes())
        .map_err(|_| NetError::InvalidArgument)?;
    let mut builder = client
        .request(method, req.url.clone())
        .headers(headers.clone());
    let upload_throttle = emulation.as_ref().and_then(|e| e.upload.clone());
    let to_io = |b: Body| b.map(|r| r.map_err(std::io::Error::other));
    match (&req.body, upload_throttle) {
        (Some(RequestBody::Bytes(bytes)), None) => builder = builder.body(bytes.clone()),
        (Some(RequestBody::Bytes(bytes)), Some(throttle)) => {
            // A throttled upload still announces its length.
            if header(&req.headers, "content-length").is_none() {
                builder = builder.header("content-length", bytes.len());
            }
            let once: Body = futures_util::stream::iter([Ok(bytes.clone())]).boxed();
            builder = builder.body(reqwest::Body::wrap_stream(to_io(throttle.body(once))));
        }
        (Some(RequestBody::Stream(slot)), throttle) => {
            let stream = slot.lock().unwrap().take().ok_or(NetError::Failed)?;
            let stream = match throttle {
                Some(t) => t.body(stream),
                None => stream,
            };
            builder = builder.body(reqwest::Body::wrap_stream(to_io(stream)));
        }
        (None, _) => {}
    }
    let log = session.net_log();
    log.add(src, "HTTP_TRANSACTION_SEND_REQUEST_HEADERS", Phase::None, |mode| {
        let target = super::request_target(&req.url);
        let host = req.url.host_str().unwrap_or_default();
        let lines = header_lines(
            std::iter::once(("Host", host)).chain(headers.iter().map(|(n, v)| (n.as_str(), v.to_str().unwrap_or("")))),
            mode,
        );
        Some(json!({ "line": format!("{} {target} HTTP/1.1\r\n", req.method), "headers": lines }))
    });
    let sent = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(NetError::Aborted),
        r = builder.send() => r,
    };
    let resp = sent.map_err(|e| NetError::classify(&e, false))?;
    // Stage: webRequest.onHeadersReceived; Set-Cookie is stored; auth challenges are answered.
    let status = resp.status().as_u16();
    log.add(
        src,
        "HTTP_TRANSACTION_READ_RESPONSE_HEADERS",
        Phase::None,
        |mode| {
            let status_line = format!("{:?} {}", resp.version(), resp.status());
            let lines = header_lines(
                resp.headers()
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or(""))),
                mode,
            );
            Some(
                json!({ "headers": std::iter::once(status_line).chain(lines).collect::<Vec<_>>() }),
            )
        },
    );
    let status_text = resp
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .unwrap_or_else(|| resp.status().canonical_reason().unwrap_or("").to_string());
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), latin1(v)))
        .collect();
    let codings = header(&headers, "content-encoding")
        .and_then(decode::codings)
        .unwrap_or_default();
    let mut received: Body = resp
        .bytes_stream()
        // HTTP/2 can deliver empty DATA frames; a body never yields empty chunks.
        .filter(|r| std::future::ready(!matches!(r, Ok(b) if b.is_empty())))
        .map(|r: Result<Bytes, reqwest::Error>| r.map_err(|e| NetError::classify(&e, true)))
        .boxed();
    // Stage: network emulation throttles the bytes as received (before decoding).
    if let Some(throttle) = emulation.and_then(|e| e.download.clone()) {
        received = throttle.body(received);
    }
    let raw: IoStream = received.map(|r| r.map_err(std::io::Error::other)).boxed();
    let body: Body = decode::decode(raw, &codings)
        .map(|r| r.map_err(|e| decode::net_error(&e)))
        .boxed();
    Ok(Response {
        status,
        status_text,
        headers,
        url_list: vec![req.url.clone()],
        body: Some(body),
    })
}

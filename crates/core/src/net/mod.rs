//! The network pipeline: every request a session makes goes through
//! [`fetch`], in Chromium's order (DESIGN.md draws it). Stages that later
//! work fills are marked where they go.
//!
//! Redirects are followed here, hop by hop, never by the HTTP library, so
//! each hop is visible to every stage.

mod auth;
mod body;
pub mod buffers;
mod cert;
mod connect;
mod data_url;
mod decode;
mod dns;
mod emulation;
mod error;
pub(crate) mod file_url;
mod http1;
mod pool;
mod redirect;
mod tls;
mod transport;
mod via_proxy;

use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio_util::sync::CancellationToken;
use url::Url;

pub use body::{concat, take_ready, ReadyBody};
pub use cert::{CertVerifyRequest, Certificate, Principal};
pub use dns::{CacheUsage, HostResolverRules, Source as DnsSource};
pub use emulation::NetworkConditions;
pub use error::{FetchError, NetError};
pub use redirect::{redirect_for, RedirectInfo, MAX_REDIRECTS};
pub use tls::{SslConfig, TlsVersion, VerifyProc};
pub use transport::{NetworkContext, NetworkSwitches, MAX_PRECONNECT_SOCKETS};

use base64::Engine as _;
use serde_json::json;

use crate::netlog::{CaptureMode, Phase};
use crate::cookies::{CookieOptions, SameSiteContext};
use crate::session::Session;
use crate::web_request::{self as wr, ResourceType, Tracker};

/// A response body: chunks as they arrive, decoded; an error ends it.
pub type Body = Pin<Box<dyn Stream<Item = Result<Bytes, NetError>> + Send>>;

/// A request body: bytes (sent again on a 307/308 redirect or an auth
/// retry), or a stream sent once, as it is produced.
#[derive(Clone)]
pub enum RequestBody {
    Bytes(Bytes),
    Stream(Arc<Mutex<Option<Body>>>),
}

impl RequestBody {
    pub fn stream(body: Body) -> RequestBody {
        RequestBody::Stream(Arc::new(Mutex::new(Some(body))))
    }

    /// Whether the body can still be sent (a stream only once).
    pub fn is_available(&self) -> bool {
        match self {
            RequestBody::Bytes(_) => true,
            RequestBody::Stream(s) => s.lock().unwrap().is_some(),
        }
    }
}

impl std::fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestBody::Bytes(b) => write!(f, "RequestBody::Bytes({} bytes)", b.len()),
            RequestBody::Stream(_) => f.write_str("RequestBody::Stream"),
        }
    }
}

/// What to do when a response redirects (`fetch`'s `redirect` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectMode {
    Follow,
    Error,
    Manual,
}

impl RedirectMode {
    pub fn parse(s: &str) -> Option<RedirectMode> {
        match s {
            "follow" => Some(RedirectMode::Follow),
            "error" => Some(RedirectMode::Error),
            "manual" => Some(RedirectMode::Manual),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    /// May carry `user:password@`: used to answer the origin's auth
    /// challenges, never sent or reported.
    pub url: Url,
    pub method: String,
    /// In the caller's order and case.
    pub headers: Vec<(String, String)>,
    pub body: Option<RequestBody>,
    pub redirect: RedirectMode,
    /// `fetch`'s `credentials: 'omit'`: no auth, no cookies sent or stored.
    pub omit_credentials: bool,
    /// Connect directly whatever the proxy configuration says (a PAC
    /// script's own fetch, as Chromium's `LOAD_BYPASS_PROXY`).
    pub bypass_proxy: bool,
    /// What the request loads, as webRequest listeners see it; `None` for
    /// the network stack's own requests (a PAC fetch), which listeners never
    /// see, as in Chromium.
    pub resource_type: Option<ResourceType>,
    /// The renderer stand-in that made the request, if any.
    pub web_contents_id: Option<u32>,
    /// `fetch`'s `bypassCustomProtocolHandlers`: no `ses.protocol` handler
    /// or interceptor is asked; built-in schemes are served as usual.
    pub bypass_custom_protocol_handlers: bool,
}

impl Request {
    /// A `GET` of `url` as a request starts by default: no headers or body,
    /// redirects followed, credentials and proxies used, handlers asked,
    /// seen by webRequest as `other`. Fields differ with struct update syntax.
    pub fn get(url: Url) -> Request {
        Request {
            url,
            method: "GET".to_string(),
            headers: Vec::new(),
            body: None,
            redirect: RedirectMode::Follow,
            omit_credentials: false,
            bypass_proxy: false,
            bypass_custom_protocol_handlers: false,
            resource_type: Some(ResourceType::Other),
            web_contents_id: None,
        }
    }
}

/// How the pipeline reads and writes cookies: as an HTTP access (HttpOnly
/// included) from a same-site context, which is how Electron's net module
/// treats a request made by the main process.
pub const FETCH_COOKIE_OPTIONS: CookieOptions = CookieOptions {
    include_http_only: true,
    same_site_context: SameSiteContext::SameSiteStrict,
    update_access_time: true,
};

pub struct Response {
    pub status: u16,
    pub status_text: String,
    /// `HTTP/1.0`, `HTTP/1.1` or `HTTP/2`; local responses say `HTTP/1.1`.
    pub version: &'static str,
    /// Names as the server wrote them (HTTP/2's are lower case), in arrival
    /// order; repeated headers stay separate. Compare names case-insensitively.
    pub headers: Vec<(String, String)>,
    /// Every URL the request visited, the final one last.
    pub url_list: Vec<Url>,
    /// `None` for `HEAD` and for 101/204/205/304 responses.
    pub body: Option<Body>,
    /// The address the response came from (the proxy's when proxied);
    /// `None` for responses made locally.
    pub remote_ip: Option<std::net::IpAddr>,
}

impl Response {
    /// The status line as Chromium reports it (`HTTP/1.1 200 OK`). An
    /// HTTP/2 response reads as HTTP/1.1 with no reason phrase, as there.
    pub fn status_line(&self) -> String {
        match self.version {
            "HTTP/2" => format!("HTTP/1.1 {}", self.status),
            v if self.status_text.is_empty() => format!("{v} {}", self.status),
            v => format!("{v} {} {}", self.status, self.status_text),
        }
    }

    fn local(
        status: u16,
        content_type: Option<&str>,
        len: Option<u64>,
        url: Url,
        body: Body,
    ) -> Response {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("content-type".to_string(), ct.to_string()));
        }
        if let Some(len) = len {
            headers.push(("content-length".to_string(), len.to_string()));
        }
        Response {
            status,
            status_text: "OK".to_string(),
            version: "HTTP/1.1",
            headers,
            url_list: vec![url],
            body: Some(body),
            remote_ip: None,
        }
    }
}

/// The request target of an HTTP request line: path and query.
pub(crate) fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// Statuses whose responses never have a body (Fetch's "null body status").
pub fn is_null_body_status(status: u16) -> bool {
    matches!(status, 101 | 204 | 205 | 304)
}

/// The first value of header `name` (compared case-insensitively).
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Headers describing a request body; dropped with the body on a redirect to GET.
const BODY_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-location",
];

/// The hops of one fetch: scheme handlers, HTTP exchanges and redirects.
/// With listeners, `at` follows the hop being made, so a failure can be
/// reported against it.
async fn fetch_hops(
    session: &Session,
    request: Request,
    cancel: &CancellationToken,
    src: u32,
    tracker: Option<&Tracker<'_>>,
    at: &mut Option<(Url, String)>,
) -> Result<(Response, Option<wr::ResponseHead>), FetchError> {
    let mut req = request;
    // The URL's userinfo answers challenges from its origin; it is never sent.
    let identity = auth::Credentials::from_url(&req.url).map(|c| (req.url.origin(), c));
    let _ = req.url.set_username("");
    let _ = req.url.set_password(None);
    let mut url_list = vec![req.url.clone()];
    let log = session.net_log();
    // The jar is opened here, off the async threads, so the transport's
    // cookie stages find it ready.
    if !req.omit_credentials {
        let _ = session.cookies().load().await;
    }
    loop {
        if let Some(at) = at {
            *at = (req.url.clone(), req.method.clone());
        }
        if cancel.is_cancelled() {
            return Err(NetError::Aborted.into());
        }
        log.add(src, "URL_REQUEST_START_JOB", Phase::Begin, |_| {
            Some(json!({ "url": req.url.as_str(), "method": req.method, "load_flags": 0 }))
        });
        // Stage: webRequest.onBeforeRequest (cancel / redirectURL).
        let mut internal_redirect = None;
        if let Some(t) = tracker {
            let asked = t.ask(wr::Event::BeforeRequest, &req.url, &req.method, |d| {
                d.upload_data = upload_data(req.body.as_ref());
            });
            if let Some(asked) = asked {
                internal_redirect = verdict(cancel, asked)
                    .await?
                    .redirect_url
                    .and_then(|u| Url::parse(&u).ok())
                    .filter(|u| *u != req.url);
            }
        }
        // Stage: custom protocol handlers (ses.protocol) answer their schemes
        // here, after onBeforeRequest, as Chromium's webRequest proxy wraps
        // every scheme's loader.
        let mut handled = match internal_redirect {
            None => crate::protocol::serve(session, &req, cancel).await,
            Some(_) => None,
        };
        let from_handler = handled.is_some();
        // Stage: HTTP cache lookup.
        let is_http = matches!(req.url.scheme(), "http" | "https");
        let mut response = if let Some(to) = &internal_redirect {
            // As Chromium's webRequest: a 307 made up here, never sent.
            let mut r = Response::local(307, None, None, req.url.clone(), futures_util::stream::empty().boxed());
            r.status_text = "Internal Redirect".to_string();
            r.headers = vec![
                ("Location".to_string(), to.to_string()),
                ("Non-Authoritative-Reason".to_string(), "WebRequest API".to_string()),
            ];
            r
        } else {
            match req.url.scheme() {
                _ if from_handler => handled.take().expect("a handler answered")?,
                "data" => {
                    let (mime, bytes) = data_url::load(req.url.as_str())?;
                    let len = bytes.len() as u64;
                    let body = futures_util::stream::iter([Ok(Bytes::from(bytes))]).boxed();
                    Response::local(200, Some(&mime), Some(len), req.url.clone(), body)
                }
                "file" => {
                    let file = file_url::open(&req.url).await?;
                    let body = file
                        .stream
                        .map(|r| r.map_err(|_| NetError::FileNotFound))
                        .boxed();
                    Response::local(200, file.mime, Some(file.len), req.url.clone(), body)
                }
                "http" | "https" => {
                    let identity = identity
                        .as_ref()
                        .filter(|(o, _)| *o == req.url.origin())
                        .map(|(_, c)| c);
                    authenticated_transaction(session, &req, identity, cancel, src, tracker).await?
                }
                _ => return Err(NetError::UnknownUrlScheme.into()),
            }
        };
        // Responses that did not come over HTTP meet onHeadersReceived here
        // (the transport asks for its own, before cookies and auth).
        if (!is_http || from_handler) && internal_redirect.is_none() {
            if let Some(t) = tracker {
                headers_received(t, &req, &mut response, cancel).await?;
            }
        }
        let location = header(&response.headers, "location").map(str::to_string);
        let redirect = if is_http || from_handler || internal_redirect.is_some() {
            redirect::redirect_to_schemes(response.status, location.as_deref(), &req.url, &req.method, |s| {
                crate::protocol::redirect_target_allowed(session, s)
            })?
        } else {
            None
        };
        let head = tracker.map(|_| response_head(&response));
        if let Some(info) = redirect {
            match req.redirect {
                RedirectMode::Error => return Err(FetchError::RedirectForbidden),
                RedirectMode::Manual => return Err(FetchError::RedirectCancelled),
                RedirectMode::Follow => {}
            }
            if url_list.len() > MAX_REDIRECTS {
                return Err(NetError::TooManyRedirects.into());
            }
            drop(response.body.take());
            // A streamed body has been sent: a 307/308 cannot send it again (Fetch).
            if !info.drops_body && req.body.as_ref().is_some_and(|b| !b.is_available()) {
                return Err(NetError::Failed.into());
            }
            // Stage: webRequest.onBeforeRedirect.
            if let Some(t) = tracker {
                t.notify(wr::Event::BeforeRedirect, &req.url, &req.method, |d| {
                    d.redirect_url = Some(info.new_url.to_string());
                    d.response = head;
                });
            }
            if info.drops_body {
                req.body = None;
                req.headers
                    .retain(|(n, _)| !BODY_HEADERS.iter().any(|b| n.eq_ignore_ascii_case(b)));
            }
            if info.new_url.origin() != req.url.origin() {
                req.headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            }
            req.method = info.new_method;
            req.url = info.new_url;
            log.add(src, "URL_REQUEST_REDIRECTED", Phase::None, |_| {
                Some(json!({ "location": req.url.as_str() }))
            });
            log.add(src, "URL_REQUEST_START_JOB", Phase::End, |_| None);
            url_list.push(req.url.clone());
            continue;
        }
        log.add(src, "URL_REQUEST_START_JOB", Phase::End, |_| None);
        response.url_list = std::mem::take(&mut url_list);
        if req.method == "HEAD" || is_null_body_status(response.status) {
            response.body = None;
        }
        // Stage: webRequest.onResponseStarted.
        if let Some(t) = tracker {
            t.notify(wr::Event::ResponseStarted, &req.url, &req.method, |d| {
                d.response = head.clone();
            });
        }
        response.body = response
            .body
            .map(|b| body::coalesce(abortable(b, cancel.clone())));
        return Ok((response, head));
    }
}

/// `details.uploadData` for a request body: its bytes (a streamed body
/// has none to show).
fn upload_data(body: Option<&RequestBody>) -> Option<Vec<wr::UploadElement>> {
    match body? {
        RequestBody::Bytes(b) => Some(vec![wr::UploadElement::Bytes(b.clone())]),
        RequestBody::Stream(_) => Some(Vec::new()),
    }
}

/// The response head as webRequest listeners see it.
fn response_head(response: &Response) -> wr::ResponseHead {
    wr::ResponseHead {
        status_code: response.status,
        status_line: response.status_line(),
        headers: response.headers.clone(),
        from_cache: false,
        ip: response.remote_ip.map(|ip| ip.to_string()),
    }
}

/// Asks onHeadersReceived about `response` and applies the answer: cancel,
/// or new headers (and status line) as if the server had sent them.
pub(crate) async fn headers_received(
    t: &Tracker<'_>,
    req: &Request,
    response: &mut Response,
    cancel: &CancellationToken,
) -> Result<(), NetError> {
    let Some(asked) = t.ask(wr::Event::HeadersReceived, &req.url, &req.method, |d| {
        d.response = Some(response_head(response));
    }) else {
        return Ok(());
    };
    let verdict = verdict(cancel, asked).await?;
    if let Some(headers) = verdict.response_headers {
        response.headers = headers;
        if let Some((status, text)) = verdict.status_line.as_deref().and_then(parse_status_line) {
            response.status = status;
            response.status_text = text;
        }
    }
    Ok(())
}

/// `HTTP/1.1 404 Not Found` → (404, "Not Found").
fn parse_status_line(line: &str) -> Option<(u16, String)> {
    let mut parts = line.trim().splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    let status = parts.next()?.parse::<u16>().ok().filter(|s| (100..1000).contains(s))?;
    Some((status, parts.next().unwrap_or("").to_string()))
}

/// Fetches `request` with `session`'s settings, following redirects as
/// `request.redirect` says. `cancel` aborts at any point, including while the
/// body streams. Every step is recorded in the session's NetLog when it logs,
/// and heard by the session's webRequest listeners whose filters match.
///
/// # Errors
/// A [`FetchError`]: Chromium's net error, or Electron's redirect-policy outcome.
pub async fn fetch(
    session: &Session,
    request: Request,
    cancel: &CancellationToken,
) -> Result<Response, FetchError> {
    let log = session.net_log();
    let src = log.new_source();
    log.add(src, "REQUEST_ALIVE", Phase::Begin, |_| {
        let mut url = request.url.clone();
        let _ = url.set_username("");
        let _ = url.set_password(None);
        Some(json!({ "url": url.as_str(), "method": request.method }))
    });
    let tracker = request.resource_type.and_then(|resource_type| {
        session.web_request().start(|| wr::RequestInfo {
            resource_type,
            referrer: header(&request.headers, "referer").unwrap_or("").to_string(),
            web_contents_id: request.web_contents_id,
        })
    });
    let mut at = tracker.as_ref().map(|_| (request.url.clone(), request.method.clone()));
    let result = fetch_hops(session, request, cancel, src, tracker.as_ref(), &mut at).await;
    let (mut response, head) = match result {
        Ok(r) => r,
        Err(e) => {
            let code = match &e {
                FetchError::Net(n) => *n,
                _ => NetError::Failed,
            };
            if let (Some(t), Some((url, method))) = (&tracker, &at) {
                t.notify(wr::Event::ErrorOccurred, url, method, |d| {
                    d.error = Some(code.name().to_string());
                });
            }
            log.add(src, "FAILED", Phase::None, |_| {
                Some(json!({ "net_error": code.code() }))
            });
            log.add(src, "REQUEST_ALIVE", Phase::End, |_| {
                Some(json!({ "net_error": code.code() }))
            });
            return Err(e);
        }
    };
    // Stage: onCompleted / onErrorOccurred when the body ends.
    if let (Some(t), Some((url, method))) = (&tracker, &at) {
        let ending = |event| {
            t.wants(event, url, method).map(|(dispatcher, mut d)| {
                d.response = head.clone();
                (dispatcher, d)
            })
        };
        let ends = BodyEnd {
            completed: ending(wr::Event::Completed),
            failed: ending(wr::Event::ErrorOccurred),
        };
        response.body = match response.body.take() {
            Some(body) => Some(ends.watch(body)),
            None => {
                ends.finish(None);
                None
            }
        };
    }
    if log.is_logging() {
        response.body = match response.body.take() {
            Some(body) => Some(logged_body(session, src, body)),
            None => {
                log.add(src, "REQUEST_ALIVE", Phase::End, |_| None);
                None
            }
        };
    }
    Ok(response)
}

type Pending = Option<(Arc<dyn wr::Dispatcher>, wr::Details)>;

/// The listeners told when a body ends: onCompleted when it ends well,
/// onErrorOccurred when it fails or is dropped unread (`ERR_ABORTED`).
struct BodyEnd {
    completed: Pending,
    failed: Pending,
}

impl BodyEnd {
    /// Tells the right listener, once: `error` is `None` on success.
    fn finish(mut self, error: Option<NetError>) {
        let (event, pending, name) = match error {
            None => (wr::Event::Completed, self.completed.take(), "net::OK"),
            Some(e) => (wr::Event::ErrorOccurred, self.failed.take(), e.name()),
        };
        self.failed = None;
        if let Some((dispatcher, mut details)) = pending {
            details.error = Some(name.to_string());
            details.timestamp = wr::now_ms();
            dispatcher.notify(event, details);
        }
    }

    fn watch(self, body: Body) -> Body {
        struct Watched {
            body: Body,
            ends: Option<BodyEnd>,
        }
        impl Drop for Watched {
            fn drop(&mut self) {
                if let Some(ends) = self.ends.take() {
                    ends.finish(Some(NetError::Aborted));
                }
            }
        }
        impl Stream for Watched {
            type Item = Result<Bytes, NetError>;
            fn poll_next(
                mut self: Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<Self::Item>> {
                let item = std::task::ready!(self.body.as_mut().poll_next(cx));
                match &item {
                    None => {
                        if let Some(ends) = self.ends.take() {
                            ends.finish(None);
                        }
                    }
                    Some(Err(e)) => {
                        if let Some(ends) = self.ends.take() {
                            ends.finish(Some(*e));
                        }
                    }
                    Some(Ok(_)) => {}
                }
                std::task::Poll::Ready(item)
            }
        }
        Box::pin(Watched {
            body,
            ends: Some(self),
        })
    }
}

/// `body`, recording its bytes (in `everything` mode) and the request's end.
fn logged_body(session: &Session, src: u32, body: Body) -> Body {
    futures_util::stream::unfold(
        (body, session.net_log().clone(), false),
        move |(mut body, log, done)| async move {
            if done {
                return None;
            }
            match body.next().await {
                Some(Ok(chunk)) => {
                    log.add(
                        src,
                        "URL_REQUEST_JOB_FILTERED_BYTES_READ",
                        Phase::None,
                        |mode| {
                            let mut p = json!({ "byte_count": chunk.len() });
                            if mode == CaptureMode::Everything {
                                p["bytes"] =
                                    json!(base64::engine::general_purpose::STANDARD.encode(&chunk));
                            }
                            Some(p)
                        },
                    );
                    Some((Ok(chunk), (body, log, false)))
                }
                Some(Err(e)) => {
                    log.add(src, "FAILED", Phase::None, |_| {
                        Some(json!({ "net_error": e.code() }))
                    });
                    log.add(src, "REQUEST_ALIVE", Phase::End, |_| {
                        Some(json!({ "net_error": e.code() }))
                    });
                    Some((Err(e), (body, log, true)))
                }
                None => {
                    log.add(src, "REQUEST_ALIVE", Phase::End, |_| None);
                    None
                }
            }
        },
    )
    .boxed()
}

/// One HTTP exchange with authentication: a pre-emptive `Authorization`
/// from the session's auth cache, then 401 challenges (Digest before Basic)
/// answered with the URL's credentials, then with cached ones. Credentials
/// that succeed are cached. Without an answer the 401 response is returned,
/// as Electron's fetch does when nobody handles `login`.
async fn authenticated_transaction(
    session: &Session,
    req: &Request,
    identity: Option<&auth::Credentials>,
    cancel: &CancellationToken,
    src: u32,
    tracker: Option<&Tracker<'_>>,
) -> Result<Response, NetError> {
    let use_auth = !req.omit_credentials && header(&req.headers, "authorization").is_none();
    if !use_auth {
        return transport::transaction(session, req, cancel, src, tracker).await;
    }
    let cache = session.network().auth_cache();
    let target = request_target(&req.url);
    let mut attempt = req.clone();
    if let Some(value) = cache.preemptive(&req.url, &req.method, &target) {
        attempt.headers.push(("Authorization".to_string(), value));
    }
    let mut response = transport::transaction(session, &attempt, cancel, src, tracker).await?;
    let (mut tried_identity, mut tried_cache) = (false, false);
    while response.status == 401 && attempt.body.as_ref().is_none_or(RequestBody::is_available) {
        let challenges = response
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
            .map(|(_, v)| v.as_str());
        let Some(challenge) = auth::choose_challenge(challenges) else {
            break;
        };
        session.net_log().add(src, "AUTH_CHALLENGE", Phase::None, |_| {
            Some(json!({ "scheme": format!("{:?}", challenge.scheme).to_lowercase(), "realm": challenge.realm }))
        });
        // Stage: a JavaScript answer (the `login` event) is asked here when
        // neither the URL nor the cache has credentials.
        let creds = if !tried_identity && identity.is_some() {
            tried_identity = true;
            identity.cloned()
        } else if !tried_cache {
            tried_cache = true;
            cache.for_realm(&req.url, &challenge)
        } else {
            None
        };
        let Some(creds) = creds else { break };
        let Some(value) =
            auth::authorization(&challenge, &creds, &req.method, &target, 1, &auth::cnonce())
        else {
            break;
        };
        attempt
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        attempt.headers.push(("Authorization".to_string(), value));
        drop(response.body.take());
        response = transport::transaction(session, &attempt, cancel, src, tracker).await?;
        if response.status != 401 {
            cache.add(&req.url, &challenge, &creds, 1);
        }
    }
    Ok(response)
}

/// A blocking listener's answer: `ERR_ABORTED` as soon as `cancel` fires
/// (the answer is not waited for once the request is aborted),
/// `ERR_FAILED` when the listener threw, `ERR_BLOCKED_BY_CLIENT` when it
/// cancelled the request.
pub(crate) async fn verdict(
    cancel: &CancellationToken,
    asked: crate::hooks::BoxFuture<Result<wr::Verdict, crate::hooks::HookError>>,
) -> Result<wr::Verdict, NetError> {
    let verdict = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(NetError::Aborted),
        out = asked => out.map_err(|_| NetError::Failed)?,
    };
    if verdict.cancel {
        return Err(NetError::BlockedByClient);
    }
    Ok(verdict)
}

/// Ends `body` with `ERR_ABORTED` as soon as `cancel` fires.
fn abortable(body: Body, cancel: CancellationToken) -> Body {
    futures_util::stream::unfold(
        (body, cancel, false),
        |(mut body, cancel, done)| async move {
            if done {
                return None;
            }
            tokio::select! {
                biased;
                _ = cancel.cancelled() => Some((Err(NetError::Aborted), (body, cancel, true))),
                item = body.next() => {
                    let failed = matches!(item, Some(Err(_)));
                    item.map(|i| (i, (body, cancel, failed)))
                }
            }
        },
    )
    .boxed()
}

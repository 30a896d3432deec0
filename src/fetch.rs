//! `ses._fetch(request)`: starts a request through the core pipeline and
//! hands JavaScript the response head plus a pull-based `ReadableStream` body
//! (nothing is read from the network faster than JavaScript reads).

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use electron_session_core::net::{self, ReadyBody, RedirectMode, RequestBody};
use electron_session_core::protocol;
use electron_session_core::session::Session as CoreSession;
use electron_session_core::web_request::ResourceType;
use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi::Env;
use napi_derive::napi;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::args;
use crate::js_body::{pulled_body, Chunks, JsPull};
use crate::session::Session;

/// What `lib/net.js` extracts from a WHATWG `Request`.
#[napi(object)]
pub struct FetchRequest {
    pub url: String,
    pub method: String,
    /// `[name, value]` pairs in order.
    pub headers: Vec<Vec<String>>,
    pub body: Option<Buffer>,
    /// `follow`, `error` or `manual`.
    pub redirect: String,
    /// `omit`, `same-origin` or `include`; only `omit` changes anything here.
    pub credentials: Option<String>,
    /// Electron's `bypassCustomProtocolHandlers` fetch option.
    pub bypass_custom_protocol_handlers: Option<bool>,
}

/// A JS function giving the next chunk of a streamed upload (`null` at the end).
pub type UploadPull = JsPull;

/// One fetch in flight: `response()` starts it, `abort()` stops it at any
/// point (including while its body streams).
#[napi]
pub struct FetchTask {
    session: Arc<CoreSession>,
    request: Mutex<Option<net::Request>>,
    cancel: CancellationToken,
}

/// The core request `lib/net.js` described.
fn core_request(env: &Env, request: FetchRequest, pull: Option<UploadPull>) -> Result<net::Request> {
    // A standard custom scheme's URL is parsed as Chromium parses it.
    let url = url::Url::parse(&request.url)
        .ok()
        .and_then(|u| protocol::canonicalize(u).ok())
        .ok_or_else(|| args::type_error(env, &format!("Invalid URL: {}", request.url)))?;
    let redirect = RedirectMode::parse(&request.redirect).ok_or_else(|| {
        args::type_error(
            env,
            &format!("Invalid redirect mode: '{}'", request.redirect),
        )
    })?;
    let mut headers = Vec::with_capacity(request.headers.len());
    for pair in request.headers {
        let [name, value]: [String; 2] = pair
            .try_into()
            .map_err(|_| args::type_error(env, "headers must be [name, value] pairs"))?;
        headers.push((name, value));
    }
    let body = match (request.body, pull) {
        (_, Some(pull)) => Some(RequestBody::stream(pulled_body(pull, Chunks::Copied, None))),
        (Some(b), None) => Some(RequestBody::Bytes(Bytes::copy_from_slice(&b))),
        (None, None) => None,
    };
    Ok(net::Request {
        url,
        method: request.method,
        headers,
        body,
        redirect,
        omit_credentials: request.credentials.as_deref() == Some("omit"),
        bypass_proxy: false,
        resource_type: Some(ResourceType::Other),
        web_contents_id: None,
        bypass_custom_protocol_handlers: request.bypass_custom_protocol_handlers.unwrap_or(false),
    })
}

#[napi]
impl Session {
    #[napi(js_name = "_fetch", catch_unwind)]
    pub fn fetch(
        &self,
        env: Env,
        request: FetchRequest,
        pull: Option<UploadPull>,
    ) -> Result<FetchTask> {
        Ok(FetchTask {
            session: self.inner.clone(),
            request: Mutex::new(Some(core_request(&env, request, pull)?)),
            cancel: self.inner.network().request_token(),
        })
    }

    /// `_fetch(request).response()` in one call, for a request that no
    /// signal can abort.
    #[napi(js_name = "_fetchResponse", catch_unwind, ts_return_type = "Promise<{ status: number, statusText: string, headers: string[], urlList: string[], body: Buffer | BodyReader | null }>")]
    pub fn fetch_response<'env>(
        &self,
        env: &'env Env,
        request: FetchRequest,
    ) -> Result<PromiseRaw<'env, Object<'env>>> {
        let request = core_request(env, request, None)?;
        respond(env, self.inner.clone(), request, self.inner.network().request_token())
    }
}

/// Runs `request`; resolves with its response head and body (see
/// [`FetchTask::response`]).
fn respond<'env>(
    env: &'env Env,
    session: Arc<CoreSession>,
    request: net::Request,
    cancel: CancellationToken,
) -> Result<PromiseRaw<'env, Object<'env>>> {
    env.spawn_future_with_callback(
        async move {
            let mut r = net::fetch(&session, request, &cancel)
                .await
                .map_err(|e| Error::from_reason(e.message()))?;
            let body = r.body.take().map(|b| match net::take_ready(b) {
                ReadyBody::Complete(bytes) => Ok(bytes),
                ReadyBody::Streaming(stream) => Err(BodyReader::spawn(stream)),
            });
            Ok((r, body))
        },
        |env, (r, body)| {
            let mut obj = Object::new(env)?;
            obj.set("status", r.status)?;
            obj.set("statusText", r.status_text.as_str())?;
            // Flat, `[name, value, name, value…]`: one array, not one per header.
            let headers: Vec<&str> = r.headers.iter().flat_map(|(n, v)| [n.as_str(), v.as_str()]).collect();
            obj.set("headers", headers)?;
            let urls: Vec<&str> = r.url_list.iter().map(|u| u.as_str()).collect();
            obj.set("urlList", urls)?;
            match body {
                // A body that has fully arrived crosses as one Buffer.
                Some(Ok(bytes)) => obj.set("body", js_buffer(env, bytes)?)?,
                Some(Err(reader)) => obj.set("body", reader)?,
                None => obj.set("body", Null)?,
            }
            Ok(obj)
        },
    )
}

#[napi]
impl FetchTask {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "FetchTask objects cannot be created with 'new'",
        ))
    }

    /// Resolves with `{ status, statusText, headers, urlList, body }`
    /// (headers: `[name, value, name, value…]`; body: a Buffer when it has
    /// fully arrived, else a BodyReader) once the final response's head has
    /// arrived; rejects with `net::ERR_*` (or Electron's redirect-policy
    /// message).
    #[napi(
        catch_unwind,
        ts_return_type = "Promise<{ status: number, statusText: string, headers: string[], urlList: string[], body: Buffer | BodyReader | null }>"
    )]
    pub fn response<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Object<'env>>> {
        let request = self
            .request
            .lock()
            .unwrap()
            .take()
            .ok_or_else(|| args::plain_error(env, "response() was already called"))?;
        respond(env, self.session.clone(), request, self.cancel.clone())
    }

    #[napi(catch_unwind)]
    pub fn abort(&self) {
        self.cancel.cancel();
    }
}

/// Below this size a body is copied into a Buffer of V8's own: cheaper than
/// an external Buffer's finalizer.
const COPY_BELOW: usize = 64 * 1024;

/// `bytes` as a Node Buffer. Large ones stay where they are (an external
/// Buffer over the same memory, freed when the Buffer is collected); small
/// ones are copied.
pub(crate) fn js_buffer<'env>(env: &'env Env, bytes: Bytes) -> Result<Unknown<'env>> {
    if bytes.len() < COPY_BELOW {
        return BufferSlice::copy_from(env, &bytes)?.into_unknown(env);
    }
    let (ptr, len) = (bytes.as_ptr() as *mut u8, bytes.len());
    // SAFETY: `ptr` points at `len` bytes that `bytes`, kept as the
    // finalize hint, owns until the Buffer is collected.
    let slice = unsafe { BufferSlice::from_external(env, ptr, len, bytes, |_, b| net::buffers::recycle(b)) }?;
    slice.into_unknown(env)
}

/// The rest of a response body. A task reads it ahead into a one-chunk
/// channel (chunks are at most 1 MiB), so the socket is read while JavaScript
/// handles the previous chunk, and never further ahead than that.
#[napi]
pub struct BodyReader {
    chunks:
        Arc<tokio::sync::Mutex<Option<mpsc::Receiver<std::result::Result<Bytes, net::NetError>>>>>,
}

impl BodyReader {
    /// Starts reading `body` ahead; must run inside the tokio runtime.
    pub(crate) fn spawn(mut body: net::Body) -> BodyReader {
        let (tx, rx) = mpsc::channel(1);
        tokio::spawn(async move {
            loop {
                // A reader that went away releases the body at once, even
                // while its source has nothing to give.
                let chunk = tokio::select! {
                    _ = tx.closed() => return,
                    chunk = body.next() => chunk,
                };
                let Some(chunk) = chunk else { return };
                let failed = chunk.is_err();
                if tx.send(chunk).await.is_err() || failed {
                    return;
                }
            }
        });
        BodyReader {
            chunks: Arc::new(tokio::sync::Mutex::new(Some(rx))),
        }
    }
}

#[napi]
impl BodyReader {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "BodyReader objects cannot be created with 'new'",
        ))
    }

    /// The next chunk, or `null` at the end; rejects with `net::ERR_*`.
    #[napi(catch_unwind, ts_return_type = "Promise<Buffer | null>")]
    pub fn read<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Unknown<'env>>> {
        let chunks = self.chunks.clone();
        env.spawn_future_with_callback(
            async move {
                let mut guard = chunks.lock().await;
                let Some(rx) = guard.as_mut() else {
                    return Ok(None);
                };
                match rx.recv().await {
                    Some(Ok(bytes)) => Ok(Some(bytes)),
                    Some(Err(e)) => {
                        *guard = None;
                        Err(Error::from_reason(e.name()))
                    }
                    None => {
                        *guard = None;
                        Ok(None)
                    }
                }
            },
            |env, chunk| match chunk {
                Some(bytes) => js_buffer(env, bytes),
                None => Null.into_unknown(env),
            },
        )
    }

    /// Everything that is left, as one Buffer; rejects with `net::ERR_*`.
    #[napi(catch_unwind, ts_return_type = "Promise<Buffer>")]
    pub fn read_all<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Unknown<'env>>> {
        let chunks = self.chunks.clone();
        env.spawn_future_with_callback(
            async move {
                let mut guard = chunks.lock().await;
                let Some(mut rx) = guard.take() else {
                    return Ok(Bytes::new());
                };
                let mut parts = Vec::new();
                let mut size = 0;
                while let Some(chunk) = rx.recv().await {
                    let bytes = chunk.map_err(|e| Error::from_reason(e.name()))?;
                    size += bytes.len();
                    parts.push(bytes);
                }
                Ok(net::concat(parts, size))
            },
            |env, all| js_buffer(env, all),
        )
    }

    /// Stops reading; the connection is released.
    #[napi(catch_unwind)]
    pub fn cancel(&self) {
        match self.chunks.try_lock() {
            Ok(mut guard) => *guard = None,
            Err(_) => {
                let chunks = self.chunks.clone();
                napi::bindgen_prelude::spawn(async move { *chunks.lock().await = None });
            }
        }
    }
}

#[napi]
impl Session {
    /// Fails requests in flight and closes pooled sockets; resolves at once.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn close_all_connections<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        self.inner.network().close_all_connections();
        env.spawn_future(async { Ok(()) })
    }
}

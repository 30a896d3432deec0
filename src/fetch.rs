//! `ses._fetch(request)`: starts a request through the core pipeline and
//! hands JavaScript the response head, then a body that arrived whole or a
//! [`BodyReader`] pushing it chunk by chunk (a little ahead of what
//! JavaScript has taken, never further).

use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use electron_session_core::net::{self, ReadyBody, RedirectMode, RequestBody};
use electron_session_core::protocol;
use electron_session_core::session::Session as CoreSession;
use electron_session_core::web_request::ResourceType;
use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Env;
use napi_derive::napi;
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
                ReadyBody::Streaming(stream) => Err(BodyReader::of(stream)),
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
///
/// Each external Buffer is preceded by a one-byte ArrayBuffer of V8's own,
/// which lets V8 collect the Buffers cheaply. V8 frees the ArrayBuffers
/// that died young in a scavenge, but it only looks at how much memory
/// young ArrayBuffers hold (and scavenges past twice its new space's
/// size) when it allocates an ArrayBuffer's memory itself, which an
/// external Buffer skips. Left to the external-memory limit, a body's
/// Buffers were collected by full mark-compacts instead: about one per
/// 100 MiB streamed, and a third of the process's user CPU (see the
/// README's benchmark section).
pub(crate) fn js_buffer<'env>(env: &'env Env, bytes: Bytes) -> Result<Unknown<'env>> {
    if bytes.len() < COPY_BELOW {
        return BufferSlice::copy_from(env, &bytes)?.into_unknown(env);
    }
    let mut data = std::ptr::null_mut();
    let mut probe = std::ptr::null_mut();
    // SAFETY: a plain allocation on the JS thread, with out-pointers that
    // outlive the call; the ArrayBuffer is garbage once this returns.
    check_status!(unsafe { napi::sys::napi_create_arraybuffer(env.raw(), 1, &mut data, &mut probe) })?;
    let (ptr, len) = (bytes.as_ptr() as *mut u8, bytes.len());
    // SAFETY: `ptr` points at `len` bytes that `bytes`, kept as the
    // finalize hint, owns until the Buffer is collected.
    let slice = unsafe { BufferSlice::from_external(env, ptr, len, bytes, |_, b| net::buffers::recycle(b)) }?;
    slice.into_unknown(env)
}

/// How many chunks a pushed body is read ahead of what JavaScript has taken
/// (chunks are at most 1 MiB). The socket is read while JavaScript handles
/// a chunk, or collects garbage: V8's pauses of 2-5 ms on the JS thread
/// stopped a reader two chunks ahead, and with it the server (100 MiB
/// streams took 50-55 ms with two ahead, 36-42 ms with four, no less with
/// eight). A consumer that stops reading stops the reading here too.
const AHEAD: usize = 4;

/// One step of a pushed body as JavaScript receives it: a Buffer, `null`
/// at the end, or a failure's `net::ERR_*` name.
pub struct Delivery(Option<std::result::Result<Bytes, net::NetError>>);

impl ToNapiValue for Delivery {
    unsafe fn to_napi_value(raw: napi::sys::napi_env, d: Self) -> Result<napi::sys::napi_value> {
        let env = Env::from_raw(raw);
        match d.0 {
            Some(Ok(bytes)) => Unknown::to_napi_value(raw, js_buffer(&env, bytes)?),
            Some(Err(e)) => String::to_napi_value(raw, e.name().to_string()),
            None => Null::to_napi_value(raw, Null),
        }
    }
}

/// The function a pushed body is handed to; held weakly, so that a body
/// nobody waits for never keeps Node's event loop alive (see
/// [`BodyReader::hold`]).
type DeliverFn = ThreadsafeFunction<Delivery, (), Delivery, Status, false, true>;

/// What a reader and the task pushing its body share.
struct Shared {
    /// The body, until something starts reading it.
    body: Mutex<Option<net::Body>>,
    /// Chunks the task may still deliver before JavaScript takes one.
    credit: tokio::sync::Semaphore,
    /// Stops the task (cancelled, or the reader was collected).
    stop: CancellationToken,
}

/// The rest of a response body (or of a request body a protocol handler
/// reads), taken whole with `readAll()`, or pushed chunk by chunk once
/// `start(deliver)` is called: a task reads ahead up to four chunks
/// that JavaScript has not taken yet, and each `more()` allows one more. One
/// threadsafe function serves the whole body and JavaScript never waits on
/// a native call: a Promise for each chunk cost a threadsafe function of
/// its own and a wake-up of the runtime (about 30 µs of the JS thread per
/// chunk).
#[napi]
pub struct BodyReader {
    shared: Arc<Shared>,
    /// The delivery function once started: `hold` and `more` reference and
    /// release it on the JS thread.
    deliver: OnceLock<Arc<DeliverFn>>,
}

impl BodyReader {
    /// A reader of `body`; nothing is read until JavaScript asks.
    pub(crate) fn of(body: net::Body) -> BodyReader {
        BodyReader {
            shared: Arc::new(Shared {
                body: Mutex::new(Some(body)),
                credit: tokio::sync::Semaphore::new(AHEAD),
                stop: CancellationToken::new(),
            }),
            deliver: OnceLock::new(),
        }
    }

    fn take_body(&self) -> Option<net::Body> {
        self.shared.body.lock().unwrap().take()
    }

    /// References (`true`) or releases the delivery function, so that Node
    /// stays up while JavaScript waits for a chunk.
    fn keep_loop_alive(&self, env: &Env, on: bool) {
        if let Some(f) = self.deliver.get() {
            // SAFETY: on the JS thread, with the function kept alive by
            // `self`; referencing an unreferenced function (and the
            // reverse) has no other effect.
            unsafe {
                if on {
                    napi::sys::napi_ref_threadsafe_function(env.raw(), f.raw());
                } else {
                    napi::sys::napi_unref_threadsafe_function(env.raw(), f.raw());
                }
            }
        }
    }
}

impl Drop for BodyReader {
    /// A reader JavaScript has collected releases its body at once, even
    /// when the task was waiting for JavaScript to take more.
    fn drop(&mut self) {
        self.shared.stop.cancel();
    }
}

/// Reads `body` ahead of JavaScript and delivers each chunk, then `null`
/// or the failure.
async fn push(mut body: net::Body, shared: Arc<Shared>, deliver: Arc<DeliverFn>) {
    loop {
        tokio::select! {
            biased;
            _ = shared.stop.cancelled() => return,
            permit = shared.credit.acquire() => match permit {
                Ok(p) => p.forget(),
                Err(_) => return,
            },
        }
        let item = tokio::select! {
            biased;
            _ = shared.stop.cancelled() => return,
            item = body.next() => item,
        };
        let last = !matches!(item, Some(Ok(_)));
        deliver.call(Delivery(item), ThreadsafeFunctionCallMode::NonBlocking);
        if last {
            return;
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

    /// Starts pushing the body to `deliver`, called on the JS thread with
    /// each chunk (a Buffer), then `null` at the end or a `net::ERR_*` name
    /// on failure. `deliver` must not refer to this reader, or neither is
    /// ever collected.
    #[napi(catch_unwind, ts_args_type = "deliver: (item: Buffer | string | null) => void")]
    pub fn start(&self, env: &Env, deliver: Function<Delivery, ()>) -> Result<()> {
        let body = self
            .take_body()
            .ok_or_else(|| args::plain_error(env, "the body is already being read"))?;
        let deliver: Arc<DeliverFn> = Arc::new(
            deliver
                .build_threadsafe_function::<Delivery>()
                .callee_handled::<false>()
                .weak::<true>()
                .build()?,
        );
        // The body was just taken, so this is the only start.
        let _ = self.deliver.set(deliver.clone());
        napi::bindgen_prelude::spawn(push(body, self.shared.clone(), deliver));
        Ok(())
    }

    /// JavaScript took a chunk: one more may be read ahead. Also ends a
    /// `hold()`.
    #[napi(catch_unwind)]
    pub fn more(&self, env: &Env) {
        self.shared.credit.add_permits(1);
        self.keep_loop_alive(env, false);
    }

    /// JavaScript waits for the next delivery: Node's event loop stays up
    /// until `more()` or `cancel()`.
    #[napi(catch_unwind)]
    pub fn hold(&self, env: &Env) {
        self.keep_loop_alive(env, true);
    }

    /// The whole body, as one Buffer; rejects with `net::ERR_*`. Empty
    /// when the body is already being pushed.
    #[napi(catch_unwind, ts_return_type = "Promise<Buffer>")]
    pub fn read_all<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Unknown<'env>>> {
        let body = self.take_body();
        let stop = self.shared.stop.clone();
        env.spawn_future_with_callback(
            async move {
                let Some(mut body) = body else {
                    return Ok(Bytes::new());
                };
                let mut parts = Vec::new();
                let mut size = 0;
                loop {
                    let item = tokio::select! {
                        biased;
                        _ = stop.cancelled() => return Err(Error::from_reason(net::NetError::Aborted.name())),
                        item = body.next() => item,
                    };
                    let Some(chunk) = item else { break };
                    let bytes = chunk.map_err(|e| Error::from_reason(e.name()))?;
                    size += bytes.len();
                    parts.push(bytes);
                }
                Ok(net::concat(parts, size))
            },
            js_buffer,
        )
    }

    /// Stops reading; the connection is released.
    #[napi(catch_unwind)]
    pub fn cancel(&self, env: &Env) {
        self.shared.stop.cancel();
        drop(self.take_body());
        self.keep_loop_alive(env, false);
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

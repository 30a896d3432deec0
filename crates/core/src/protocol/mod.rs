//! `ses.protocol`: custom scheme handlers and interceptors, per session, and
//! the pipeline stage that asks them (Electron `shell/browser/protocol_registry.cc`
//! and `shell/browser/net/electron_url_loader_factory.cc`).
//!
//! A handler is a [`Hook`](crate::hooks::Hook) that answers a
//! [`ProtocolRequest`] with a [`HandlerAnswer`], the JavaScript value it gave
//! its callback (or the `Response` `protocol.handle`'s handler returned), as
//! the binding sorted it. [`respond`] then turns the answer into a response by
//! the rules of the protocol type it was registered with.

mod file;
mod privileges;
mod response;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::hooks::SharedHook;
use crate::net::{Body, FetchError, NetError, Request, RequestBody, Response};
use crate::session::Session;

pub use file::{confined_path, FileResponseError};
pub use privileges::{
    canonicalize, privileges, register_schemes_as_privileged, standard_schemes, CustomScheme,
    SchemePrivileges,
};
pub use response::{redirect_target_allowed, respond};

/// Which `register*Protocol` / `intercept*Protocol` a handler came from; it
/// decides which answers are accepted. `Free` is Electron's internal
/// `registerProtocol`, which takes any of them and on which
/// `protocol.handle` is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolType {
    String,
    Buffer,
    File,
    Http,
    Stream,
    Free,
}

impl ProtocolType {
    pub fn parse(s: &str) -> Option<ProtocolType> {
        Some(match s {
            "string" => ProtocolType::String,
            "buffer" => ProtocolType::Buffer,
            "file" => ProtocolType::File,
            "http" => ProtocolType::Http,
            "stream" => ProtocolType::Stream,
            "free" => ProtocolType::Free,
            _ => return None,
        })
    }
}

/// What a handler is asked: Electron's `ProtocolRequest`.
pub struct ProtocolRequest {
    pub url: Url,
    pub method: String,
    pub referrer: String,
    /// In the caller's order and case.
    pub headers: Vec<(String, String)>,
    /// The request body: bytes, or a stream read as the handler reads it.
    pub body: Option<RequestBody>,
}

/// What a handler answered, by the shape of the JavaScript value.
pub enum HandlerAnswer {
    /// The callback was called with no argument.
    Nothing,
    /// A string (a path, for file protocols).
    Text(String),
    /// A Buffer.
    Bytes(Bytes),
    /// A readable stream.
    Stream(Body),
    /// Any other object: a `ProtocolResponse` (possibly with none of its fields).
    Object(ResponseFields),
    /// A value that is no object: a number, a boolean, a function, `null`.
    Other,
}

/// The fields of a `ProtocolResponse` object.
#[derive(Default)]
pub struct ResponseFields {
    pub error: Option<i32>,
    pub status_code: Option<u16>,
    pub status_text: Option<String>,
    pub charset: Option<String>,
    pub mime_type: Option<String>,
    /// Arrays of values already spread into one pair each.
    pub headers: Vec<(String, String)>,
    pub data: Data,
    pub path: Option<String>,
    pub url: Option<String>,
    pub method: Option<String>,
    pub referrer: Option<String>,
    /// For `{ url }` answers: the session to fetch with; `None` is the
    /// handling session.
    pub session: Option<Arc<Session>>,
    /// For `{ url }` answers with a method other than GET/HEAD.
    pub upload_data: Option<UploadData>,
}

/// `ProtocolResponseUploadData`: a body for a `{ url }` answer.
pub struct UploadData {
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// A `ProtocolResponse`'s `data`.
#[derive(Default)]
pub enum Data {
    /// No `data` property.
    #[default]
    Absent,
    /// `data: null` or `data: undefined`.
    Null,
    Text(String),
    Bytes(Bytes),
    Stream(Body),
    /// Anything else.
    Other,
}

/// A session's handler for one scheme.
pub type ProtocolHandler = SharedHook<ProtocolRequest, HandlerAnswer>;

#[derive(Clone)]
struct Entry {
    kind: ProtocolType,
    handler: ProtocolHandler,
}

/// The schemes a session handles: registered ones (custom schemes) and
/// intercepted ones (any scheme, built-in ones included).
#[derive(Default)]
pub struct ProtocolRegistry {
    registered: RwLock<HashMap<String, Entry>>,
    intercepted: RwLock<HashMap<String, Entry>>,
}

/// Schemes the network stack serves itself; a handler registered (rather
/// than intercepting) for one of them is never asked.
const BUILTIN_SCHEMES: &[&str] = &["http", "https", "file", "data", "about", "blob", "ws", "wss"];

fn add(map: &RwLock<HashMap<String, Entry>>, scheme: &str, entry: Entry) -> bool {
    let mut map = map.write().unwrap();
    let scheme = scheme.to_ascii_lowercase();
    if map.contains_key(&scheme) {
        return false;
    }
    map.insert(scheme, entry);
    true
}

impl ProtocolRegistry {
    /// Registers `handler` for `scheme`; `false` when the scheme already has
    /// a registered handler (the old one stays).
    pub fn register(&self, kind: ProtocolType, scheme: &str, handler: ProtocolHandler) -> bool {
        add(&self.registered, scheme, Entry { kind, handler })
    }

    /// Removes the registered handler of `scheme`; `false` when it had none.
    pub fn unregister(&self, scheme: &str) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        self.registered.write().unwrap().remove(&scheme).is_some()
    }

    pub fn is_registered(&self, scheme: &str) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        self.registered.read().unwrap().contains_key(&scheme)
    }

    /// Intercepts `scheme` with `handler`; `false` when it is already
    /// intercepted.
    pub fn intercept(&self, kind: ProtocolType, scheme: &str, handler: ProtocolHandler) -> bool {
        add(&self.intercepted, scheme, Entry { kind, handler })
    }

    pub fn unintercept(&self, scheme: &str) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        self.intercepted.write().unwrap().remove(&scheme).is_some()
    }

    pub fn is_intercepted(&self, scheme: &str) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        self.intercepted.read().unwrap().contains_key(&scheme)
    }

    /// Whether a request to `scheme` would be answered by a handler.
    pub fn handles(&self, scheme: &str) -> bool {
        self.entry(scheme).is_some()
    }

    /// The handler that answers `scheme`: an interceptor first, then a
    /// registered handler of a custom scheme.
    fn entry(&self, scheme: &str) -> Option<Entry> {
        if let Some(e) = self.intercepted.read().unwrap().get(scheme) {
            return Some(e.clone());
        }
        if BUILTIN_SCHEMES.contains(&scheme) {
            return None;
        }
        self.registered.read().unwrap().get(scheme).cloned()
    }
}

/// The pipeline stage: when a handler of `session` answers `req`'s scheme
/// (and the request does not bypass handlers), its answer as a response.
/// `None` lets the request go on to the built-in schemes.
///
/// A handler's response may redirect (a 301/302/303/307/308 with
/// `Location`); the pipeline follows it like an HTTP redirect.
///
/// # Errors
/// `ERR_UNEXPECTED` when the handler throws or its Promise rejects,
/// `ERR_ABORTED` when `cancel` fires first, and the errors of [`respond`].
pub fn serve<'a>(
    session: &'a Session,
    req: &'a Request,
    cancel: &'a CancellationToken,
) -> BoxFuture<'a, Option<Result<Response, FetchError>>> {
    // Boxed, as `dyn Send`: a `{ url }` answer re-enters the pipeline.
    Box::pin(async move {
        if req.bypass_custom_protocol_handlers {
            return None;
        }
        let entry = session.protocol().entry(req.url.scheme())?;
        Some(ask(session, entry, req, cancel).await)
    })
}

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

async fn ask(
    session: &Session,
    entry: Entry,
    req: &Request,
    cancel: &CancellationToken,
) -> Result<Response, FetchError> {
    let body = match &req.body {
        // A streamed body goes to the handler once.
        Some(RequestBody::Stream(s)) => s.lock().unwrap().take().map(RequestBody::stream),
        other => other.clone(),
    };
    let referrer = req
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("referer"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let question = ProtocolRequest {
        url: req.url.clone(),
        method: req.method.clone(),
        referrer,
        headers: req.headers.clone(),
        body,
    };
    let answer = tokio::select! {
        biased;
        _ = cancel.cancelled() => return Err(NetError::Aborted.into()),
        a = entry.handler.call(question) => a.map_err(|_| NetError::Unexpected)?,
    };
    respond(session, entry.kind, answer, req, cancel).await
}

#[cfg(test)]
mod tests;

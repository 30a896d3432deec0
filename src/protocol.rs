//! `Protocol` (`ses.protocol`) and the module-level privileged-scheme
//! functions. `lib/protocol.js` completes the class: it adapts Electron's
//! callback styles and WHATWG `Response`s into the one answer shape read
//! here ([`Answer`]), and builds `handle` / `unhandle` on `_register`.

use std::sync::Arc;

use bytes::Bytes;
use electron_session_core::hooks::{BoxFuture, Hook, HookError};
use electron_session_core::net::RequestBody;
use electron_session_core::protocol::{
    self, CustomScheme, Data, HandlerAnswer, ProtocolRequest, ProtocolType, ResponseFields,
    SchemePrivileges, UploadData,
};
use electron_session_core::session::Session as CoreSession;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::args;
use crate::fetch::{js_buffer, BodyReader};
use crate::hooks::hook_error;
use crate::js_body::{js_cancel, js_pull, pulled_body, Chunks};
use crate::session::Session;

#[napi]
pub struct Protocol {
    session: Arc<CoreSession>,
}

#[napi]
impl Session {
    /// A new wrapper each call; `lib/protocol.js` keeps one per session.
    #[napi(getter, js_name = "_protocol", catch_unwind)]
    pub fn protocol(&self) -> Protocol {
        Protocol {
            session: self.inner.clone(),
        }
    }
}

#[napi]
impl Protocol {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "Protocol objects cannot be created with 'new'",
        ))
    }

    /// Registers (or, with `intercept`, intercepts) `scheme` with an adapter
    /// that answers a Promise of an [`Answer`]; `false` when the scheme
    /// already has one.
    #[napi(js_name = "_register", catch_unwind)]
    pub fn register(
        &self,
        env: Env,
        kind: String,
        scheme: Unknown,
        handler: Unknown,
        intercept: bool,
    ) -> Result<bool> {
        let scheme = args::string(&env, &scheme, 0)?;
        if handler.get_type()? != ValueType::Function {
            return Err(args::conversion_failure(&env, 1, &handler));
        }
        let kind = ProtocolType::parse(&kind)
            .ok_or_else(|| args::type_error(&env, &format!("Unknown protocol type '{kind}'")))?;
        let f: Function<Question, Promise<Answer>> = unsafe { handler.cast()? };
        let tsfn = f
            .build_threadsafe_function::<Question>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        let hook = Arc::new(ProtocolHook {
            function: Arc::new(tsfn),
        });
        let registry = self.session.protocol();
        Ok(if intercept {
            registry.intercept(kind, &scheme, hook)
        } else {
            registry.register(kind, &scheme, hook)
        })
    }

    /// Removes the registered (or intercepting) handler; `false` when none.
    #[napi(js_name = "_unregister", catch_unwind)]
    pub fn unregister(&self, env: Env, scheme: Unknown, intercept: bool) -> Result<bool> {
        let scheme = args::string(&env, &scheme, 0)?;
        let registry = self.session.protocol();
        Ok(if intercept {
            registry.unintercept(&scheme)
        } else {
            registry.unregister(&scheme)
        })
    }

    #[napi(catch_unwind)]
    pub fn is_protocol_registered(&self, env: Env, scheme: Unknown) -> Result<bool> {
        let scheme = args::string(&env, &scheme, 0)?;
        Ok(self.session.protocol().is_registered(&scheme))
    }

    #[napi(catch_unwind)]
    pub fn is_protocol_intercepted(&self, env: Env, scheme: Unknown) -> Result<bool> {
        let scheme = args::string(&env, &scheme, 0)?;
        Ok(self.session.protocol().is_intercepted(&scheme))
    }
}

/// `registerSchemesAsPrivileged`'s conversion (the readiness check is the
/// JS shell's): an array of `{ scheme, privileges? }`.
#[napi(js_name = "_registerSchemesAsPrivileged", catch_unwind)]
pub fn register_schemes_as_privileged(env: Env, schemes: Unknown) -> Result<()> {
    let bad = || args::plain_error(&env, "Argument must be an array of custom schemes.");
    if !schemes.is_array()? {
        return Err(bad());
    }
    let items: Vec<Unknown> = unsafe { schemes.cast()? };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.get_type()? != ValueType::Object {
            return Err(bad());
        }
        let obj: Object = unsafe { item.cast()? };
        let scheme: Unknown = obj.get_named_property("scheme")?;
        if scheme.get_type()? != ValueType::String {
            return Err(bad());
        }
        let scheme: String = unsafe { scheme.cast()? };
        let mut privileges = SchemePrivileges::default();
        let given: Unknown = obj.get_named_property("privileges")?;
        if given.get_type()? == ValueType::Object {
            let p: Object = unsafe { given.cast()? };
            let flag = |name: &str| -> Result<bool> {
                let v: Unknown = p.get_named_property(name)?;
                Ok(v.get_type()? == ValueType::Boolean && unsafe { v.cast::<bool>()? })
            };
            privileges = SchemePrivileges {
                standard: flag("standard")?,
                secure: flag("secure")?,
                bypass_csp: flag("bypassCSP")?,
                allow_service_workers: flag("allowServiceWorkers")?,
                support_fetch_api: flag("supportFetchAPI")?,
                cors_enabled: flag("corsEnabled")?,
                stream: flag("stream")?,
                code_cache: flag("codeCache")?,
                allow_extensions: flag("allowExtensions")?,
            };
        }
        out.push(CustomScheme { scheme, privileges });
    }
    protocol::register_schemes_as_privileged(out);
    Ok(())
}

#[napi(js_name = "_getStandardSchemes", catch_unwind)]
pub fn get_standard_schemes() -> Vec<String> {
    protocol::standard_schemes()
}

/// The privileges a scheme was registered with (`null` when none), with
/// Electron's property names.
#[napi(js_name = "_schemePrivileges", catch_unwind)]
pub fn scheme_privileges(env: &Env, scheme: String) -> Result<Option<Object<'_>>> {
    let Some(p) = protocol::privileges(&scheme) else {
        return Ok(None);
    };
    let mut obj = Object::new(env)?;
    obj.set("standard", p.standard)?;
    obj.set("secure", p.secure)?;
    obj.set("bypassCSP", p.bypass_csp)?;
    obj.set("allowServiceWorkers", p.allow_service_workers)?;
    obj.set("supportFetchAPI", p.support_fetch_api)?;
    obj.set("corsEnabled", p.cors_enabled)?;
    obj.set("stream", p.stream)?;
    obj.set("codeCache", p.code_cache)?;
    obj.set("allowExtensions", p.allow_extensions)?;
    Ok(Some(obj))
}

/// A handler as the core sees it.
struct ProtocolHook {
    function: Arc<ThreadsafeFunction<Question, Promise<Answer>, Question, Status, false, true>>,
}

impl Hook<ProtocolRequest, HandlerAnswer> for ProtocolHook {
    fn call(&self, q: ProtocolRequest) -> BoxFuture<std::result::Result<HandlerAnswer, HookError>> {
        let function = self.function.clone();
        Box::pin(async move {
            let (bytes, reader) = match q.body {
                Some(RequestBody::Bytes(b)) => (Some(b), None),
                Some(RequestBody::Stream(s)) => {
                    let body = s.lock().unwrap().take();
                    (None, body.map(BodyReader::of))
                }
                None => (None, None),
            };
            let question = Question {
                url: q.url.to_string(),
                method: q.method,
                referrer: q.referrer,
                headers: q.headers,
                bytes,
                reader,
            };
            let promise = function.call_async_catch(question).await.map_err(hook_error)?;
            promise.await.map(|a| a.0).map_err(hook_error)
        })
    }
}

/// What the JS adapter is called with: `{ url, method, referrer, headers,
/// uploadData?, bodyReader? }`, headers as `[name, value]` pairs.
struct Question {
    url: String,
    method: String,
    referrer: String,
    headers: Vec<(String, String)>,
    bytes: Option<Bytes>,
    reader: Option<BodyReader>,
}

impl ToNapiValue for Question {
    unsafe fn to_napi_value(raw: sys::napi_env, q: Self) -> Result<sys::napi_value> {
        let env = Env::from_raw(raw);
        let mut obj = Object::new(&env)?;
        obj.set("url", q.url)?;
        obj.set("method", q.method)?;
        obj.set("referrer", q.referrer)?;
        let headers: Vec<Vec<String>> = q.headers.into_iter().map(|(n, v)| vec![n, v]).collect();
        obj.set("headers", headers)?;
        if let Some(bytes) = q.bytes {
            obj.set("bytes", js_buffer(&env, bytes)?)?;
        }
        if let Some(reader) = q.reader {
            obj.set("bodyReader", reader)?;
        }
        Object::to_napi_value(raw, obj)
    }
}

/// The adapter's answer, sorted by JavaScript type: `{ kind: 'nothing' |
/// 'other' }`, `{ kind: 'text', text }`, `{ kind: 'bytes', bytes }`,
/// `{ kind: 'stream', pull }`, or `{ kind: 'object', …ProtocolResponse }`
/// with `data` itself one of the first four (or `{ kind: 'null' }`).
struct Answer(HandlerAnswer);

fn kind_of(obj: &Object) -> Result<String> {
    obj.get::<String>("kind")?
        .ok_or_else(|| Error::from_reason("answer without kind"))
}

fn buffer_at(obj: &Object, key: &str, owned: bool) -> Result<Option<Bytes>> {
    Ok(obj.get::<Buffer>(key)?.map(|buf| {
        if owned {
            Bytes::from_owner(buf)
        } else {
            Bytes::copy_from_slice(&buf)
        }
    }))
}

fn bytes_of(obj: &Object, owned: bool) -> Result<Bytes> {
    buffer_at(obj, "bytes", owned)?.ok_or_else(|| Error::from_reason("answer without bytes"))
}

/// A stream answer: `head` (bytes already read), then, unless `ended`,
/// what `pull` gives; `cancel` is called if the body is dropped early.
fn stream_of(obj: &Object, owned: bool) -> Result<electron_session_core::net::Body> {
    use futures_util::StreamExt;
    let head = buffer_at(obj, "head", owned)?;
    let first = futures_util::stream::iter(head.map(Ok));
    if obj.get::<bool>("ended")?.unwrap_or(false) {
        return Ok(first.boxed());
    }
    let pull: Function<(), Promise<Option<Buffer>>> = obj
        .get("pull")?
        .ok_or_else(|| Error::from_reason("answer without pull"))?;
    let chunks = if owned { Chunks::Owned } else { Chunks::Copied };
    let cancel = match obj.get::<Function<(), ()>>("cancel")? {
        Some(f) => Some(js_cancel(f)?),
        None => None,
    };
    Ok(first.chain(pulled_body(js_pull(pull)?, chunks, cancel)).boxed())
}

impl FromNapiValue for Answer {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> Result<Self> {
        let obj = Object::from_napi_value(env, value)?;
        // `owned`: the adapter made the Buffer itself, nobody else holds it.
        let owned = obj.get::<bool>("owned")?.unwrap_or(false);
        Ok(Answer(match kind_of(&obj)?.as_str() {
            "nothing" => HandlerAnswer::Nothing,
            "text" => HandlerAnswer::Text(obj.get::<String>("text")?.unwrap_or_default()),
            "bytes" => HandlerAnswer::Bytes(bytes_of(&obj, owned)?),
            "stream" => HandlerAnswer::Stream(stream_of(&obj, owned)?),
            "object" => HandlerAnswer::Object(fields(&obj)?),
            _ => HandlerAnswer::Other,
        }))
    }
}

fn fields(obj: &Object) -> Result<ResponseFields> {
    let headers: Vec<Vec<String>> = obj.get("headers")?.unwrap_or_default();
    let data = match obj.get::<Object>("data")? {
        None => Data::Absent,
        Some(d) => {
            let owned = d.get::<bool>("owned")?.unwrap_or(false);
            match kind_of(&d)?.as_str() {
                "null" => Data::Null,
                "text" => Data::Text(d.get::<String>("text")?.unwrap_or_default()),
                "bytes" => Data::Bytes(bytes_of(&d, owned)?),
                "stream" => Data::Stream(stream_of(&d, owned)?),
                _ => Data::Other,
            }
        }
    };
    let session = obj
        .get::<ClassInstance<Session>>("session")?
        .map(|s| s.inner.clone());
    let upload_data = match obj.get::<Object>("uploadData")? {
        None => None,
        Some(u) => Some(UploadData {
            content_type: u.get::<String>("contentType")?,
            data: bytes_of(&u, u.get::<bool>("owned")?.unwrap_or(false))?,
        }),
    };
    Ok(ResponseFields {
        error: obj.get::<i32>("error")?,
        status_code: obj.get::<u32>("statusCode")?.map(|s| s.min(999) as u16),
        status_text: obj.get::<String>("statusText")?,
        charset: obj.get::<String>("charset")?,
        mime_type: obj.get::<String>("mimeType")?,
        headers: headers
            .into_iter()
            .filter_map(|p| <[String; 2]>::try_from(p).ok())
            .map(|[n, v]| (n, v))
            .collect(),
        data,
        path: obj.get::<String>("path")?,
        url: obj.get::<String>("url")?,
        method: obj.get::<String>("method")?,
        referrer: obj.get::<String>("referrer")?,
        session,
        upload_data,
    })
}

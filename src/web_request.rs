//! `WebRequest`: the natives `lib/web-request.js` builds Electron's eight
//! `on…` methods on. The filter of each listener lives in the core (so
//! requests it does not match never reach JavaScript); the functions live
//! in JS, behind one dispatcher, so a request's events arrive in order.

use std::sync::Arc;

use electron_session_core::hooks::{BoxFuture, HookError};
use electron_session_core::session::Session as CoreSession;
use electron_session_core::web_request::{self as wr, Details, Dispatcher, Event, Filter, Verdict};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::args;
use crate::hooks::hook_error;
use crate::session::Session;

/// A blocking listener's answer, as the JS shell normalizes it: headers
/// as `[name, value]` pairs.
#[napi(object)]
pub struct JsVerdict {
    pub cancel: Option<bool>,
    #[napi(js_name = "redirectURL")]
    pub redirect_url: Option<String>,
    pub request_headers: Option<Vec<Vec<String>>>,
    pub response_headers: Option<Vec<Vec<String>>>,
    pub status_line: Option<String>,
}

/// `details`, built as the plain object Electron passes.
pub struct JsDetails(Details);

fn pairs_to_record(env: &Env, pairs: &[(String, String)]) -> Result<Object<'static>> {
    let mut obj = Object::new(env)?;
    for (name, value) in pairs {
        obj.set(name, value.as_str())?;
    }
    Ok(obj)
}

/// Response headers as `{ name: [values…] }`, repeated names gathered.
fn grouped_record(env: &Env, pairs: &[(String, String)]) -> Result<Object<'static>> {
    let mut obj = Object::new(env)?;
    let mut i = 0;
    while i < pairs.len() {
        let name = &pairs[i].0;
        if !pairs[..i].iter().any(|(n, _)| n == name) {
            let values: Vec<&str> = pairs[i..]
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect();
            obj.set(name, values)?;
        }
        i += 1;
    }
    Ok(obj)
}

impl ToNapiValue for JsDetails {
    unsafe fn to_napi_value(raw_env: napi::sys::napi_env, val: Self) -> Result<napi::sys::napi_value> {
        let env = Env::from_raw(raw_env);
        let d = val.0;
        let mut obj = Object::new(&env)?;
        obj.set("id", d.id as f64)?;
        obj.set("url", d.url)?;
        obj.set("method", d.method)?;
        obj.set("resourceType", d.resource_type.as_str())?;
        obj.set("referrer", d.referrer)?;
        obj.set("timestamp", d.timestamp)?;
        if let Some(id) = d.web_contents_id {
            obj.set("webContentsId", id)?;
        }
        if let Some(upload) = d.upload_data {
            let mut list = env.create_array(upload.len() as u32)?;
            for (i, element) in upload.into_iter().enumerate() {
                let wr::UploadElement::Bytes(bytes) = element;
                let mut item = Object::new(&env)?;
                item.set("type", "rawData")?;
                item.set("bytes", Buffer::from(bytes.to_vec()))?;
                list.set(i as u32, item)?;
            }
            obj.set("uploadData", list)?;
        }
        if let Some(headers) = &d.request_headers {
            obj.set("requestHeaders", pairs_to_record(&env, headers)?)?;
        }
        if let Some(head) = &d.response {
            obj.set("fromCache", head.from_cache)?;
            obj.set("statusLine", head.status_line.as_str())?;
            obj.set("statusCode", head.status_code)?;
            obj.set("responseHeaders", grouped_record(&env, &head.headers)?)?;
            if let Some(ip) = &head.ip {
                obj.set("ip", ip.as_str())?;
            }
        }
        if let Some(url) = d.redirect_url {
            obj.set("redirectURL", url)?;
        }
        if let Some(error) = d.error {
            if d.response.is_none() {
                obj.set("fromCache", false)?;
            }
            obj.set("error", error)?;
        }
        Ok(obj.raw())
    }
}

/// The answer of a blocking listener: at once when it called `callback`
/// before returning (the usual case: no Promise is made), else a Promise.
enum Answer {
    Now(Option<JsVerdict>),
    Later(Promise<Option<JsVerdict>>),
}

impl FromNapiValue for Answer {
    // Not napi-rs's `Either<Promise, _>`: to find out that a plain value is
    // not a Promise, that makes an Error and a rejected Promise (which
    // Node's unhandled-rejection tracking then records), once per event.
    unsafe fn from_napi_value(env: napi::sys::napi_env, value: napi::sys::napi_value) -> Result<Self> {
        let mut is_promise = false;
        napi::check_status!(
            napi::sys::napi_is_promise(env, value, &mut is_promise),
            "Failed to check for a Promise"
        )?;
        Ok(if is_promise {
            Answer::Later(Promise::from_napi_value(env, value)?)
        } else {
            Answer::Now(Option::<JsVerdict>::from_napi_value(env, value)?)
        })
    }
}

type DispatchFn = ThreadsafeFunction<FnArgs<(u32, JsDetails)>, Answer, FnArgs<(u32, JsDetails)>, Status, false, true>;

/// The one JS function every event goes through, held weakly.
struct JsDispatcher(Arc<DispatchFn>);

fn pairs(list: Option<Vec<Vec<String>>>) -> Option<Vec<(String, String)>> {
    list.map(|l| {
        l.into_iter()
            .filter_map(|p| <[String; 2]>::try_from(p).ok())
            .map(|[n, v]| (n, v))
            .collect()
    })
}

impl Dispatcher for JsDispatcher {
    fn notify(&self, event: Event, details: Details) {
        let args = FnArgs::from((event.index() as u32, JsDetails(details)));
        self.0.call(args, ThreadsafeFunctionCallMode::NonBlocking);
    }

    fn ask(&self, event: Event, details: Details) -> BoxFuture<std::result::Result<Verdict, HookError>> {
        let function = self.0.clone();
        let args = FnArgs::from((event.index() as u32, JsDetails(details)));
        Box::pin(async move {
            let answer = match function.call_async_catch(args).await.map_err(hook_error)? {
                Answer::Later(promise) => promise.await.map_err(hook_error)?,
                Answer::Now(answer) => answer,
            };
            Ok(answer.map_or_else(Verdict::default, |v| Verdict {
                cancel: v.cancel.unwrap_or(false),
                redirect_url: v.redirect_url,
                request_headers: pairs(v.request_headers),
                response_headers: pairs(v.response_headers),
                status_line: v.status_line,
            }))
        })
    }
}

#[napi]
pub struct WebRequest {
    session: Arc<CoreSession>,
}

#[napi]
impl Session {
    #[napi(getter, js_name = "_webRequest")]
    pub fn web_request_native(&self) -> WebRequest {
        WebRequest {
            session: self.inner.clone(),
        }
    }
}

/// A string array property of a filter (`urls`, `excludeUrls`, `types`).
fn string_list(env: &Env, obj: &Object, name: &str, required: bool) -> Result<Vec<String>> {
    let value: Unknown = obj.get_named_property(name)?;
    match value.get_type()? {
        ValueType::Undefined if !required => Ok(Vec::new()),
        ValueType::Object if value.is_array()? => {
            let list: Vec<Unknown> = unsafe { value.cast::<Vec<Unknown>>()? };
            list.iter()
                .map(|v| match v.get_type()? {
                    ValueType::String => v.coerce_to_string()?.into_utf8()?.into_owned(),
                    _ => Err(args::type_error(env, &format!("Parameter 'filter.{name}' must be an array of strings."))),
                })
                .collect()
        }
        _ if required => Err(args::type_error(env, "Parameter 'filter' must have property 'urls'.")),
        _ => Err(args::type_error(env, &format!("Parameter 'filter.{name}' must be an array of strings."))),
    }
}

#[napi]
impl WebRequest {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(&env, "WebRequest objects cannot be created with 'new'"))
    }

    /// Sets the filter of `event`'s listener (`undefined` for every
    /// request) or, with `null`, removes the listener.
    #[napi(js_name = "_setListener", catch_unwind)]
    pub fn set_listener(&self, env: Env, event: u32, filter: Unknown) -> Result<()> {
        let event = Event::from_index(event)
            .ok_or_else(|| args::type_error(&env, "Unknown webRequest event"))?;
        let filter = match filter.get_type()? {
            ValueType::Null => None,
            ValueType::Undefined => Some(Filter::all()),
            ValueType::Object => {
                let obj: Object = unsafe { filter.cast()? };
                let urls = string_list(&env, &obj, "urls", true)?;
                let exclude = string_list(&env, &obj, "excludeUrls", false)?;
                let types = string_list(&env, &obj, "types", false)?;
                Some(Filter::new(&urls, &exclude, &types).map_err(|m| args::type_error(&env, &m))?)
            }
            _ => return Err(args::type_error(&env, "Parameter 'filter' must be an object.")),
        };
        self.session.web_request().set_listener(event, filter);
        Ok(())
    }

    /// Sets the function called as `dispatch(eventIndex, details)`; for a
    /// blocking event it returns the normalized answer, or a Promise of it
    /// when the listener answers later.
    #[napi(js_name = "_setDispatcher", catch_unwind, ts_args_type = "dispatch: (event: number, details: object) => object | Promise<object | undefined> | undefined")]
    pub fn set_dispatcher(&self, dispatch: Unknown) -> Result<()> {
        let f: Function<FnArgs<(u32, JsDetails)>, Answer> = unsafe { dispatch.cast()? };
        let tsfn: DispatchFn = f
            .build_threadsafe_function::<FnArgs<(u32, JsDetails)>>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        self.session
            .web_request()
            .set_dispatcher(Some(Arc::new(JsDispatcher(Arc::new(tsfn)))));
        Ok(())
    }
}

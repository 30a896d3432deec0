//! JavaScript functions as core [`Hook`]s.
//!
//! The JS shell wraps every user handler in an adapter that always returns a
//! Promise (whatever style the handler answered in), so the core only ever
//! awaits one Promise per question. The function is held weakly: a handler
//! never keeps Node's event loop alive.

use std::sync::Arc;

use electron_session_core::hooks::{BoxFuture, Hook, HookError};
use electron_session_core::net::CertVerifyRequest;
use electron_session_core::permissions::{
    DevicePermissionCheck, PermissionCheck, PermissionRequest,
};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use serde_json::{json, Value};

/// A JS function called with one JSON argument, answering a Promise of `A`.
type JsAsker<A> = ThreadsafeFunction<Value, Promise<A>, Value, Status, false, true>;

pub struct JsHook<A: FromNapiValue + 'static> {
    function: Arc<JsAsker<A>>,
}

impl<A: FromNapiValue + Send + 'static> JsHook<A> {
    pub fn new(function: Function<Value, Promise<A>>) -> Result<Self> {
        let tsfn = function
            .build_threadsafe_function::<Value>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        Ok(JsHook {
            function: Arc::new(tsfn),
        })
    }
}

/// How each question is laid out for the JS adapter.
pub trait Question: Send + 'static {
    fn to_js(&self) -> Value;
}

impl Question for PermissionRequest {
    fn to_js(&self) -> Value {
        json!({ "webContentsId": self.web_contents_id, "permission": self.permission, "details": self.details })
    }
}

impl Question for PermissionCheck {
    fn to_js(&self) -> Value {
        json!({
            "webContentsId": self.web_contents_id,
            "permission": self.permission,
            "requestingOrigin": self.requesting_origin,
            "details": self.details,
        })
    }
}

impl Question for CertVerifyRequest {
    fn to_js(&self) -> Value {
        self.to_json()
    }
}

impl Question for DevicePermissionCheck {
    fn to_js(&self) -> Value {
        self.to_details()
    }
}

/// Keeps the original JS exception inside the core's error, so the binding
/// can rethrow the very object the handler threw.
pub fn hook_error(e: Error) -> HookError {
    HookError::with_payload(e.reason.clone(), Box::new(e))
}

/// The JS error a hook failure should surface as.
pub fn into_js_error(e: HookError) -> Error {
    match e.into_payload::<Error>() {
        Ok(original) => original,
        Err(e) => Error::new(Status::GenericFailure, e.message().to_string()),
    }
}

impl<Q: Question, A: FromNapiValue + Send + 'static> Hook<Q, A> for JsHook<A> {
    fn call(&self, question: Q) -> BoxFuture<std::result::Result<A, HookError>> {
        let function = self.function.clone();
        let arg = question.to_js();
        Box::pin(async move {
            let promise = function.call_async_catch(arg).await.map_err(hook_error)?;
            promise.await.map_err(hook_error)
        })
    }
}

//! `ses.netLog`: Electron's `NetLog` class over the session's core NetLog
//! (`shell/browser/api/electron_api_net_log.cc`).

use std::path::Path;
use std::sync::Arc;

use electron_session_core::net::NetError;
use electron_session_core::netlog::CaptureMode;
use electron_session_core::session::Session as CoreSession;
use napi::bindgen_prelude::*;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;

use crate::args;
use crate::session::Session;

#[napi]
pub struct NetLog {
    session: Arc<CoreSession>,
}

#[napi]
impl NetLog {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(
            &env,
            "NetLog objects cannot be created with 'new'",
        ))
    }

    /// Starts recording this session's network events to `path`; resolves
    /// once the file is created.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn start_logging<'env>(
        &self,
        env: &'env Env,
        path: Unknown,
        options: Unknown,
    ) -> Result<PromiseRaw<'env, ()>> {
        let path = match path.get_type()? {
            ValueType::String => unsafe { path.cast::<String>()? },
            _ => {
                return Err(args::type_error(
                    env,
                    "The first parameter must be a valid string",
                ))
            }
        };
        if path.is_empty() {
            return Err(args::type_error(
                env,
                "The first parameter must be a valid string",
            ));
        }
        let mut mode = CaptureMode::Default;
        let mut max = None;
        if let Some(obj) = args::optional_object(env, &options, 1)? {
            let bad_mode = "Invalid value for captureMode";
            if let Some(m) = args::property::<String>(env, &obj, "captureMode", bad_mode)? {
                mode = CaptureMode::parse(&m).map_err(|e| args::throw_core(env, e))?;
            }
            let bad_size = "Invalid value for maxFileSize";
            if let Some(n) = args::property::<f64>(env, &obj, "maxFileSize", bad_size)? {
                if !(n.is_finite() && n >= 0.0) {
                    return Err(args::type_error(env, bad_size));
                }
                max = Some(n as u64);
            }
        }
        let errors: Vec<(&str, i32)> = NetError::all().map(|e| (e.name(), e.code())).collect();
        let started = self
            .session
            .net_log()
            .start(Path::new(&path), mode, max, &errors);
        env.spawn_future(async move { started.map_err(args::reject_core) })
    }

    /// Finishes the file; resolves once it is on disk.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn stop_logging<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let session = self.session.clone();
        env.spawn_future(async move {
            session
                .net_log()
                .stop()
                .await
                .map(|_| ())
                .map_err(args::reject_core)
        })
    }

    /// Whether events are being recorded (false once `maxFileSize` is reached).
    #[napi(getter, catch_unwind)]
    pub fn currently_logging(&self) -> bool {
        self.session.net_log().currently_logging()
    }
}

#[napi]
impl Session {
    /// A NetLog for this session (`lib/session.js` keeps one per session).
    #[napi(getter, js_name = "_netLog", catch_unwind)]
    pub fn net_log(&self) -> NetLog {
        NetLog {
            session: self.inner.clone(),
        }
    }
}

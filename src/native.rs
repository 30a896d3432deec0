//! `_nativeBackends()`: the start-up outcome of every native backend.

use napi_derive::napi;

#[napi(object)]
pub struct NativeBackend {
    pub name: String,
    pub ok: bool,
    /// What the backend found, or why it could not start.
    pub detail: String,
}

#[napi(js_name = "_nativeBackends")]
pub async fn native_backends() -> Vec<NativeBackend> {
    electron_session_core::native::probe_backends()
        .await
        .into_iter()
        .map(|s| {
            let ok = s.result.is_ok();
            NativeBackend {
                name: s.name.to_string(),
                ok,
                detail: s.result.unwrap_or_else(|e| e),
            }
        })
        .collect()
}

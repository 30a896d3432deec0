//! Permission requests, permission checks and device permissions, answered by
//! the session's JavaScript handlers or by Electron's defaults when none is
//! set. Follows Electron's `ElectronPermissionManager`
//! (`shell/browser/electron_permission_manager.cc`).

mod devices;

use std::sync::{Mutex, RwLock};

use serde_json::{Map, Value};
use tokio::sync::watch;

pub use devices::{DeviceType, GrantedDevices};

use crate::hooks::{HookError, SharedHook};
use crate::{Error, Result};

/// Permission names a page can request or check: the names Electron 45 passes
/// to `setPermissionRequestHandler` and `setPermissionCheckHandler` handlers.
pub const PERMISSIONS: &[&str] = &[
    "ar",
    "automatic-fullscreen",
    "background-fetch",
    "background-sync",
    "captured-surface-control",
    "clipboard-read",
    "clipboard-sanitized-write",
    "deprecated-sync-clipboard-read",
    "display-capture",
    "fileSystem",
    "fullscreen",
    "geolocation",
    "geolocation-approximate",
    "hand-tracking",
    "hid",
    "idle-detection",
    "keyboardLock",
    "local-fonts",
    "local-network",
    "local-network-access",
    "loopback-network",
    "media",
    "mediaKeySystem",
    "midi",
    "midiSysex",
    "nfc",
    "notifications",
    "openExternal",
    "payment-handler",
    "periodic-background-sync",
    "persistent-storage",
    "pointerLock",
    "screen-wake-lock",
    "sensors",
    "serial",
    "smart-card",
    "speaker-selection",
    "storage-access",
    "system-wake-lock",
    "top-level-storage-access",
    "usb",
    "vr",
    "web-app-installation",
    "web-printing",
    "window-management",
    "unknown",
];

/// The frame a request or check comes from.
#[derive(Debug, Clone)]
pub struct Frame {
    pub web_contents_id: u32,
    /// The last URL the frame loaded.
    pub url: String,
    /// The last URL the main frame loaded (same as `url` for the main frame).
    pub main_frame_url: String,
    pub is_main_frame: bool,
}

/// What the request handler is asked: `(webContents, permission, callback, details)`.
#[derive(Debug, Clone)]
pub struct PermissionRequest {
    pub web_contents_id: u32,
    pub permission: String,
    pub details: Map<String, Value>,
}

/// What the check handler is asked: `(webContents, permission, requestingOrigin, details)`.
#[derive(Debug, Clone)]
pub struct PermissionCheck {
    pub web_contents_id: Option<u32>,
    pub permission: String,
    pub requesting_origin: String,
    pub details: Map<String, Value>,
}

/// What the device permission handler is asked: `({ deviceType, origin, device })`.
#[derive(Debug, Clone)]
pub struct DevicePermissionCheck {
    pub device_type: DeviceType,
    pub origin: String,
    pub device: Value,
}

impl DevicePermissionCheck {
    pub fn to_details(&self) -> Value {
        serde_json::json!({ "deviceType": self.device_type.as_str(), "origin": self.origin, "device": self.device })
    }
}

pub struct PermissionManager {
    request_handler: RwLock<Option<SharedHook<PermissionRequest, bool>>>,
    check_handler: RwLock<Option<SharedHook<PermissionCheck, bool>>>,
    device_handler: RwLock<Option<SharedHook<DevicePermissionCheck, bool>>>,
    /// Bumped when the request handler is cleared: pending requests then end
    /// denied, as in Electron.
    request_handler_cleared: watch::Sender<u64>,
    granted_devices: Mutex<GrantedDevices>,
}

impl Default for PermissionManager {
    fn default() -> Self {
        PermissionManager {
            request_handler: RwLock::new(None),
            check_handler: RwLock::new(None),
            device_handler: RwLock::new(None),
            request_handler_cleared: watch::channel(0).0,
            granted_devices: Mutex::new(GrantedDevices::default()),
        }
    }
}

impl PermissionManager {
    /// Sets (or with `None` clears) the request handler. Clearing it ends every
    /// request still waiting for an answer, denied.
    pub fn set_request_handler(&self, handler: Option<SharedHook<PermissionRequest, bool>>) {
        let clearing = handler.is_none();
        *self.request_handler.write().unwrap() = handler;
        if clearing {
            self.request_handler_cleared.send_modify(|n| *n += 1);
        }
    }

    pub fn set_check_handler(&self, handler: Option<SharedHook<PermissionCheck, bool>>) {
        *self.check_handler.write().unwrap() = handler;
    }

    pub fn set_device_handler(&self, handler: Option<SharedHook<DevicePermissionCheck, bool>>) {
        *self.device_handler.write().unwrap() = handler;
    }

    /// A page in `frame` asks for `permission`. Without a handler every
    /// permission is granted (Electron's default). The handler sees `details`
    /// plus `requestingUrl` and `isMainFrame`.
    ///
    /// # Errors
    /// [`RequestError::Invalid`] for an unknown permission name;
    /// [`RequestError::Handler`] when the handler throws or rejects.
    pub async fn request(
        &self,
        frame: &Frame,
        permission: &str,
        mut details: Map<String, Value>,
    ) -> Result<bool, RequestError> {
        validate_permission(permission).map_err(RequestError::Invalid)?;
        let Some(handler) = self.request_handler.read().unwrap().clone() else {
            return Ok(true);
        };
        details.insert("requestingUrl".into(), Value::String(frame.url.clone()));
        details.insert("isMainFrame".into(), Value::Bool(frame.is_main_frame));
        let mut cleared = self.request_handler_cleared.subscribe();
        let question = PermissionRequest {
            web_contents_id: frame.web_contents_id,
            permission: permission.to_string(),
            details,
        };
        tokio::select! {
            answer = handler.call(question) => answer.map_err(RequestError::Handler),
            _ = cleared.changed() => Ok(false),
        }
    }

    /// A page in `frame` (or no page, for `None`) checks `permission`. Without a
    /// handler every check passes (Electron's default). The handler sees
    /// `requestingOrigin` and `details` plus `embeddingOrigin`, `requestingUrl`
    /// and `isMainFrame`.
    pub async fn check(
        &self,
        frame: Option<&Frame>,
        permission: &str,
        mut details: Map<String, Value>,
    ) -> Result<bool, RequestError> {
        validate_permission(permission).map_err(RequestError::Invalid)?;
        let Some(handler) = self.check_handler.read().unwrap().clone() else {
            return Ok(true);
        };
        let requesting_origin = frame.map(|f| origin_url(&f.url)).unwrap_or_default();
        if let Some(f) = frame {
            details.insert(
                "embeddingOrigin".into(),
                Value::String(origin_url(&f.main_frame_url)),
            );
            details.insert("requestingUrl".into(), Value::String(f.url.clone()));
        }
        details.insert(
            "isMainFrame".into(),
            Value::Bool(frame.is_some_and(|f| f.is_main_frame)),
        );
        let question = PermissionCheck {
            web_contents_id: frame.map(|f| f.web_contents_id),
            permission: permission.to_string(),
            requesting_origin,
            details,
        };
        handler.call(question).await.map_err(RequestError::Handler)
    }

    /// Whether the page at `url` may use `device`. With a handler, the handler
    /// decides; without one, only devices granted earlier (through device
    /// selection) for this origin are permitted.
    pub async fn check_device(
        &self,
        url: &str,
        device_type: DeviceType,
        device: Value,
    ) -> Result<bool, RequestError> {
        let origin = serialized_origin(url);
        let handler = self.device_handler.read().unwrap().clone();
        match handler {
            Some(h) => h
                .call(DevicePermissionCheck {
                    device_type,
                    origin,
                    device,
                })
                .await
                .map_err(RequestError::Handler),
            None => {
                Ok(self
                    .granted_devices
                    .lock()
                    .unwrap()
                    .is_granted(&origin, device_type, &device))
            }
        }
    }

    /// Records that the page at `url` was given `device` (by device selection).
    /// Ignored while a device permission handler is set, as in Electron: the
    /// handler is then the only source of truth.
    pub fn grant_device(&self, url: &str, device_type: DeviceType, device: Value) {
        if self.device_handler.read().unwrap().is_none() {
            self.granted_devices.lock().unwrap().grant(
                &serialized_origin(url),
                device_type,
                device,
            );
        }
    }

    pub fn revoke_device(&self, url: &str, device_type: DeviceType, device: &Value) {
        self.granted_devices
            .lock()
            .unwrap()
            .revoke(&serialized_origin(url), device_type, device);
    }
}

/// Why a permission question got no yes/no answer.
#[derive(Debug)]
pub enum RequestError {
    Invalid(Error),
    Handler(HookError),
}

/// # Errors
/// `InvalidArgument` unless `name` is one of [`PERMISSIONS`].
pub fn validate_permission(name: &str) -> Result<()> {
    if PERMISSIONS.contains(&name) {
        Ok(())
    } else {
        Err(Error::invalid_argument(format!(
            "Invalid permission: '{name}' (expected one of: {})",
            PERMISSIONS.join(", ")
        )))
    }
}

/// Chromium's `url::Origin::Serialize()`: `https://host[:port]`, `null` for
/// opaque origins, `file://` for files.
pub fn serialized_origin(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "file" => "file://".to_string(),
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => "null".to_string(),
    }
}

/// An origin as a URL (`GURL` of an origin): the serialized origin with a
/// trailing `/`; empty for an opaque origin.
pub fn origin_url(url: &str) -> String {
    match serialized_origin(url).as_str() {
        "null" => String::new(),
        o => format!("{o}/"),
    }
}

#[cfg(test)]
mod tests;

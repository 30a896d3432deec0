//! electron-session-core: every behaviour of electron-session, with no knowledge
//! of Node.js. The napi binding crate (`src/` at the repository root) converts
//! JavaScript values into the types here and answers the questions this crate
//! asks through [`hooks::Hook`].
//!
//! Layout follows Electron/Chromium concerns: [`app`] (paths, name, command
//! line), [`session`] (partitions, profiles, per-session settings),
//! [`permissions`] (permission and device-permission handlers), [`native`]
//! (start-up checks of the native backends compiled in), [`proxy`] (proxy
//! rules, bypass lists and proxy configuration, no networking),
//! [`web_request`] (webRequest listeners and their URL patterns), [`download`]
//! (downloads: `DownloadItem`, resumption), [`filename`] (download file names).

pub mod app;
pub mod cookies;
pub mod download;
pub mod error;
pub mod filename;
pub mod hooks;
pub mod native;
pub mod net;
pub mod netlog;
pub mod permissions;
pub mod plain_url;
pub mod protocol;
pub mod proxy;
pub mod session;
pub mod web_request;

pub use error::{Error, Result};

/// The Electron release whose `session` API and defaults this crate follows.
pub const ELECTRON_VERSION: &str = "45.4.1";
/// The Chromium version Electron 45 ships, in the reduced form Chrome sends
/// (`MAJOR.0.0.0`); used in the default user agent.
pub const CHROME_VERSION: &str = "154.0.0.0";

//! The napi binding of electron-session: converts JavaScript values to and
//! from `electron-session-core` types and answers the core's questions by
//! calling JavaScript. No behaviour lives here; see `crates/core`.
//!
//! One file per exposed class, as in Electron's `shell/browser/api/`.

#![deny(clippy::all)]

mod app;
mod args;
mod cookies;
mod download_item;
mod fetch;
mod hooks;
mod js_body;
mod native;
mod net_log;
mod protocol;
mod session;
mod web_request;

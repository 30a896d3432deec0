//! `DownloadItem` over the core's item (Electron's
//! `shell/browser/api/electron_api_download_item.cc`), and the session's
//! download methods. `lib/download-item.js` links EventEmitter, keeps one
//! wrapper per item and turns `_setDownloadListener` calls into `updated` /
//! `done` events; `lib/session.js` emits `will-download`.

use std::path::PathBuf;
use std::sync::Arc;

use electron_session_core::download::{
    self, DownloadEvent, DownloadItem as CoreItem, DownloadParams, InterruptedDownload,
    EventSink, RunSink, WillDownload,
};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::{json, Value};

use crate::args;
use crate::hooks::{JsHook, Question};
use crate::session::Session;

impl Question for WillDownload {
    fn to_js(&self) -> Value {
        json!({ "id": self.item_id, "webContentsId": self.web_contents_id })
    }
}

/// One item event as the JS shell receives it.
#[napi(object)]
pub struct DownloadEventArg {
    pub id: u32,
    #[napi(ts_type = "'updated' | 'done'")]
    pub name: String,
    pub state: String,
}

thread_local! {
    /// Events raised while JavaScript is inside one of the item's methods:
    /// returned to the caller, which emits them before the method returns
    /// (as Electron emits `done` from inside `cancel()`).
    static SYNC_EVENTS: std::cell::RefCell<Option<Vec<DownloadEventArg>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f`, collecting the events it raises on this thread.
fn collect_events(f: impl FnOnce()) -> Vec<DownloadEventArg> {
    SYNC_EVENTS.with(|s| *s.borrow_mut() = Some(Vec::new()));
    f();
    SYNC_EVENTS.with(|s| s.borrow_mut().take()).unwrap_or_default()
}

fn event_arg(id: u32, event: DownloadEvent) -> DownloadEventArg {
    let (name, state) = match event {
        DownloadEvent::Updated(s) => ("updated", s),
        DownloadEvent::Done(s) => ("done", s),
    };
    DownloadEventArg {
        id,
        name: name.to_string(),
        state: state.as_electron_str().to_string(),
    }
}

type EventFn = ThreadsafeFunction<DownloadEventArg, (), DownloadEventArg, Status, false, true>;
/// A strong (ref'd) event function: while one is alive, Node's event loop stays up.
type RunEventFn = ThreadsafeFunction<DownloadEventArg, (), DownloadEventArg, Status, false, false>;

/// A sink calling `tsfn`, or collecting the events when JavaScript is inside
/// one of the item's methods on this thread.
fn sink_of<const WEAK: bool>(
    tsfn: ThreadsafeFunction<DownloadEventArg, (), DownloadEventArg, Status, false, WEAK>,
) -> EventSink {
    let tsfn = Arc::new(tsfn);
    Arc::new(move |id, event| {
        let arg = event_arg(id, event);
        let arg = SYNC_EVENTS.with(|s| match s.borrow_mut().as_mut() {
            Some(list) => {
                list.push(arg);
                None
            }
            None => Some(arg),
        });
        if let Some(arg) = arg {
            tsfn.call(arg, ThreadsafeFunctionCallMode::NonBlocking);
        }
    })
}

/// The sink of one transfer: it keeps the process alive while the transfer
/// runs (as an in-flight fetch does), and its events arrive before it lets
/// go, since they share its queue.
fn run_sink(listener: Function<DownloadEventArg, ()>) -> Result<RunSink> {
    let tsfn: RunEventFn = listener
        .build_threadsafe_function::<DownloadEventArg>()
        .callee_handled::<false>()
        .build()?;
    Ok(Some(sink_of(tsfn)))
}

#[napi]
pub struct DownloadItem {
    inner: Arc<CoreItem>,
}

#[napi]
impl DownloadItem {
    #[napi(constructor)]
    pub fn new(env: Env) -> Result<Self> {
        Err(args::type_error(&env, "DownloadItem objects cannot be created with 'new'"))
    }

    #[napi(getter, js_name = "_id", catch_unwind)]
    pub fn id(&self) -> u32 {
        self.inner.id()
    }

    /// Sets where the file goes; only honoured from a `will-download` listener.
    #[napi(catch_unwind)]
    pub fn set_save_path(&self, env: Env, path: Unknown) -> Result<()> {
        let path = args::string(&env, &path, 0)?;
        self.inner.set_save_path(PathBuf::from(path));
        Ok(())
    }

    #[napi(catch_unwind)]
    pub fn get_save_path(&self) -> String {
        self.inner.save_path()
    }

    /// Returns the events to emit at once.
    #[napi(js_name = "_pause", catch_unwind)]
    pub fn pause(&self) -> Vec<DownloadEventArg> {
        collect_events(|| self.inner.pause())
    }

    #[napi(catch_unwind)]
    pub fn is_paused(&self) -> bool {
        self.inner.is_paused()
    }

    /// `listener` receives the resumed transfer's events (see
    /// `_setDownloadListener`). Returns the events to emit at once.
    #[napi(js_name = "_resume", catch_unwind)]
    pub fn resume(&self, listener: Function<DownloadEventArg, ()>) -> Result<Vec<DownloadEventArg>> {
        let keep = run_sink(listener)?;
        let mut run = None;
        let events = collect_events(|| run = self.inner.resume(keep));
        if let Some(run) = run {
            napi::bindgen_prelude::spawn(run);
        }
        Ok(events)
    }

    #[napi(catch_unwind)]
    pub fn can_resume(&self) -> bool {
        self.inner.can_resume()
    }

    /// Returns the events to emit at once.
    #[napi(js_name = "_cancel", catch_unwind)]
    pub fn cancel(&self) -> Vec<DownloadEventArg> {
        collect_events(|| self.inner.cancel())
    }

    #[napi(js_name = "getURL", catch_unwind)]
    pub fn get_url(&self) -> String {
        self.inner.url()
    }

    #[napi(catch_unwind)]
    pub fn get_mime_type(&self) -> String {
        self.inner.mime_type()
    }

    /// Downloads started through this library never carry a user gesture.
    #[napi(catch_unwind)]
    pub fn has_user_gesture(&self) -> bool {
        false
    }

    #[napi(catch_unwind)]
    pub fn get_filename(&self) -> String {
        self.inner.filename()
    }

    #[napi(catch_unwind)]
    pub fn get_current_bytes_per_second(&self) -> f64 {
        self.inner.current_bytes_per_second() as f64
    }

    #[napi(catch_unwind)]
    pub fn get_total_bytes(&self) -> f64 {
        self.inner.total_bytes() as f64
    }

    #[napi(catch_unwind)]
    pub fn get_received_bytes(&self) -> f64 {
        self.inner.received_bytes() as f64
    }

    #[napi(catch_unwind)]
    pub fn get_percent_complete(&self) -> i32 {
        self.inner.percent_complete()
    }

    #[napi(catch_unwind)]
    pub fn get_content_disposition(&self) -> String {
        self.inner.content_disposition()
    }

    #[napi(
        catch_unwind,
        ts_return_type = "'progressing' | 'completed' | 'cancelled' | 'interrupted'"
    )]
    pub fn get_state(&self) -> String {
        self.inner.state().as_electron_str().to_string()
    }

    #[napi(js_name = "getURLChain", catch_unwind)]
    pub fn get_url_chain(&self) -> Vec<String> {
        self.inner.url_chain()
    }

    #[napi(catch_unwind)]
    pub fn get_last_modified_time(&self) -> String {
        self.inner.last_modified_time()
    }

    #[napi(js_name = "getETag", catch_unwind)]
    pub fn get_etag(&self) -> String {
        self.inner.etag()
    }

    #[napi(catch_unwind)]
    pub fn get_start_time(&self) -> f64 {
        self.inner.start_time()
    }

    #[napi(catch_unwind)]
    pub fn get_end_time(&self) -> f64 {
        self.inner.end_time()
    }

    /// Chromium's interrupt reason (`NETWORK_FAILED`, …), `NONE` unless
    /// interrupted or cancelled; not in Electron's API.
    #[napi(js_name = "_interruptReason", getter, catch_unwind)]
    pub fn interrupt_reason(&self) -> String {
        self.inner.interrupt_reason().as_str().to_string()
    }
}

/// The `headers` option: an object whose values are strings.
fn headers(env: &Env, options: &Unknown) -> Result<Vec<(String, String)>> {
    let Some(obj) = args::optional_object(env, options, 1)? else {
        return Ok(Vec::new());
    };
    let bad = "Invalid value for headers - must be an object";
    let v: Unknown = obj.get_named_property("headers")?;
    if args::is_undefined(&v) {
        return Ok(Vec::new());
    }
    if v.get_type()? != ValueType::Object || v.is_array()? {
        return Err(args::type_error(env, bad));
    }
    let map: Object = unsafe { v.cast()? };
    let mut out = Vec::new();
    for name in Object::keys(&map)? {
        let value: Unknown = map.get_named_property(&name)?;
        match <String as args::Prop>::read(&value)? {
            Some(s) => out.push((name, s)),
            None => return Err(args::type_error(env, bad)),
        }
    }
    Ok(out)
}

fn number(obj: &Object, name: &str) -> Result<Option<f64>> {
    let v: Unknown = obj.get_named_property(name)?;
    <f64 as args::Prop>::read(&v)
}

fn text(obj: &Object, name: &str) -> Result<String> {
    let v: Unknown = obj.get_named_property(name)?;
    Ok(<String as args::Prop>::read(&v)?.unwrap_or_default())
}

#[napi]
impl Session {
    /// Sets the folder downloads go to when no listener sets a save path.
    #[napi(catch_unwind)]
    pub fn set_download_path(&self, env: Env, path: Unknown) -> Result<()> {
        let path = args::string(&env, &path, 0)?;
        self.inner.downloads().set_download_path(PathBuf::from(path));
        Ok(())
    }

    /// Starts a download; `will-download` follows once the response head
    /// has arrived (or the request failed).
    #[napi(js_name = "_downloadURL", catch_unwind)]
    pub fn download_url(
        &self,
        env: Env,
        url: Unknown,
        options: Unknown,
        web_contents_id: Option<u32>,
        listener: Function<DownloadEventArg, ()>,
    ) -> Result<()> {
        let url = args::string(&env, &url, 0)?;
        let headers = headers(&env, &options)?;
        let url = url::Url::parse(&url)
            .map_err(|_| args::type_error(&env, &format!("Invalid URL: {url}")))?;
        let params = DownloadParams { url, headers, web_contents_id };
        let session = self.inner.clone();
        let sink = run_sink(listener)?;
        napi::bindgen_prelude::spawn(download::download_url(session, params, sink));
        Ok(())
    }

    /// Recreates an interrupted item; `will-download` announces it.
    #[napi(js_name = "_createInterruptedDownload", catch_unwind)]
    pub fn create_interrupted_download(
        &self,
        env: Env,
        options: Unknown,
        listener: Function<DownloadEventArg, ()>,
    ) -> Result<()> {
        let obj = args::optional_object(&env, &options, 0)?
            .ok_or_else(|| args::conversion_failure(&env, 0, &options))?;
        let chain: Unknown = obj.get_named_property("urlChain")?;
        let url_chain = <Vec<String> as args::Prop>::read(&chain)?
            .unwrap_or_default()
            .iter()
            .filter_map(|u| url::Url::parse(u).ok())
            .collect();
        let int = |name: &str| -> Result<u64> {
            Ok(number(&obj, name)?.filter(|n| *n >= 0.0).unwrap_or(0.0) as u64)
        };
        let options = InterruptedDownload {
            path: PathBuf::from(text(&obj, "path")?),
            url_chain,
            mime_type: text(&obj, "mimeType")?,
            offset: int("offset")?,
            length: int("length")?,
            last_modified: text(&obj, "lastModified")?,
            etag: text(&obj, "eTag")?,
            start_time: number(&obj, "startTime")?,
        };
        options.validate().map_err(|e| args::throw_core(&env, e))?;
        let session = self.inner.clone();
        let sink = run_sink(listener)?;
        napi::bindgen_prelude::spawn(async move {
            download::create_interrupted_download(session, options, sink).await;
        });
        Ok(())
    }

    /// The item with this id, as a new wrapper (the JS shell keeps one).
    #[napi(js_name = "_downloadItem", catch_unwind)]
    pub fn download_item(&self, id: u32) -> Option<DownloadItem> {
        self.inner.downloads().item(id).map(|inner| DownloadItem { inner })
    }

    /// Sets the adapter that emits `will-download` and answers whether a
    /// listener prevented it.
    #[napi(js_name = "_setWillDownloadHandler", catch_unwind)]
    pub fn set_will_download_handler(&self, handler: Function<Value, Promise<bool>>) -> Result<()> {
        let hook = JsHook::<bool>::new(handler)?;
        self.inner.downloads().set_will_download(Some(Arc::new(hook)));
        Ok(())
    }

    /// Sets the function called on the JS thread with `{ id, name, state }`
    /// for every item event; held weakly.
    #[napi(js_name = "_setDownloadListener", catch_unwind)]
    pub fn set_download_listener(&self, listener: Function<DownloadEventArg, ()>) -> Result<()> {
        let tsfn: EventFn = listener
            .build_threadsafe_function::<DownloadEventArg>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        self.inner.downloads().set_event_sink(Some(sink_of(tsfn)));
        Ok(())
    }
}

//! Downloads: Electron's `DownloadItem` over Chromium's download rules
//! (`components/download/internal/common/download_item_impl.cc`,
//! `download_utils.cc`, `download_file_impl.cc`).
//!
//! A download starts with a GET through the session's pipeline ([`crate::net::fetch`],
//! so cookies, proxies, network emulation and NetLog apply). Once the
//! response head has arrived the item exists and the session's
//! `will-download` hook is asked about it; it may cancel, or set the save
//! path. Without a path the file goes to the session's download folder under
//! the name Chromium would generate, made unique. Bytes are written to
//! `<target>.crdownload` on a blocking thread and the file is renamed into
//! place when the body has ended. An interruption keeps the partial file; a
//! resumption asks for the rest with `Range` and `If-Range`.

mod naming;
pub mod reason;
mod run;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::app::{App, PathName};
use crate::hooks::{BoxFuture, SharedHook};
use crate::session::Session;

pub use reason::{resume_mode, InterruptReason, ResumeMode, MAX_AUTO_RESUME_ATTEMPTS};

/// How often `updated` reports progress while bytes flow (Chromium's
/// `kUpdatePeriodMs` in `download_file_impl.cc`).
pub const UPDATE_PERIOD: Duration = Duration::from_millis(500);

/// The file name used when nothing better can be generated.
pub const DEFAULT_FILE_NAME: &str = "download";

/// Suffix of the file a download writes to until it completes.
pub const INTERMEDIATE_SUFFIX: &str = ".crdownload";

/// An item's state, as Electron's `getState()` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadState {
    Progressing,
    Completed,
    Cancelled,
    Interrupted,
}

impl DownloadState {
    pub fn as_electron_str(self) -> &'static str {
        match self {
            DownloadState::Progressing => "progressing",
            DownloadState::Completed => "completed",
            DownloadState::Cancelled => "cancelled",
            DownloadState::Interrupted => "interrupted",
        }
    }
}

/// What an item tells its observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadEvent {
    /// `updated`: progress, pause, resumption, interruption.
    Updated(DownloadState),
    /// `done`: the item stopped. Sent exactly once each time it stops; an
    /// interrupted item that is resumed later sends it again when it stops again.
    Done(DownloadState),
}

/// Receives every item's events (item id, event), from any thread.
pub type EventSink = Arc<dyn Fn(u32, DownloadEvent) + Send + Sync>;

/// The question `will-download` answers: may this item go on? (`true`: the
/// listener called `event.preventDefault()`.)
#[derive(Debug, Clone)]
pub struct WillDownload {
    pub item_id: u32,
    pub web_contents_id: Option<u32>,
}

/// Where one transfer sends its item's events instead of the manager's sink,
/// dropped when the transfer stops. The binding passes a function that keeps
/// Node's event loop alive while it exists; events sent through it are
/// delivered before it lets go.
pub type RunSink = Option<EventSink>;

/// A session's downloads and their settings.
#[derive(Default)]
pub struct DownloadManager {
    download_path: RwLock<Option<PathBuf>>,
    will_download: RwLock<Option<SharedHook<WillDownload, bool>>>,
    events: RwLock<Option<EventSink>>,
    items: Mutex<HashMap<u32, Arc<DownloadItem>>>,
}

static NEXT_ITEM_ID: AtomicU32 = AtomicU32::new(1);

impl DownloadManager {
    /// Sets the folder downloads without a save path go to (`ses.setDownloadPath`).
    pub fn set_download_path(&self, path: PathBuf) {
        *self.download_path.write().unwrap() = Some(path);
    }

    /// The folder downloads without a save path go to. Default is
    /// `app.getPath('downloads')`.
    pub fn download_path(&self, app: &App) -> Option<PathBuf> {
        self.download_path
            .read()
            .unwrap()
            .clone()
            .or_else(|| app.path(PathName::Downloads))
    }

    /// Sets (or with `None` removes) the `will-download` hook.
    pub fn set_will_download(&self, hook: Option<SharedHook<WillDownload, bool>>) {
        *self.will_download.write().unwrap() = hook;
    }

    /// Sets (or removes) the function that receives every item's events.
    pub fn set_event_sink(&self, sink: Option<EventSink>) {
        *self.events.write().unwrap() = sink;
    }

    /// The item with this id, if this session made it.
    pub fn item(&self, id: u32) -> Option<Arc<DownloadItem>> {
        self.items.lock().unwrap().get(&id).cloned()
    }

    fn emit(&self, id: u32, event: DownloadEvent) {
        let sink = self.events.read().unwrap().clone();
        if let Some(sink) = sink {
            sink(id, event);
        }
    }

    fn register(&self, item: &Arc<DownloadItem>) {
        self.items.lock().unwrap().insert(item.id, item.clone());
    }

    /// Asks `will-download` about `item`; `true` when it may go on.
    async fn announce(&self, item: &Arc<DownloadItem>, web_contents_id: Option<u32>) -> bool {
        let hook = self.will_download.read().unwrap().clone();
        let prevented = match hook {
            Some(hook) => {
                let question = WillDownload {
                    item_id: item.id,
                    web_contents_id,
                };
                // A listener that throws does not stop the download.
                hook.call(question).await.unwrap_or(false)
            }
            None => false,
        };
        if prevented {
            item.cancel();
        }
        !prevented && item.state() != DownloadState::Cancelled
    }
}

/// What `ses.downloadURL` / `webContents.downloadURL` ask for.
#[derive(Debug, Clone)]
pub struct DownloadParams {
    pub url: Url,
    /// Extra request headers (Electron's `options.headers`).
    pub headers: Vec<(String, String)>,
    pub web_contents_id: Option<u32>,
}

/// `ses.createInterruptedDownload`'s options, checked.
#[derive(Debug, Clone)]
pub struct InterruptedDownload {
    pub path: PathBuf,
    pub url_chain: Vec<Url>,
    pub mime_type: String,
    pub offset: u64,
    pub length: u64,
    pub last_modified: String,
    pub etag: String,
    /// Seconds since the Unix epoch; default is now.
    pub start_time: Option<f64>,
}

impl InterruptedDownload {
    /// Checks the options as Electron does.
    ///
    /// # Errors
    /// `Must pass non-empty path, urlChain and length.` and `Must pass an
    /// offset value less than length.` (Electron's messages).
    pub fn validate(&self) -> crate::Result<()> {
        if self.path.as_os_str().is_empty() || self.url_chain.is_empty() || self.length == 0 {
            return Err(crate::Error::failed("Must pass non-empty path, urlChain and length."));
        }
        if self.offset >= self.length {
            return Err(crate::Error::failed("Must pass an offset value less than length."));
        }
        Ok(())
    }
}

/// One download (Electron's `DownloadItem`). All methods are cheap and
/// callable from any thread; the transfer itself runs in a future the
/// caller spawns.
pub struct DownloadItem {
    id: u32,
    session: Arc<Session>,
    inner: Mutex<ItemState>,
    paused: watch::Sender<bool>,
    /// The running transfer's sink and a number telling transfers apart.
    run_sink: Mutex<(u64, Option<EventSink>)>,
}

struct ItemState {
    state: DownloadState,
    reason: InterruptReason,
    url_chain: Vec<Url>,
    request_headers: Vec<(String, String)>,
    mime_type: String,
    content_disposition: String,
    etag: String,
    last_modified: String,
    /// Whether `etag` / `last_modified` may validate a ranged request.
    strong_validators: bool,
    /// The body was content-decoded: offsets into it are not the server's.
    decoded: bool,
    total: u64,
    received: u64,
    save_path: Option<PathBuf>,
    /// The save path is fixed (after `will-download`).
    target_determined: bool,
    intermediate: Option<PathBuf>,
    start_time: f64,
    end_time: f64,
    /// The transfer under way, if any.
    run: Option<CancellationToken>,
    auto_resumes: u32,
    samples: VecDeque<(Instant, u64)>,
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The intermediate file of `target`: `<target>.crdownload`.
pub fn intermediate_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(INTERMEDIATE_SUFFIX);
    PathBuf::from(name)
}

impl DownloadItem {
    fn new(session: Arc<Session>, state: ItemState) -> Arc<DownloadItem> {
        Arc::new(DownloadItem {
            id: NEXT_ITEM_ID.fetch_add(1, Ordering::Relaxed),
            session,
            inner: Mutex::new(state),
            paused: watch::Sender::new(false),
            run_sink: Mutex::new((0, None)),
        })
    }

    fn blank(url_chain: Vec<Url>, request_headers: Vec<(String, String)>) -> ItemState {
        ItemState {
            state: DownloadState::Progressing,
            reason: InterruptReason::None,
            url_chain,
            request_headers,
            mime_type: String::new(),
            content_disposition: String::new(),
            etag: String::new(),
            last_modified: String::new(),
            strong_validators: false,
            decoded: false,
            total: 0,
            received: 0,
            save_path: None,
            target_determined: false,
            intermediate: None,
            start_time: unix_now(),
            end_time: 0.0,
            run: None,
            auto_resumes: 0,
            samples: VecDeque::new(),
        }
    }

    /// A number unique to this item within the process.
    pub fn id(&self) -> u32 {
        self.id
    }

    fn manager(&self) -> &DownloadManager {
        self.session.downloads()
    }

    fn emit(&self, event: DownloadEvent) {
        let sink = self.run_sink.lock().unwrap().1.clone();
        match sink {
            Some(sink) => sink(self.id, event),
            None => self.manager().emit(self.id, event),
        }
    }

    /// Sends events through `sink` until [`Self::clear_run_sink`] with the
    /// number returned.
    fn set_run_sink(&self, sink: RunSink) -> u64 {
        let mut r = self.run_sink.lock().unwrap();
        r.0 += 1;
        r.1 = sink;
        r.0
    }

    /// Drops the sink set by `set_run_sink` call `generation`, unless a later
    /// transfer has set its own.
    fn clear_run_sink(&self, generation: u64) {
        let old = {
            let mut r = self.run_sink.lock().unwrap();
            if r.0 != generation {
                return;
            }
            r.1.take()
        };
        drop(old);
    }

    pub fn state(&self) -> DownloadState {
        self.inner.lock().unwrap().state
    }

    /// Why the item last stopped (`None` unless interrupted or cancelled).
    pub fn interrupt_reason(&self) -> InterruptReason {
        self.inner.lock().unwrap().reason
    }

    /// The final URL (Chromium's `GetURL`: the chain's last).
    pub fn url(&self) -> String {
        let s = self.inner.lock().unwrap();
        s.url_chain.last().map(|u| u.to_string()).unwrap_or_default()
    }

    pub fn url_chain(&self) -> Vec<String> {
        self.inner.lock().unwrap().url_chain.iter().map(|u| u.to_string()).collect()
    }

    pub fn mime_type(&self) -> String {
        self.inner.lock().unwrap().mime_type.clone()
    }

    pub fn content_disposition(&self) -> String {
        self.inner.lock().unwrap().content_disposition.clone()
    }

    pub fn etag(&self) -> String {
        self.inner.lock().unwrap().etag.clone()
    }

    pub fn last_modified_time(&self) -> String {
        self.inner.lock().unwrap().last_modified.clone()
    }

    pub fn total_bytes(&self) -> u64 {
        self.inner.lock().unwrap().total
    }

    pub fn received_bytes(&self) -> u64 {
        self.inner.lock().unwrap().received
    }

    /// Percent received, rounded down; `-1` when the size is unknown (Chromium's
    /// `PercentComplete`), 100 once completed.
    pub fn percent_complete(&self) -> i32 {
        let s = self.inner.lock().unwrap();
        if s.state == DownloadState::Completed {
            return 100;
        }
        if s.total == 0 {
            return -1;
        }
        ((s.received as f64 * 100.0) / s.total as f64) as i32
    }

    /// Bytes per second over the last few seconds; 0 unless bytes are flowing.
    pub fn current_bytes_per_second(&self) -> u64 {
        let s = self.inner.lock().unwrap();
        if s.state != DownloadState::Progressing || *self.paused.borrow() {
            return 0;
        }
        match (s.samples.front(), s.samples.back()) {
            (Some(&(t0, b0)), Some(&(t1, b1))) if t1 > t0 => {
                ((b1 - b0) as f64 / (t1 - t0).as_secs_f64()) as u64
            }
            _ => 0,
        }
    }

    /// The name Chromium's `GenerateFileName` gives this download (Electron's
    /// `getFilename`, whatever the save path is).
    pub fn filename(&self) -> String {
        let s = self.inner.lock().unwrap();
        let Some(url) = s.url_chain.last() else {
            return String::new();
        };
        let cd = (!s.content_disposition.is_empty()).then_some(s.content_disposition.as_str());
        naming::generate_file_name(url, cd, "", "", &s.mime_type, DEFAULT_FILE_NAME)
    }

    pub fn save_path(&self) -> String {
        let s = self.inner.lock().unwrap();
        s.save_path.as_ref().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// Sets where the file goes; honoured until `will-download` has been
    /// answered, ignored after (as Electron documents).
    pub fn set_save_path(&self, path: PathBuf) {
        let mut s = self.inner.lock().unwrap();
        if !s.target_determined {
            s.save_path = Some(path);
        }
    }

    pub fn start_time(&self) -> f64 {
        self.inner.lock().unwrap().start_time
    }

    pub fn end_time(&self) -> f64 {
        self.inner.lock().unwrap().end_time
    }

    pub fn is_paused(&self) -> bool {
        *self.paused.borrow()
    }

    fn resume_mode(s: &ItemState, paused: bool) -> ResumeMode {
        let is_http = s.url_chain.last().is_some_and(|u| matches!(u.scheme(), "http" | "https"));
        let can_continue = s.intermediate.is_some()
            && !s.decoded
            && (!s.etag.is_empty() || !s.last_modified.is_empty());
        resume_mode(s.reason, is_http, can_continue, s.auto_resumes, paused)
    }

    /// Whether `resume()` would do something: a paused download, or an
    /// interrupted one whose reason allows it.
    pub fn can_resume(&self) -> bool {
        let s = self.inner.lock().unwrap();
        match s.state {
            DownloadState::Progressing => self.is_paused(),
            DownloadState::Interrupted => Self::resume_mode(&s, true) != ResumeMode::Invalid,
            _ => false,
        }
    }

    /// Stops reading (the connection is kept); no-op unless progressing.
    pub fn pause(&self) {
        {
            let s = self.inner.lock().unwrap();
            if s.state != DownloadState::Progressing || self.is_paused() {
                return;
            }
            self.paused.send_replace(true);
        }
        self.emit(DownloadEvent::Updated(DownloadState::Progressing));
    }

    /// Continues a paused download at once; for an interrupted one, returns
    /// the future that performs the resumed transfer (to be spawned), whose
    /// events go to `sink` until it stops.
    pub fn resume(self: &Arc<Self>, sink: RunSink) -> Option<BoxFuture<()>> {
        let mut s = self.inner.lock().unwrap();
        match s.state {
            DownloadState::Progressing if self.is_paused() => {
                self.paused.send_replace(false);
                drop(s);
                self.emit(DownloadEvent::Updated(DownloadState::Progressing));
                None
            }
            DownloadState::Interrupted if Self::resume_mode(&s, true) != ResumeMode::Invalid => {
                self.paused.send_replace(false);
                s.state = DownloadState::Progressing;
                s.auto_resumes = 0;
                s.end_time = 0.0;
                s.samples.clear();
                let token = CancellationToken::new();
                s.run = Some(token.clone());
                drop(s);
                let generation = self.set_run_sink(sink);
                self.emit(DownloadEvent::Updated(DownloadState::Progressing));
                let item = self.clone();
                Some(Box::pin(async move {
                    run::resume_loop(&item, &token, None).await;
                    item.clear_run_sink(generation);
                }))
            }
            _ => None,
        }
    }

    /// Cancels: the partial file is deleted and `done` reports `cancelled`.
    /// No-op once completed or cancelled.
    pub fn cancel(&self) {
        let (run, intermediate) = {
            let mut s = self.inner.lock().unwrap();
            if matches!(s.state, DownloadState::Completed | DownloadState::Cancelled) {
                return;
            }
            s.state = DownloadState::Cancelled;
            s.reason = InterruptReason::UserCanceled;
            s.end_time = unix_now();
            (s.run.take(), s.intermediate.clone())
        };
        self.paused.send_replace(false);
        match run {
            // The transfer deletes the file once its writer has let go of it.
            Some(token) => token.cancel(),
            None => {
                if let Some(path) = intermediate {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
        self.emit(DownloadEvent::Done(DownloadState::Cancelled));
    }

    /// Moves a progressing item to a final state; `false` when something
    /// else (a `cancel()`) got there first.
    fn finish(&self, state: DownloadState, reason: InterruptReason) -> bool {
        {
            let mut s = self.inner.lock().unwrap();
            if s.state != DownloadState::Progressing {
                return false;
            }
            s.state = state;
            s.reason = reason;
            s.run = None;
            s.end_time = unix_now();
            if state == DownloadState::Completed {
                s.total = s.received;
            }
            s.samples.clear();
        }
        if state == DownloadState::Interrupted {
            self.emit(DownloadEvent::Updated(DownloadState::Interrupted));
        }
        self.emit(DownloadEvent::Done(state));
        true
    }

    /// Records progress for the rate estimate (one sample per update period,
    /// the last ten seconds kept).
    fn sample(&self) {
        let mut s = self.inner.lock().unwrap();
        let now = Instant::now();
        let received = s.received;
        s.samples.push_back((now, received));
        while s
            .samples
            .front()
            .is_some_and(|&(t, _)| now.duration_since(t) > Duration::from_secs(10))
        {
            s.samples.pop_front();
        }
    }
}

/// Starts a download of `params.url` with `session`: runs until the item
/// first stops (completed, cancelled or interrupted), its events sent to `sink`.
/// The item is announced to `will-download` once the response head has
/// arrived, or once the request has failed (the item is then interrupted).
pub async fn download_url(session: Arc<Session>, params: DownloadParams, sink: RunSink) {
    run::start(session, params, sink).await;
}

/// Recreates an interrupted download from what an earlier process saved
/// (`ses.createInterruptedDownload`) and announces it to `will-download`.
/// The partial data is looked for at `<path>.crdownload`, else at `path`
/// itself (where Chromium expects it).
pub async fn create_interrupted_download(
    session: Arc<Session>,
    options: InterruptedDownload,
    sink: RunSink,
) -> Arc<DownloadItem> {
    let mut state = DownloadItem::blank(options.url_chain.clone(), Vec::new());
    state.state = DownloadState::Interrupted;
    state.reason = InterruptReason::NetworkFailed;
    state.mime_type = options.mime_type;
    state.etag = options.etag;
    state.last_modified = options.last_modified;
    state.strong_validators = !state.etag.is_empty() || !state.last_modified.is_empty();
    state.received = options.offset;
    state.total = options.length;
    state.start_time = options.start_time.unwrap_or_else(unix_now);
    let crdownload = intermediate_path(&options.path);
    state.intermediate = Some(if crdownload.exists() { crdownload } else { options.path.clone() });
    state.save_path = Some(options.path);
    let item = DownloadItem::new(session.clone(), state);
    session.downloads().register(&item);
    let generation = item.set_run_sink(sink);
    let go_on = session.downloads().announce(&item, None).await;
    item.clear_run_sink(generation);
    if go_on {
        let mut s = item.inner.lock().unwrap();
        s.target_determined = true;
        // A listener may have chosen another path: the partial data stays
        // where it is and the file is renamed there on completion.
    }
    item
}

//! NetLog: the pipeline's events, written as Chrome's NetLog JSON (a
//! `constants` object, an `events` array, `polledData`) that Chrome's netlog
//! viewer reads. Follows Chromium's `FileNetLogObserver` and Electron's
//! `electron_api_net_log.cc`.
//!
//! Adding an event costs one atomic load while nothing is logging. While
//! logging, events are serialised on the caller's thread and written by a
//! dedicated thread.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use crate::{Error, Result};

/// `captureMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaptureMode {
    /// Metadata only: cookie and credential header values are stripped.
    Default,
    /// Cookies and credentials too.
    IncludeSensitive,
    /// Also the bytes of bodies.
    Everything,
}

impl CaptureMode {
    /// # Errors
    /// `InvalidArgument`: `Invalid value for captureMode` (Electron's message).
    pub fn parse(s: &str) -> Result<CaptureMode> {
        match s {
            "default" => Ok(CaptureMode::Default),
            "includeSensitive" => Ok(CaptureMode::IncludeSensitive),
            "everything" => Ok(CaptureMode::Everything),
            _ => Err(Error::invalid_argument("Invalid value for captureMode")),
        }
    }
}

/// Event types this pipeline emits, by Chrome's names.
pub const EVENT_TYPES: &[&str] = &[
    "REQUEST_ALIVE",
    "URL_REQUEST_START_JOB",
    "URL_REQUEST_REDIRECTED",
    "HTTP_TRANSACTION_SEND_REQUEST_HEADERS",
    "HTTP_TRANSACTION_READ_RESPONSE_HEADERS",
    "AUTH_CHALLENGE",
    "URL_REQUEST_JOB_FILTERED_BYTES_READ",
    "FAILED",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    None = 0,
    Begin = 1,
    End = 2,
}

const SOURCE_URL_REQUEST: u32 = 1;

enum Command {
    Event(String),
    /// Answers once every earlier command has been handled.
    #[cfg(test)]
    Sync(mpsc::Sender<()>),
    Stop(mpsc::Sender<std::io::Result<()>>),
}

struct Active {
    tx: mpsc::Sender<Command>,
    mode: CaptureMode,
    start: Instant,
    path: PathBuf,
    /// Cleared by the writer when `maxFileSize` is reached.
    recording: std::sync::Arc<AtomicBool>,
}

/// One session's NetLog.
pub struct NetLog {
    logging: AtomicBool,
    active: Mutex<Option<Active>>,
    next_source: AtomicU32,
}

impl Default for NetLog {
    fn default() -> Self {
        NetLog {
            logging: AtomicBool::new(false),
            active: Mutex::new(None),
            next_source: AtomicU32::new(1),
        }
    }
}

fn constants(start_wall_ms: u128, net_errors: &[(&str, i32)]) -> Value {
    let types: Map<String, Value> = EVENT_TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| (t.to_string(), json!(i)))
        .collect();
    let errors: Map<String, Value> = net_errors
        .iter()
        .map(|(n, c)| (n.trim_start_matches("net::").to_string(), json!(c)))
        .collect();
    json!({
        "logFormatVersion": 1,
        "clientInfo": { "name": "electron-session", "version": env!("CARGO_PKG_VERSION"), "cl": "", "version_mod": "", "official": "", "os_type": std::env::consts::OS, "command_line": "" },
        "logEventTypes": types,
        "logSourceType": { "NONE": 0, "URL_REQUEST": SOURCE_URL_REQUEST },
        "logEventPhase": { "PHASE_NONE": 0, "PHASE_BEGIN": 1, "PHASE_END": 2 },
        "timeTickOffset": start_wall_ms.to_string(),
        "netError": errors,
        "addressFamily": { "ADDRESS_FAMILY_UNSPECIFIED": 0, "ADDRESS_FAMILY_IPV4": 1, "ADDRESS_FAMILY_IPV6": 2 },
        "loadFlag": { "NORMAL": 0 },
        "loadState": { "IDLE": 0 },
        "certStatusFlag": {},
        "certVerifierFlags": {},
        "certVerifyFlags": {},
        "quicError": {},
        "quicRstStreamError": {},
        "activeFieldTrialGroups": [],
    })
}

/// Writes the file: the header now, events as they come, the end on `Stop`
/// or when `max` bytes would be exceeded (then the rest is dropped).
fn writer(
    mut out: BufWriter<File>,
    rx: mpsc::Receiver<Command>,
    header: String,
    max: Option<u64>,
    logging: std::sync::Arc<AtomicBool>,
) {
    let mut written = header.len() as u64;
    let mut first = true;
    let mut full = false;
    let mut result = out.write_all(header.as_bytes());
    for cmd in rx {
        match cmd {
            Command::Event(e) => {
                if full || result.is_err() {
                    continue;
                }
                let sep = if first { "\n" } else { ",\n" };
                if max.is_some_and(|m| written + (sep.len() + e.len()) as u64 + 64 > m) {
                    full = true;
                    logging.store(false, Ordering::SeqCst);
                    continue;
                }
                first = false;
                written += (sep.len() + e.len()) as u64;
                result = out
                    .write_all(sep.as_bytes())
                    .and_then(|_| out.write_all(e.as_bytes()));
            }
            #[cfg(test)]
            Command::Sync(done) => {
                let _ = done.send(());
            }
            Command::Stop(done) => {
                let end = result
                    .and_then(|_| out.write_all(b"\n],\n\"polledData\": {}}\n"))
                    .and_then(|_| out.flush())
                    .and_then(|_| out.get_ref().sync_all());
                let _ = done.send(end);
                return;
            }
        }
    }
}

impl NetLog {
    pub fn is_logging(&self) -> bool {
        self.logging.load(Ordering::Relaxed)
    }

    /// A new source id (one per request).
    pub fn new_source(&self) -> u32 {
        self.next_source.fetch_add(1, Ordering::Relaxed)
    }

    pub fn capture_mode(&self) -> Option<CaptureMode> {
        self.active.lock().unwrap().as_ref().map(|a| a.mode)
    }

    /// Starts writing to `path`.
    ///
    /// # Errors
    /// `Failed`: already logging, or the file cannot be created.
    pub fn start(
        &self,
        path: &Path,
        mode: CaptureMode,
        max_file_size: Option<u64>,
        net_errors: &[(&str, i32)],
    ) -> Result<()> {
        let mut active = self.active.lock().unwrap();
        if active.is_some() {
            return Err(Error::failed("There is already a net log running"));
        }
        let file = File::create(path).map_err(|e| {
            Error::failed(format!(
                "Failed to create net log file '{}': {e}",
                path.display()
            ))
        })?;
        let start_wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        let header = format!(
            "{{\"constants\": {},\n\"events\": [",
            constants(start_wall, net_errors)
        );
        let (tx, rx) = mpsc::channel();
        let flag = std::sync::Arc::new(AtomicBool::new(true));
        let thread_flag = flag.clone();
        std::thread::Builder::new()
            .name("netlog-writer".into())
            .spawn(move || writer(BufWriter::new(file), rx, header, max_file_size, thread_flag))
            .map_err(|e| Error::failed(format!("Failed to start net log: {e}")))?;
        *active = Some(Active {
            tx,
            mode,
            start: Instant::now(),
            path: path.to_path_buf(),
            recording: flag,
        });
        self.logging.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Finishes the file and closes it; resolves once it is on disk.
    ///
    /// # Errors
    /// `Failed`: `No net log in progress`, or the file could not be written.
    pub async fn stop(&self) -> Result<PathBuf> {
        let active = self.active.lock().unwrap().take();
        self.logging.store(false, Ordering::SeqCst);
        let Some(active) = active else {
            return Err(Error::failed("No net log in progress"));
        };
        let path = active.path.clone();
        let (done_tx, done_rx) = mpsc::channel();
        let _ = active.tx.send(Command::Stop(done_tx));
        tokio::task::spawn_blocking(move || done_rx.recv())
            .await
            .map_err(|e| Error::failed(e.to_string()))?
            .map_err(|_| Error::failed("The net log writer stopped"))?
            .map_err(|e| Error::failed(format!("Failed to write net log: {e}")))?;
        Ok(path)
    }

    /// Whether events are still being recorded (`currentlyLogging`): false
    /// once `maxFileSize` was reached.
    pub fn currently_logging(&self) -> bool {
        self.active
            .lock()
            .unwrap()
            .as_ref()
            .is_some_and(|a| a.recording.load(Ordering::SeqCst))
    }

    /// Waits until the writer has handled every event added so far.
    #[cfg(test)]
    fn sync(&self) {
        let (tx, rx) = mpsc::channel();
        if let Some(a) = self.active.lock().unwrap().as_ref() {
            let _ = a.tx.send(Command::Sync(tx));
            let _ = rx.recv();
        }
    }

    /// Records an event of `source`. `params` is built only while logging.
    pub fn add(
        &self,
        source: u32,
        event: &str,
        phase: Phase,
        params: impl FnOnce(CaptureMode) -> Option<Value>,
    ) {
        if !self.is_logging() {
            return;
        }
        let guard = self.active.lock().unwrap();
        let Some(active) = guard.as_ref() else { return };
        if !active.recording.load(Ordering::Relaxed) {
            return;
        }
        let Some(type_id) = EVENT_TYPES.iter().position(|t| *t == event) else {
            return;
        };
        let time = active.start.elapsed().as_millis().to_string();
        let mut e = json!({
            "time": time,
            "type": type_id,
            "source": { "id": source, "type": SOURCE_URL_REQUEST, "start_time": time },
            "phase": phase as u32,
        });
        if let Some(p) = params(active.mode) {
            e["params"] = p;
        }
        let _ = active.tx.send(Command::Event(e.to_string()));
    }
}

/// Header values Chromium strips outside `includeSensitive`.
const SENSITIVE: &[&str] = &[
    "cookie",
    "set-cookie",
    "set-cookie2",
    "authorization",
    "proxy-authorization",
];

/// Headers as Chrome logs them (`"Name: value"`), sensitive values elided
/// in the default mode as Chromium's `ElideHeaderValueForNetLog` does.
pub fn header_lines<'a>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
    mode: CaptureMode,
) -> Vec<String> {
    headers
        .map(|(n, v)| {
            if mode == CaptureMode::Default && SENSITIVE.iter().any(|s| n.eq_ignore_ascii_case(s)) {
                format!("{n}: [{} bytes were stripped]", v.len())
            } else {
                format!("{n}: {v}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;

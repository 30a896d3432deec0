//! A session's cookie jar (Electron's `Cookies`, over Chromium's
//! `CookieMonster`): kept in memory for an in-memory session; for a
//! persistent one, opened on first use from `<storage>/Network/Cookies`,
//! whose SQLite work runs on the store's own thread or in `spawn_blocking`,
//! never on the runtime's async threads.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use url::Url;

use crate::cookies::sqlite::{BackgroundCookieStore, FlushHandle};
use crate::cookies::{time, CanonicalCookie, CookieChange, CookieDetails, CookieFilter, CookieMonster, CookieOptions};
use crate::{Error, Result};

/// Called with every change to the jar, in order, while the jar is locked:
/// it must hand the change on (to a channel, a JS queue) and not use the jar.
pub type CookieChangeListener = Box<dyn Fn(&CookieChange) + Send + Sync>;

/// The jar once opened: the store and, when persistent, a way to flush it.
struct Opened {
    monster: Mutex<CookieMonster>,
    flush: Option<FlushHandle>,
    /// Why the database could not be opened (the jar then lives in memory).
    open_error: Option<String>,
}

/// How long a [`SessionCookies::visit_now`] answer stays right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// The jar's [`generation`](SessionCookies::generation) when answered.
    pub generation: u32,
    /// For a URL alone: the earliest expiry of the cookies that could be
    /// answered for it (`None`: none expires).
    pub until: Option<crate::cookies::time::Time>,
}

/// One session's cookies.
pub struct SessionCookies {
    /// `<storage>/Network/Cookies`; `None` for an in-memory session.
    db_path: Option<PathBuf>,
    opened: OnceLock<Opened>,
    /// Serializes opening, so two first uses open the database once.
    opening: Mutex<()>,
    skipped_encrypted: AtomicUsize,
    listener: RwLock<Option<Arc<CookieChangeListener>>>,
    /// Whether anyone listens for changes: none are delivered otherwise.
    watching: std::sync::atomic::AtomicBool,
    /// The store's [`generation`](CookieMonster::generation), as of the
    /// last time the jar was unlocked.
    generation: AtomicU32,
}

impl std::fmt::Debug for SessionCookies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCookies")
            .field("db_path", &self.db_path)
            .field("opened", &self.opened.get().is_some())
            .finish_non_exhaustive()
    }
}

impl SessionCookies {
    /// A jar stored under `storage` (`Network/Cookies`), or in memory when
    /// `storage` is `None`. Nothing is read or created until first use.
    pub fn new(storage: Option<&std::path::Path>) -> Arc<SessionCookies> {
        Arc::new(SessionCookies {
            db_path: storage.map(|s| s.join("Network").join("Cookies")),
            opened: OnceLock::new(),
            opening: Mutex::new(()),
            skipped_encrypted: AtomicUsize::new(0),
            listener: RwLock::new(None),
            watching: std::sync::atomic::AtomicBool::new(false),
            generation: AtomicU32::new(0),
        })
    }

    /// Where the database is (or will be); `None` in memory.
    pub fn db_path(&self) -> Option<&std::path::Path> {
        self.db_path.as_deref()
    }

    /// Whether the jar has been opened (the database read).
    pub fn is_loaded(&self) -> bool {
        self.opened.get().is_some()
    }

    /// Rows of the database not loaded because their value is encrypted
    /// (0 until the jar is opened).
    pub fn skipped_encrypted(&self) -> usize {
        self.skipped_encrypted.load(Ordering::Relaxed)
    }

    /// Replaces the change listener (`None` removes it).
    /// Setting one also starts delivering changes (see [`Self::watch_changes`]).
    pub fn set_change_listener(&self, listener: Option<CookieChangeListener>) {
        self.watch_changes(listener.is_some());
        *self.listener.write().unwrap() = listener.map(Arc::new);
    }

    /// Opens the jar if needed, blocking: reads the database (creating its
    /// folder) for a persistent session. Run it off the async threads.
    pub fn load_blocking(&self) {
        self.opened_blocking();
    }

    fn opened_blocking(&self) -> &Opened {
        if let Some(o) = self.opened.get() {
            return o;
        }
        let _guard = self.opening.lock().unwrap();
        if let Some(o) = self.opened.get() {
            return o;
        }
        let opened = match &self.db_path {
            None => Opened {
                monster: Mutex::new(CookieMonster::new()),
                flush: None,
                open_error: None,
            },
            Some(path) => match open_database(path) {
                Ok((bg, loaded)) => {
                    if loaded.skipped_encrypted > 0 {
                        eprintln!(
                            "electron-session: {} encrypted cookie(s) in {} were not loaded (cookie encryption is not supported)",
                            loaded.skipped_encrypted,
                            path.display()
                        );
                    }
                    self.skipped_encrypted
                        .store(loaded.skipped_encrypted, Ordering::Relaxed);
                    let flush = Some(bg.flush_handle());
                    Opened {
                        monster: Mutex::new(CookieMonster::with_persistent_store(
                            loaded.cookies,
                            Box::new(bg),
                        )),
                        flush,
                        open_error: None,
                    }
                }
                Err(e) => {
                    eprintln!(
                        "electron-session: cookies kept in memory, {} could not be opened: {}",
                        path.display(),
                        e.message()
                    );
                    Opened {
                        monster: Mutex::new(CookieMonster::new()),
                        flush: None,
                        open_error: Some(e.message().to_string()),
                    }
                }
            },
        };
        let _ = self.opened.set(opened);
        self.opened.get().expect("just set")
    }

    /// Opens the jar if needed without blocking the async threads.
    ///
    /// # Errors
    /// `Failed` when the blocking task cannot run.
    pub async fn load(self: &Arc<Self>) -> Result<()> {
        if self.is_loaded() {
            return Ok(());
        }
        if self.db_path.is_none() {
            // Nothing to read: an in-memory jar opens at once.
            self.load_blocking();
            return Ok(());
        }
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            this.load_blocking();
        })
        .await
        .map_err(|e| Error::failed(format!("cookie store: {e}")))
    }

    /// Runs `f` on the opened jar and hands the changes it made (and those
    /// found while reading) to the listener.
    /// `None` when the jar is not opened yet.
    fn with_loaded<R>(
        &self,
        f: impl FnOnce(&mut CookieMonster) -> (R, Vec<CookieChange>),
    ) -> Option<R> {
        let opened = self.opened.get()?;
        let mut m: MutexGuard<CookieMonster> = opened.monster.lock().unwrap();
        // Nobody to hand them to: inserts are not copied into changes.
        m.report_inserts(self.watching.load(Ordering::Relaxed));
        let (r, mut changes) = f(&mut m);
        self.generation.store(m.generation(), Ordering::Release);
        let mut found = m.take_changes();
        found.append(&mut changes);
        // Still under the lock, so listeners see changes in the order they
        // were made, even from concurrent requests.
        self.notify(&mut found);
        Some(r)
    }

    /// Starts or stops delivering changes to the listener (the `changed`
    /// event has listeners, or no longer has).
    pub fn watch_changes(&self, on: bool) {
        self.watching.store(on, std::sync::atomic::Ordering::Relaxed);
    }

    fn notify(&self, changes: &mut Vec<CookieChange>) {
        if changes.is_empty() || !self.watching.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let listener = self.listener.read().unwrap().clone();
        if let Some(l) = listener {
            for c in changes.drain(..) {
                l(&c);
            }
        }
    }

    /// `cookies.get(filter)`.
    ///
    /// # Errors
    /// `Failed` when the jar cannot be opened at all.
    pub async fn get(self: &Arc<Self>, filter: &CookieFilter) -> Result<Vec<CanonicalCookie>> {
        self.load().await?;
        Ok(self.get_now(filter).expect("loaded above"))
    }

    /// `get` at once, for an open jar (it lives in memory); `None` before
    /// the jar is open.
    pub fn get_now(&self, filter: &CookieFilter) -> Option<Vec<CanonicalCookie>> {
        self.with_loaded(|m| (m.get(filter, time::now()), Vec::new()))
    }

    /// `get_now` handing each cookie to `f`, in order, instead of copying
    /// them out (the jar is locked meanwhile: `f` must not use it); `None`
    /// before the jar is open. Returns what an answer for a URL alone needs
    /// to be kept (see [`generation`](Self::generation)).
    pub fn visit_now(&self, filter: &CookieFilter, f: impl FnMut(&CanonicalCookie)) -> Option<Validity> {
        self.with_loaded(|m| {
            let until = m.visit(filter, time::now(), f);
            let generation = m.generation();
            (Validity { generation, until }, Vec::new())
        })
    }

    /// The jar's generation: a [`visit_now`](Self::visit_now) answer for a
    /// URL alone stays right while this is its `generation` and its `until`
    /// has not passed (no cookie was added or deleted meanwhile, and none it
    /// could have answered expired). Reading it takes no lock.
    pub fn generation(&self) -> u32 {
        self.generation.load(Ordering::Acquire)
    }

    /// `cookies.set(details)`.
    ///
    /// # Errors
    /// `Failed` with Electron's `Failed to set cookie - <reason>`.
    pub async fn set(self: &Arc<Self>, details: &CookieDetails) -> Result<()> {
        self.load().await?;
        self.set_now(details).expect("loaded above")
    }

    /// `set` at once, for an open jar (writes to disk are queued); `None`
    /// before the jar is open.
    pub fn set_now(&self, details: &CookieDetails) -> Option<Result<()>> {
        self.with_loaded(|m| match m.set_from_details(details, time::now()) {
            Ok(changes) => (Ok(()), changes),
            Err(status) => (Err(Error::failed(status.electron_set_error())), Vec::new()),
        })
    }

    /// `cookies.remove(url, name)`; a URL that does not parse removes nothing.
    ///
    /// # Errors
    /// `Failed` when the jar cannot be opened at all.
    pub async fn remove(self: &Arc<Self>, url: &str, name: &str) -> Result<()> {
        self.load().await?;
        self.remove_now(url, name).expect("loaded above");
        Ok(())
    }

    /// `remove` at once, for an open jar; `None` before the jar is open.
    pub fn remove_now(&self, url: &str, name: &str) -> Option<()> {
        let Ok(url) = Url::parse(url) else {
            return self.is_loaded().then_some(());
        };
        self.with_loaded(|m| ((), m.remove(&url, name)))
    }

    /// `cookies.flushStore()`: resolves once every change made so far is
    /// committed to the database; at once for an in-memory jar.
    ///
    /// # Errors
    /// `Failed` when the database could not be opened or the commit fails.
    pub async fn flush_store(self: &Arc<Self>) -> Result<()> {
        self.load().await?;
        let opened = self.opened.get().expect("loaded above");
        if let Some(e) = &opened.open_error {
            return Err(Error::failed(format!("Failed to flush cookies: {e}")));
        }
        let Some(handle) = opened.flush.clone() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || handle.flush())
            .await
            .map_err(|e| Error::failed(format!("cookie store: {e}")))?
    }

    /// Commits what is queued and waits for it, blocking; nothing to do for
    /// a jar never opened or kept in memory. For process exit, where Electron
    /// commits the store as it shuts down.
    ///
    /// # Errors
    /// `Failed` when the commit fails.
    pub fn flush_blocking(&self) -> Result<()> {
        match self.opened.get().and_then(|o| o.flush.as_ref()) {
            Some(handle) => handle.flush(),
            None => Ok(()),
        }
    }

    /// The `Cookie` header for an HTTP request to `url` (HttpOnly included,
    /// in `options`' same-site context), when the jar is open and has any.
    pub fn header_for_request(&self, url: &Url, options: &CookieOptions) -> Option<String> {
        self.with_loaded(|m| (m.cookie_header_for_url(url, options, time::now()), Vec::new()))
            .flatten()
    }

    /// Stores the `Set-Cookie` lines of a response from `url`, dated by the
    /// server's `Date` header when it has one. Lines the store refuses are
    /// ignored, as Chromium does. Nothing happens while the jar is not open.
    pub fn store_response_cookies<'a>(
        &self,
        url: &Url,
        lines: impl IntoIterator<Item = &'a str>,
        server_date: Option<&str>,
        options: &CookieOptions,
    ) {
        let server_time = server_date.and_then(crate::cookies::parse::parse_cookie_expiration_time);
        self.with_loaded(|m| {
            let now = time::now();
            let mut all = Vec::new();
            for line in lines {
                if let Ok(mut changes) = m.set_cookie_line(url, line, options, now, server_time) {
                    all.append(&mut changes);
                }
            }
            ((), all)
        });
    }
}

fn open_database(
    path: &std::path::Path,
) -> Result<(BackgroundCookieStore, crate::cookies::sqlite::LoadResult)> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    BackgroundCookieStore::open(path)
}

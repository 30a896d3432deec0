//! The `Network/Cookies` database, after Chromium's
//! `SQLitePersistentCookieStore` (`net/extras/sqlite/sqlite_persistent_cookie_store.cc`):
//! schema version 24, values in plaintext (Electron with cookie encryption
//! off), and writes batched as Chromium batches them.
//!
//! The API blocks; run it on a dedicated thread. [`SqliteCookieStore`]
//! queues operations, coalesced per cookie, and commits them in one
//! transaction when 512 have been queued, when [`commit_if_due`] finds the
//! oldest queued one 30 seconds old, or on [`flush`].
//!
//! [`commit_if_due`]: SqliteCookieStore::commit_if_due
//! [`flush`]: SqliteCookieStore::flush

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};

use super::canonical::CanonicalCookie;
use super::store::PersistentCookieStore;
use super::{CookiePriority, CookieSameSite, CookieSourceScheme};
use crate::error::{Error, Result};

/// The schema version written, and the oldest version that can read it.
pub const CURRENT_VERSION: i64 = 24;
pub const COMPATIBLE_VERSION: i64 = 24;
/// Queued operations are committed after this long…
pub const COMMIT_INTERVAL: Duration = Duration::from_secs(30);
/// …or as soon as this many have been queued.
pub const COMMIT_AFTER_BATCH_SIZE: usize = 512;

const CREATE_META: &str =
    "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR)";

const CREATE_COOKIES: &str = "CREATE TABLE cookies(\
creation_utc INTEGER NOT NULL,\
host_key TEXT NOT NULL,\
top_frame_site_key TEXT NOT NULL,\
name TEXT NOT NULL,\
value TEXT NOT NULL,\
encrypted_value BLOB NOT NULL,\
path TEXT NOT NULL,\
expires_utc INTEGER NOT NULL,\
is_secure INTEGER NOT NULL,\
is_httponly INTEGER NOT NULL,\
last_access_utc INTEGER NOT NULL,\
has_expires INTEGER NOT NULL,\
is_persistent INTEGER NOT NULL,\
priority INTEGER NOT NULL,\
samesite INTEGER NOT NULL,\
source_scheme INTEGER NOT NULL,\
source_port INTEGER NOT NULL,\
last_update_utc INTEGER NOT NULL,\
source_type INTEGER NOT NULL,\
has_cross_site_ancestor INTEGER NOT NULL);";

const CREATE_INDEX: &str = "CREATE UNIQUE INDEX cookies_unique_index \
ON cookies(host_key, top_frame_site_key, has_cross_site_ancestor, \
name, path, source_scheme, source_port)";

const INSERT: &str = "INSERT OR REPLACE INTO cookies (creation_utc, host_key, \
top_frame_site_key, name, value, encrypted_value, path, expires_utc, is_secure, \
is_httponly, last_access_utc, has_expires, is_persistent, priority, samesite, \
source_scheme, source_port, last_update_utc, source_type, has_cross_site_ancestor) \
VALUES (?1,?2,'',?3,?4,x'',?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,0,0)";

const UPDATE_ACCESS: &str = "UPDATE cookies SET last_access_utc=?1 WHERE \
name=?2 AND host_key=?3 AND top_frame_site_key='' AND path=?4 AND \
source_scheme=?5 AND source_port=?6";

const DELETE: &str = "DELETE FROM cookies WHERE name=?1 AND host_key=?2 AND \
top_frame_site_key='' AND path=?3 AND source_scheme=?4 AND source_port=?5";

const SELECT: &str = "SELECT creation_utc, host_key, top_frame_site_key, name, value, \
path, expires_utc, is_secure, is_httponly, last_access_utc, has_expires, \
is_persistent, priority, encrypted_value, samesite, source_scheme, source_port, \
last_update_utc FROM cookies WHERE is_persistent = 1";

/// Chromium's `StrictlyUniqueCookieKey` without a partition: the row a
/// cookie occupies.
type RowKey = (String, String, String, i64, i32);

fn row_key(c: &CanonicalCookie) -> RowKey {
    (
        c.name.clone(),
        c.domain.clone(),
        c.path.clone(),
        c.source_scheme.to_db(),
        c.source_port,
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpKind {
    Add,
    UpdateAccess,
    Delete,
}

/// What [`SqliteCookieStore::open`] read.
#[derive(Debug, Default)]
pub struct LoadResult {
    /// Every persistent cookie that could be read.
    pub cookies: Vec<CanonicalCookie>,
    /// Rows whose value is encrypted (written by an Electron with cookie
    /// encryption on): not loaded, left on disk.
    pub skipped_encrypted: usize,
    /// Partitioned rows (a `top_frame_site_key`): this store has no
    /// partitions; not loaded, left on disk.
    pub skipped_partitioned: usize,
}

/// A cookie database with its queue of unwritten operations.
pub struct SqliteCookieStore {
    conn: Connection,
    pending: BTreeMap<RowKey, Vec<(OpKind, CanonicalCookie)>>,
    num_pending: usize,
    first_pending_at: Option<Instant>,
    commits: usize,
}

impl std::fmt::Debug for SqliteCookieStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteCookieStore")
            .field("num_pending", &self.num_pending)
            .finish()
    }
}

fn db_err(e: rusqlite::Error) -> Error {
    Error::failed(format!("cookie database: {e}"))
}

impl SqliteCookieStore {
    /// Opens (creating if needed) the database at `path`, in WAL mode,
    /// deletes the session cookies a previous run left, and reads every
    /// persistent cookie.
    ///
    /// # Errors
    /// `Failed` when the file cannot be opened or created, is not a cookie
    /// database, or has a schema version this store cannot read (newer
    /// than 24 and not compatible, or older than 23). A version 23 file is
    /// read and written as it is (same tables) and keeps its version.
    pub fn open(path: &Path) -> Result<(SqliteCookieStore, LoadResult)> {
        let conn = Connection::open(path).map_err(db_err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(db_err)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(db_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::failed(format!(
                "cookie database: cannot use WAL mode ({mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db_err)?;
        let store = SqliteCookieStore {
            conn,
            pending: BTreeMap::new(),
            num_pending: 0,
            first_pending_at: None,
            commits: 0,
        };
        store.init_schema()?;
        store
            .conn
            .execute("DELETE FROM cookies WHERE is_persistent != 1", [])
            .map_err(db_err)?;
        let loaded = store.load()?;
        Ok((store, loaded))
    }

    fn meta(&self, key: &str) -> Result<Option<i64>> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key=?1", [key], |r| r.get(0))
            .optional()
            .map_err(db_err)?;
        Ok(v.and_then(|s| s.parse().ok()))
    }

    fn table_exists(&self, name: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?1",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(db_err)
    }

    fn init_schema(&self) -> Result<()> {
        if !self.table_exists("meta")? {
            self.conn
                .execute_batch(&format!(
                    "BEGIN; {CREATE_META}; \
                     INSERT INTO meta (key, value) VALUES ('version', '{CURRENT_VERSION}'); \
                     INSERT INTO meta (key, value) VALUES ('last_compatible_version', '{COMPATIBLE_VERSION}'); \
                     COMMIT;"
                ))
                .map_err(db_err)?;
        }
        let version = self.meta("version")?.unwrap_or(0);
        let compatible = self.meta("last_compatible_version")?.unwrap_or(version);
        if version > CURRENT_VERSION && compatible > CURRENT_VERSION {
            return Err(Error::failed(format!(
                "cookie database: version {version} is too new (compatible with {compatible})"
            )));
        }
        if !self.table_exists("cookies")? {
            self.conn
                .execute_batch(&format!("BEGIN; {CREATE_COOKIES} {CREATE_INDEX}; COMMIT;"))
                .map_err(db_err)?;
        } else if version < 23 {
            return Err(Error::failed(format!(
                "cookie database: version {version} is not supported"
            )));
        }
        // Version 24 has the same tables as 23; Chromium's migration to 24
        // rewrites encrypted values, which this store cannot do. A v23 file
        // is therefore used as it is and keeps its version, so that Electron
        // still migrates it on its next start.
        Ok(())
    }

    fn load(&self) -> Result<LoadResult> {
        let mut out = LoadResult::default();
        let mut stmt = self.conn.prepare(SELECT).map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(r) = rows.next().map_err(db_err)? {
            let encrypted: Vec<u8> = r.get(13).map_err(db_err)?;
            if !encrypted.is_empty() {
                out.skipped_encrypted += 1;
                continue;
            }
            let top_frame: String = r.get(2).map_err(db_err)?;
            if !top_frame.is_empty() {
                out.skipped_partitioned += 1;
                continue;
            }
            let has_expires: bool = r.get(10).map_err(db_err)?;
            let expires: i64 = r.get(6).map_err(db_err)?;
            let name: String = r.get(3).map_err(db_err)?;
            let value: String = r.get(4).map_err(db_err)?;
            let domain: String = r.get(1).map_err(db_err)?;
            let path: String = r.get(5).map_err(db_err)?;
            if (name.is_empty() && value.is_empty()) || domain.is_empty() || !path.starts_with('/') {
                continue;
            }
            out.cookies.push(CanonicalCookie {
                name,
                value,
                domain,
                path,
                creation: r.get(0).map_err(db_err)?,
                expiry: (has_expires && expires != 0).then_some(expires),
                last_access: r.get(9).map_err(db_err)?,
                last_update: r.get(17).map_err(db_err)?,
                secure: r.get(7).map_err(db_err)?,
                http_only: r.get(8).map_err(db_err)?,
                same_site: CookieSameSite::from_db(r.get(14).map_err(db_err)?),
                priority: CookiePriority::from_db(r.get(12).map_err(db_err)?),
                source_scheme: CookieSourceScheme::from_db(r.get(15).map_err(db_err)?),
                source_port: r.get(16).map_err(db_err)?,
            });
        }
        Ok(out)
    }

    /// Queues `op` for `cookie`, coalescing as Chromium does: a delete drops
    /// what was queued before it for that row, a second access-time update
    /// in a row replaces the first. Commits at once when the batch reaches
    /// 512 operations. Session cookies are never written.
    fn batch(&mut self, op: OpKind, cookie: &CanonicalCookie) -> Result<()> {
        if !cookie.is_persistent() {
            return Ok(());
        }
        let ops = self.pending.entry(row_key(cookie)).or_default();
        match op {
            OpKind::Delete => ops.clear(),
            OpKind::UpdateAccess => {
                if ops.last().is_some_and(|(k, _)| *k == OpKind::UpdateAccess) {
                    ops.pop();
                }
            }
            OpKind::Add => {}
        }
        ops.push((op, cookie.clone()));
        self.num_pending += 1;
        self.first_pending_at.get_or_insert_with(Instant::now);
        if self.num_pending >= COMMIT_AFTER_BATCH_SIZE {
            self.commit()?;
        }
        Ok(())
    }

    /// Queues the addition of a persistent cookie.
    ///
    /// # Errors
    /// `Failed` when reaching the batch size triggers a commit that fails.
    pub fn add(&mut self, cookie: &CanonicalCookie) -> Result<()> {
        self.batch(OpKind::Add, cookie)
    }

    /// Queues a last-access update.
    ///
    /// # Errors
    /// As [`add`](Self::add).
    pub fn update_access_time(&mut self, cookie: &CanonicalCookie) -> Result<()> {
        self.batch(OpKind::UpdateAccess, cookie)
    }

    /// Queues a deletion.
    ///
    /// # Errors
    /// As [`add`](Self::add).
    pub fn delete(&mut self, cookie: &CanonicalCookie) -> Result<()> {
        self.batch(OpKind::Delete, cookie)
    }

    /// Operations queued and not yet committed (after coalescing).
    pub fn pending_len(&self) -> usize {
        self.pending.values().map(Vec::len).sum()
    }

    /// How many commits have written something.
    pub fn commit_count(&self) -> usize {
        self.commits
    }

    /// When the queue must next be committed, if anything is queued.
    pub fn next_commit_deadline(&self) -> Option<Instant> {
        self.first_pending_at.map(|t| t + COMMIT_INTERVAL)
    }

    /// Commits when the oldest queued operation is 30 seconds old at `now`.
    ///
    /// # Errors
    /// As [`flush`](Self::flush).
    pub fn commit_if_due(&mut self, now: Instant) -> Result<()> {
        match self.next_commit_deadline() {
            Some(deadline) if now >= deadline => self.commit(),
            _ => Ok(()),
        }
    }

    /// Writes every queued operation in one transaction and returns once it
    /// is committed (Electron's `cookies.flushStore()`).
    ///
    /// # Errors
    /// `Failed` when the transaction fails; the queue is then kept, to be
    /// retried by the next commit.
    pub fn flush(&mut self) -> Result<()> {
        self.commit()
    }

    fn commit(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            self.num_pending = 0;
            self.first_pending_at = None;
            return Ok(());
        }
        let tx = self.conn.transaction().map_err(db_err)?;
        {
            let mut insert = tx.prepare_cached(INSERT).map_err(db_err)?;
            let mut update = tx.prepare_cached(UPDATE_ACCESS).map_err(db_err)?;
            let mut delete = tx.prepare_cached(DELETE).map_err(db_err)?;
            for ops in self.pending.values() {
                for (op, c) in ops {
                    match op {
                        OpKind::Add => insert.execute(params![
                            c.creation,
                            c.domain,
                            c.name,
                            c.value,
                            c.path,
                            c.expiry.unwrap_or(0),
                            c.secure,
                            c.http_only,
                            c.last_access,
                            c.expiry.is_some(),
                            c.expiry.is_some(),
                            c.priority.to_db(),
                            c.same_site.to_db(),
                            c.source_scheme.to_db(),
                            c.source_port,
                            c.last_update,
                        ]),
                        OpKind::UpdateAccess => update.execute(params![
                            c.last_access,
                            c.name,
                            c.domain,
                            c.path,
                            c.source_scheme.to_db(),
                            c.source_port,
                        ]),
                        OpKind::Delete => delete.execute(params![
                            c.name,
                            c.domain,
                            c.path,
                            c.source_scheme.to_db(),
                            c.source_port,
                        ]),
                    }
                    .map_err(db_err)?;
                }
            }
        }
        tx.commit().map_err(db_err)?;
        self.pending.clear();
        self.num_pending = 0;
        self.first_pending_at = None;
        self.commits += 1;
        Ok(())
    }
}

/// Lets a [`CookieMonster`](super::CookieMonster) write through this store
/// on the caller's thread. Errors of a commit triggered by the batch size
/// are kept for the next [`flush`](SqliteCookieStore::flush), which retries
/// and reports them. The 30-second commit needs someone to call
/// [`commit_if_due`](SqliteCookieStore::commit_if_due); [`BackgroundCookieStore`]
/// does that on its own thread.
impl PersistentCookieStore for SqliteCookieStore {
    fn add_cookie(&mut self, cookie: &CanonicalCookie) {
        let _ = self.add(cookie);
    }

    fn update_cookie_access_time(&mut self, cookie: &CanonicalCookie) {
        let _ = self.update_access_time(cookie);
    }

    fn delete_cookie(&mut self, cookie: &CanonicalCookie) {
        let _ = self.delete(cookie);
    }

    fn flush(&mut self) -> Result<()> {
        SqliteCookieStore::flush(self)
    }
}

enum Msg {
    Op(OpKind, Box<CanonicalCookie>),
    Flush(mpsc::Sender<Result<()>>),
    Close,
}

/// A [`SqliteCookieStore`] on a dedicated thread (Chromium's background
/// task runner): operations are sent to it without blocking, it commits
/// every 30 seconds or 512 operations on its own, and
/// [`flush`](Self::flush) blocks until the commit is done. Dropping the
/// store commits what is queued and waits for the thread to end.
pub struct BackgroundCookieStore {
    tx: Option<mpsc::Sender<Msg>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A cloneable way to flush a [`BackgroundCookieStore`] from any thread,
/// without holding the cookie store that owns it.
#[derive(Clone)]
pub struct FlushHandle(mpsc::Sender<Msg>);

impl FlushHandle {
    /// Commits everything queued so far and returns once it is on disk.
    ///
    /// # Errors
    /// `Failed` when the commit fails or the store's thread has ended.
    pub fn flush(&self) -> Result<()> {
        let (reply, wait) = mpsc::channel();
        self.0
            .send(Msg::Flush(reply))
            .map_err(|_| Error::failed("cookie database: store is closed"))?;
        wait.recv()
            .map_err(|_| Error::failed("cookie database: store is closed"))?
    }
}

impl std::fmt::Debug for BackgroundCookieStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundCookieStore").finish_non_exhaustive()
    }
}

impl BackgroundCookieStore {
    /// Opens the database on a new thread and returns what it loaded.
    ///
    /// # Errors
    /// Those of [`SqliteCookieStore::open`], or `Failed` when the thread
    /// cannot be started.
    pub fn open(path: &Path) -> Result<(BackgroundCookieStore, LoadResult)> {
        let (tx, rx) = mpsc::channel::<Msg>();
        let (ready_tx, ready_rx) = mpsc::channel();
        let path = path.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("cookie-store".into())
            .spawn(move || {
                let mut store = match SqliteCookieStore::open(&path) {
                    Ok((store, loaded)) => {
                        let _ = ready_tx.send(Ok(loaded));
                        store
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                loop {
                    let msg = match store.next_commit_deadline() {
                        Some(deadline) => {
                            let wait = deadline.saturating_duration_since(Instant::now());
                            match rx.recv_timeout(wait) {
                                Ok(m) => Some(m),
                                Err(mpsc::RecvTimeoutError::Timeout) => None,
                                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                            }
                        }
                        None => match rx.recv() {
                            Ok(m) => Some(m),
                            Err(_) => break,
                        },
                    };
                    match msg {
                        Some(Msg::Op(kind, cookie)) => {
                            let _ = store.batch(kind, &cookie);
                        }
                        Some(Msg::Flush(reply)) => {
                            let _ = reply.send(store.flush());
                        }
                        Some(Msg::Close) => break,
                        None => {
                            let _ = store.commit_if_due(Instant::now());
                        }
                    }
                }
                // Dropping the store commits what is left.
            })
            .map_err(|e| Error::failed(format!("cookie database: {e}")))?;
        let loaded = ready_rx
            .recv()
            .map_err(|_| Error::failed("cookie database: store thread ended"))??;
        Ok((
            BackgroundCookieStore {
                tx: Some(tx),
                thread: Some(thread),
            },
            loaded,
        ))
    }

    /// A handle that flushes this store from another thread.
    pub fn flush_handle(&self) -> FlushHandle {
        FlushHandle(self.tx.clone().expect("sender lives until drop"))
    }

    fn send(&self, kind: OpKind, cookie: &CanonicalCookie) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Msg::Op(kind, Box::new(cookie.clone())));
        }
    }
}

impl PersistentCookieStore for BackgroundCookieStore {
    fn add_cookie(&mut self, cookie: &CanonicalCookie) {
        self.send(OpKind::Add, cookie);
    }

    fn update_cookie_access_time(&mut self, cookie: &CanonicalCookie) {
        self.send(OpKind::UpdateAccess, cookie);
    }

    fn delete_cookie(&mut self, cookie: &CanonicalCookie) {
        self.send(OpKind::Delete, cookie);
    }

    fn flush(&mut self) -> Result<()> {
        self.flush_handle().flush()
    }
}

impl Drop for BackgroundCookieStore {
    fn drop(&mut self) {
        // Flush handles may outlive the store: tell the thread to stop
        // rather than wait for every sender to go.
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Msg::Close);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SqliteCookieStore {
    /// Commits what is queued, as Chromium does when the store closes.
    fn drop(&mut self) {
        let _ = self.commit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cookies::time::{SECOND, UNIX_EPOCH_OFFSET_US};
    use crate::cookies::Time;
    use url::Url;

    const T0: Time = UNIX_EPOCH_OFFSET_US + 1_700_000_000 * SECOND;

    fn cookie(u: &str, line: &str) -> CanonicalCookie {
        CanonicalCookie::create(&Url::parse(u).unwrap(), line, T0, None).unwrap()
    }

    fn rows(path: &Path) -> Vec<(String, String, String)> {
        let conn = Connection::open(path).unwrap();
        let mut s = conn
            .prepare("SELECT host_key, name, value FROM cookies ORDER BY host_key, name")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    // A new file gets Chromium's v24 schema exactly: meta versions, the
    // cookies columns in order, the unique index, and WAL mode.
    #[test]
    fn schema_v24() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        drop(SqliteCookieStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let meta: Vec<(String, String)> = conn
            .prepare("SELECT key, value FROM meta ORDER BY key")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            meta,
            vec![
                ("last_compatible_version".to_string(), "24".to_string()),
                ("version".to_string(), "24".to_string())
            ]
        );
        let columns: Vec<String> = conn
            .prepare("PRAGMA table_info(cookies)")
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let want = [
            "creation_utc", "host_key", "top_frame_site_key", "name", "value",
            "encrypted_value", "path", "expires_utc", "is_secure", "is_httponly",
            "last_access_utc", "has_expires", "is_persistent", "priority", "samesite",
            "source_scheme", "source_port", "last_update_utc", "source_type",
            "has_cross_site_ancestor",
        ];
        assert_eq!(columns, want);
        let index: Vec<String> = conn
            .prepare("PRAGMA index_info(cookies_unique_index)")
            .unwrap()
            .query_map([], |r| r.get(2))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            index,
            ["host_key", "top_frame_site_key", "has_cross_site_ancestor", "name", "path", "source_scheme", "source_port"]
        );
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }

    // A Cookies file as Chromium writes it (built here with v24's DDL,
    // in rollback-journal mode, with a row as Chromium stores one) opens and
    // its cookies load with every field.
    #[test]
    fn opens_a_file_chromium_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
                 INSERT INTO meta VALUES('mmap_status', '-1'), ('version', '24'), ('last_compatible_version', '24');
                 CREATE TABLE cookies(creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL,
                   top_frame_site_key TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
                   encrypted_value BLOB NOT NULL, path TEXT NOT NULL, expires_utc INTEGER NOT NULL,
                   is_secure INTEGER NOT NULL, is_httponly INTEGER NOT NULL, last_access_utc INTEGER NOT NULL,
                   has_expires INTEGER NOT NULL, is_persistent INTEGER NOT NULL, priority INTEGER NOT NULL,
                   samesite INTEGER NOT NULL, source_scheme INTEGER NOT NULL, source_port INTEGER NOT NULL,
                   last_update_utc INTEGER NOT NULL, source_type INTEGER NOT NULL,
                   has_cross_site_ancestor INTEGER NOT NULL);
                 CREATE UNIQUE INDEX cookies_unique_index ON cookies(host_key, top_frame_site_key,
                   has_cross_site_ancestor, name, path, source_scheme, source_port);",
            )
            .unwrap();
            // 13390000000000000 µs since 1601 is in 2025; expiry a year on.
            // samesite 1 = lax, priority 1 = medium, source_scheme 2 = secure.
            conn.execute_batch(
                "INSERT INTO cookies VALUES(13390000000000000, '.example.com', '', 'sid', 'abc123', x'', '/app',
                   13421536000000000, 1, 1, 13390000000000000, 1, 1, 1, 1, 2, 443, 13390000000000000, 0, 0);
                 INSERT INTO cookies VALUES(13390000000000001, 'host.example.com', '', 'pref', 'dark', x'', '/',
                   13421536000000000, 0, 0, 13390000000000001, 1, 1, 1, -1, 1, 80, 13390000000000001, 0, 0);",
            )
            .unwrap();
        }
        let (store, loaded) = SqliteCookieStore::open(&path).unwrap();
        drop(store);
        let mut cookies = loaded.cookies;
        cookies.sort_by(|a, b| a.name.cmp(&b.name));
        let got: Vec<_> = cookies
            .iter()
            .map(|c| (c.name.as_str(), c.value.as_str(), c.domain.as_str(), c.path.as_str(), c.secure, c.http_only, c.is_host_only(), c.same_site))
            .collect();
        assert_eq!(
            got,
            vec![
                ("pref", "dark", "host.example.com", "/", false, false, true, crate::cookies::CookieSameSite::Unspecified),
                ("sid", "abc123", ".example.com", "/app", true, true, false, crate::cookies::CookieSameSite::Lax),
            ]
        );
        assert_eq!(cookies[1].expiry, Some(13421536000000000));
        assert_eq!(cookies[1].creation, 13390000000000000);
    }

    // Persistent cookies written and flushed read back identically after
    // reopening; session cookies are never written.
    #[test]
    fn round_trip_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        let cookies = [
            cookie("https://www.a.com/x/y", "p=1; Max-Age=3600; Secure; HttpOnly; SameSite=Strict; Priority=High"),
            cookie("https://b.com/", "q=2; Max-Age=60; domain=b.com; path=/p; SameSite=None; Secure"),
            cookie("http://c.com/", "=bare; Max-Age=60"),
            cookie("http://c.com/", "unspecified=1; Max-Age=60; SameSite=Lax; Priority=Low"),
        ];
        {
            let (mut s, loaded) = SqliteCookieStore::open(&path).unwrap();
            assert!(loaded.cookies.is_empty());
            for c in &cookies {
                s.add(c).unwrap();
            }
            s.add(&cookie("http://a.com/", "session=1")).unwrap();
            assert_eq!(s.pending_len(), 4);
            s.flush().unwrap();
        }
        let (_s, loaded) = SqliteCookieStore::open(&path).unwrap();
        let mut got = loaded.cookies;
        got.sort_by(|a, b| (&a.domain, &a.name).cmp(&(&b.domain, &b.name)));
        let mut want = cookies.to_vec();
        want.sort_by(|a, b| (&a.domain, &a.name).cmp(&(&b.domain, &b.name)));
        assert_eq!(got, want);
    }

    // Nothing reaches the file before a commit; the commit comes after 30 s,
    // at 512 queued operations, or on flush, each in one transaction.
    // (sqlite_persistent_cookie_store.cc: kCommitInterval, kCommitAfterBatchSize)
    #[test]
    fn batching() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        let (mut s, _) = SqliteCookieStore::open(&path).unwrap();
        let start = Instant::now();
        s.add(&cookie("http://a.com/", "a=1; Max-Age=60")).unwrap();
        assert!(rows(&path).is_empty());
        s.commit_if_due(start + Duration::from_secs(29)).unwrap();
        assert!(rows(&path).is_empty());
        s.commit_if_due(start + Duration::from_secs(31)).unwrap();
        assert_eq!(rows(&path).len(), 1);
        assert_eq!(s.commit_count(), 1);

        for i in 0..COMMIT_AFTER_BATCH_SIZE - 1 {
            s.add(&cookie("http://b.com/", &format!("n{i}=v; Max-Age=60"))).unwrap();
        }
        assert_eq!((rows(&path).len(), s.commit_count()), (1, 1));
        s.add(&cookie("http://b.com/", "last=v; Max-Age=60")).unwrap();
        assert_eq!((rows(&path).len(), s.commit_count()), (1 + COMMIT_AFTER_BATCH_SIZE, 2));
        assert_eq!(s.pending_len(), 0);
        assert_eq!(s.next_commit_deadline(), None);
    }

    // Operations on one row coalesce: a delete cancels what came before,
    // repeated access updates keep the last. (BatchOperation)
    #[test]
    fn coalescing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        let (mut s, _) = SqliteCookieStore::open(&path).unwrap();
        let mut c = cookie("http://a.com/", "a=1; Max-Age=60");
        s.add(&c).unwrap();
        c.last_access += SECOND;
        s.update_access_time(&c).unwrap();
        c.last_access += SECOND;
        s.update_access_time(&c).unwrap();
        assert_eq!(s.pending_len(), 2);
        s.delete(&c).unwrap();
        assert_eq!(s.pending_len(), 1);
        let c2 = cookie("http://a.com/", "a=2; Max-Age=60");
        s.add(&c2).unwrap();
        assert_eq!(s.pending_len(), 2);
        s.flush().unwrap();
        assert_eq!(rows(&path), vec![("a.com".into(), "a".into(), "2".into())]);

        let mut c3 = c2.clone();
        c3.last_access = T0 + 99 * SECOND;
        s.update_access_time(&c3).unwrap();
        s.flush().unwrap();
        drop(s);
        let (_s, loaded) = SqliteCookieStore::open(&path).unwrap();
        assert_eq!(loaded.cookies[0].last_access, T0 + 99 * SECOND);
    }

    // Rows with an encrypted value are skipped and counted, and stay on
    // disk; leftover session rows are deleted on open.
    #[test]
    fn encrypted_and_session_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        let (mut s, _) = SqliteCookieStore::open(&path).unwrap();
        s.add(&cookie("http://a.com/", "plain=1; Max-Age=60")).unwrap();
        s.flush().unwrap();
        s.conn
            .execute_batch(
                "INSERT INTO cookies SELECT creation_utc, host_key, top_frame_site_key, 'enc', '', x'763130aabb', path, expires_utc, is_secure, is_httponly, last_access_utc, has_expires, is_persistent, priority, samesite, source_scheme, source_port, last_update_utc, source_type, has_cross_site_ancestor FROM cookies;
                 INSERT INTO cookies SELECT creation_utc, host_key, top_frame_site_key, 'sess', 'x', x'', path, 0, is_secure, is_httponly, last_access_utc, 0, 0, priority, samesite, source_scheme, source_port, last_update_utc, source_type, has_cross_site_ancestor FROM cookies WHERE name='plain';",
            )
            .unwrap();
        drop(s);
        let (s, loaded) = SqliteCookieStore::open(&path).unwrap();
        assert_eq!(loaded.skipped_encrypted, 1);
        assert_eq!(loaded.cookies.len(), 1);
        assert_eq!(loaded.cookies[0].name, "plain");
        drop(s);
        let names: Vec<String> = rows(&path).into_iter().map(|r| r.1).collect();
        assert_eq!(names, vec!["enc", "plain"]);
    }

    // A database newer than this store understands is refused; a v23 one
    // (same tables) is used and keeps its version for Electron to migrate.
    #[test]
    fn versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        drop(SqliteCookieStore::open(&path).unwrap());
        let set = |v: &str, c: &str| {
            let conn = Connection::open(&path).unwrap();
            conn.execute("UPDATE meta SET value=?1 WHERE key='version'", [v]).unwrap();
            conn.execute("UPDATE meta SET value=?1 WHERE key='last_compatible_version'", [c]).unwrap();
        };
        set("30", "26");
        let err = SqliteCookieStore::open(&path).unwrap_err();
        assert!(err.message().contains("too new"), "{err}");
        set("30", "24");
        assert!(SqliteCookieStore::open(&path).is_ok());
        set("23", "23");
        drop(SqliteCookieStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let v: String = conn.query_row("SELECT value FROM meta WHERE key='version'", [], |r| r.get(0)).unwrap();
        assert_eq!(v, "23");
        set("22", "22");
        let err = SqliteCookieStore::open(&path).unwrap_err();
        assert!(err.message().contains("not supported"), "{err}");
    }

    // A CookieMonster writing through the store leaves a consistent file:
    // what it holds is what reloads, and integrity_check is ok.
    #[test]
    fn monster_through_store_integrity() {
        use crate::cookies::{CookieMonster, CookieOptions};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        let (s, loaded) = SqliteCookieStore::open(&path).unwrap();
        let mut m = CookieMonster::with_persistent_store(loaded.cookies, Box::new(s));
        let o = CookieOptions::all_inclusive();
        let u = Url::parse("https://www.a.com/").unwrap();
        for i in 0..200 {
            m.set_cookie_line(&u, &format!("c{i}=v{i}; Max-Age=600"), &o, T0 + i, None).unwrap();
        }
        m.set_cookie_line(&u, "c199=changed; Max-Age=600", &o, T0 + 300, None).unwrap();
        m.set_cookie_line(&u, "s=session", &o, T0 + 301, None).unwrap();
        m.remove(&u, "c198");
        let held: Vec<String> = m.get_all(T0 + 400).into_iter().filter(|c| c.is_persistent()).map(|c| format!("{}={}", c.name, c.value)).collect();
        drop(m);
        let (_s, loaded) = SqliteCookieStore::open(&path).unwrap();
        let mut reloaded: Vec<String> = loaded.cookies.iter().map(|c| format!("{}={}", c.name, c.value)).collect();
        let mut held_sorted = held.clone();
        held_sorted.sort();
        reloaded.sort();
        assert_eq!(reloaded, held_sorted);
        // 200 set, 31 evicted at the 181st, one removed, one session.
        assert_eq!(reloaded.len(), 168);
        assert!(reloaded.contains(&"c199=changed".to_string()));
        let conn = Connection::open(&path).unwrap();
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }

    // On its own thread the store writes nothing before a flush, and a
    // flush returns only once the rows are committed; a CookieMonster's
    // flush_store goes through it. (Electron's cookies.flushStore)
    #[test]
    fn background_flush() {
        use crate::cookies::{CookieMonster, CookieOptions};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        let (bg, loaded) = BackgroundCookieStore::open(&path).unwrap();
        let flusher = bg.flush_handle();
        let mut m = CookieMonster::with_persistent_store(loaded.cookies, Box::new(bg));
        let u = Url::parse("https://a.com/").unwrap();
        let o = CookieOptions::all_inclusive();
        m.set_cookie_line(&u, "a=1; Max-Age=600", &o, T0, None).unwrap();
        m.set_cookie_line(&u, "s=1", &o, T0, None).unwrap();
        assert!(rows(&path).is_empty());
        flusher.flush().unwrap();
        assert_eq!(rows(&path), vec![("a.com".into(), "a".into(), "1".into())]);
        m.set_cookie_line(&u, "b=2; Max-Age=600", &o, T0, None).unwrap();
        m.flush_store().unwrap();
        assert_eq!(rows(&path).len(), 2);
        m.set_cookie_line(&u, "c=3; Max-Age=600", &o, T0, None).unwrap();
        drop(m);
        assert_eq!(rows(&path).len(), 3);
        assert!(flusher.flush().is_err());
        assert!(BackgroundCookieStore::open(&dir.path().join("no/such/dir/Cookies")).is_err());
    }

    const CRASH_WRITER: &str = "ELECTRON_SESSION_COOKIE_CRASH_WRITER";

    /// The writer half of `killed_writer_leaves_a_sound_database`: sets
    /// cookies through a background store, flushing every 10 and printing
    /// `confirmed N` after each flush, until killed; one site per cookie so
    /// that no eviction hides one, and idle past 3000 (the global limit is
    /// 3300).
    fn crash_writer(path: &Path) -> ! {
        use crate::cookies::{CookieMonster, CookieOptions};
        let (bg, loaded) = BackgroundCookieStore::open(path).unwrap();
        let mut m = CookieMonster::with_persistent_store(loaded.cookies, Box::new(bg));
        let o = CookieOptions::all_inclusive();
        for i in 0..3000 {
            let u = Url::parse(&format!("https://d{i}.example/")).unwrap();
            m.set_cookie_line(&u, &format!("c{i}={i}; Max-Age=3600"), &o, crate::cookies::time::now(), None)
                .unwrap();
            if i % 10 == 9 {
                m.flush_store().unwrap();
                println!("confirmed {i}");
            }
        }
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }

    // A process killed with SIGKILL at any moment leaves a database that
    // passes integrity_check and holds every cookie a flush confirmed (the
    // test runs itself as the writer and kills it).
    #[cfg(unix)]
    #[test]
    fn killed_writer_leaves_a_sound_database() {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        if let Ok(path) = std::env::var(CRASH_WRITER) {
            crash_writer(Path::new(&path));
        }
        for round in 0..8 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("Cookies");
            let mut child = Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "cookies::sqlite::tests::killed_writer_leaves_a_sound_database", "--nocapture", "--test-threads=1"])
                .env(CRASH_WRITER, &path)
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let out = BufReader::new(child.stdout.take().unwrap());
            let mut confirmed: i64 = -1;
            let mut seen = 0;
            for line in out.lines() {
                let Some(n) = line.unwrap().strip_prefix("confirmed ").map(|n| n.parse::<i64>().unwrap()) else {
                    continue;
                };
                confirmed = confirmed.max(n);
                seen += 1;
                // Kill after 1 to 8 flushes, while the writer goes on.
                if seen == round + 1 {
                    child.kill().unwrap();
                }
            }
            let status = child.wait().unwrap();
            assert!(!status.success(), "round {round}: the writer was killed");
            assert!(confirmed >= 9, "round {round}: a flush was confirmed");
            let conn = Connection::open(&path).unwrap();
            let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
            assert_eq!(ok, "ok", "round {round}");
            drop(conn);
            let (_s, loaded) = SqliteCookieStore::open(&path).unwrap();
            let mut names: Vec<i64> = loaded.cookies.iter().map(|c| c.name[1..].parse().unwrap()).collect();
            names.sort();
            assert!(names.len() as i64 > confirmed, "round {round}: {} loaded, {confirmed} confirmed", names.len());
            assert_eq!(names, (0..names.len() as i64).collect::<Vec<_>>(), "round {round}: no gaps");
        }
    }
}

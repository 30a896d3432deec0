//! A session's sockets, after Chromium's `ClientSocketPool` and
//! `SpdySessionPool`: idle HTTP/1.1 connections per origin, waiting for
//! reuse, and one shared HTTP/2 connection per origin. Sessions never share
//! a pool.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

use super::connect::Stream;
use super::http1::{Conn, Release};
use super::NetError;
use crate::proxy::ProxyServer;

/// Which connections can serve a request: Chromium's group id (origin and
/// proxy), less the privacy mode.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub https: bool,
    pub host: String,
    pub port: u16,
    /// The proxy the connection goes through; `None` for direct ones.
    pub proxy: Option<ProxyServer>,
}

/// The body type of requests sent over HTTP/2.
pub type H2Body = http_body_util::combinators::UnsyncBoxBody<Bytes, std::io::Error>;
/// A handle on a shared HTTP/2 connection; cloning it opens no socket.
/// A shared HTTP/2 connection: the sender of its requests and the server's address.
#[derive(Clone)]
pub struct H2 {
    pub send: hyper::client::conn::http2::SendRequest<H2Body>,
    pub ip: Option<std::net::IpAddr>,
}

impl H2 {
    fn is_closed(&self) -> bool {
        self.send.is_closed()
    }
}

/// Idle sockets kept per origin: Chromium's limit of sockets per group.
const MAX_IDLE_PER_KEY: usize = 6;
/// An idle socket that was used is closed after this long (Chromium's
/// `kUsedIdleSocketTimeout`).
const USED_IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// A preconnected socket nobody used is closed after this long
/// (`kUnusedIdleSocketTimeout`).
const UNUSED_IDLE_TIMEOUT: Duration = Duration::from_secs(10);

/// HTTP/2 flow-control windows: Chromium's defaults (`kDefaultInitialWindowSize`
/// for streams is raised to 6 MiB by `net::features`, the session to 15 MiB).
const H2_STREAM_WINDOW: u32 = 6 * 1024 * 1024;
const H2_CONNECTION_WINDOW: u32 = 15 * 1024 * 1024;

#[derive(Default)]
struct State {
    /// Bumped whenever the pool is flushed: connections that come back from
    /// an older generation are closed instead of kept.
    generation: u64,
    idle: HashMap<Key, Vec<Conn>>,
    h2: HashMap<Key, H2>,
    /// Preconnects still opening, per key: a request that finds no idle
    /// socket waits for them rather than opening its own, as a Chromium
    /// request joins a connect job already under way.
    opening: HashMap<Key, usize>,
    /// Cancelled by `close_all`: ends every HTTP/2 connection task.
    closing: CancellationToken,
}

#[derive(Default)]
pub struct Pool {
    state: Mutex<State>,
    /// Woken when a socket joins the pool or a preconnect ends.
    changed: tokio::sync::Notify,
}

impl State {
    /// Keeps `conn` idle for `key`, up to the per-origin limit.
    fn park(&mut self, key: Key, conn: Conn) {
        let list = self.idle.entry(key).or_default();
        if list.len() < MAX_IDLE_PER_KEY {
            list.push(conn);
        }
    }

    /// Forgets every idle socket, shared HTTP/2 connection and preconnect
    /// under way; connections of the old generation are closed when they
    /// come back.
    fn flush(&mut self) {
        self.generation += 1;
        self.idle.clear();
        self.h2.clear();
        self.opening.clear();
    }

    fn take(&mut self, key: &Key) -> Option<Conn> {
        let list = self.idle.get_mut(key)?;
        while let Some(mut conn) = list.pop() {
            let limit = if conn.reused { USED_IDLE_TIMEOUT } else { UNUSED_IDLE_TIMEOUT };
            if conn.idle_since.elapsed() < limit && conn.is_alive() {
                return Some(conn);
            }
        }
        None
    }
}

impl Pool {
    /// An idle HTTP/1.1 connection to `key` that is still open; while
    /// preconnects to `key` are opening, waits for one of them. `None` when
    /// there is none to have.
    pub async fn take(&self, key: &Key) -> Option<Conn> {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            {
                let mut state = self.state.lock().unwrap();
                if let Some(conn) = state.take(key) {
                    return Some(conn);
                }
                if state.opening.get(key).copied().unwrap_or(0) == 0 {
                    return None;
                }
            }
            changed.await;
        }
    }

    /// Records a preconnect to `key` starting; [`Pool::opened`] ends it
    /// with the generation returned here.
    pub fn opening(&self, key: &Key) -> u64 {
        let mut state = self.state.lock().unwrap();
        *state.opening.entry(key.clone()).or_default() += 1;
        state.generation
    }

    /// Ends a preconnect to `key`, with its connection when it opened one.
    /// One begun before the pool was flushed is not counted any more, and
    /// its connection is closed rather than kept.
    pub fn opened(&self, key: &Key, generation: u64, conn: Option<Conn>) {
        {
            let mut state = self.state.lock().unwrap();
            if state.generation == generation {
                if let Some(n) = state.opening.get_mut(key) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        state.opening.remove(key);
                    }
                }
                if let Some(conn) = conn {
                    state.park(key.clone(), conn);
                }
            }
        }
        self.changed.notify_waiters();
    }

    /// Where a connection to `key` goes once its response is read: back
    /// into the pool, unless the pool was flushed meanwhile.
    pub fn releaser(self: &Arc<Self>, key: &Key) -> Release {
        let pool = Arc::downgrade(self);
        let key = key.clone();
        let generation = self.state.lock().unwrap().generation;
        Box::new(move |conn| {
            if let Some(pool) = pool.upgrade() {
                pool.put(key, generation, conn);
            }
        })
    }

    fn put(&self, key: Key, generation: u64, conn: Conn) {
        let mut state = self.state.lock().unwrap();
        if state.generation == generation {
            state.park(key, conn);
        }
    }

    /// The open HTTP/2 connection to `key`, if any.
    pub fn h2(&self, key: &Key) -> Option<H2> {
        let mut state = self.state.lock().unwrap();
        match state.h2.get(key) {
            Some(h2) if !h2.is_closed() => Some(h2.clone()),
            Some(_) => {
                state.h2.remove(key);
                None
            }
            None => None,
        }
    }

    /// Starts HTTP/2 on `stream` (TLS that negotiated `h2`) and shares the
    /// connection for `key`. When another request got there first, its
    /// connection is kept and this one serves only the caller.
    ///
    /// # Errors
    /// `ERR_HTTP2_PROTOCOL_ERROR` when the handshake fails.
    pub async fn start_h2(&self, key: &Key, stream: Stream) -> Result<H2, NetError> {
        let ip = stream.peer_ip();
        let (send, conn) = hyper::client::conn::http2::Builder::new(
            hyper_util::rt::TokioExecutor::new(),
        )
        .initial_stream_window_size(H2_STREAM_WINDOW)
        .initial_connection_window_size(H2_CONNECTION_WINDOW)
        .handshake::<_, H2Body>(hyper_util::rt::TokioIo::new(stream))
        .await
        .map_err(|_| NetError::Http2ProtocolError)?;
        let sender = H2 { send, ip };
        let closing = {
            let mut state = self.state.lock().unwrap();
            if !state.h2.get(key).is_some_and(|h| !h.is_closed()) {
                state.h2.insert(key.clone(), sender.clone());
            }
            state.closing.clone()
        };
        tokio::spawn(async move {
            tokio::select! {
                _ = closing.cancelled() => {}
                _ = conn => {}
            }
        });
        Ok(sender)
    }

    /// Drops every idle socket and stops sharing HTTP/2 connections; requests
    /// in flight finish on theirs, which then close.
    pub fn close_idle(&self) {
        self.state.lock().unwrap().flush();
        self.changed.notify_waiters();
    }

    /// Closes every socket, HTTP/2 connections with their streams included.
    pub fn close_all(&self) {
        let closing = {
            let mut state = self.state.lock().unwrap();
            state.flush();
            std::mem::take(&mut state.closing)
        };
        closing.cancel();
        self.changed.notify_waiters();
    }
}

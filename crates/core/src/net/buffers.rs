//! Large read buffers, used again once their bytes are no longer needed.
//!
//! A long body is read in chunks of up to 1 MiB, each into its own buffer,
//! which is handed on (to JavaScript, as an external Buffer); chunks read
//! one after another may share a buffer. glibc
//! serves blocks that large from memory it gives back to the system once
//! freed, and V8 frees such Buffers in bursts at each garbage collection,
//! so every fresh chunk cost 256 page faults and the kernel zeroing each
//! page: a fifth of a 100 MiB stream's time. A binding that knows a chunk
//! is gone (its Buffer was collected) hands it back with [`recycle`]; the
//! next reads take it with [`take`].
//!
//! At most [`KEEP`] buffers are kept: V8 collects about every 64 MiB of
//! external memory and returns that many buffers at once, so a pool of 64
//! ran dry between collections, and 128 serves a 100 MiB stream whole once
//! warm. All of them are freed once no read has taken one for [`IDLE`]: a
//! thread, running only while the pool holds buffers, sees to it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};

/// The capacity of a pooled buffer.
pub const SIZE: usize = 1 << 20;
/// How many buffers the pool keeps at most.
pub const KEEP: usize = 128;
/// How long the pool keeps buffers that no read takes.
pub const IDLE: Duration = Duration::from_secs(5);
/// Reads asking for less than this do not use the pool.
const MIN_WANT: usize = 256 * 1024;
/// What must be left of a buffer after the chunks taken from it for the
/// next chunk to be read into the rest (see `http1::Conn::room`): a rest
/// as large as the smallest read the pool serves.
pub(crate) const REST_MIN: usize = MIN_WANT;

struct Pool {
    buffers: Vec<BytesMut>,
    /// When a read last took a buffer (or the pool last filled up from empty).
    used: Option<Instant>,
    /// Whether the thread that frees idle buffers is running.
    sweeping: bool,
}

/// A pool of read buffers; the process has one, [`POOL`].
struct BufferPool(Mutex<Pool>);

static POOL: BufferPool = BufferPool::new();

/// An empty buffer with room for `want` bytes when `want` is large enough
/// for the pool to serve: one from the pool, or else a new one whose first
/// `want` bytes' pages are made present at once ([`fresh`]).
pub(crate) fn take(want: usize) -> Option<BytesMut> {
    if !(MIN_WANT..=SIZE).contains(&want) {
        return None;
    }
    POOL.take(want).or_else(|| Some(fresh(want)))
}

/// A new buffer of [`SIZE`] bytes, the pages of its first `want` bytes (the
/// read about to fill them) made present by one system call (Linux 5.14's
/// `MADV_POPULATE_WRITE`, as if each page were written, its contents
/// unchanged) rather than by a page fault on each page as the socket's
/// bytes are copied in; the rest fault in if a later read reaches them.
/// Writing a fresh MiB took 265–278 µs so, against 364–414 µs page by
/// page, on this project's machine. Where the call is not known, the pages
/// fault in as before.
fn fresh(want: usize) -> BytesMut {
    let buf = BytesMut::with_capacity(SIZE);
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sysconf has no preconditions.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096).max(1);
        let start = buf.as_ptr() as usize;
        let first = start.next_multiple_of(page);
        let last = (start + want.min(buf.capacity())) / page * page;
        if last > first {
            // SAFETY: the range lies inside `buf`'s allocation, which this
            // function owns; populating pages changes no byte of it.
            unsafe { libc::madvise(first as *mut libc::c_void, last - first, libc::MADV_POPULATE_WRITE) };
        }
    }
    buf
}

/// Gives back the buffer behind `bytes` when nothing else refers to it and
/// it has a pooled buffer's capacity; otherwise just drops it.
pub fn recycle(bytes: Bytes) {
    POOL.recycle(bytes);
}

impl BufferPool {
    const fn new() -> BufferPool {
        BufferPool(Mutex::new(Pool {
            buffers: Vec::new(),
            used: None,
            sweeping: false,
        }))
    }

    fn take(&self, want: usize) -> Option<BytesMut> {
        if !(MIN_WANT..=SIZE).contains(&want) {
            return None;
        }
        let mut pool = self.0.lock().ok()?;
        let buf = pool.buffers.pop()?;
        pool.used = Some(Instant::now());
        Some(buf)
    }

    fn recycle(&'static self, bytes: Bytes) {
        let Ok(mut buf) = bytes.try_into_mut() else {
            return;
        };
        buf.clear();
        // A chunk read after another into the same buffer starts inside
        // it: take the whole buffer back.
        if !buf.try_reclaim(SIZE) || !(SIZE..=2 * SIZE).contains(&buf.capacity()) {
            return;
        }
        let Ok(mut pool) = self.0.lock() else {
            return;
        };
        if pool.buffers.len() >= KEEP {
            return;
        }
        if pool.buffers.is_empty() {
            pool.used = Some(Instant::now());
        }
        pool.buffers.push(buf);
        if !pool.sweeping {
            pool.sweeping = std::thread::Builder::new()
                .name("electron-session-buffers".into())
                .spawn(move || self.sweep())
                .is_ok();
        }
    }

    /// Frees the buffers once none has been taken for [`IDLE`]; ends when
    /// the pool is empty.
    fn sweep(&self) {
        loop {
            std::thread::sleep(IDLE / 2);
            let Ok(mut pool) = self.0.lock() else {
                return;
            };
            if pool.used.is_none_or(|t| t.elapsed() >= IDLE) {
                pool.buffers = Vec::new();
            }
            if pool.buffers.is_empty() {
                pool.sweeping = false;
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A buffer comes back whole even when its last chunk started inside it,
    // and only once nothing else refers to it.
    #[test]
    fn recycled_buffers_come_back_whole() {
        let pool: &'static BufferPool = Box::leak(Box::new(BufferPool::new()));
        let count = || pool.0.lock().unwrap().buffers.len();
        let mut buf = BytesMut::with_capacity(SIZE);
        buf.resize(SIZE, 7);
        let mut whole = buf.freeze();
        let second = whole.split_off(SIZE / 2);
        pool.recycle(whole); // `second` still refers to the buffer
        assert_eq!(count(), 0);
        pool.recycle(second);
        assert_eq!(count(), 1);
        assert!(pool.0.lock().unwrap().sweeping, "a thread frees them when idle");
        // Small buffers are never kept, and small reads never take one.
        pool.recycle(Bytes::from(vec![0u8; 100]));
        assert_eq!(count(), 1);
        assert!(pool.take(1024).is_none());
        let b = pool.take(SIZE).expect("the buffer given back");
        assert!(b.is_empty() && b.capacity() >= SIZE);
        assert!(pool.take(SIZE).is_none());
    }
}

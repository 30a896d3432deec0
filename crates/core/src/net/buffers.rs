//! Large read buffers, used again once their bytes are no longer needed.
//!
//! A long body is read in chunks of up to 1 MiB, each into its own buffer,
//! which is handed on whole (to JavaScript, as an external Buffer). glibc
//! serves blocks that large from memory it gives back to the system once
//! freed, and V8 frees such Buffers in bursts at each garbage collection,
//! so every fresh chunk cost 256 page faults and the kernel zeroing each
//! page: a fifth of a 100 MiB stream's time. A binding that knows a chunk
//! is gone (its Buffer was collected) hands it back with [`recycle`]; the
//! next reads take it with [`take`]. At most [`KEEP`] buffers are kept.

use std::sync::Mutex;

use bytes::{Bytes, BytesMut};

/// The capacity of a pooled buffer.
pub const SIZE: usize = 1 << 20;
/// How many buffers the pool keeps (their memory stays with the process).
pub const KEEP: usize = 16;
/// Reads asking for less than this do not use the pool.
const MIN_WANT: usize = 256 * 1024;

static POOL: Mutex<Vec<BytesMut>> = Mutex::new(Vec::new());

/// An empty buffer with room for `want` bytes from the pool, when `want`
/// is large enough for the pool to serve and one is free.
pub(crate) fn take(want: usize) -> Option<BytesMut> {
    if !(MIN_WANT..=SIZE).contains(&want) {
        return None;
    }
    POOL.lock().ok()?.pop()
}

/// Gives back the buffer behind `bytes` when nothing else refers to it and
/// it has a pooled buffer's capacity; otherwise just drops it.
pub fn recycle(bytes: Bytes) {
    let Ok(mut buf) = bytes.try_into_mut() else {
        return;
    };
    buf.clear();
    if !(SIZE..=2 * SIZE).contains(&buf.capacity()) {
        return;
    }
    if let Ok(mut pool) = POOL.lock() {
        if pool.len() < KEEP {
            pool.push(buf);
        }
    }
}

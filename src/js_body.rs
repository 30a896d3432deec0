//! Bodies produced by JavaScript, read from Rust on demand: a JS function
//! that answers a Promise of the next chunk (`null` at the end) becomes a
//! core [`net::Body`]. Used by streamed uploads and by protocol handlers'
//! response bodies.

use bytes::Bytes;
use electron_session_core::net;
use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;

/// A JS function giving the next chunk of a body (`null` at the end). Held
/// weakly: a body being read never keeps Node's event loop alive by itself.
pub type JsPull = ThreadsafeFunction<(), Promise<Option<Buffer>>, (), Status, false, true>;

/// `pull` as a threadsafe function; call on the JS thread.
pub fn js_pull(f: Function<(), Promise<Option<Buffer>>>) -> Result<JsPull> {
    f.build_threadsafe_function::<()>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()
}

/// How chunks cross from JavaScript.
#[derive(Clone, Copy)]
pub enum Chunks {
    /// Copied: the caller may still change the Buffer (an upload's chunks).
    Copied,
    /// Used in place (the Buffer is kept alive until the bytes are dropped):
    /// chunks a stream handed over to its reader.
    Owned,
}

/// The chunks `pull` gives, as a core body; a rejected pull (the stream
/// errored or was cancelled) ends it with `ERR_FAILED`.
pub fn pulled_body(pull: JsPull, chunks: Chunks) -> net::Body {
    futures_util::stream::unfold(Some(pull), move |state| async move {
        let pull = state?;
        let chunk = match pull.call_async_catch(()).await {
            Ok(promise) => promise.await,
            Err(e) => Err(e),
        };
        match chunk {
            Ok(Some(buf)) => {
                let bytes = match chunks {
                    Chunks::Copied => Bytes::copy_from_slice(&buf),
                    Chunks::Owned => Bytes::from_owner(buf),
                };
                Some((Ok(bytes), Some(pull)))
            }
            Ok(None) => None,
            Err(_) => Some((Err(net::NetError::Failed), None)),
        }
    })
    .boxed()
}

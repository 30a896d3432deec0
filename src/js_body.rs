//! Bodies produced by JavaScript, read from Rust on demand: a JS function
//! that answers a Promise of the next chunk (`null` at the end) becomes a
//! core [`net::Body`]. Used by streamed uploads and by protocol handlers'
//! response bodies.

use bytes::Bytes;
use electron_session_core::net;
use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};

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

/// A JS function telling a body's source that nobody reads it any more.
pub type JsCancel = ThreadsafeFunction<(), (), (), Status, false, true>;

/// `cancel` as a threadsafe function; call on the JS thread.
pub fn js_cancel(f: Function<(), ()>) -> Result<JsCancel> {
    f.build_threadsafe_function::<()>()
        .callee_handled::<false>()
        .weak::<true>()
        .build()
}

/// Calls the source's `cancel` when the body is dropped before its end.
struct CancelOnDrop(Option<JsCancel>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(cancel) = self.0.take() {
            let _ = cancel.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

/// The chunks `pull` gives, as a core body; a rejected pull (the stream
/// errored or was cancelled) ends it with `ERR_FAILED`. When the body is
/// dropped before its end, `cancel` (if any) is called on the JS thread.
pub fn pulled_body(pull: JsPull, chunks: Chunks, cancel: Option<JsCancel>) -> net::Body {
    let state = (pull, CancelOnDrop(cancel));
    futures_util::stream::unfold(Some(state), move |state| async move {
        let (pull, mut guard) = state?;
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
                Some((Ok(bytes), Some((pull, guard))))
            }
            Ok(None) => {
                // The source ended by itself: nothing to cancel.
                guard.0 = None;
                None
            }
            Err(_) => {
                guard.0 = None;
                Some((Err(net::NetError::Failed), None))
            }
        }
    })
    .boxed()
}

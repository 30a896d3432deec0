//! Shaping a response body for its consumer: chunks that are already
//! available are joined (fewer, larger hand-overs), and a body that has fully
//! arrived by the time the head is handed over is given whole.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::{FutureExt, Stream, StreamExt};

use super::{Body, NetError};

/// Largest joined chunk.
pub const MAX_CHUNK: usize = 1 << 20;
/// A chunk this large is handed on as it is: joining it to smaller ones
/// before it would copy it, for no fewer hand-overs worth having.
const LARGE: usize = 256 * 1024;

/// Joins chunks that are ready together, up to [`MAX_CHUNK`] bytes; never
/// waits for more data to fill a chunk, and never copies a chunk of
/// [`LARGE`] bytes or more. An error is delivered after the bytes that
/// preceded it.
pub fn coalesce(inner: Body) -> Body {
    Box::pin(Coalesce {
        inner,
        held: None,
        pending_error: None,
        done: false,
    })
}

struct Coalesce {
    inner: Body,
    /// A large chunk that arrived after smaller ones, handed on next.
    held: Option<Bytes>,
    pending_error: Option<NetError>,
    done: bool,
}

impl Stream for Coalesce {
    type Item = Result<Bytes, NetError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(chunk) = self.held.take() {
            return Poll::Ready(Some(Ok(chunk)));
        }
        if let Some(e) = self.pending_error.take() {
            self.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        if self.done {
            return Poll::Ready(None);
        }
        let mut parts: Vec<Bytes> = Vec::new();
        let mut size = 0;
        while size < MAX_CHUNK {
            match self.inner.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if chunk.len() >= LARGE {
                        if parts.is_empty() {
                            return Poll::Ready(Some(Ok(chunk)));
                        }
                        self.held = Some(chunk);
                        break;
                    }
                    size += chunk.len();
                    parts.push(chunk);
                }
                Poll::Ready(Some(Err(e))) => {
                    self.pending_error = Some(e);
                    break;
                }
                Poll::Ready(None) => {
                    self.done = true;
                    break;
                }
                Poll::Pending => break,
            }
        }
        let out = (!parts.is_empty()).then(|| concat(parts, size));
        match out {
            Some(bytes) => Poll::Ready(Some(Ok(bytes))),
            None if self.pending_error.is_some() => self.poll_next(cx),
            None if self.done => Poll::Ready(None),
            None => Poll::Pending,
        }
    }
}

/// `parts` as one buffer, copied once (not at all for a single part).
pub fn concat(mut parts: Vec<Bytes>, size: usize) -> Bytes {
    if parts.len() == 1 {
        return parts.pop().expect("one part");
    }
    let mut joined = BytesMut::with_capacity(size);
    for p in &parts {
        joined.extend_from_slice(p);
    }
    joined.freeze()
}

/// A body as handed to its consumer.
pub enum ReadyBody {
    /// Everything arrived already.
    Complete(Bytes),
    /// The rest is still to come (what had arrived is its first chunk).
    Streaming(Body),
}

/// Takes whatever `body` has ready without waiting; if that is all of it,
/// the body is complete.
pub fn take_ready(mut body: Body) -> ReadyBody {
    match body.next().now_or_never() {
        Some(None) => ReadyBody::Complete(Bytes::new()),
        Some(Some(Ok(first))) => match body.next().now_or_never() {
            Some(None) => ReadyBody::Complete(first),
            Some(Some(next)) => ReadyBody::Streaming(
                futures_util::stream::iter([Ok(first), next])
                    .chain(body)
                    .boxed(),
            ),
            None => ReadyBody::Streaming(
                futures_util::stream::once(async { Ok(first) })
                    .chain(body)
                    .boxed(),
            ),
        },
        Some(Some(Err(e))) => {
            ReadyBody::Streaming(futures_util::stream::once(async move { Err(e) }).boxed())
        }
        None => ReadyBody::Streaming(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(items: Vec<Result<&'static [u8], NetError>>) -> Body {
        futures_util::stream::iter(items.into_iter().map(|r| r.map(Bytes::from_static))).boxed()
    }

    async fn collect(b: Body) -> Vec<Result<Vec<u8>, NetError>> {
        b.map(|r| r.map(|x| x.to_vec())).collect().await
    }

    // Rule: ready chunks are joined; an error follows the bytes before it.
    #[tokio::test]
    async fn ready_chunks_are_joined() {
        let got = collect(coalesce(chunks(vec![Ok(b"ab"), Ok(b"cd"), Ok(b"e")]))).await;
        assert_eq!(got, vec![Ok(b"abcde".to_vec())]);
        let got = collect(coalesce(chunks(vec![
            Ok(b"ab"),
            Err(NetError::ConnectionReset),
            Ok(b"zz"),
        ])))
        .await;
        assert_eq!(
            got,
            vec![Ok(b"ab".to_vec()), Err(NetError::ConnectionReset)]
        );
        let got = collect(coalesce(chunks(vec![]))).await;
        assert!(got.is_empty());
    }

    #[tokio::test]
    async fn joined_chunks_are_capped() {
        let part: &'static [u8] = Box::leak(vec![7u8; LARGE - 1].into_boxed_slice());
        // Joining stops at the first part that reaches the cap.
        let mut items = vec![Ok(part); 5];
        items.extend([Ok(&b"xy"[..]), Ok(&b"z"[..])]);
        let got = collect(coalesce(chunks(items))).await;
        let sizes: Vec<usize> = got.iter().map(|r| r.as_ref().unwrap().len()).collect();
        assert_eq!(sizes, vec![5 * (LARGE - 1), 3]);
    }

    // Rule: a large chunk is never copied into a joined one; it follows
    // the smaller ones before it, and an error after it still comes last.
    #[tokio::test]
    async fn large_chunks_are_handed_on_as_they_are() {
        let big: &'static [u8] = Box::leak(vec![7u8; LARGE].into_boxed_slice());
        let got = collect(coalesce(chunks(vec![
            Ok(b"ab"),
            Ok(big),
            Ok(big),
            Ok(b"c"),
            Err(NetError::ConnectionReset),
        ])))
        .await;
        let sizes: Vec<Result<usize, NetError>> = got.iter().map(|r| r.as_ref().map(|b| b.len()).map_err(|e| *e)).collect();
        assert_eq!(
            sizes,
            vec![Ok(2), Ok(LARGE), Ok(LARGE), Ok(1), Err(NetError::ConnectionReset)]
        );
        let source = Bytes::from_static(big);
        let mut out = coalesce(futures_util::stream::iter([Ok(source.clone())]).boxed());
        let first = out.next().await.unwrap().unwrap();
        assert_eq!(first.as_ptr(), source.as_ptr(), "the chunk itself, not a copy");
    }

    #[tokio::test]
    async fn complete_bodies_are_taken_whole() {
        match take_ready(coalesce(chunks(vec![Ok(b"he"), Ok(b"llo")]))) {
            ReadyBody::Complete(b) => assert_eq!(&b[..], b"hello"),
            ReadyBody::Streaming(_) => panic!("the body had fully arrived"),
        }
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, NetError>>(4);
        tx.send(Ok(Bytes::from_static(b"first"))).await.unwrap();
        let body = coalesce(tokio_stream_from(rx));
        let ReadyBody::Streaming(rest) = take_ready(body) else {
            panic!("more is to come")
        };
        tx.send(Ok(Bytes::from_static(b"second"))).await.unwrap();
        drop(tx);
        assert_eq!(
            collect(rest).await,
            vec![Ok(b"first".to_vec()), Ok(b"second".to_vec())]
        );
    }

    fn tokio_stream_from(mut rx: tokio::sync::mpsc::Receiver<Result<Bytes, NetError>>) -> Body {
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed()
    }
}

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

/// Joins chunks that are ready together, up to [`MAX_CHUNK`] bytes; never
/// waits for more data to fill a chunk. An error is delivered after the
/// bytes that preceded it.
pub fn coalesce(inner: Body) -> Body {
    Box::pin(Coalesce {
        inner,
        pending_error: None,
        done: false,
    })
}

struct Coalesce {
    inner: Body,
    pending_error: Option<NetError>,
    done: bool,
}

impl Stream for Coalesce {
    type Item = Result<Bytes, NetError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
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
        let big: &'static [u8] = Box::leak(vec![7u8; MAX_CHUNK - 1].into_boxed_slice());
        let got = collect(coalesce(chunks(vec![Ok(big), Ok(b"xy"), Ok(b"z")]))).await;
        let sizes: Vec<usize> = got.iter().map(|r| r.as_ref().unwrap().len()).collect();
        assert_eq!(sizes, vec![MAX_CHUNK + 1, 1]);
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

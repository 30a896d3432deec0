//! Content decoding (`Content-Encoding`), as Chromium's source streams do:
//! codings are undone last-applied first; an unknown coding leaves the body
//! as received; a corrupt body fails with `ERR_CONTENT_DECODING_FAILED`.

use std::pin::Pin;

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio_util::io::{ReaderStream, StreamReader};

use super::NetError;

pub type IoStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Gzip,
    Deflate,
    Brotli,
    Zstd,
}

/// The codings of a `Content-Encoding` value, in the order applied; `None`
/// when one of them is unknown (the body is then passed through).
pub fn codings(header: &str) -> Option<Vec<Coding>> {
    header
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .map(|c| match c.as_str() {
            "gzip" | "x-gzip" => Some(Coding::Gzip),
            "deflate" => Some(Coding::Deflate),
            "br" => Some(Coding::Brotli),
            "zstd" => Some(Coding::Zstd),
            _ => None,
        })
        .collect()
}

/// Wraps `body` in decoders for `codings`.
pub fn decode(body: IoStream, codings: &[Coding]) -> IoStream {
    let mut s = body;
    for coding in codings.iter().rev() {
        let reader = StreamReader::new(s);
        s = match coding {
            Coding::Gzip => ReaderStream::new(GzipDecoder::new(reader)).boxed(),
            Coding::Deflate => ReaderStream::new(ZlibDecoder::new(reader)).boxed(),
            Coding::Brotli => ReaderStream::new(BrotliDecoder::new(reader)).boxed(),
            Coding::Zstd => ReaderStream::new(ZstdDecoder::new(reader)).boxed(),
        };
    }
    s
}

/// The network error an I/O error of a (possibly decoded) body stands for.
pub fn net_error(e: &std::io::Error) -> NetError {
    match e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<NetError>())
    {
        Some(net) => *net,
        None => NetError::ContentDecodingFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_compression::tokio::write::GzipEncoder;
    use tokio::io::AsyncWriteExt;

    #[test]
    fn content_encoding_values() {
        let rows: &[(&str, Option<Vec<Coding>>)] = &[
            ("gzip", Some(vec![Coding::Gzip])),
            ("x-gzip", Some(vec![Coding::Gzip])),
            (" GZIP , br", Some(vec![Coding::Gzip, Coding::Brotli])),
            ("identity", Some(vec![])),
            ("deflate, zstd", Some(vec![Coding::Deflate, Coding::Zstd])),
            ("compress", None),
        ];
        for (value, want) in rows {
            assert_eq!(codings(value), *want, "value {value:?}");
        }
    }

    async fn collect(s: IoStream) -> Result<Vec<u8>, NetError> {
        let mut out = Vec::new();
        let mut s = s;
        while let Some(chunk) = s.next().await {
            out.extend_from_slice(&chunk.map_err(|e| net_error(&e))?);
        }
        Ok(out)
    }

    #[tokio::test]
    async fn gzip_round_trip_and_corruption() {
        let mut enc = GzipEncoder::new(Vec::new());
        enc.write_all(b"hello, decoded world").await.unwrap();
        enc.shutdown().await.unwrap();
        let gz = enc.into_inner();
        let body: IoStream = futures_util::stream::iter(
            gz.chunks(3)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect::<Vec<_>>(),
        )
        .boxed();
        assert_eq!(
            collect(decode(body, &[Coding::Gzip])).await.unwrap(),
            b"hello, decoded world"
        );
        let bad: IoStream =
            futures_util::stream::iter(vec![Ok(Bytes::from_static(b"not gzip at all"))]).boxed();
        assert_eq!(
            collect(decode(bad, &[Coding::Gzip])).await,
            Err(NetError::ContentDecodingFailed)
        );
        // A transport error inside the body keeps its own code.
        let cut: IoStream =
            futures_util::stream::iter(vec![Err(std::io::Error::other(NetError::ConnectionReset))])
                .boxed();
        assert_eq!(
            collect(decode(cut, &[Coding::Gzip])).await,
            Err(NetError::ConnectionReset)
        );
    }
}

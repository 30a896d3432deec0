//! HTTP/1.1 on one connection, after Chromium's `HttpStreamParser`: the
//! request head is written with the caller's header names, case and order
//! untouched; the response head is parsed (interim 1xx responses skipped);
//! the body is framed by `Content-Length`, chunked coding or the end of the
//! connection. A connection whose body was read to its end is handed back
//! for reuse.

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use futures_util::{FutureExt, StreamExt};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use super::connect::{io_error, Stream};
use super::{Body, NetError};

/// Chromium's limit on a response head (`HttpStreamParser::kMaxHeaderBufSize`).
const MAX_HEAD: usize = 256 * 1024;
/// The most one read of a body of unknown length (chunked, or ended by the
/// connection's close) asks the socket for.
const MAX_READ: usize = 256 * 1024;
/// A body of known length is read in chunks of up to this size, each into
/// one buffer: a body this small usually reaches JavaScript whole, and a
/// longer one in chunks the body's consumer takes as they are (smaller
/// reads would be joined into chunks of this size, copying every byte).
const WHOLE_MAX: u64 = 1 << 20;
/// Where reads of a body of unknown length start; each read that fills its
/// buffer doubles the next, up to [`MAX_READ`].
const FIRST_READ: usize = 64 * 1024;
/// A chunk-size line longer than this is malformed.
const MAX_CHUNK_LINE: usize = 4096;

/// An HTTP/1.1 connection with the bytes read past the last message.
pub struct Conn {
    stream: Stream,
    buf: BytesMut,
    /// How much the next read of a body of unknown length asks for.
    read_size: usize,
    /// Whether a response was already read on this connection.
    pub reused: bool,
    pub idle_since: Instant,
    /// The address at the other end, read once when the connection opens.
    peer_ip: Option<std::net::IpAddr>,
}

/// A parsed response head.
#[derive(Debug)]
pub struct Head {
    pub status: u16,
    pub reason: String,
    /// `1` for HTTP/1.1, `0` for HTTP/1.0.
    pub minor: u8,
    /// Names as the server wrote them, values as Latin-1, in arrival order.
    pub headers: Vec<(String, String)>,
}

impl Head {
    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the connection may carry another request after this response.
    fn keeps_alive(&self) -> bool {
        if self.has_token("connection", "close") {
            return false;
        }
        self.minor >= 1 || self.has_token("connection", "keep-alive")
    }
}

/// A request body as it goes on the wire: raw (after a `Content-Length`)
/// or in chunked coding.
pub struct Outgoing {
    pub body: Body,
    pub chunked: bool,
}

impl Conn {
    /// The address of the server (or proxy) this connection reaches.
    pub fn peer_ip(&self) -> Option<std::net::IpAddr> {
        self.peer_ip
    }

    pub fn new(stream: Stream) -> Conn {
        Conn {
            peer_ip: stream.peer_ip(),
            stream,
            buf: BytesMut::new(),
            read_size: FIRST_READ,
            reused: false,
            idle_since: Instant::now(),
        }
    }

    /// The connection's stream, once nothing is left unread in its buffer
    /// (a proxy tunnel after its `CONNECT` answer).
    ///
    /// # Errors
    /// `ERR_TUNNEL_CONNECTION_FAILED` when the peer sent bytes past the answer.
    pub fn into_stream(self) -> Result<Stream, NetError> {
        if self.buf.is_empty() {
            Ok(self.stream)
        } else {
            Err(NetError::TunnelConnectionFailed)
        }
    }

    /// Whether an idle connection is still usable: the peer has not closed
    /// it and sent nothing unasked. Never waits.
    pub fn is_alive(&mut self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        let waker = futures_util::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        let mut probe = [0u8; 1];
        let mut rb = tokio::io::ReadBuf::new(&mut probe);
        matches!(
            std::pin::Pin::new(&mut self.stream).poll_read(&mut cx, &mut rb),
            std::task::Poll::Pending
        )
    }

    /// Reads more bytes into the buffer; `Ok(0)` at the end of the stream.
    async fn fill(&mut self, want: usize) -> std::io::Result<usize> {
        self.buf.reserve(want);
        self.stream.read_buf(&mut self.buf).await
    }

    /// Makes room for the next chunk of up to `want` bytes when the buffer
    /// is empty, and says how many bytes it may hold without moving. What
    /// is left of a large buffer after the chunks already taken from it
    /// holds the next one when at least [`buffers::REST_MIN`] is left:
    /// chunks read one after another share a buffer (which returns to the
    /// pool once all of them are gone), so a body read in many small chunks
    /// does not take a 1 MiB buffer for each. Otherwise a large chunk gets
    /// a pooled buffer.
    ///
    /// [`buffers::REST_MIN`]: super::buffers::REST_MIN
    fn room(&mut self, want: usize) -> usize {
        let cap = self.buf.capacity();
        if !self.buf.is_empty() || cap >= want {
            return want;
        }
        if cap >= super::buffers::REST_MIN {
            return cap;
        }
        if let Some(buf) = super::buffers::take(want) {
            self.buf = buf;
        }
        want
    }

    /// Reads a body of unknown length, growing the read size while reads
    /// come back full.
    async fn fill_adaptive(&mut self, left: Option<u64>) -> std::io::Result<usize> {
        let want = left.map_or(self.read_size, |l| (l as usize).min(self.read_size));
        let want = self.room(want);
        let n = self.fill(want).await?;
        if n >= self.read_size {
            self.read_size = (self.read_size * 2).min(MAX_READ);
        }
        Ok(n)
    }

    /// Writes the head, then the body. A head and a known body shorter than
    /// 64 KiB go out in one write.
    ///
    /// # Errors
    /// The write's error, or the body's own error (`ERR_FAILED` for a
    /// stream that broke).
    pub async fn send(&mut self, head: Vec<u8>, body: Option<Outgoing>) -> Result<(), SendError> {
        let w = |e: std::io::Error| SendError::Write(io_error(&e));
        let Some(Outgoing { mut body, chunked }) = body else {
            return self.stream.write_all(&head).await.map_err(w);
        };
        let mut head = Some(head);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(SendError::Body)?;
            if chunk.is_empty() {
                continue;
            }
            let mut out = head.take().unwrap_or_default();
            if !chunked {
                if out.is_empty() {
                    self.stream.write_all(&chunk).await.map_err(w)?;
                    continue;
                }
                if chunk.len() < 64 * 1024 {
                    out.extend_from_slice(&chunk);
                    self.stream.write_all(&out).await.map_err(w)?;
                } else {
                    self.stream.write_all(&out).await.map_err(w)?;
                    self.stream.write_all(&chunk).await.map_err(w)?;
                }
            } else {
                out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                if chunk.len() < 64 * 1024 {
                    out.extend_from_slice(&chunk);
                    out.extend_from_slice(b"\r\n");
                    self.stream.write_all(&out).await.map_err(w)?;
                } else {
                    self.stream.write_all(&out).await.map_err(w)?;
                    self.stream.write_all(&chunk).await.map_err(w)?;
                    self.stream.write_all(b"\r\n").await.map_err(w)?;
                }
            }
        }
        let mut out = head.take().unwrap_or_default();
        if chunked {
            out.extend_from_slice(b"0\r\n\r\n");
        }
        if !out.is_empty() {
            self.stream.write_all(&out).await.map_err(w)?;
        }
        Ok(())
    }

    /// Reads the next final response head, skipping interim 1xx responses
    /// (but not 101, which ends HTTP on this connection).
    ///
    /// # Errors
    /// `ERR_EMPTY_RESPONSE` when the connection closes before any byte,
    /// `ERR_INVALID_HTTP_RESPONSE` for a head that does not parse or is cut
    /// short, `ERR_RESPONSE_HEADERS_TOO_BIG` past 256 KiB, or the read's error.
    pub async fn read_head(&mut self) -> Result<Head, NetError> {
        let mut seen_any = false;
        loop {
            let head = loop {
                if let Some((head, used)) = parse_head(&self.buf)? {
                    // However it arrived, a head over the limit is refused.
                    if used > MAX_HEAD {
                        return Err(NetError::ResponseHeadersTooBig);
                    }
                    let _ = self.buf.split_to(used);
                    break head;
                }
                if self.buf.len() > MAX_HEAD {
                    return Err(NetError::ResponseHeadersTooBig);
                }
                let n = self.fill(16 * 1024).await.map_err(|e| io_error(&e))?;
                if n == 0 {
                    return Err(if self.buf.is_empty() && !seen_any {
                        NetError::EmptyResponse
                    } else {
                        NetError::InvalidHttpResponse
                    });
                }
            };
            seen_any = true;
            if (100..200).contains(&head.status) && head.status != 101 {
                continue;
            }
            return Ok(head);
        }
    }
}

/// Why sending a request failed.
#[derive(Debug, Clone, Copy)]
pub enum SendError {
    /// Writing to the connection failed: the server may still have answered.
    Write(NetError),
    /// The request body itself failed.
    Body(NetError),
}

/// Parses a response head at the start of `buf`: the head and its length,
/// or `None` when more bytes are needed.
fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, NetError> {
    let mut count = 64;
    loop {
        let mut headers = vec![httparse::EMPTY_HEADER; count];
        let mut resp = httparse::Response::new(&mut headers);
        match resp.parse(buf) {
            Ok(httparse::Status::Complete(used)) => {
                let head = Head {
                    status: resp.code.unwrap_or(0),
                    reason: resp.reason.unwrap_or("").to_string(),
                    minor: resp.version.unwrap_or(1),
                    headers: resp
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_string(),
                                h.value.iter().map(|&b| b as char).collect(),
                            )
                        })
                        .collect(),
                };
                return Ok(Some((head, used)));
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) if count < 16 * 1024 => count *= 4,
            Err(httparse::Error::TooManyHeaders) => return Err(NetError::ResponseHeadersTooBig),
            Err(_) => return Err(NetError::InvalidHttpResponse),
        }
    }
}

/// Writes a request head: request line, then `headers` exactly as given.
pub fn request_head(method: &str, target: &str, headers: &[(String, String)]) -> Vec<u8> {
    let size: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum();
    let mut out = Vec::with_capacity(method.len() + target.len() + 16 + size);
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(target.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    for (n, v) in headers {
        out.extend_from_slice(n.as_bytes());
        out.extend_from_slice(b": ");
        // Values are Latin-1 on the wire, as Chromium sends them.
        if v.is_ascii() {
            out.extend_from_slice(v.as_bytes());
        } else {
            out.extend(v.chars().map(|c| c as u32 as u8));
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// How a response body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// Exactly this many bytes remain.
    Length(u64),
    Chunked(Chunk),
    /// Until the server closes the connection.
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    /// Expecting a chunk-size line.
    Size,
    /// This many data bytes remain in the current chunk.
    Data(u64),
    /// The CRLF after a chunk's data.
    DataEnd,
    /// Trailer lines, up to an empty one.
    Trailers,
}

/// Picks the body framing of `head` (RFC 9112 §6.3, as Chromium reads it).
///
/// # Errors
/// `ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH` for conflicting lengths,
/// `ERR_INVALID_HTTP_RESPONSE` for an unparsable one.
fn framing(head: &Head, method: &str) -> Result<Option<Framing>, NetError> {
    if method == "HEAD" || matches!(head.status, 204 | 304) || (100..200).contains(&head.status) {
        return Ok(None);
    }
    if head.has_token("transfer-encoding", "chunked") {
        return Ok(Some(Framing::Chunked(Chunk::Size)));
    }
    let mut length: Option<u64> = None;
    for (_, v) in head.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
        for part in v.split(',') {
            let n: u64 = part
                .trim()
                .parse()
                .map_err(|_| NetError::InvalidHttpResponse)?;
            if length.is_some_and(|l| l != n) {
                return Err(NetError::ResponseHeadersMultipleContentLength);
            }
            length = Some(n);
        }
    }
    Ok(Some(match length {
        Some(0) => return Ok(None),
        Some(n) => Framing::Length(n),
        None => Framing::Close,
    }))
}

/// Where a connection goes once its response body has been read through.
pub type Release = Box<dyn FnOnce(Conn) + Send>;

/// The body of `head` on `conn`. `release` receives the connection when the
/// body ends cleanly and the connection may be reused; otherwise it is
/// closed when the body is dropped.
///
/// # Errors
/// As [`framing`].
pub fn body(mut conn: Conn, head: &Head, method: &str, release: Release) -> Result<Body, NetError> {
    let keep = head.keeps_alive() && head.status != 101;
    let Some(framing) = framing(head, method)? else {
        conn.reused = true;
        conn.idle_since = Instant::now();
        if keep {
            release(conn);
        }
        return Ok(futures_util::stream::empty().boxed());
    };
    let reader = BodyReader {
        conn: Some(conn),
        framing,
        release: (keep && framing != Framing::Close).then_some(release),
        pending: None,
    };
    Ok(futures_util::stream::unfold(reader, |mut r| async move {
        let item = r.next_chunk().await?;
        if item.is_err() {
            r.conn = None;
        }
        Some((item, r))
    })
    .boxed())
}

struct BodyReader {
    /// `None` once the body has ended (or failed).
    conn: Option<Conn>,
    framing: Framing,
    release: Option<Release>,
    /// A read error met while gathering a chunk, reported after it.
    pending: Option<NetError>,
}

impl BodyReader {
    /// Ends the body: the connection goes back for reuse when it may.
    fn finish(&mut self) {
        if let (Some(mut conn), Some(release)) = (self.conn.take(), self.release.take()) {
            conn.reused = true;
            conn.idle_since = Instant::now();
            release(conn);
        }
    }

    /// The next piece of the body, `None` at its end.
    async fn next_chunk(&mut self) -> Option<Result<Bytes, NetError>> {
        if let Some(e) = self.pending.take() {
            return Some(Err(e));
        }
        loop {
            let conn = self.conn.as_mut()?;
            match self.framing {
                Framing::Length(0) => {
                    self.finish();
                    return None;
                }
                Framing::Length(left) => {
                    // Room for the whole chunk up front, so that the reads
                    // below land in one contiguous buffer.
                    let mut target = left.min(WHOLE_MAX) as usize;
                    if conn.buf.is_empty() {
                        target = conn.room(target);
                        match conn.fill(target).await {
                            Ok(0) => return Some(Err(NetError::ContentLengthMismatch)),
                            Ok(_) => {}
                            Err(e) => return Some(Err(body_error(&e))),
                        }
                    }
                    // Whatever else has arrived joins this chunk, without waiting.
                    while conn.buf.len() < target {
                        let more = target - conn.buf.len();
                        match conn.fill(more).now_or_never() {
                            Some(Ok(n)) if n > 0 => {}
                            // Delivered after the bytes that came before it.
                            Some(Err(e)) => {
                                self.pending = Some(body_error(&e));
                                break;
                            }
                            _ => break,
                        }
                    }
                    let take = conn.buf.len().min(left as usize);
                    let chunk = conn.buf.split_to(take).freeze();
                    self.framing = Framing::Length(left - take as u64);
                    if left == take as u64 {
                        self.finish();
                    }
                    return Some(Ok(chunk));
                }
                Framing::Close => {
                    if conn.buf.is_empty() {
                        match conn.fill_adaptive(None).await {
                            Ok(0) => {
                                // The end of the connection is the end of the body.
                                self.conn = None;
                                return None;
                            }
                            Ok(_) => {}
                            Err(e) => return Some(Err(body_error(&e))),
                        }
                    }
                    return Some(Ok(conn.buf.split().freeze()));
                }
                Framing::Chunked(state) => match self.chunked(state).await {
                    Ok(Some(chunk)) => return Some(Ok(chunk)),
                    Ok(None) => {}
                    Err(e) => return Some(Err(e)),
                },
            }
        }
    }

    /// One step of chunked decoding: data when some is ready, `None` after
    /// consuming framing (or at the end, with `conn` taken).
    async fn chunked(&mut self, state: Chunk) -> Result<Option<Bytes>, NetError> {
        let conn = self.conn.as_mut().expect("a body being read has its connection");
        match state {
            Chunk::Data(left) => {
                if conn.buf.is_empty() {
                    if conn.fill_adaptive(Some(left)).await.map_err(|e| body_error(&e))? == 0 {
                        return Err(NetError::IncompleteChunkedEncoding);
                    }
                }
                let take = conn.buf.len().min(left as usize);
                let chunk = conn.buf.split_to(take).freeze();
                let left = left - take as u64;
                self.framing = Framing::Chunked(if left == 0 {
                    Chunk::DataEnd
                } else {
                    Chunk::Data(left)
                });
                Ok(Some(chunk))
            }
            Chunk::Size | Chunk::DataEnd | Chunk::Trailers => {
                let line = loop {
                    if let Some(pos) = conn.buf.iter().position(|&b| b == b'\n') {
                        let mut line = conn.buf.split_to(pos + 1);
                        line.truncate(pos);
                        if line.last() == Some(&b'\r') {
                            line.truncate(pos - 1);
                        }
                        break line;
                    }
                    if conn.buf.len() > MAX_CHUNK_LINE {
                        return Err(NetError::InvalidChunkedEncoding);
                    }
                    if conn.fill(8 * 1024).await.map_err(|e| body_error(&e))? == 0 {
                        return Err(NetError::IncompleteChunkedEncoding);
                    }
                };
                self.framing = Framing::Chunked(match state {
                    Chunk::DataEnd if line.is_empty() => Chunk::Size,
                    Chunk::DataEnd => return Err(NetError::InvalidChunkedEncoding),
                    Chunk::Size => match chunk_size(&line)? {
                        0 => Chunk::Trailers,
                        n => Chunk::Data(n),
                    },
                    Chunk::Trailers if line.is_empty() => {
                        self.finish();
                        return Ok(None);
                    }
                    Chunk::Trailers => Chunk::Trailers,
                    Chunk::Data(_) => unreachable!(),
                });
                Ok(None)
            }
        }
    }
}

/// A chunk-size line: hex digits, then optional `;extensions`.
fn chunk_size(line: &[u8]) -> Result<u64, NetError> {
    let digits = line.split(|&b| b == b';').next().unwrap_or_default();
    let digits = digits.trim_ascii();
    if digits.is_empty() || digits.len() > 15 {
        return Err(NetError::InvalidChunkedEncoding);
    }
    let mut n: u64 = 0;
    for &d in digits {
        let v = (d as char)
            .to_digit(16)
            .ok_or(NetError::InvalidChunkedEncoding)?;
        n = n * 16 + v as u64;
    }
    Ok(n)
}

/// A read error while a body streams.
fn body_error(e: &std::io::Error) -> NetError {
    NetError::classify(e, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: a chunk-size line is hex, extensions after `;` are ignored, and
    // anything else is malformed.
    #[test]
    fn chunk_size_lines() {
        let rows: &[(&str, Result<u64, NetError>)] = &[
            ("0", Ok(0)),
            ("1a", Ok(26)),
            ("FF", Ok(255)),
            ("10;name=value", Ok(16)),
            (" 4 ", Ok(4)),
            ("", Err(NetError::InvalidChunkedEncoding)),
            ("-1", Err(NetError::InvalidChunkedEncoding)),
            ("zz", Err(NetError::InvalidChunkedEncoding)),
            ("1000000000000000", Err(NetError::InvalidChunkedEncoding)),
        ];
        for (line, want) in rows {
            assert_eq!(chunk_size(line.as_bytes()), *want, "{line:?}");
        }
    }

    fn head(raw: &str) -> Head {
        parse_head(raw.as_bytes()).unwrap().unwrap().0
    }

    // Rule: the body is delimited by chunked coding first, then one agreed
    // Content-Length, then the connection's end; HEAD, 204 and 304 have none.
    #[test]
    fn body_framing() {
        let rows: &[(&str, &str, Result<Option<Framing>, NetError>)] = &[
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "GET", Ok(Some(Framing::Length(5)))),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", "GET", Ok(Some(Framing::Length(5)))),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "GET", Err(NetError::ResponseHeadersMultipleContentLength)),
            ("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "GET", Err(NetError::InvalidHttpResponse)),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n", "GET", Ok(Some(Framing::Chunked(Chunk::Size)))),
            ("HTTP/1.1 200 OK\r\n\r\n", "GET", Ok(Some(Framing::Close))),
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", Ok(None)),
            ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD", Ok(None)),
            ("HTTP/1.1 204 No Content\r\n\r\n", "GET", Ok(None)),
            ("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", "GET", Ok(None)),
        ];
        for (raw, method, want) in rows {
            assert_eq!(framing(&head(raw), method), *want, "{raw:?} {method}");
        }
    }

    // Rule: HTTP/1.1 keeps the connection unless `Connection: close`;
    // HTTP/1.0 only with `Connection: keep-alive`.
    #[test]
    fn keep_alive() {
        let rows: &[(&str, bool)] = &[
            ("HTTP/1.1 200 OK\r\n\r\n", true),
            ("HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n", false),
            ("HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n", true),
        ];
        for (raw, want) in rows {
            assert_eq!(head(raw).keeps_alive(), *want, "{raw:?}");
        }
    }

    // Rule: the response head keeps the reason phrase and the names as sent.
    #[test]
    fn head_parsing() {
        let h = head("HTTP/1.1 299 Quite Fine\r\nX-Custom: A\r\nx-custom: b\r\n\r\n");
        assert_eq!((h.status, h.reason.as_str()), (299, "Quite Fine"));
        assert_eq!(h.headers, vec![("X-Custom".into(), "A".into()), ("x-custom".into(), "b".into())]);
        assert!(parse_head(b"HTTP/1.1 200 OK\r\nX: y").unwrap().is_none());
        assert_eq!(parse_head(b"NOT HTTP AT ALL\r\n\r\n").unwrap_err(), NetError::InvalidHttpResponse);
    }

    // Rule: a chunk read after another goes into the rest of the same
    // buffer while enough of it is left, even when more of the body is to
    // come than that rest can hold.
    #[tokio::test]
    async fn chunks_read_one_after_another_share_a_buffer() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        const PART: usize = 300 * 1024;
        let (next_tx, mut next_rx) = tokio::sync::mpsc::channel::<()>(1);
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            // Far more is announced than is sent: every read wants 1 MiB.
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n").await.unwrap();
            // Each part only once the client holds the ones before.
            for fill in [b'a', b'b', b'c'] {
                next_rx.recv().await.unwrap();
                s.write_all(&vec![fill; PART]).await.unwrap();
            }
            s
        });
        let mut conn = Conn::new(Stream::Tcp(tokio::net::TcpStream::connect(addr).await.unwrap()));
        let h = conn.read_head().await.unwrap();
        let mut b = body(conn, &h, "GET", Box::new(|_| {})).unwrap();
        let mut chunks: Vec<Bytes> = Vec::new();
        let (mut got, mut sent) = (0, 0);
        while got < 3 * PART {
            if got == sent * PART {
                next_tx.send(()).await.unwrap();
                sent += 1;
            }
            let c = b.next().await.unwrap().unwrap();
            got += c.len();
            chunks.push(c);
        }
        let all: Vec<u8> = chunks.iter().flat_map(|c| c.iter().copied()).collect();
        assert_eq!(all.len(), 3 * PART);
        assert!(all[..PART].iter().all(|&x| x == b'a') && all[2 * PART..].iter().all(|&x| x == b'c'));
        // Each chunk follows the one before it in memory: the three parts
        // (900 KiB) fit in one 1 MiB buffer.
        for (i, w) in chunks.windows(2).enumerate() {
            assert_eq!(w[1].as_ptr(), w[0].as_ptr().wrapping_add(w[0].len()), "chunk {} of {} started a new buffer", i + 2, chunks.len());
        }
        drop(b);
        drop(server.await.unwrap());
    }

    // Rule: the request head carries the caller's names and order untouched.
    #[test]
    fn request_head_is_verbatim() {
        let headers = vec![
            ("Host".to_string(), "a.test".to_string()),
            ("X-Zed".to_string(), "1".to_string()),
            ("x-alpha".to_string(), "2".to_string()),
            ("X-Zed".to_string(), "3".to_string()),
        ];
        assert_eq!(
            String::from_utf8(request_head("GET", "/p?q", &headers)).unwrap(),
            "GET /p?q HTTP/1.1\r\nHost: a.test\r\nX-Zed: 1\r\nx-alpha: 2\r\nX-Zed: 3\r\n\r\n"
        );
    }
}

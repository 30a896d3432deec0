//! Opening a connection to an origin: the session's resolver, TCP to each
//! address in turn, then TLS (rustls, with ALPN offering HTTP/2 and
//! HTTP/1.1) for `https`. Chromium's `TransportConnectJob` and
//! `SSLConnectJob` play this part there.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::dns::{CacheUsage, HostResolver, Source};
use super::NetError;

/// A connected socket: TCP, or TLS over a stream (over TCP, or over a
/// tunnel through an HTTPS proxy).
pub enum Stream {
    Tcp(TcpStream),
    Tls(Box<TlsStream<Stream>>),
}

impl Stream {
    /// The address of the server (or proxy) at the other end.
    pub fn peer_ip(&self) -> Option<std::net::IpAddr> {
        match self {
            Stream::Tcp(s) => s.peer_addr().ok().map(|a| a.ip()),
            Stream::Tls(tls) => tls.get_ref().0.peer_ip(),
        }
    }

    /// Whether TLS negotiated HTTP/2 (ALPN `h2`).
    pub fn is_h2(&self) -> bool {
        match self {
            Stream::Tcp(_) => false,
            Stream::Tls(tls) => tls.get_ref().1.alpn_protocol() == Some(b"h2"),
        }
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Tcp(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Tcp(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The network error a failed connect, read or write stands for.
pub fn io_error(e: &io::Error) -> NetError {
    NetError::classify(e, false)
}

/// Connects to `host:port` (a URL host: a name, an IPv4 literal or a
/// bracketed IPv6 literal), trying each resolved address in order, and
/// starts TLS with `tls` when given.
///
/// # Errors
/// `ERR_NAME_NOT_RESOLVED`, the last address's connect error
/// (`ERR_CONNECTION_REFUSED`, …), or the TLS handshake's error
/// (`ERR_CERT_*`, `ERR_SSL_*`).
pub async fn connect(
    resolver: &HostResolver,
    host: &str,
    port: u16,
    tls: Option<Arc<rustls::ClientConfig>>,
) -> Result<Stream, NetError> {
    let addrs = resolver
        .resolve(host, port, Source::Any, CacheUsage::Allowed)
        .await?;
    let mut last = NetError::ConnectionFailed;
    let mut tcp = None;
    for mut addr in addrs {
        // A host-resolver-rules MAP without a port keeps the URL's port.
        if addr.port() == 0 {
            addr.set_port(port);
        }
        match TcpStream::connect(addr).await {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = io_error(&e),
        }
    }
    let tcp = tcp.ok_or(last)?;
    let _ = tcp.set_nodelay(true);
    match tls {
        Some(config) => start_tls(Stream::Tcp(tcp), host, config).await,
        None => Ok(Stream::Tcp(tcp)),
    }
}

/// Starts TLS on `stream` with `host` as the server name.
///
/// # Errors
/// The handshake's error (`ERR_CERT_*`, `ERR_SSL_*`).
pub async fn start_tls(
    stream: Stream,
    host: &str,
    config: Arc<rustls::ClientConfig>,
) -> Result<Stream, NetError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(bare.to_string()).map_err(|_| NetError::InvalidUrl)?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, stream)
        .await
        .map_err(|e| io_error(&e))?;
    Ok(Stream::Tls(Box::new(stream)))
}

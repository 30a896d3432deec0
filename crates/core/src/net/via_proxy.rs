//! Connections through a proxy server, after Chromium's
//! `HttpProxyConnectJob` and `SOCKSConnectJob`: an HTTP or HTTPS proxy
//! either forwards plain `http` requests (absolute-form request target) or
//! opens a `CONNECT` tunnel; SOCKS4 and SOCKS5 proxies always tunnel. TLS to
//! the origin then runs inside the tunnel.

use std::net::IpAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::connect::{self, Stream};
use super::dns::{CacheUsage, HostResolver, Source};
use super::http1::{self, Conn};
use super::NetError;
use crate::proxy::{ProxyScheme, ProxyServer};

/// How a request reaches its origin over a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Straight to the origin, or through a tunnel: the request is sent as
    /// to the origin.
    Origin,
    /// To an HTTP(S) proxy that forwards it: absolute-form target and
    /// `Proxy-Connection`.
    Forward,
}

/// Whether requests to an origin through `proxy` are forwarded rather than
/// tunnelled.
pub fn via(proxy: Option<&ProxyServer>, https: bool) -> Via {
    match proxy.map(ProxyServer::scheme) {
        Some(ProxyScheme::Http | ProxyScheme::Https) if !https => Via::Forward,
        _ => Via::Origin,
    }
}

/// An error met while reaching the proxy itself becomes
/// `ERR_PROXY_CONNECTION_FAILED`, as Chromium's connect jobs report it;
/// certificate errors of an HTTPS proxy become `ERR_PROXY_CERTIFICATE_INVALID`.
fn to_proxy(e: NetError) -> NetError {
    match e {
        NetError::CertAuthorityInvalid
        | NetError::CertCommonNameInvalid
        | NetError::CertDateInvalid
        | NetError::CertInvalid
        | NetError::CertRevoked => NetError::ProxyCertificateInvalid,
        NetError::SslProtocolError => NetError::SslProtocolError,
        _ => NetError::ProxyConnectionFailed,
    }
}

/// What a tunnel needs to know of the origin and the session.
pub struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    /// `User-Agent` of the `CONNECT` request.
    pub user_agent: &'a str,
}

/// Opens a connection through `proxy`: to the proxy itself for a forwarded
/// request, else a tunnel to `target`.
///
/// # Errors
/// `ERR_PROXY_CONNECTION_FAILED` (or `ERR_PROXY_CERTIFICATE_INVALID`) when
/// the proxy cannot be reached; `ERR_TUNNEL_CONNECTION_FAILED` when an HTTP
/// proxy refuses the tunnel (a 407 included: credentials for proxies
/// arrive with the `login` event); `ERR_SOCKS_CONNECTION_FAILED` or
/// `ERR_SOCKS_CONNECTION_HOST_UNREACHABLE` when a SOCKS proxy does.
pub async fn connect(
    resolver: &HostResolver,
    proxy: &ProxyServer,
    target: &Target<'_>,
    forward: bool,
    proxy_tls: Arc<rustls::ClientConfig>,
) -> Result<Stream, NetError> {
    let tls = (proxy.scheme() == ProxyScheme::Https).then_some(proxy_tls);
    let stream = connect::connect(resolver, proxy.host(), proxy.port(), tls)
        .await
        .map_err(to_proxy)?;
    match proxy.scheme() {
        ProxyScheme::Http | ProxyScheme::Https if forward => Ok(stream),
        ProxyScheme::Http | ProxyScheme::Https => http_tunnel(stream, target).await,
        ProxyScheme::Socks4 => socks4(resolver, stream, target).await,
        ProxyScheme::Socks5 => socks5(stream, target).await,
        ProxyScheme::Direct => Ok(stream),
    }
}

/// `host:port` as a `CONNECT` target or `Host` value; IPv6 in brackets.
fn authority(host: &str, port: u16) -> String {
    format!("{host}:{port}")
}

async fn http_tunnel(stream: Stream, target: &Target<'_>) -> Result<Stream, NetError> {
    let authority = authority(target.host, target.port);
    let mut headers = vec![
        ("Host".to_string(), authority.clone()),
        ("Proxy-Connection".to_string(), "keep-alive".to_string()),
    ];
    if !target.user_agent.is_empty() {
        headers.push(("User-Agent".to_string(), target.user_agent.to_string()));
    }
    let mut conn = Conn::new(stream);
    conn.send(http1::request_head("CONNECT", &authority, &headers), None)
        .await
        .map_err(|_| NetError::ProxyConnectionFailed)?;
    let head = conn.read_head().await.map_err(|e| match e {
        NetError::EmptyResponse | NetError::ConnectionReset | NetError::ConnectionClosed => {
            NetError::ProxyConnectionFailed
        }
        _ => NetError::TunnelConnectionFailed,
    })?;
    // Stage: a 407 is where proxy credentials (the `login` event) plug in.
    if !(200..300).contains(&head.status) {
        return Err(NetError::TunnelConnectionFailed);
    }
    conn.into_stream()
}

/// SOCKS4 (Chromium's `SOCKSClientSocket`): the origin's name is resolved
/// here, to an IPv4 address, since SOCKS4 carries no name.
async fn socks4(
    resolver: &HostResolver,
    mut stream: Stream,
    target: &Target<'_>,
) -> Result<Stream, NetError> {
    let addrs = resolver
        .resolve(target.host, target.port, Source::Any, CacheUsage::Allowed)
        .await?;
    let ip = addrs
        .iter()
        .find_map(|a| match a.ip() {
            IpAddr::V4(v4) => Some(v4),
            IpAddr::V6(_) => None,
        })
        .ok_or(NetError::NameNotResolved)?;
    let mut req = vec![4, 1];
    req.extend_from_slice(&target.port.to_be_bytes());
    req.extend_from_slice(&ip.octets());
    req.push(0); // an empty user id
    let fail = |_| NetError::SocksConnectionFailed;
    stream.write_all(&req).await.map_err(fail)?;
    let mut reply = [0u8; 8];
    stream.read_exact(&mut reply).await.map_err(fail)?;
    match reply[1] {
        90 => Ok(stream),
        // Rejected, or the proxy could not reach the origin.
        91 | 92 => Err(NetError::SocksConnectionHostUnreachable),
        _ => Err(NetError::SocksConnectionFailed),
    }
}

/// SOCKS5 without authentication (Chromium's `SOCKS5ClientSocket`): the
/// origin's name goes to the proxy, which resolves it.
async fn socks5(mut stream: Stream, target: &Target<'_>) -> Result<Stream, NetError> {
    let fail = |_| NetError::SocksConnectionFailed;
    stream.write_all(&[5, 1, 0]).await.map_err(fail)?;
    let mut choice = [0u8; 2];
    stream.read_exact(&mut choice).await.map_err(fail)?;
    if choice != [5, 0] {
        return Err(NetError::SocksConnectionFailed);
    }
    let host = target.host.trim_start_matches('[').trim_end_matches(']');
    let mut req = vec![5, 1, 0];
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            req.push(1);
            req.extend_from_slice(&v4.octets());
        }
        Ok(IpAddr::V6(v6)) => {
            req.push(4);
            req.extend_from_slice(&v6.octets());
        }
        Err(_) => {
            let name = host.as_bytes();
            let len = u8::try_from(name.len()).map_err(|_| NetError::SocksConnectionFailed)?;
            req.push(3);
            req.push(len);
            req.extend_from_slice(name);
        }
    }
    req.extend_from_slice(&target.port.to_be_bytes());
    stream.write_all(&req).await.map_err(fail)?;
    let mut reply = [0u8; 4];
    stream.read_exact(&mut reply).await.map_err(fail)?;
    // Any refusal is a failed SOCKS connection (Chromium reads no detail).
    if reply[0] != 5 || reply[1] != 0 {
        return Err(NetError::SocksConnectionFailed);
    }
    let bound = match reply[3] {
        1 => 4,
        4 => 16,
        3 => {
            let mut len = [0u8; 1];
            stream.read_exact(&mut len).await.map_err(fail)?;
            len[0] as usize
        }
        _ => return Err(NetError::SocksConnectionFailed),
    };
    let mut rest = vec![0u8; bound + 2];
    stream.read_exact(&mut rest).await.map_err(fail)?;
    Ok(stream)
}

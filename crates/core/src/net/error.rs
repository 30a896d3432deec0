//! Chromium's network error codes (`net/base/net_error_list.h`), and how a
//! fetch fails. One exhaustive `match` gives each code its `net::ERR_*` name,
//! used alike by JavaScript errors, webRequest's `onErrorOccurred` and NetLog.

use std::error::Error as StdError;

/// A network error, named after Chromium's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetError {
    Failed,
    Aborted,
    InvalidArgument,
    FileNotFound,
    Unexpected,
    AccessDenied,
    NotImplemented,
    ConnectionClosed,
    ConnectionReset,
    ConnectionRefused,
    ConnectionAborted,
    ConnectionFailed,
    NameNotResolved,
    DnsCacheMiss,
    InternetDisconnected,
    AddressUnreachable,
    TimedOut,
    ConnectionTimedOut,
    SslProtocolError,
    SslVersionOrCipherMismatch,
    CertCommonNameInvalid,
    CertDateInvalid,
    CertAuthorityInvalid,
    CertRevoked,
    CertInvalid,
    InvalidUrl,
    UnknownUrlScheme,
    InvalidRedirect,
    UnsafeRedirect,
    TooManyRedirects,
    EmptyResponse,
    InvalidResponse,
    InvalidHttpResponse,
    InvalidChunkedEncoding,
    ResponseHeadersTooBig,
    ResponseHeadersMultipleContentLength,
    ContentDecodingFailed,
    ContentLengthMismatch,
    IncompleteChunkedEncoding,
    Http2ProtocolError,
    BlockedByClient,
    ProxyConnectionFailed,
    TunnelConnectionFailed,
    ProxyAuthRequested,
    SocksConnectionFailed,
    SocksConnectionHostUnreachable,
    MandatoryProxyConfigurationFailed,
    NoSupportedProxies,
    ProxyCertificateInvalid,
}

impl NetError {
    /// The name Chromium (and so Electron) reports, e.g. `net::ERR_CONNECTION_REFUSED`.
    pub fn name(self) -> &'static str {
        match self {
            NetError::Failed => "net::ERR_FAILED",
            NetError::Aborted => "net::ERR_ABORTED",
            NetError::InvalidArgument => "net::ERR_INVALID_ARGUMENT",
            NetError::FileNotFound => "net::ERR_FILE_NOT_FOUND",
            NetError::Unexpected => "net::ERR_UNEXPECTED",
            NetError::NotImplemented => "net::ERR_NOT_IMPLEMENTED",
            NetError::AccessDenied => "net::ERR_ACCESS_DENIED",
            NetError::ConnectionClosed => "net::ERR_CONNECTION_CLOSED",
            NetError::ConnectionReset => "net::ERR_CONNECTION_RESET",
            NetError::ConnectionRefused => "net::ERR_CONNECTION_REFUSED",
            NetError::ConnectionAborted => "net::ERR_CONNECTION_ABORTED",
            NetError::ConnectionFailed => "net::ERR_CONNECTION_FAILED",
            NetError::NameNotResolved => "net::ERR_NAME_NOT_RESOLVED",
            NetError::DnsCacheMiss => "net::ERR_DNS_CACHE_MISS",
            NetError::InternetDisconnected => "net::ERR_INTERNET_DISCONNECTED",
            NetError::AddressUnreachable => "net::ERR_ADDRESS_UNREACHABLE",
            NetError::TimedOut => "net::ERR_TIMED_OUT",
            NetError::ConnectionTimedOut => "net::ERR_CONNECTION_TIMED_OUT",
            NetError::SslProtocolError => "net::ERR_SSL_PROTOCOL_ERROR",
            NetError::SslVersionOrCipherMismatch => "net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH",
            NetError::CertCommonNameInvalid => "net::ERR_CERT_COMMON_NAME_INVALID",
            NetError::CertDateInvalid => "net::ERR_CERT_DATE_INVALID",
            NetError::CertAuthorityInvalid => "net::ERR_CERT_AUTHORITY_INVALID",
            NetError::CertRevoked => "net::ERR_CERT_REVOKED",
            NetError::CertInvalid => "net::ERR_CERT_INVALID",
            NetError::InvalidUrl => "net::ERR_INVALID_URL",
            NetError::UnknownUrlScheme => "net::ERR_UNKNOWN_URL_SCHEME",
            NetError::InvalidRedirect => "net::ERR_INVALID_REDIRECT",
            NetError::UnsafeRedirect => "net::ERR_UNSAFE_REDIRECT",
            NetError::TooManyRedirects => "net::ERR_TOO_MANY_REDIRECTS",
            NetError::EmptyResponse => "net::ERR_EMPTY_RESPONSE",
            NetError::InvalidResponse => "net::ERR_INVALID_RESPONSE",
            NetError::InvalidHttpResponse => "net::ERR_INVALID_HTTP_RESPONSE",
            NetError::InvalidChunkedEncoding => "net::ERR_INVALID_CHUNKED_ENCODING",
            NetError::ResponseHeadersTooBig => "net::ERR_RESPONSE_HEADERS_TOO_BIG",
            NetError::ResponseHeadersMultipleContentLength => {
                "net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH"
            }
            NetError::ContentDecodingFailed => "net::ERR_CONTENT_DECODING_FAILED",
            NetError::ContentLengthMismatch => "net::ERR_CONTENT_LENGTH_MISMATCH",
            NetError::IncompleteChunkedEncoding => "net::ERR_INCOMPLETE_CHUNKED_ENCODING",
            NetError::Http2ProtocolError => "net::ERR_HTTP2_PROTOCOL_ERROR",
            NetError::BlockedByClient => "net::ERR_BLOCKED_BY_CLIENT",
            NetError::ProxyConnectionFailed => "net::ERR_PROXY_CONNECTION_FAILED",
            NetError::TunnelConnectionFailed => "net::ERR_TUNNEL_CONNECTION_FAILED",
            NetError::ProxyAuthRequested => "net::ERR_PROXY_AUTH_REQUESTED",
            NetError::SocksConnectionFailed => "net::ERR_SOCKS_CONNECTION_FAILED",
            NetError::SocksConnectionHostUnreachable => "net::ERR_SOCKS_CONNECTION_HOST_UNREACHABLE",
            NetError::MandatoryProxyConfigurationFailed => {
                "net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED"
            }
            NetError::NoSupportedProxies => "net::ERR_NO_SUPPORTED_PROXIES",
            NetError::ProxyCertificateInvalid => "net::ERR_PROXY_CERTIFICATE_INVALID",
        }
    }

    /// Chromium's numeric code (`net_error_list.h`), negative.
    pub fn code(self) -> i32 {
        match self {
            NetError::Failed => -2,
            NetError::Aborted => -3,
            NetError::InvalidArgument => -4,
            NetError::FileNotFound => -6,
            NetError::TimedOut => -7,
            NetError::Unexpected => -9,
            NetError::AccessDenied => -10,
            NetError::NotImplemented => -11,
            NetError::BlockedByClient => -20,
            NetError::ConnectionClosed => -100,
            NetError::ConnectionReset => -101,
            NetError::ConnectionRefused => -102,
            NetError::ConnectionAborted => -103,
            NetError::ConnectionFailed => -104,
            NetError::NameNotResolved => -105,
            NetError::DnsCacheMiss => -804,
            NetError::InternetDisconnected => -106,
            NetError::SslProtocolError => -107,
            NetError::AddressUnreachable => -109,
            NetError::SslVersionOrCipherMismatch => -113,
            NetError::ConnectionTimedOut => -118,
            NetError::TunnelConnectionFailed => -111,
            NetError::SocksConnectionFailed => -120,
            NetError::SocksConnectionHostUnreachable => -121,
            NetError::ProxyAuthRequested => -127,
            NetError::ProxyConnectionFailed => -130,
            NetError::MandatoryProxyConfigurationFailed => -131,
            NetError::ProxyCertificateInvalid => -136,
            NetError::NoSupportedProxies => -336,
            NetError::CertCommonNameInvalid => -200,
            NetError::CertDateInvalid => -201,
            NetError::CertAuthorityInvalid => -202,
            NetError::CertRevoked => -206,
            NetError::CertInvalid => -207,
            NetError::InvalidUrl => -300,
            NetError::UnknownUrlScheme => -302,
            NetError::InvalidRedirect => -303,
            NetError::TooManyRedirects => -310,
            NetError::UnsafeRedirect => -311,
            NetError::InvalidResponse => -320,
            NetError::InvalidChunkedEncoding => -321,
            NetError::EmptyResponse => -324,
            NetError::ResponseHeadersTooBig => -325,
            NetError::ResponseHeadersMultipleContentLength => -349,
            NetError::ContentDecodingFailed => -330,
            NetError::Http2ProtocolError => -337,
            NetError::ContentLengthMismatch => -354,
            NetError::IncompleteChunkedEncoding => -355,
            NetError::InvalidHttpResponse => -370,
        }
    }

    /// Every code this crate knows, with its name (NetLog constants list them).
    pub fn all() -> impl Iterator<Item = NetError> {
        ALL.iter().copied()
    }

    /// The error with Chromium's numeric `code`, if it is one of ours.
    pub fn from_code(code: i32) -> Option<NetError> {
        ALL.iter().copied().find(|e| e.code() == code)
    }

    /// Classifies a transport failure by walking its cause chain: I/O error
    /// kinds, rustls errors, then the few hyper conditions only its message
    /// tells apart. `during_body` picks the body-specific codes.
    pub fn classify(err: &(dyn StdError + 'static), during_body: bool) -> NetError {
        let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
        let mut text = String::new();
        while let Some(e) = cur {
            if let Some(net) = e.downcast_ref::<NetError>() {
                return *net;
            }
            if let Some(tls) = e.downcast_ref::<rustls::Error>() {
                return from_tls(tls);
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                use std::io::ErrorKind as K;
                match io.kind() {
                    K::ConnectionRefused => return NetError::ConnectionRefused,
                    // Chromium maps EPIPE to a reset too (`MapSystemError`).
                    K::ConnectionReset | K::BrokenPipe => return NetError::ConnectionReset,
                    K::ConnectionAborted => return NetError::ConnectionAborted,
                    K::TimedOut => return NetError::TimedOut,
                    K::HostUnreachable | K::NetworkUnreachable => {
                        return NetError::AddressUnreachable
                    }
                    _ => {}
                }
            }
            text.push_str(&e.to_string().to_ascii_lowercase());
            text.push('\n');
            // An io::Error's `source()` skips the error it wraps: descend into it.
            cur = match e
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => e.source(),
            };
        }
        if text.contains("dns error") || text.contains("failed to lookup address") {
            NetError::NameNotResolved
        } else if text.contains("h2 protocol error") || text.contains("http2 error") {
            NetError::Http2ProtocolError
        } else if text.contains("end of file before message length reached") {
            NetError::ContentLengthMismatch
        } else if during_body && (text.contains("chunk") || text.contains("incomplete")) {
            NetError::IncompleteChunkedEncoding
        } else if text.contains("connection closed before message completed") {
            NetError::EmptyResponse
        } else if text.contains("invalid") && text.contains("parse")
            || text.contains("invalid http")
        {
            NetError::InvalidHttpResponse
        } else if during_body {
            NetError::ConnectionClosed
        } else {
            NetError::ConnectionFailed
        }
    }
}

const ALL: &[NetError] = &[
    NetError::Failed,
    NetError::Aborted,
    NetError::InvalidArgument,
    NetError::FileNotFound,
    NetError::Unexpected,
    NetError::NotImplemented,
    NetError::AccessDenied,
    NetError::ConnectionClosed,
    NetError::ConnectionReset,
    NetError::ConnectionRefused,
    NetError::ConnectionAborted,
    NetError::ConnectionFailed,
    NetError::NameNotResolved,
    NetError::InternetDisconnected,
    NetError::AddressUnreachable,
    NetError::TimedOut,
    NetError::ConnectionTimedOut,
    NetError::SslProtocolError,
    NetError::SslVersionOrCipherMismatch,
    NetError::CertCommonNameInvalid,
    NetError::CertDateInvalid,
    NetError::CertAuthorityInvalid,
    NetError::CertRevoked,
    NetError::CertInvalid,
    NetError::InvalidUrl,
    NetError::UnknownUrlScheme,
    NetError::InvalidRedirect,
    NetError::UnsafeRedirect,
    NetError::TooManyRedirects,
    NetError::EmptyResponse,
    NetError::InvalidResponse,
    NetError::InvalidHttpResponse,
    NetError::InvalidChunkedEncoding,
    NetError::ResponseHeadersTooBig,
    NetError::ResponseHeadersMultipleContentLength,
    NetError::ContentDecodingFailed,
    NetError::ContentLengthMismatch,
    NetError::IncompleteChunkedEncoding,
    NetError::Http2ProtocolError,
    NetError::BlockedByClient,
    NetError::ProxyConnectionFailed,
    NetError::TunnelConnectionFailed,
    NetError::ProxyAuthRequested,
    NetError::SocksConnectionFailed,
    NetError::SocksConnectionHostUnreachable,
    NetError::MandatoryProxyConfigurationFailed,
    NetError::NoSupportedProxies,
    NetError::ProxyCertificateInvalid,
];

impl NetError {
    /// The network error a TLS failure stands for.
    pub(crate) fn from_tls(e: &rustls::Error) -> NetError {
        from_tls(e)
    }
}

fn from_tls(e: &rustls::Error) -> NetError {
    use rustls::CertificateError as C;
    if let rustls::Error::InvalidCertificate(C::Other(other)) = e {
        if let Some(net) = other.0.downcast_ref::<NetError>() {
            return *net;
        }
    }
    if let rustls::Error::AlertReceived(
        rustls::AlertDescription::ProtocolVersion
        | rustls::AlertDescription::HandshakeFailure
        | rustls::AlertDescription::InsufficientSecurity,
    ) = e
    {
        return NetError::SslVersionOrCipherMismatch;
    }
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer | C::BadSignature => NetError::CertAuthorityInvalid,
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                NetError::CertCommonNameInvalid
            }
            C::Expired
            | C::NotValidYet
            | C::ExpiredContext { .. }
            | C::NotValidYetContext { .. } => NetError::CertDateInvalid,
            C::Revoked => NetError::CertRevoked,
            _ => NetError::CertInvalid,
        },
        rustls::Error::PeerIncompatible(_) | rustls::Error::NoCertificatesPresented => {
            NetError::SslVersionOrCipherMismatch
        }
        _ => NetError::SslProtocolError,
    }
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl StdError for NetError {}

/// Why a fetch did not produce a response: a network error, or one of
/// Electron's redirect-policy outcomes (`lib/common/api/net-client-request.ts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    Net(NetError),
    /// `redirect: 'error'` met a redirect.
    RedirectForbidden,
    /// `redirect: 'manual'` met a redirect that nobody followed.
    RedirectCancelled,
}

impl FetchError {
    /// The message of the `Error` JavaScript receives.
    pub fn message(&self) -> &'static str {
        match self {
            FetchError::Net(e) => e.name(),
            FetchError::RedirectForbidden => {
                "Attempted to redirect, but redirect policy was 'error'"
            }
            FetchError::RedirectCancelled => "Redirect was cancelled",
        }
    }
}

impl From<NetError> for FetchError {
    fn from(e: NetError) -> Self {
        FetchError::Net(e)
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl StdError for FetchError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_kinds_and_tls_errors_map_to_chromium_codes() {
        use std::io::{Error, ErrorKind};
        let rows: &[(std::io::Error, NetError)] = &[
            (
                Error::from(ErrorKind::ConnectionRefused),
                NetError::ConnectionRefused,
            ),
            (
                Error::from(ErrorKind::ConnectionReset),
                NetError::ConnectionReset,
            ),
            (Error::from(ErrorKind::TimedOut), NetError::TimedOut),
            (
                Error::new(
                    ErrorKind::InvalidData,
                    rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
                ),
                NetError::CertAuthorityInvalid,
            ),
            (
                Error::new(
                    ErrorKind::InvalidData,
                    rustls::Error::InvalidCertificate(rustls::CertificateError::Expired),
                ),
                NetError::CertDateInvalid,
            ),
            (
                Error::new(
                    ErrorKind::InvalidData,
                    rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName),
                ),
                NetError::CertCommonNameInvalid,
            ),
            (
                Error::other("dns error: failed to lookup address information"),
                NetError::NameNotResolved,
            ),
        ];
        for (err, want) in rows {
            assert_eq!(NetError::classify(err, false), *want, "{err}");
        }
        assert_eq!(
            NetError::ConnectionRefused.name(),
            "net::ERR_CONNECTION_REFUSED"
        );
        assert_eq!(
            FetchError::RedirectCancelled.message(),
            "Redirect was cancelled"
        );
    }
}

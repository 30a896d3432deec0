//! TLS for a session: protocol versions and cipher suites from `setSSLConfig`,
//! and certificate verification (rustls' WebPKI verifier, Mozilla's and the
//! platform's roots, the `ignore-certificate-errors` switch, and the
//! session's certificate verify procedure).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme, SupportedCipherSuite};

use super::cert::{CertVerifyRequest, Certificate};
use super::NetError;
use crate::hooks::SharedHook;
use crate::{Error, Result};

/// A TLS protocol version, by Electron's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    Tls1,
    Tls11,
    Tls12,
    Tls13,
}

impl TlsVersion {
    fn parse(s: &str) -> Option<TlsVersion> {
        match s {
            "tls1" => Some(TlsVersion::Tls1),
            "tls1.1" => Some(TlsVersion::Tls11),
            "tls1.2" => Some(TlsVersion::Tls12),
            "tls1.3" => Some(TlsVersion::Tls13),
            _ => None,
        }
    }
}

/// `ses.setSSLConfig(config)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SslConfig {
    /// Default is `tls1`; rustls speaks nothing older than TLS 1.2, so `tls1`
    /// and `tls1.1` allow TLS 1.2 and up.
    pub min_version: TlsVersion,
    /// Default is `tls1.3`.
    pub max_version: TlsVersion,
    /// IANA ids (`0xC02F`) of TLS 1.2 suites never to offer. TLS 1.3 suites
    /// cannot be disabled, as in Chromium.
    pub disabled_cipher_suites: Vec<u16>,
}

impl Default for SslConfig {
    fn default() -> Self {
        SslConfig {
            min_version: TlsVersion::Tls1,
            max_version: TlsVersion::Tls13,
            disabled_cipher_suites: Vec::new(),
        }
    }
}

impl SslConfig {
    /// Builds a config from `setSSLConfig`'s fields, unset ones at their defaults.
    ///
    /// # Errors
    /// `InvalidArgument` naming the field: an unknown version name, a
    /// `maxVersion` older than TLS 1.2 or older than `minVersion`.
    pub fn new(
        min: Option<&str>,
        max: Option<&str>,
        disabled_cipher_suites: Vec<u16>,
    ) -> Result<SslConfig> {
        let mut c = SslConfig {
            disabled_cipher_suites,
            ..SslConfig::default()
        };
        if let Some(m) = min {
            c.min_version = TlsVersion::parse(m).ok_or_else(|| {
                Error::invalid_argument(format!("Invalid value for config.minVersion: '{m}' (expected 'tls1', 'tls1.1', 'tls1.2' or 'tls1.3')"))
            })?;
        }
        if let Some(m) = max {
            c.max_version = TlsVersion::parse(m).filter(|v| *v >= TlsVersion::Tls12).ok_or_else(|| {
                Error::invalid_argument(format!("Invalid value for config.maxVersion: '{m}' (expected 'tls1.2' or 'tls1.3')"))
            })?;
        }
        if c.max_version < c.min_version {
            return Err(Error::invalid_argument(
                "Invalid SSL config: maxVersion is older than minVersion",
            ));
        }
        Ok(c)
    }

    fn versions(&self) -> Vec<&'static rustls::SupportedProtocolVersion> {
        let mut v = Vec::new();
        if self.max_version >= TlsVersion::Tls13 {
            v.push(&rustls::version::TLS13);
        }
        if self.min_version <= TlsVersion::Tls12 {
            v.push(&rustls::version::TLS12);
        }
        v
    }

    fn provider(&self) -> CryptoProvider {
        let mut p = rustls::crypto::ring::default_provider();
        p.cipher_suites.retain(|s| match s {
            SupportedCipherSuite::Tls13(_) => true,
            SupportedCipherSuite::Tls12(_) => {
                !self.disabled_cipher_suites.contains(&u16::from(s.suite()))
            }
        });
        p
    }
}

/// The roots every session trusts: Mozilla's, plus the platform's (which
/// honour `SSL_CERT_FILE` / `SSL_CERT_DIR`).
fn roots() -> Arc<rustls::RootCertStore> {
    static ROOTS: std::sync::OnceLock<Arc<rustls::RootCertStore>> = std::sync::OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let mut roots = rustls::RootCertStore::empty();
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
            Arc::new(roots)
        })
        .clone()
}

/// What the certificate verify procedure answers: `0` accept, `-3` use the
/// default verification, any other value a (negative) net error code.
pub type VerifyProc = SharedHook<CertVerifyRequest, i32>;

/// Verifies server certificates for one session.
pub struct SessionVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    ignore_errors: bool,
    verify_proc: Option<VerifyProc>,
    /// Verify-procedure answers by (hostname, certificate): Electron's network
    /// service caches them too.
    cache: Mutex<HashMap<(String, Vec<u8>), Result<(), NetError>>>,
}

impl std::fmt::Debug for SessionVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionVerifier")
            .field("ignore_errors", &self.ignore_errors)
            .field("verify_proc", &self.verify_proc.is_some())
            .finish()
    }
}

impl SessionVerifier {
    fn new(
        provider: Arc<CryptoProvider>,
        ignore_errors: bool,
        verify_proc: Option<VerifyProc>,
    ) -> std::result::Result<SessionVerifier, NetError> {
        let webpki = WebPkiServerVerifier::builder_with_provider(roots(), provider)
            .build()
            .map_err(|_| NetError::CertInvalid)?;
        Ok(SessionVerifier {
            webpki,
            ignore_errors,
            verify_proc,
            cache: Mutex::new(HashMap::new()),
        })
    }

    fn ask(
        &self,
        proc_: &VerifyProc,
        request: CertVerifyRequest,
    ) -> std::result::Result<(), NetError> {
        let key = (request.hostname.clone(), request.certificate.der.clone());
        if let Some(cached) = self.cache.lock().unwrap().get(&key) {
            return *cached;
        }
        let default = request.default_result;
        let answer = wait(proc_.call(request));
        let result = match answer {
            Ok(0) => Ok(()),
            Ok(-3) => default,
            Ok(code) => Err(NetError::from_code(code).unwrap_or(NetError::Failed)),
            // A procedure that throws refuses the certificate.
            Err(_) => Err(NetError::Failed),
        };
        self.cache.lock().unwrap().insert(key, result);
        result
    }
}

/// Runs `fut` to completion from synchronous code (rustls verifies
/// synchronously; the verify procedure answers asynchronously). The future
/// needs no runtime of its own: it waits on a JavaScript answer.
fn wait<F: std::future::Future + Send>(fut: F) -> F::Output
where
    F::Output: Send,
{
    let run = || {
        std::thread::scope(|s| {
            s.spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a current-thread runtime")
                    .block_on(fut)
            })
            .join()
            .expect("the verify procedure's waiter panicked")
        })
    };
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(run)
        }
        _ => run(),
    }
}

fn tls_error(e: NetError) -> rustls::Error {
    rustls::Error::InvalidCertificate(rustls::CertificateError::Other(rustls::OtherError(
        Arc::new(e),
    )))
}

impl ServerCertVerifier for SessionVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verdict = self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        if self.ignore_errors {
            return Ok(ServerCertVerified::assertion());
        }
        let Some(proc_) = &self.verify_proc else {
            return verdict;
        };
        let default_result = verdict.as_ref().map(|_| ()).map_err(NetError::from_tls);
        let request = CertVerifyRequest {
            hostname: server_name.to_str().into_owned(),
            certificate: Certificate::from_chain(end_entity, intermediates),
            default_result,
        };
        self.ask(proc_, request)
            .map(|_| ServerCertVerified::assertion())
            .map_err(tls_error)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// The rustls client configuration for a session's new connections.
pub fn client_config(
    ssl: &SslConfig,
    ignore_errors: bool,
    verify_proc: Option<VerifyProc>,
) -> std::result::Result<rustls::ClientConfig, NetError> {
    let provider = Arc::new(ssl.provider());
    let verifier = Arc::new(SessionVerifier::new(
        provider.clone(),
        ignore_errors,
        verify_proc,
    )?);
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&ssl.versions())
        .map_err(|_| NetError::SslVersionOrCipherMismatch)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_config_fields() {
        assert_eq!(
            SslConfig::new(None, None, vec![]).unwrap(),
            SslConfig::default()
        );
        let c = SslConfig::new(Some("tls1.3"), Some("tls1.3"), vec![0xC02F]).unwrap();
        assert_eq!(c.versions(), vec![&rustls::version::TLS13]);
        let c = SslConfig::new(Some("tls1"), Some("tls1.2"), vec![]).unwrap();
        assert_eq!(c.versions(), vec![&rustls::version::TLS12]);
        let bad: &[(Option<&str>, Option<&str>, &str)] = &[
            (Some("tls0"), None, "config.minVersion"),
            (None, Some("tls1.1"), "config.maxVersion"),
            (None, Some("ssl3"), "config.maxVersion"),
            (Some("tls1.3"), Some("tls1.2"), "maxVersion is older"),
        ];
        for (min, max, mentions) in bad {
            let e = SslConfig::new(*min, *max, vec![]).unwrap_err();
            assert!(
                e.is_invalid_argument() && e.message().contains(mentions),
                "{e}"
            );
        }
    }

    // Rule: disabled ids remove TLS 1.2 suites only.
    #[test]
    fn disabled_cipher_suites_spare_tls13() {
        let all = SslConfig::default().provider().cipher_suites.len();
        let c = SslConfig::new(None, None, vec![0xC02F, 0xC02B, 0x1301]).unwrap();
        let left: Vec<u16> = c
            .provider()
            .cipher_suites
            .iter()
            .map(|s| u16::from(s.suite()))
            .collect();
        assert_eq!(left.len(), all - 2);
        assert!(left.contains(&0x1301), "TLS 1.3 suites cannot be disabled");
        assert!(!left.contains(&0xC02F) && !left.contains(&0xC02B));
    }
}

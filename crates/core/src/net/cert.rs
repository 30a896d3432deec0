//! Server certificates as Electron describes them (`structures/certificate.md`,
//! `shell/common/gin_converters/net_converter.cc`), and the request the
//! certificate verify procedure receives.

use base64::Engine as _;
use rustls::pki_types::CertificateDer;
use serde_json::{json, Value};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use super::NetError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Principal {
    pub common_name: String,
    pub organizations: Vec<String>,
    pub organization_units: Vec<String>,
    pub locality: String,
    pub state: String,
    pub country: String,
}

impl Principal {
    fn from_name(name: &X509Name<'_>) -> Principal {
        let all = |it: &mut dyn Iterator<Item = &x509_parser::x509::AttributeTypeAndValue<'_>>| -> Vec<String> {
            it.filter_map(|a| a.as_str().ok().map(String::from)).collect()
        };
        let first = |v: Vec<String>| v.into_iter().next().unwrap_or_default();
        Principal {
            common_name: first(all(&mut name.iter_common_name())),
            organizations: all(&mut name.iter_organization()),
            organization_units: all(&mut name.iter_organizational_unit()),
            locality: first(all(&mut name.iter_locality())),
            state: first(all(&mut name.iter_state_or_province())),
            country: first(all(&mut name.iter_country())),
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "commonName": self.common_name,
            "organizations": self.organizations,
            "organizationUnits": self.organization_units,
            "locality": self.locality,
            "state": self.state,
            "country": self.country,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub der: Vec<u8>,
    pub issuer: Principal,
    pub subject: Principal,
    /// Upper-case hex of the serial number's bytes.
    pub serial_number: String,
    /// Seconds since the Unix epoch.
    pub valid_start: i64,
    pub valid_expiry: i64,
    /// The next certificate of the chain, when this one is not self-signed.
    pub issuer_cert: Option<Box<Certificate>>,
}

impl Certificate {
    /// The first certificate of a chain as presented, each linked to its
    /// issuer among `rest`. Unparsable certificates keep their bytes and empty
    /// fields.
    pub fn from_chain(first: &CertificateDer<'_>, rest: &[CertificateDer<'_>]) -> Certificate {
        let parsed = X509Certificate::from_der(first.as_ref())
            .ok()
            .map(|(_, c)| c);
        let Some(c) = parsed else {
            return Certificate {
                der: first.to_vec(),
                issuer: Principal::default(),
                subject: Principal::default(),
                serial_number: String::new(),
                valid_start: 0,
                valid_expiry: 0,
                issuer_cert: None,
            };
        };
        let self_signed = c.issuer().as_raw() == c.subject().as_raw();
        let issuer_cert = if self_signed {
            None
        } else {
            rest.iter()
                .position(|r| {
                    X509Certificate::from_der(r.as_ref())
                        .is_ok_and(|(_, ic)| ic.subject().as_raw() == c.issuer().as_raw())
                })
                .map(|i| {
                    let mut others = rest.to_vec();
                    let issuer = others.remove(i);
                    Box::new(Certificate::from_chain(&issuer, &others))
                })
        };
        Certificate {
            der: first.to_vec(),
            issuer: Principal::from_name(c.issuer()),
            subject: Principal::from_name(c.subject()),
            serial_number: c.raw_serial().iter().map(|b| format!("{b:02X}")).collect(),
            valid_start: c.validity().not_before.timestamp(),
            valid_expiry: c.validity().not_after.timestamp(),
            issuer_cert,
        }
    }

    /// PEM, 64 base64 characters a line.
    pub fn pem(&self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.der);
        let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).expect("base64 is ASCII"));
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
        out
    }

    /// Chromium's `sha256/<base64>` fingerprint of the whole certificate.
    pub fn fingerprint(&self) -> String {
        let digest = ring::digest::digest(&ring::digest::SHA256, &self.der);
        format!(
            "sha256/{}",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        )
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "data": self.pem(),
            "issuer": self.issuer.to_json(),
            "issuerName": self.issuer.common_name,
            "subject": self.subject.to_json(),
            "subjectName": self.subject.common_name,
            "serialNumber": self.serial_number,
            "validStart": self.valid_start,
            "validExpiry": self.valid_expiry,
            "fingerprint": self.fingerprint(),
        });
        if let Some(issuer) = &self.issuer_cert {
            v["issuerCert"] = issuer.to_json();
        }
        v
    }
}

/// What `setCertificateVerifyProc`'s procedure is asked.
#[derive(Debug, Clone)]
pub struct CertVerifyRequest {
    pub hostname: String,
    pub certificate: Certificate,
    /// The session's own verdict on the certificate.
    pub default_result: Result<(), NetError>,
}

impl CertVerifyRequest {
    pub fn to_json(&self) -> Value {
        let cert = self.certificate.to_json();
        json!({
            "hostname": self.hostname,
            "certificate": cert,
            "validatedCertificate": cert,
            "isIssuedByKnownRoot": self.default_result.is_ok(),
            "verificationResult": match self.default_result { Ok(()) => "net::OK", Err(e) => e.name() },
            "errorCode": match self.default_result { Ok(()) => 0, Err(e) => e.code() },
        })
    }
}

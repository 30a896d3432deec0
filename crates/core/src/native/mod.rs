//! Start-up checks of every native backend compiled into the addon: storage
//! (SQLite), TLS (rustls), HTTP (httparse and hyper), devices (HID, serial, USB,
//! Bluetooth) and spell-checking (Hunspell dictionaries through spellbook).
//!
//! Each probe really starts its backend and reports what it found, or the
//! clean error it gave (a machine with no USB bus or no D-Bus is normal). A
//! probe never panics past this module and never hangs: each is bounded.

use std::sync::Arc;
use std::time::Duration;

/// One backend's outcome: `Ok(summary)` or `Err(reason)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendStatus {
    pub name: &'static str,
    pub result: Result<String, String>,
}

const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs every probe and returns their outcomes, in a fixed order.
pub async fn probe_backends() -> Vec<BackendStatus> {
    let blocking: [(&'static str, fn() -> Result<String, String>); 7] = [
        ("sqlite", probe_sqlite),
        ("rustls", probe_rustls),
        ("http", probe_http),
        ("hidapi", probe_hid),
        ("serialport", probe_serial),
        ("libusb", probe_usb),
        ("spellbook", probe_spellbook),
    ];
    let mut out = Vec::new();
    for (name, probe) in blocking {
        let task = tokio::task::spawn_blocking(move || std::panic::catch_unwind(probe));
        let result = match tokio::time::timeout(PROBE_TIMEOUT, task).await {
            Ok(Ok(Ok(r))) => r,
            Ok(Ok(Err(_))) | Ok(Err(_)) => Err("the backend panicked".to_string()),
            Err(_) => Err("the backend did not answer in time".to_string()),
        };
        out.push(BackendStatus { name, result });
    }
    let bt = tokio::spawn(probe_bluetooth());
    let result = match tokio::time::timeout(PROBE_TIMEOUT, bt).await {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => Err("the backend panicked".to_string()),
        Err(_) => Err("the backend did not answer in time".to_string()),
    };
    out.push(BackendStatus {
        name: "btleplug",
        result,
    });
    out
}

fn probe_sqlite() -> Result<String, String> {
    let conn = rusqlite::Connection::open_in_memory().map_err(|e| e.to_string())?;
    let v: String = conn
        .query_row("select sqlite_version()", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    Ok(format!("SQLite {v}"))
}

fn tls_config() -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth())
}

fn probe_rustls() -> Result<String, String> {
    let config = tls_config()?;
    let suites = config.crypto_provider().cipher_suites.len();
    Ok(format!("rustls with ring, {suites} cipher suites"))
}

fn probe_http() -> Result<String, String> {
    let mut headers = [httparse::EMPTY_HEADER; 4];
    let mut resp = httparse::Response::new(&mut headers);
    resp.parse(b"HTTP/1.1 204 No Content\r\nServer: probe\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let _builder = hyper::client::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new());
    Ok(format!("HTTP/1.1 parser ({}), HTTP/2 client", resp.code.unwrap_or(0)))
}

fn probe_hid() -> Result<String, String> {
    let api = hidapi::HidApi::new().map_err(|e| e.to_string())?;
    Ok(format!("{} HID devices", api.device_list().count()))
}

fn probe_serial() -> Result<String, String> {
    let ports = serialport::available_ports().map_err(|e| e.to_string())?;
    Ok(format!("{} serial ports", ports.len()))
}

fn probe_usb() -> Result<String, String> {
    use rusb::UsbContext;
    let ctx = rusb::Context::new().map_err(|e| e.to_string())?;
    let devices = ctx.devices().map_err(|e| e.to_string())?;
    Ok(format!("{} USB devices", devices.len()))
}

fn probe_spellbook() -> Result<String, String> {
    // A two-word Hunspell dictionary with one suffix rule.
    let aff = "SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n";
    let dic = "2\nsession/S\ncookie/S\n";
    let dict = spellbook::Dictionary::new(aff, dic).map_err(|e| e.to_string())?;
    if dict.check("sessions") && dict.check("cookie") && !dict.check("sesion") {
        Ok("Hunspell dictionaries".to_string())
    } else {
        Err("spellbook gave wrong answers on its probe dictionary".to_string())
    }
}

async fn probe_bluetooth() -> Result<String, String> {
    use btleplug::api::Manager as _;
    let manager = btleplug::platform::Manager::new()
        .await
        .map_err(|e| e.to_string())?;
    let adapters = manager.adapters().await.map_err(|e| e.to_string())?;
    Ok(format!("{} Bluetooth adapters", adapters.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Rule: every backend starts, or fails with a clean error; the storage,
    // TLS, HTTP and spell-checking backends need no hardware and must start.
    #[tokio::test]
    async fn every_backend_starts_or_fails_cleanly() {
        let statuses = probe_backends().await;
        let names: Vec<_> = statuses.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "sqlite",
                "rustls",
                "http",
                "hidapi",
                "serialport",
                "libusb",
                "spellbook",
                "btleplug"
            ]
        );
        for s in &statuses {
            if let Err(reason) = &s.result {
                assert!(
                    !reason.contains("panicked") && !reason.contains("in time"),
                    "{}: {reason}",
                    s.name
                );
            }
        }
        for must in ["sqlite", "rustls", "http", "spellbook"] {
            let s = statuses.iter().find(|s| s.name == must).unwrap();
            assert!(s.result.is_ok(), "{must}: {:?}", s.result);
        }
        assert!(statuses[0]
            .result
            .as_ref()
            .unwrap()
            .starts_with("SQLite 3."));
    }
}

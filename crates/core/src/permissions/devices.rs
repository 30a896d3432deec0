//! Devices granted to origins through device selection, kept in memory as in
//! Electron (`ElectronBrowserContext::{Grant,Check}DevicePermission`).

use serde_json::Value;

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceType {
    Hid,
    Serial,
    Usb,
}

impl DeviceType {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceType::Hid => "hid",
            DeviceType::Serial => "serial",
            DeviceType::Usb => "usb",
        }
    }

    /// # Errors
    /// `InvalidArgument` for anything but `hid`, `serial` or `usb`.
    pub fn parse(s: &str) -> Result<DeviceType> {
        match s {
            "hid" => Ok(DeviceType::Hid),
            "serial" => Ok(DeviceType::Serial),
            "usb" => Ok(DeviceType::Usb),
            _ => Err(Error::invalid_argument(format!(
                "Invalid deviceType: '{s}' (expected 'hid', 'serial' or 'usb')"
            ))),
        }
    }
}

#[derive(Default)]
pub struct GrantedDevices {
    grants: Vec<(String, DeviceType, Value)>,
}

impl GrantedDevices {
    pub fn grant(&mut self, origin: &str, device_type: DeviceType, device: Value) {
        if !self.is_granted(origin, device_type, &device) {
            self.grants.push((origin.to_string(), device_type, device));
        }
    }

    pub fn revoke(&mut self, origin: &str, device_type: DeviceType, device: &Value) {
        self.grants.retain(|(o, t, d)| {
            !(o == origin && *t == device_type && same_device(d, device, device_type))
        });
    }

    pub fn is_granted(&self, origin: &str, device_type: DeviceType, device: &Value) -> bool {
        self.grants.iter().any(|(o, t, d)| {
            o == origin && *t == device_type && same_device(d, device, device_type)
        })
    }
}

/// Electron's `DoesDeviceMatch`: HID and USB devices are the same device when
/// vendor id, product id and a (present) serial number agree — a device with
/// no serial number is never recognised again; serial ports when vendor and
/// product id agree and their serial numbers do not differ.
fn same_device(granted: &Value, device: &Value, device_type: DeviceType) -> bool {
    let field = |v: &Value, k: &str| v.get(k).cloned();
    let ids_match = field(granted, "vendorId") == field(device, "vendorId")
        && field(granted, "productId") == field(device, "productId");
    let serial = |v: &Value| {
        v.get("serialNumber")
            .and_then(Value::as_str)
            .map(String::from)
    };
    match device_type {
        DeviceType::Hid | DeviceType::Usb => {
            ids_match && matches!((serial(granted), serial(device)), (Some(a), Some(b)) if a == b)
        }
        DeviceType::Serial => {
            ids_match && !matches!((serial(granted), serial(device)), (Some(a), Some(b)) if a != b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Rule: HID/USB need vendor, product and an equal serial number; serial
    // ports need vendor and product and no conflicting serial number.
    #[test]
    fn device_identity() {
        let hid = json!({ "vendorId": 1, "productId": 2, "serialNumber": "A" });
        let rows: &[(DeviceType, Value, Value, bool, &str)] = &[
            (
                DeviceType::Hid,
                hid.clone(),
                json!({ "vendorId": 1, "productId": 2, "serialNumber": "A", "name": "x" }),
                true,
                "same ids and serial",
            ),
            (
                DeviceType::Hid,
                hid.clone(),
                json!({ "vendorId": 1, "productId": 2, "serialNumber": "B" }),
                false,
                "other serial",
            ),
            (
                DeviceType::Hid,
                json!({ "vendorId": 1, "productId": 2 }),
                json!({ "vendorId": 1, "productId": 2 }),
                false,
                "no serial: never recognised",
            ),
            (
                DeviceType::Usb,
                hid.clone(),
                json!({ "vendorId": 1, "productId": 3, "serialNumber": "A" }),
                false,
                "other product",
            ),
            (
                DeviceType::Serial,
                json!({ "vendorId": "1", "productId": "2" }),
                json!({ "vendorId": "1", "productId": "2", "serialNumber": "Z" }),
                true,
                "serial without conflict",
            ),
            (
                DeviceType::Serial,
                json!({ "vendorId": "1", "productId": "2", "serialNumber": "Y" }),
                json!({ "vendorId": "1", "productId": "2", "serialNumber": "Z" }),
                false,
                "serial conflict",
            ),
        ];
        for (t, granted, probe, want, why) in rows {
            assert_eq!(same_device(granted, probe, *t), *want, "{why}");
        }
    }

    #[test]
    fn grants_are_per_origin_and_type_and_revocable() {
        let mut g = GrantedDevices::default();
        let d = json!({ "vendorId": 1, "productId": 2, "serialNumber": "A" });
        g.grant("https://a.test", DeviceType::Hid, d.clone());
        assert!(g.is_granted("https://a.test", DeviceType::Hid, &d));
        assert!(
            !g.is_granted("https://b.test", DeviceType::Hid, &d),
            "other origin"
        );
        assert!(
            !g.is_granted("https://a.test", DeviceType::Usb, &d),
            "other type"
        );
        g.revoke("https://a.test", DeviceType::Hid, &d);
        assert!(!g.is_granted("https://a.test", DeviceType::Hid, &d));
    }

    #[test]
    fn device_type_names() {
        for t in [DeviceType::Hid, DeviceType::Serial, DeviceType::Usb] {
            assert_eq!(DeviceType::parse(t.as_str()).unwrap(), t);
        }
        assert!(DeviceType::parse("bluetooth")
            .unwrap_err()
            .is_invalid_argument());
    }
}

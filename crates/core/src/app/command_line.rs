//! `app.commandLine`: switches the app appends before first use. Network
//! switches (`host-resolver-rules`, `ignore-certificate-errors`,
//! `disable-http-cache`, …) are read by the parts of the core they concern.

use std::sync::RwLock;

#[derive(Default)]
pub struct CommandLine {
    /// In insertion order; a switch appended twice keeps its latest value, as
    /// Chromium's `base::CommandLine` does.
    switches: RwLock<Vec<(String, String)>>,
    arguments: RwLock<Vec<String>>,
}

impl CommandLine {
    pub fn append_switch(&self, name: &str, value: &str) {
        let mut switches = self.switches.write().unwrap();
        match switches.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value.to_string(),
            None => switches.push((name.to_string(), value.to_string())),
        }
    }

    pub fn has_switch(&self, name: &str) -> bool {
        self.switches.read().unwrap().iter().any(|(n, _)| n == name)
    }

    /// The switch's value; empty when it is absent or has no value.
    pub fn switch_value(&self, name: &str) -> String {
        self.switches
            .read()
            .unwrap()
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Adds a plain argument (not a switch) to the command line.
    pub fn append_argument(&self, value: &str) {
        self.arguments.write().unwrap().push(value.to_string());
    }

    pub fn arguments(&self) -> Vec<String> {
        self.arguments.read().unwrap().clone()
    }

    pub fn remove_switch(&self, name: &str) {
        self.switches.write().unwrap().retain(|(n, _)| n != name);
    }
}

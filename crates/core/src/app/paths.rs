//! Electron's path names and their Linux defaults (Chromium's `base/nix/xdg_util`
//! and `chrome/common/chrome_paths_linux.cc` decide them there).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The names `app.getPath` / `app.setPath` accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathName {
    Home,
    AppData,
    UserData,
    SessionData,
    Temp,
    Downloads,
    Desktop,
    Documents,
    Music,
    Pictures,
    Videos,
    Logs,
    CrashDumps,
}

impl PathName {
    pub const ALL: [PathName; 13] = [
        PathName::Home,
        PathName::AppData,
        PathName::UserData,
        PathName::SessionData,
        PathName::Temp,
        PathName::Downloads,
        PathName::Desktop,
        PathName::Documents,
        PathName::Music,
        PathName::Pictures,
        PathName::Videos,
        PathName::Logs,
        PathName::CrashDumps,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PathName::Home => "home",
            PathName::AppData => "appData",
            PathName::UserData => "userData",
            PathName::SessionData => "sessionData",
            PathName::Temp => "temp",
            PathName::Downloads => "downloads",
            PathName::Desktop => "desktop",
            PathName::Documents => "documents",
            PathName::Music => "music",
            PathName::Pictures => "pictures",
            PathName::Videos => "videos",
            PathName::Logs => "logs",
            PathName::CrashDumps => "crashDumps",
        }
    }

    pub fn parse(name: &str) -> Option<PathName> {
        PathName::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// The environment paths are derived from; captured once so tests can supply
/// their own.
#[derive(Debug, Clone, Default)]
pub(crate) struct Environment {
    pub home: Option<PathBuf>,
    pub vars: HashMap<String, String>,
}

impl Environment {
    pub fn from_process() -> Environment {
        let vars = ["HOME", "XDG_CONFIG_HOME", "TMPDIR"]
            .into_iter()
            .filter_map(|k| {
                std::env::var(k)
                    .ok()
                    .filter(|v| !v.is_empty())
                    .map(|v| (k.to_string(), v))
            })
            .collect();
        Environment {
            home: std::env::home_dir(),
            vars,
        }
    }

    fn var(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    fn home(&self) -> Option<PathBuf> {
        self.var("HOME")
            .map(PathBuf::from)
            .or_else(|| self.home.clone())
    }

    /// `$XDG_CONFIG_HOME`, or `~/.config`; a relative value is ignored as the
    /// XDG spec requires.
    fn config_home(&self) -> Option<PathBuf> {
        match self.var("XDG_CONFIG_HOME").map(PathBuf::from) {
            Some(p) if p.is_absolute() => Some(p),
            _ => Some(self.home()?.join(".config")),
        }
    }

    pub fn default_path(&self, key: PathName) -> Option<PathBuf> {
        match key {
            PathName::Home => self.home(),
            PathName::AppData => self.config_home(),
            PathName::Temp => Some(
                self.var("TMPDIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("/tmp")),
            ),
            PathName::Downloads => self.user_dir("DOWNLOAD", "Downloads"),
            PathName::Desktop => self.user_dir("DESKTOP", "Desktop"),
            PathName::Documents => self.user_dir("DOCUMENTS", "Documents"),
            PathName::Music => self.user_dir("MUSIC", "Music"),
            PathName::Pictures => self.user_dir("PICTURES", "Pictures"),
            PathName::Videos => self.user_dir("VIDEOS", "Videos"),
            // Derived from other paths by `App`.
            PathName::UserData | PathName::SessionData | PathName::Logs | PathName::CrashDumps => {
                None
            }
        }
    }

    /// An XDG user directory (`XDG_<KIND>_DIR` in `user-dirs.dirs`), falling
    /// back to `~/<fallback>` as `xdg-user-dir` does.
    fn user_dir(&self, kind: &str, fallback: &str) -> Option<PathBuf> {
        let home = self.home()?;
        let configured = self
            .config_home()
            .and_then(|c| std::fs::read_to_string(c.join("user-dirs.dirs")).ok())
            .and_then(|text| parse_user_dirs(&text, kind, &home));
        Some(configured.unwrap_or_else(|| home.join(fallback)))
    }
}

/// Finds `XDG_<kind>_DIR="…"` in a `user-dirs.dirs` file. Values are either
/// absolute or start with `$HOME/`, per the file's format.
pub(crate) fn parse_user_dirs(text: &str, kind: &str, home: &Path) -> Option<PathBuf> {
    let key = format!("XDG_{kind}_DIR=");
    let line = text.lines().map(str::trim).find(|l| l.starts_with(&key))?;
    let value = line[key.len()..]
        .trim()
        .strip_prefix('"')?
        .strip_suffix('"')?;
    if let Some(rest) = value.strip_prefix("$HOME") {
        let rest = rest.trim_start_matches('/');
        // `$HOME/` alone means the home directory itself, which xdg-user-dir
        // reports as "disabled"; fall back like it does.
        return if rest.is_empty() {
            None
        } else {
            Some(home.join(rest))
        };
    }
    let p = PathBuf::from(value);
    p.is_absolute().then_some(p)
}

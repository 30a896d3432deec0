//! The application: its name and version, its well-known paths and its
//! command-line switches — what Electron's `app` module holds that sessions
//! depend on.
//!
//! There is one [`App`] per process ([`App::global`]), as in Electron; tests
//! build their own with [`App::new`].

mod command_line;
mod paths;

use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

pub use command_line::CommandLine;
pub use paths::PathName;

use crate::{Error, Result};

/// Name used when no `package.json` names the app (Electron's own product name).
pub const DEFAULT_APP_NAME: &str = "Electron";

pub struct App {
    state: RwLock<AppState>,
    command_line: CommandLine,
}

struct AppState {
    name: String,
    version: String,
    /// Paths set with `setPath`; everything else is derived on each read.
    overrides: Vec<(PathName, PathBuf)>,
    env: paths::Environment,
}

/// What the nearest `package.json` says about the app.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    pub name: Option<String>,
    pub version: Option<String>,
}

impl PackageInfo {
    /// Reads the first `package.json` found in `dir` or one of its ancestors.
    /// `productName` wins over `name`, as in Electron. Unreadable or malformed
    /// files are skipped, never fatal.
    pub fn discover(dir: &Path) -> PackageInfo {
        for d in dir.ancestors() {
            let file = d.join("package.json");
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            let field = |k: &str| {
                json.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            return PackageInfo {
                name: field("productName").or_else(|| field("name")),
                version: field("version"),
            };
        }
        PackageInfo::default()
    }
}

impl App {
    /// An app named after `package`, resolving paths from `env`.
    fn with(package: PackageInfo, env: paths::Environment) -> App {
        App {
            state: RwLock::new(AppState {
                name: package.name.unwrap_or_else(|| DEFAULT_APP_NAME.to_string()),
                version: package
                    .version
                    .unwrap_or_else(|| crate::ELECTRON_VERSION.to_string()),
                overrides: Vec::new(),
                env,
            }),
            command_line: CommandLine::default(),
        }
    }

    /// An app described by `package`, with paths from this process's environment.
    pub fn new(package: PackageInfo) -> App {
        App::with(package, paths::Environment::from_process())
    }

    /// The process-wide app, named from the `package.json` nearest to the
    /// current working directory.
    pub fn global() -> &'static App {
        static APP: OnceLock<App> = OnceLock::new();
        APP.get_or_init(|| {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
            App::new(PackageInfo::discover(&cwd))
        })
    }

    pub fn name(&self) -> String {
        self.state.read().unwrap().name.clone()
    }

    /// Renames the app. Paths derived from the name (`userData`, …) follow,
    /// unless they were set explicitly.
    pub fn set_name(&self, name: &str) {
        self.state.write().unwrap().name = name.to_string();
    }

    pub fn version(&self) -> String {
        self.state.read().unwrap().version.clone()
    }

    pub fn command_line(&self) -> &CommandLine {
        &self.command_line
    }

    /// The path called `name` (`userData`, `downloads`, …).
    ///
    /// # Errors
    /// `Failed to get '<name>' path` for a name Electron does not know, or a
    /// path this machine cannot provide (no home directory).
    pub fn get_path(&self, name: &str) -> Result<PathBuf> {
        let fail = || Error::failed(format!("Failed to get '{name}' path"));
        let key = PathName::parse(name).ok_or_else(fail)?;
        self.path(key).ok_or_else(fail)
    }

    /// The path for `key`: an override if one was set, else the default.
    pub fn path(&self, key: PathName) -> Option<PathBuf> {
        let state = self.state.read().unwrap();
        state.resolve(key)
    }

    /// Overrides the path called `name`.
    ///
    /// # Errors
    /// `Path must be absolute: <path>` for a relative path; `Failed to set path`
    /// for an unknown name.
    pub fn set_path(&self, name: &str, path: &Path) -> Result<()> {
        if !path.is_absolute() {
            return Err(Error::failed(format!(
                "Path must be absolute: {}",
                path.display()
            )));
        }
        let key = PathName::parse(name).ok_or_else(|| Error::failed("Failed to set path"))?;
        let mut state = self.state.write().unwrap();
        state.overrides.retain(|(k, _)| *k != key);
        state.overrides.push((key, path.to_path_buf()));
        Ok(())
    }
}

impl AppState {
    fn resolve(&self, key: PathName) -> Option<PathBuf> {
        if let Some((_, p)) = self.overrides.iter().find(|(k, _)| *k == key) {
            return Some(p.clone());
        }
        match key {
            PathName::UserData => Some(self.resolve(PathName::AppData)?.join(&self.name)),
            PathName::SessionData => self.resolve(PathName::UserData),
            PathName::Logs => Some(self.resolve(PathName::UserData)?.join("logs")),
            PathName::CrashDumps => Some(self.resolve(PathName::UserData)?.join("Crashpad")),
            other => self.env.default_path(other),
        }
    }
}

#[cfg(test)]
mod tests;

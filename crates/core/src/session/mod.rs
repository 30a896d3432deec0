//! Sessions: one per partition (or per path), each with its own storage
//! location, settings and permission handlers. Follows Electron's
//! `ElectronBrowserContext` (`shell/browser/electron_browser_context.cc`).

mod cookies;
mod partition;
mod preload;
mod user_agent;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

pub use cookies::{CookieChangeListener, SessionCookies, Validity};
pub use partition::partition_directory_name;
pub use preload::{random_id as random_preload_id, PreloadKind, PreloadScript, PreloadScripts};
pub use user_agent::{accept_language_header, default_accept_languages, default_user_agent};

use crate::app::{App, PathName};
use crate::download::DownloadManager;
use crate::net::{HostResolverRules, NetworkContext, NetworkSwitches};
use crate::proxy::ProxySettings;
use crate::netlog::NetLog;
use crate::permissions::PermissionManager;
use crate::web_request::WebRequest;
use crate::protocol::ProtocolRegistry;
use crate::{Error, Result};

const PERSIST_PREFIX: &str = "persist:";

/// Options of `fromPartition` / `fromPath`.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Whether the HTTP cache is enabled. Default is `true` unless the
    /// `disable-http-cache` switch is set.
    pub cache: Option<bool>,
}

/// How a session was obtained, which decides where (and whether) it stores data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKind {
    /// `session.defaultSession` (also `fromPartition('')`): stored at `sessionData`.
    Default,
    /// `fromPartition('persist:NAME')`: stored at `sessionData/Partitions/<name>`.
    Persistent(String),
    /// `fromPartition(NAME)`: kept in memory, never written to disk.
    InMemory(String),
    /// `fromPath(dir)`: stored at `dir`.
    Path(PathBuf),
}

pub struct Session {
    id: u32,
    kind: SessionKind,
    storage_path: Option<PathBuf>,
    cache_enabled: bool,
    settings: RwLock<Settings>,
    permissions: PermissionManager,
    network: NetworkContext,
    net_log: Arc<NetLog>,
    cookies: Arc<SessionCookies>,
    web_request: WebRequest,
    protocol: ProtocolRegistry,
    downloads: DownloadManager,
}

struct Settings {
    user_agent: String,
    accept_languages: Option<String>,
    preloads: PreloadScripts,
    code_cache_path: Option<PathBuf>,
}

impl Session {
    fn new(
        id: u32,
        app: &App,
        kind: SessionKind,
        storage_path: Option<PathBuf>,
        options: &SessionOptions,
    ) -> Session {
        let cache_enabled = options
            .cache
            .unwrap_or_else(|| !app.command_line().has_switch("disable-http-cache"));
        let code_cache_path = storage_path.as_ref().map(|p| p.join("Code Cache"));
        let cookies = SessionCookies::new(storage_path.as_deref());
        Session {
            id,
            kind,
            storage_path,
            cache_enabled,
            settings: RwLock::new(Settings {
                user_agent: default_user_agent(&app.name(), &app.version()),
                accept_languages: None,
                preloads: PreloadScripts::default(),
                code_cache_path,
            }),
            permissions: PermissionManager::default(),
            net_log: Arc::new(NetLog::default()),
            cookies,
            web_request: WebRequest::default(),
            protocol: ProtocolRegistry::default(),
            downloads: DownloadManager::default(),
            network: NetworkContext::new(NetworkSwitches {
                ignore_cert_errors: app.command_line().has_switch("ignore-certificate-errors"),
                host_resolver_rules: HostResolverRules::parse(
                    &app.command_line().switch_value("host-resolver-rules"),
                ),
                proxy: ProxySettings::from_command_line(|name| {
                    let line = app.command_line();
                    line.has_switch(name).then(|| line.switch_value(name))
                }),
            }),
        }
    }

    /// A number unique to this session within the process.
    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn kind(&self) -> &SessionKind {
        &self.kind
    }

    /// Whether the session keeps its data on disk.
    pub fn is_persistent(&self) -> bool {
        self.storage_path.is_some()
    }

    /// The profile folder, or `None` for an in-memory session. The folder is
    /// created by the first feature that writes into it, not before.
    pub fn storage_path(&self) -> Option<&Path> {
        self.storage_path.as_deref()
    }

    /// Whether the HTTP cache is enabled (`options.cache`).
    pub fn cache_enabled(&self) -> bool {
        self.cache_enabled
    }

    pub fn permissions(&self) -> &PermissionManager {
        &self.permissions
    }

    /// This session's NetLog.
    pub fn net_log(&self) -> &Arc<NetLog> {
        &self.net_log
    }

    /// This session's cookie jar (`ses.cookies`).
    pub fn cookies(&self) -> &Arc<SessionCookies> {
        &self.cookies
    }

    /// The session's webRequest listeners.
    pub fn web_request(&self) -> &WebRequest {
        &self.web_request
    }

    /// The schemes this session's protocol handlers answer (`ses.protocol`).
    pub fn protocol(&self) -> &ProtocolRegistry {
        &self.protocol
    }

    /// This session's downloads and their settings.
    pub fn downloads(&self) -> &DownloadManager {
        &self.downloads
    }

    /// This session's connections (its own socket pool).
    pub fn network(&self) -> &NetworkContext {
        &self.network
    }

    pub fn user_agent(&self) -> String {
        self.settings.read().unwrap().user_agent.clone()
    }

    /// Sets the user agent and, when given, the accept-languages list
    /// (`"en-US,fr,de"`). Applies to requests started afterwards.
    pub fn set_user_agent(&self, user_agent: &str, accept_languages: Option<&str>) {
        let mut s = self.settings.write().unwrap();
        s.user_agent = user_agent.to_string();
        if let Some(langs) = accept_languages {
            s.accept_languages = Some(langs.to_string()).filter(|l| !l.trim().is_empty());
        }
    }

    /// The `Accept-Language` header this session sends: the languages given to
    /// `setUserAgent`, else the ones from the process locale, with q-values.
    pub fn accept_language(&self) -> String {
        let s = self.settings.read().unwrap();
        let langs = s
            .accept_languages
            .clone()
            .unwrap_or_else(default_accept_languages);
        accept_language_header(&langs)
    }

    /// The paths of every frame preload script (`getPreloads`).
    pub fn preloads(&self) -> Vec<PathBuf> {
        self.settings.read().unwrap().preloads.frame_paths()
    }

    /// `setPreloads`: replaces the scripts it set before; scripts registered
    /// with `register_preload_script` stay.
    ///
    /// # Errors
    /// `InvalidArgument` naming the first path that is not absolute.
    pub fn set_preloads(&self, preloads: Vec<PathBuf>) -> Result<()> {
        self.settings
            .write()
            .unwrap()
            .preloads
            .set_deprecated(preloads)
    }

    /// `registerPreloadScript`; returns the script's id.
    ///
    /// # Errors
    /// Electron's messages for a duplicate id or a relative path.
    pub fn register_preload_script(&self, script: PreloadScript) -> Result<String> {
        self.settings.write().unwrap().preloads.register(script)
    }

    /// # Errors
    /// Electron's message for an unknown id.
    pub fn unregister_preload_script(&self, id: &str) -> Result<()> {
        self.settings.write().unwrap().preloads.unregister(id)
    }

    pub fn preload_scripts(&self) -> Vec<PreloadScript> {
        self.settings.read().unwrap().preloads.all().to_vec()
    }

    /// Where V8 code cache is kept: `<storage>/Code Cache` by default, `None`
    /// for an in-memory session until `setCodeCachePath` is called.
    pub fn code_cache_path(&self) -> Option<PathBuf> {
        self.settings.read().unwrap().code_cache_path.clone()
    }

    /// Moves the code cache to `path`, creating the folder if it is missing.
    /// As in Electron, a folder that cannot be created only disables the cache.
    ///
    /// # Errors
    /// `InvalidArgument` when `path` is not absolute.
    pub fn set_code_cache_path(&self, path: &Path) -> Result<()> {
        if !path.is_absolute() {
            return Err(Error::invalid_argument(
                "Absolute path must be provided to store code cache.",
            ));
        }
        let _ = std::fs::create_dir_all(path);
        self.settings.write().unwrap().code_cache_path = Some(path.to_path_buf());
        Ok(())
    }

    /// Empties the code cache folder (its contents; the folder itself stays).
    ///
    /// The cache has no index by URL here, so a list of URLs clears the whole
    /// cache: more than asked, never less, which is safe for a cache.
    pub async fn clear_code_caches(&self) -> Result<()> {
        let Some(dir) = self.code_cache_path() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || empty_directory(&dir))
            .await
            .map_err(|e| Error::failed(format!("Failed to clear code caches: {e}")))?
    }
}

/// Removes everything inside `dir`; a missing `dir` is already empty.
fn empty_directory(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::failed(format!("Failed to clear code caches: {e}"))),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        let removed = if is_dir {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| Error::failed(format!("Failed to clear code caches: {e}")))?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SessionKey {
    Partition(String),
    Path(PathBuf),
}

/// All sessions of a process, so that one partition (or path) always yields
/// the same [`Session`].
#[derive(Default)]
pub struct SessionRegistry {
    sessions: Mutex<HashMap<SessionKey, Arc<Session>>>,
    next_id: AtomicU32,
}

impl SessionRegistry {
    pub fn global() -> &'static SessionRegistry {
        static REGISTRY: OnceLock<SessionRegistry> = OnceLock::new();
        REGISTRY.get_or_init(SessionRegistry::default)
    }

    /// The session for `partition`, and whether this call created it.
    /// `''` and `'persist:'` are the default session, as in Electron.
    ///
    /// # Errors
    /// `InvalidArgument` for a persistent name whose folder would leave
    /// `Partitions/` (`.` or `..` segments); `Failed` when the profile root
    /// cannot be determined.
    pub fn from_partition(
        &self,
        app: &App,
        partition: &str,
        options: &SessionOptions,
    ) -> Result<(Arc<Session>, bool)> {
        let (key, kind) = match partition.strip_prefix(PERSIST_PREFIX) {
            _ if partition.is_empty() => {
                (SessionKey::Partition(String::new()), SessionKind::Default)
            }
            Some("") => (SessionKey::Partition(String::new()), SessionKind::Default),
            Some(name) => (
                SessionKey::Partition(partition.to_string()),
                SessionKind::Persistent(name.to_string()),
            ),
            None => (
                SessionKey::Partition(partition.to_string()),
                SessionKind::InMemory(partition.to_string()),
            ),
        };
        self.get_or_create(
            key,
            || {
                let storage = match &kind {
                    SessionKind::Default => Some(session_data(app)?),
                    SessionKind::Persistent(name) => Some(
                        session_data(app)?
                            .join("Partitions")
                            .join(partition_directory_name(name)?),
                    ),
                    _ => None,
                };
                Ok((kind, storage))
            },
            app,
            options,
        )
    }

    /// The session stored at the absolute path `path`, and whether this call
    /// created it.
    ///
    /// # Errors
    /// `InvalidArgument`: `An empty path was specified` /
    /// `An absolute path was not provided` (Electron's messages).
    pub fn from_path(
        &self,
        app: &App,
        path: &Path,
        options: &SessionOptions,
    ) -> Result<(Arc<Session>, bool)> {
        if path.as_os_str().is_empty() {
            return Err(Error::invalid_argument("An empty path was specified"));
        }
        if !path.is_absolute() {
            return Err(Error::invalid_argument("An absolute path was not provided"));
        }
        let path = path.to_path_buf();
        self.get_or_create(
            SessionKey::Path(path.clone()),
            || Ok((SessionKind::Path(path.clone()), Some(path))),
            app,
            options,
        )
    }

    fn get_or_create(
        &self,
        key: SessionKey,
        describe: impl FnOnce() -> Result<(SessionKind, Option<PathBuf>)>,
        app: &App,
        options: &SessionOptions,
    ) -> Result<(Arc<Session>, bool)> {
        let mut sessions = self.sessions.lock().unwrap();
        if let Some(existing) = sessions.get(&key) {
            return Ok((existing.clone(), false));
        }
        let (kind, storage) = describe()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let session = Arc::new(Session::new(id, app, kind, storage, options));
        sessions.insert(key, session.clone());
        Ok((session, true))
    }
}

fn session_data(app: &App) -> Result<PathBuf> {
    app.path(PathName::SessionData)
        .ok_or_else(|| Error::failed("Failed to get 'sessionData' path"))
}

#[cfg(test)]
mod tests;

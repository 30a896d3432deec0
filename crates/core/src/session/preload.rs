//! Preload scripts registered with a session (Electron's
//! `SessionPreferences`): `registerPreloadScript` entries, and the deprecated
//! `setPreloads` list, which Electron 45 keeps as frame scripts of its own.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreloadKind {
    Frame,
    ServiceWorker,
}

impl PreloadKind {
    /// # Errors
    /// `InvalidArgument` for anything but `frame` or `service-worker`.
    pub fn parse(s: &str) -> Result<PreloadKind> {
        match s {
            "frame" => Ok(PreloadKind::Frame),
            "service-worker" => Ok(PreloadKind::ServiceWorker),
            _ => Err(Error::invalid_argument(format!(
                "Invalid preload script type: '{s}' (expected 'frame' or 'service-worker')"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PreloadKind::Frame => "frame",
            PreloadKind::ServiceWorker => "service-worker",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreloadScript {
    pub id: String,
    pub kind: PreloadKind,
    pub file_path: PathBuf,
    /// URL filters (`matches`, `excludeMatches`, `includeGlobs`,
    /// `excludeGlobs`, `matchOriginAsFallback`) as given; they apply when a
    /// renderer loads pages.
    pub filters: Map<String, Value>,
    /// Added by `setPreloads`, which replaces only these.
    pub deprecated: bool,
}

impl PreloadScript {
    pub fn to_json(&self) -> Value {
        let mut v = self.filters.clone();
        v.insert("type".into(), self.kind.as_str().into());
        v.insert("id".into(), self.id.clone().into());
        v.insert(
            "filePath".into(),
            self.file_path.to_string_lossy().into_owned().into(),
        );
        Value::Object(v)
    }
}

/// A random version 4 UUID, Electron's default preload script id.
pub fn random_id() -> String {
    let mut b = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .expect("system randomness");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[derive(Debug, Default)]
pub struct PreloadScripts {
    scripts: Vec<PreloadScript>,
}

impl PreloadScripts {
    /// # Errors
    /// `Failed` with Electron's messages: an id already registered, or a path
    /// that is not absolute.
    pub fn register(&mut self, script: PreloadScript) -> Result<String> {
        if self.scripts.iter().any(|s| s.id == script.id) {
            return Err(Error::failed(format!(
                "Cannot register preload script with existing ID '{}'",
                script.id
            )));
        }
        if !script.file_path.is_absolute() {
            return Err(Error::failed(format!(
                "Preload script must have absolute path: {}",
                script.file_path.display()
            )));
        }
        let id = script.id.clone();
        self.scripts.push(script);
        Ok(id)
    }

    /// # Errors
    /// `Failed` with Electron's message for an unknown id.
    pub fn unregister(&mut self, id: &str) -> Result<()> {
        let before = self.scripts.len();
        self.scripts.retain(|s| s.id != id);
        if self.scripts.len() == before {
            return Err(Error::failed(format!(
                "Cannot unregister preload script with non-existing ID '{id}'"
            )));
        }
        Ok(())
    }

    pub fn all(&self) -> &[PreloadScript] {
        &self.scripts
    }

    /// `setPreloads`: replaces the scripts it added before; others stay.
    ///
    /// # Errors
    /// `InvalidArgument` naming the first path that is not absolute; nothing
    /// changes then.
    pub fn set_deprecated(&mut self, paths: Vec<PathBuf>) -> Result<()> {
        if let Some(bad) = paths.iter().find(|p| !p.is_absolute()) {
            return Err(Error::invalid_argument(format!(
                "Invalid preload path: '{}' is not an absolute path",
                bad.display()
            )));
        }
        self.scripts.retain(|s| !s.deprecated);
        for file_path in paths {
            self.scripts.push(PreloadScript {
                id: random_id(),
                kind: PreloadKind::Frame,
                file_path,
                filters: Map::new(),
                deprecated: true,
            });
        }
        Ok(())
    }

    /// `getPreloads`: the paths of every frame script.
    pub fn frame_paths(&self) -> Vec<PathBuf> {
        self.scripts
            .iter()
            .filter(|s| s.kind == PreloadKind::Frame)
            .map(|s| s.file_path.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(id: &str, kind: PreloadKind, path: &str) -> PreloadScript {
        PreloadScript {
            id: id.into(),
            kind,
            file_path: path.into(),
            filters: Map::new(),
            deprecated: false,
        }
    }

    #[test]
    fn register_unregister_and_the_deprecated_list() {
        let mut p = PreloadScripts::default();
        assert_eq!(
            p.register(script("a", PreloadKind::Frame, "/a.js"))
                .unwrap(),
            "a"
        );
        p.register(script("sw", PreloadKind::ServiceWorker, "/sw.js"))
            .unwrap();
        assert_eq!(
            p.register(script("a", PreloadKind::Frame, "/b.js"))
                .unwrap_err()
                .message(),
            "Cannot register preload script with existing ID 'a'"
        );
        assert_eq!(
            p.register(script("c", PreloadKind::Frame, "rel.js"))
                .unwrap_err()
                .message(),
            "Preload script must have absolute path: rel.js"
        );
        p.set_deprecated(vec!["/old1.js".into(), "/old2.js".into()])
            .unwrap();
        assert_eq!(
            p.frame_paths(),
            vec![PathBuf::from("/a.js"), "/old1.js".into(), "/old2.js".into()]
        );
        p.set_deprecated(vec!["/old3.js".into()]).unwrap();
        assert_eq!(
            p.frame_paths(),
            vec![PathBuf::from("/a.js"), "/old3.js".into()],
            "setPreloads replaces only its own"
        );
        assert!(p
            .set_deprecated(vec!["x.js".into()])
            .unwrap_err()
            .is_invalid_argument());
        p.unregister("a").unwrap();
        assert_eq!(
            p.unregister("a").unwrap_err().message(),
            "Cannot unregister preload script with non-existing ID 'a'"
        );
        assert_eq!(p.all().len(), 2);
    }

    #[test]
    fn ids_are_uuids() {
        let id = random_id();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_ne!(id, random_id());
    }
}

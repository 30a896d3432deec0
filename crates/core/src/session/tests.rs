use super::*;
use crate::app::PackageInfo;

fn app_in(dir: &Path) -> App {
    let app = App::new(PackageInfo {
        name: Some("Test App".into()),
        version: Some("3.1.4".into()),
    });
    app.set_path("userData", dir).unwrap();
    app
}

// Rule: one partition string, one session; '' and 'persist:' are the default session.
#[test]
fn same_partition_same_session() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let opts = SessionOptions::default();
    let (a, created_a) = reg.from_partition(&app, "persist:work", &opts).unwrap();
    let (b, created_b) = reg.from_partition(&app, "persist:work", &opts).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(created_a && !created_b);
    let (d1, _) = reg.from_partition(&app, "", &opts).unwrap();
    let (d2, created) = reg.from_partition(&app, "persist:", &opts).unwrap();
    assert!(Arc::ptr_eq(&d1, &d2) && !created);
    let (m, _) = reg.from_partition(&app, "work", &opts).unwrap();
    assert!(
        !Arc::ptr_eq(&a, &m),
        "'work' and 'persist:work' are different sessions"
    );
    assert_ne!(a.id(), m.id());
}

// Rule: default at sessionData, persist:NAME at Partitions/<escaped name>,
// anything else in memory.
#[test]
fn storage_paths_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let o = SessionOptions::default();
    let rows: &[(&str, Option<PathBuf>, bool)] = &[
        ("", Some(dir.path().to_path_buf()), true),
        (
            "persist:Work Space",
            Some(dir.path().join("Partitions/work%20space")),
            true,
        ),
        ("temp", None, false),
        ("Persist:x", None, false),
    ];
    for (partition, path, persistent) in rows {
        let (s, _) = reg.from_partition(&app, partition, &o).unwrap();
        assert_eq!(s.storage_path(), path.as_deref(), "partition {partition:?}");
        assert_eq!(s.is_persistent(), *persistent, "partition {partition:?}");
    }
    let (p, _) = reg
        .from_path(&app, &dir.path().join("elsewhere"), &o)
        .unwrap();
    assert_eq!(
        p.storage_path(),
        Some(dir.path().join("elsewhere").as_path())
    );
    assert!(p.is_persistent());
    assert_eq!(*p.kind(), SessionKind::Path(dir.path().join("elsewhere")));
    // sessionData moves the default profile.
    let app2 = app_in(dir.path());
    app2.set_path("sessionData", &dir.path().join("sd"))
        .unwrap();
    let (d, _) = SessionRegistry::default()
        .from_partition(&app2, "", &o)
        .unwrap();
    assert_eq!(d.storage_path(), Some(dir.path().join("sd").as_path()));
}

#[test]
fn from_path_requires_an_absolute_path() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let o = SessionOptions::default();
    let rows: &[(&str, &str)] = &[
        ("", "An empty path was specified"),
        ("rel/dir", "An absolute path was not provided"),
    ];
    for (path, msg) in rows {
        let err = reg.from_path(&app, Path::new(path), &o).err().unwrap();
        assert!(err.is_invalid_argument());
        assert_eq!(err.message(), *msg, "path {path:?}");
    }
    let (a, _) = reg.from_path(&app, dir.path(), &o).unwrap();
    let (b, created) = reg.from_path(&app, dir.path(), &o).unwrap();
    assert!(Arc::ptr_eq(&a, &b) && !created);
}

#[test]
fn hostile_partition_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let err = reg
        .from_partition(&app, "persist:../../etc", &SessionOptions::default())
        .err()
        .unwrap();
    assert!(err.is_invalid_argument(), "{err}");
    // The refused name did not register anything.
    let err2 = reg
        .from_partition(&app, "persist:../../etc", &SessionOptions::default())
        .err()
        .unwrap();
    assert_eq!(err, err2);
}

// Rule: options.cache wins; otherwise the cache is on unless disable-http-cache is set.
#[test]
fn cache_option_and_switch() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let (on, _) = reg
        .from_partition(&app, "a", &SessionOptions::default())
        .unwrap();
    let (off, _) = reg
        .from_partition(&app, "b", &SessionOptions { cache: Some(false) })
        .unwrap();
    assert!(on.cache_enabled() && !off.cache_enabled());
    app.command_line().append_switch("disable-http-cache", "");
    let (c, _) = reg
        .from_partition(&app, "c", &SessionOptions::default())
        .unwrap();
    let (d, _) = reg
        .from_partition(&app, "d", &SessionOptions { cache: Some(true) })
        .unwrap();
    assert!(!c.cache_enabled() && d.cache_enabled());
    // A second call with other options returns the existing session unchanged.
    let (b2, _) = reg
        .from_partition(&app, "b", &SessionOptions { cache: Some(true) })
        .unwrap();
    assert!(!b2.cache_enabled());
}

#[test]
fn user_agent_and_languages() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let (s, _) = SessionRegistry::default()
        .from_partition(&app, "ua", &SessionOptions::default())
        .unwrap();
    assert!(
        s.user_agent().contains(" TestApp/3.1.4 Chrome/"),
        "{}",
        s.user_agent()
    );
    s.set_user_agent("custom/1.0", Some("fr,de"));
    assert_eq!(s.user_agent(), "custom/1.0");
    assert_eq!(s.accept_language(), "fr,de;q=0.9");
    s.set_user_agent("other/2.0", None);
    assert_eq!(
        s.accept_language(),
        "fr,de;q=0.9",
        "languages stay when not given"
    );
}

#[test]
fn preloads_must_be_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let (s, _) = SessionRegistry::default()
        .from_partition(&app, "p", &SessionOptions::default())
        .unwrap();
    s.set_preloads(vec![PathBuf::from("/a.js"), PathBuf::from("/b.js")])
        .unwrap();
    let err = s
        .set_preloads(vec![PathBuf::from("/ok.js"), PathBuf::from("rel.js")])
        .unwrap_err();
    assert!(err.is_invalid_argument());
    assert!(err.message().contains("'rel.js'"), "{err}");
    assert_eq!(
        s.preloads(),
        vec![PathBuf::from("/a.js"), PathBuf::from("/b.js")],
        "a refused list changes nothing"
    );
}

#[tokio::test]
async fn code_cache_path_and_clearing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let (s, _) = reg
        .from_partition(&app, "persist:cc", &SessionOptions::default())
        .unwrap();
    assert_eq!(
        s.code_cache_path(),
        Some(dir.path().join("Partitions/cc/Code Cache"))
    );
    assert!(s
        .set_code_cache_path(Path::new("relative"))
        .unwrap_err()
        .is_invalid_argument());
    let cc = dir.path().join("my-cache");
    s.set_code_cache_path(&cc).unwrap();
    assert!(cc.is_dir(), "the folder is created");
    std::fs::create_dir_all(cc.join("js/index-dir")).unwrap();
    std::fs::write(cc.join("js/0123_0"), b"x").unwrap();
    std::fs::write(cc.join("top"), b"x").unwrap();
    s.clear_code_caches().await.unwrap();
    assert!(cc.is_dir());
    assert_eq!(std::fs::read_dir(&cc).unwrap().count(), 0);
    // In-memory sessions have no code cache until given one; clearing is a no-op.
    let (m, _) = reg
        .from_partition(&app, "mem", &SessionOptions::default())
        .unwrap();
    assert_eq!(m.code_cache_path(), None);
    m.clear_code_caches().await.unwrap();
}

// Rule: an in-memory session never touches the disk; a persistent one does not
// create its folder until something is stored.
#[tokio::test]
async fn sessions_write_nothing_until_they_store_something() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(&dir.path().join("profile"));
    let reg = SessionRegistry::default();
    let (m, _) = reg
        .from_partition(&app, "in-memory", &SessionOptions::default())
        .unwrap();
    m.set_user_agent("x", Some("en"));
    m.set_preloads(vec![PathBuf::from("/p.js")]).unwrap();
    m.clear_code_caches().await.unwrap();
    let (_p, _) = reg
        .from_partition(&app, "persist:later", &SessionOptions::default())
        .unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

fn details(url: &str, name: &str, value: &str, expires: Option<f64>) -> crate::cookies::CookieDetails {
    crate::cookies::CookieDetails {
        url: url.into(),
        name: Some(name.into()),
        value: Some(value.into()),
        expiration_date: expires,
        ..Default::default()
    }
}

// Rule: an in-memory session's jar never touches the disk.
#[tokio::test(flavor = "multi_thread")]
async fn in_memory_jar_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let (s, _) = reg.from_partition(&app, "mem", &SessionOptions::default()).unwrap();
    let far = 4_000_000_000.0;
    s.cookies().set(&details("https://a.com/", "a", "1", Some(far))).await.unwrap();
    s.cookies().flush_store().await.unwrap();
    assert_eq!(s.cookies().get(&Default::default()).await.unwrap().len(), 1);
    assert!(s.cookies().db_path().is_none());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written under userData");
}

// Rule: a persistent jar opens lazily from <storage>/Network/Cookies, and a
// flushed persistent cookie reloads in a new jar; session cookies do not.
#[tokio::test(flavor = "multi_thread")]
async fn persistent_jar_reloads_flushed_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let app = app_in(dir.path());
    let reg = SessionRegistry::default();
    let (s, _) = reg.from_partition(&app, "persist:p", &SessionOptions::default()).unwrap();
    let db = s.cookies().db_path().unwrap().to_path_buf();
    assert!(db.ends_with("Partitions/p/Network/Cookies"));
    assert!(!db.exists(), "not opened before first use");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    s.cookies().set_change_listener(Some(Box::new(move |c| {
        sink.lock().unwrap().push((c.cookie.name.clone(), c.cause.as_electron_str(), c.removed()));
    })));
    let far = 4_000_000_000.0;
    s.cookies().set(&details("https://a.com/", "p", "1", Some(far))).await.unwrap();
    s.cookies().set(&details("https://a.com/", "p", "2", Some(far))).await.unwrap();
    s.cookies().set(&details("https://a.com/", "s", "1", None)).await.unwrap();
    s.cookies().flush_store().await.unwrap();
    assert!(db.exists());
    assert_eq!(
        *seen.lock().unwrap(),
        vec![("p".into(), "inserted", false), ("p".into(), "overwrite", true), ("p".into(), "inserted", false), ("s".into(), "inserted", false)]
    );
    let again = SessionCookies::new(db.parent().unwrap().parent());
    let names: Vec<String> = again.get(&Default::default()).await.unwrap().into_iter().map(|c| format!("{}={}", c.name, c.value)).collect();
    assert_eq!(names, vec!["p=2"]);
    assert_eq!(again.skipped_encrypted(), 0);
}

// Rule: set reports Electron's message for a refused cookie.
#[tokio::test(flavor = "multi_thread")]
async fn jar_set_error_message() {
    let jar = SessionCookies::new(None);
    let err = jar.set(&details("http://a.com/", "__Host-x", "1", None)).await.unwrap_err();
    assert!(err.message().starts_with("Failed to set cookie - "), "{err}");
}

// Rule: rows with an encrypted value are skipped when the jar opens, and
// their count can be asked for.
#[tokio::test(flavor = "multi_thread")]
async fn jar_counts_skipped_encrypted_rows() {
    let dir = tempfile::tempdir().unwrap();
    let jar = SessionCookies::new(Some(dir.path()));
    jar.set(&details("https://a.com/", "plain", "1", Some(4_000_000_000.0))).await.unwrap();
    jar.flush_store().await.unwrap();
    assert_eq!(jar.skipped_encrypted(), 0);
    rusqlite::Connection::open(jar.db_path().unwrap())
        .unwrap()
        .execute_batch(
            "INSERT INTO cookies SELECT creation_utc, host_key, top_frame_site_key, 'enc', '', x'763130aabb', path, expires_utc, is_secure, is_httponly, last_access_utc, has_expires, is_persistent, priority, samesite, source_scheme, source_port, last_update_utc, source_type, has_cross_site_ancestor FROM cookies;",
        )
        .unwrap();
    let again = SessionCookies::new(Some(dir.path()));
    let names: Vec<String> = again.get(&Default::default()).await.unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["plain"]);
    assert_eq!(again.skipped_encrypted(), 1);
}

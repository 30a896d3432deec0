use super::paths::{parse_user_dirs, Environment};
use super::*;

fn env(pairs: &[(&str, &str)]) -> Environment {
    Environment {
        home: None,
        vars: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

fn app(name: Option<&str>, pairs: &[(&str, &str)]) -> App {
    App::with(
        PackageInfo {
            name: name.map(String::from),
            version: None,
        },
        env(pairs),
    )
}

// Rule: userData is appData/<app name>, appData is $XDG_CONFIG_HOME or ~/.config,
// and sessionData follows userData unless set.
#[test]
fn default_paths_follow_xdg_and_the_app_name() {
    let a = app(Some("My App"), &[("HOME", "/home/u")]);
    let cases: &[(&str, &str)] = &[
        ("home", "/home/u"),
        ("appData", "/home/u/.config"),
        ("userData", "/home/u/.config/My App"),
        ("sessionData", "/home/u/.config/My App"),
        ("logs", "/home/u/.config/My App/logs"),
        ("crashDumps", "/home/u/.config/My App/Crashpad"),
        ("downloads", "/home/u/Downloads"),
        ("temp", "/tmp"),
    ];
    for (name, want) in cases {
        assert_eq!(
            a.get_path(name).unwrap(),
            PathBuf::from(want),
            "path {name}"
        );
    }
    let x = app(
        None,
        &[
            ("HOME", "/h"),
            ("XDG_CONFIG_HOME", "/cfg"),
            ("TMPDIR", "/scratch"),
        ],
    );
    assert_eq!(
        x.get_path("userData").unwrap(),
        PathBuf::from("/cfg/Electron")
    );
    assert_eq!(x.get_path("temp").unwrap(), PathBuf::from("/scratch"));
    // A relative XDG_CONFIG_HOME is ignored.
    let r = app(None, &[("HOME", "/h"), ("XDG_CONFIG_HOME", "rel")]);
    assert_eq!(r.get_path("appData").unwrap(), PathBuf::from("/h/.config"));
}

// Rule: setPath overrides one path; paths derived from it follow; others don't.
#[test]
fn set_path_overrides_and_derived_paths_follow() {
    let a = app(Some("n"), &[("HOME", "/home/u")]);
    a.set_path("appData", Path::new("/data")).unwrap();
    assert_eq!(a.get_path("userData").unwrap(), PathBuf::from("/data/n"));
    a.set_path("userData", Path::new("/ud")).unwrap();
    assert_eq!(a.get_path("sessionData").unwrap(), PathBuf::from("/ud"));
    a.set_name("renamed");
    assert_eq!(
        a.get_path("userData").unwrap(),
        PathBuf::from("/ud"),
        "explicit userData survives a rename"
    );
    a.set_path("sessionData", Path::new("/sd")).unwrap();
    assert_eq!(a.get_path("sessionData").unwrap(), PathBuf::from("/sd"));
    assert_eq!(a.get_path("userData").unwrap(), PathBuf::from("/ud"));
}

#[test]
fn bad_path_names_and_relative_paths_are_errors() {
    let a = app(None, &[("HOME", "/h")]);
    assert_eq!(
        a.get_path("nope").unwrap_err().message(),
        "Failed to get 'nope' path"
    );
    assert_eq!(
        a.set_path("userData", Path::new("rel/dir"))
            .unwrap_err()
            .message(),
        "Path must be absolute: rel/dir"
    );
    assert_eq!(
        a.set_path("nope", Path::new("/x")).unwrap_err().message(),
        "Failed to set path"
    );
    let homeless = app(None, &[]);
    assert_eq!(
        homeless.get_path("userData").unwrap_err().message(),
        "Failed to get 'userData' path"
    );
}

// Rule: user-dirs.dirs entries are "$HOME/…" or absolute; anything else is ignored.
#[test]
fn user_dirs_file_is_parsed_like_xdg_user_dir() {
    let home = Path::new("/home/u");
    let text = "# comment\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\nXDG_MUSIC_DIR=\"/srv/music\"\nXDG_VIDEOS_DIR=\"$HOME/\"\nXDG_DESKTOP_DIR=\"relative\"\n";
    let rows: &[(&str, Option<&str>)] = &[
        ("DOWNLOAD", Some("/home/u/Téléchargements")),
        ("MUSIC", Some("/srv/music")),
        ("VIDEOS", None),
        ("DESKTOP", None),
        ("PICTURES", None),
    ];
    for (kind, want) in rows {
        assert_eq!(
            parse_user_dirs(text, kind, home),
            want.map(PathBuf::from),
            "kind {kind}"
        );
    }
}

// Rule: productName wins over name; the nearest package.json is used; a broken
// one is skipped.
#[test]
fn package_json_discovery() {
    let root = tempfile::tempdir().unwrap();
    let inner = root.path().join("a/b");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(
        root.path().join("package.json"),
        r#"{"name":"outer","productName":"Outer App","version":"2.0.0"}"#,
    )
    .unwrap();
    assert_eq!(
        PackageInfo::discover(&inner),
        PackageInfo {
            name: Some("Outer App".into()),
            version: Some("2.0.0".into())
        }
    );
    std::fs::write(root.path().join("a/package.json"), "{ not json").unwrap();
    assert_eq!(
        PackageInfo::discover(&inner).name.as_deref(),
        Some("Outer App")
    );
    std::fs::write(inner.join("package.json"), r#"{"name":"inner"}"#).unwrap();
    assert_eq!(
        PackageInfo::discover(&inner),
        PackageInfo {
            name: Some("inner".into()),
            version: None
        }
    );
    let a = App::with(PackageInfo::default(), env(&[]));
    assert_eq!(
        (a.name(), a.version()),
        ("Electron".to_string(), crate::ELECTRON_VERSION.to_string())
    );
}

#[test]
fn command_line_switches() {
    let c = CommandLine::default();
    assert!(!c.has_switch("disable-http-cache"));
    c.append_switch("disable-http-cache", "");
    c.append_switch("host-resolver-rules", "MAP * 127.0.0.1");
    c.append_switch("host-resolver-rules", "MAP a b");
    assert!(c.has_switch("disable-http-cache"));
    assert_eq!(c.switch_value("disable-http-cache"), "");
    assert_eq!(
        c.switch_value("host-resolver-rules"),
        "MAP a b",
        "latest value wins"
    );
    assert_eq!(c.switch_value("absent"), "");
    c.append_argument("--not-a-switch");
    assert_eq!(c.arguments(), vec!["--not-a-switch".to_string()]);
    assert!(!c.has_switch("not-a-switch"), "arguments are not switches");
    c.remove_switch("host-resolver-rules");
    assert!(!c.has_switch("host-resolver-rules"));
}

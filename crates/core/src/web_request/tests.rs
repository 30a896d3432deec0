use super::*;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn patterns_electron_documents_parse() {
    for p in [
        "<all_urls>",
        "http://foo:1234/",
        "http://foo.com/",
        "http://foo:1234/bar",
        "*://*/*",
        "*://example.com/*",
        "*://example.com/foo/*",
        "http://*.foo:1234/",
        "file://foo:1234/bar",
        "http://foo:*/",
        "*://www.foo.com/",
        "http://[::1]:8080/*",
        "data:*",
        "about:blank",
    ] {
        assert!(UrlPattern::parse(p).is_ok(), "{p} should parse");
    }
}

#[test]
fn invalid_patterns_give_chromiums_reason() {
    use PatternError::*;
    for (p, e) in [
        ("http", MissingSchemeSeparator),
        ("", MissingSchemeSeparator),
        ("http:/foo/", WrongSchemeSeparator),
        ("about://blank", WrongSchemeSeparator),
        ("http://", EmptyHost),
        ("http:///foo", EmptyHost),
        ("http://*./", EmptyHost),
        ("http://:80/", EmptyHost),
        ("http://[]/", EmptyHost),
        ("http://foo", EmptyPath),
        ("http://*foo/bar", InvalidHostWildcard),
        ("http://foo.*.bar/baz", InvalidHostWildcard),
        ("http://fo.*.ba:123/baz", InvalidHostWildcard),
        ("http://foo:/", InvalidPort),
        ("http://foo:x/", InvalidPort),
        ("http://foo:65536/", InvalidPort),
        ("*://foo:1234/", InvalidPort),
        ("http://[::1/", InvalidHost),
        ("http://[::1]x/", InvalidHost),
        ("http://a b/", InvalidHost),
    ] {
        assert_eq!(UrlPattern::parse(p), Err(e), "{p}");
    }
}

/// (pattern, URL, matches?)
const MATCHES: &[(&str, &str, bool)] = &[
    ("<all_urls>", "http://example.com/", true),
    ("<all_urls>", "file:///etc/hosts", true),
    ("<all_urls>", "data:text/plain,hi", true),
    ("<all_urls>", "myapp://anything/here", true),
    ("*://*/*", "http://example.com/a", true),
    ("*://*/*", "https://example.com/a?b", true),
    ("*://*/*", "ws://example.com/", false),
    ("*://*/*", "file:///tmp/x", false),
    ("*://*/*", "myapp://x/y", false),
    ("http://*/*", "https://example.com/", false),
    ("*://example.com/*", "http://example.com/", true),
    ("*://example.com/*", "http://example.com:8080/x", true),
    ("*://example.com/*", "http://www.example.com/", false),
    ("*://*.example.com/*", "http://example.com/", true),
    ("*://*.example.com/*", "http://a.b.example.com/x", true),
    ("*://*.example.com/*", "http://badexample.com/", false),
    ("*://*.example.com/*", "http://example.com.evil.org/", false),
    ("http://*.foo:1234/", "http://a.foo:1234/", true),
    ("http://*.foo:1234/", "http://a.foo:123/", false),
    ("http://foo:1234/", "http://foo:1234/", true),
    ("http://foo:1234/", "http://foo:1234/bar", false),
    ("http://foo:80/", "http://foo/", true),
    ("http://foo/", "http://foo:81/", true),
    ("http://foo:*/", "http://foo:9/", true),
    ("http://foo.com/", "http://foo.com", true),
    ("http://foo.com/", "http://FOO.com/", true),
    ("http://FOO.com/*", "http://foo.com/x", true),
    ("http://foo.com./*", "http://foo.com/x", true),
    ("http://foo.com/*", "http://foo.com./x", true),
    ("*://example.com/foo/*", "https://example.com/foo/bar/baz", true),
    // Chromium lets `/foo/*` match `/foo` itself.
    ("*://example.com/foo/*", "https://example.com/foo", true),
    ("*://example.com/foo/*", "https://example.com/foobar", false),
    ("*://example.com/foo*", "https://example.com/foobar", true),
    ("*://example.com/foo", "https://example.com/foo#frag", true),
    ("*://example.com/foo", "https://example.com/foo?q", false),
    ("*://example.com/foo?q", "https://example.com/foo?q", true),
    ("*://example.com/fo?", "https://example.com/foo", false),
    ("*://example.com/*bar*", "https://example.com/a?x=bar", true),
    ("*://example.com/*.js", "https://example.com/a/b/c.js", true),
    ("*://example.com/*.js", "https://example.com/a/b/c.json", false),
    ("http://127.0.0.1/*", "http://127.0.0.1:5000/x", true),
    ("http://*.0.0.1/*", "http://127.0.0.1/x", false),
    ("http://[::1]:8080/*", "http://[::1]:8080/x", true),
    ("http://[::1]:8080/*", "http://[::1]:8081/x", false),
    ("http://[0:0::1]/*", "http://[::1]/x", true),
    ("file:///foo*", "file:///foobar", true),
    ("file:///foo*", "file:///bar", false),
    ("file://host/foo*", "file:///foo", true),
    ("file://*", "file:///anything", true),
    ("data:*", "data:text/plain,hi", true),
    ("data:text/plain*", "data:text/html,hi", false),
    ("https://example.com/*", "http://example.com/", false),
    ("ws://example.com/*", "ws://example.com/chat", true),
];

#[test]
fn patterns_match_as_chromium() {
    for (p, u, want) in MATCHES {
        let pattern = UrlPattern::parse(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(pattern.matches(&url(u)), *want, "{p} vs {u}");
    }
}

#[test]
fn a_registered_standard_scheme_takes_hosts() {
    assert_eq!(
        UrlPattern::parse("wrstd://app/*"),
        Err(PatternError::WrongSchemeSeparator)
    );
    let plain = UrlPattern::parse("wrplain:*").unwrap();
    assert!(plain.matches(&url("wrplain://host/path")));
    crate::protocol::register_schemes_as_privileged(vec![crate::protocol::CustomScheme {
        scheme: "wrstd".to_string(),
        privileges: crate::protocol::SchemePrivileges { standard: true, ..Default::default() },
    }]);
    let p = UrlPattern::parse("wrstd://app/*").unwrap();
    assert!(p.matches(&url("wrstd://app/index.html")));
    assert!(!p.matches(&url("wrstd://other/index.html")));
    // A port needs a scheme that has ports.
    assert_eq!(
        UrlPattern::parse("wrstd://app:80/*"),
        Err(PatternError::InvalidPort)
    );
}

#[test]
fn glob_is_not_exponential() {
    let pattern = format!("http://a/{}b", "*a".repeat(40));
    let p = UrlPattern::parse(&pattern).unwrap();
    let u = url(&format!("http://a/{}", "a".repeat(5000)));
    assert!(!p.matches(&u));
}

#[test]
fn filters_combine_urls_exclusions_and_types() {
    let f = Filter::new(
        &["*://example.com/*"],
        &["*://example.com/private/*"],
        &["xhr", "image"],
    )
    .unwrap();
    assert!(f.matches(&url("http://example.com/a"), ResourceType::Xhr));
    assert!(!f.matches(&url("http://example.com/private/a"), ResourceType::Xhr));
    assert!(!f.matches(&url("http://example.com/a"), ResourceType::Script));
    assert!(!f.matches(&url("http://other.com/a"), ResourceType::Image));
    let any = Filter::new::<&str>(&[], &[], &[]).unwrap();
    assert!(any.matches(&url("myapp://x"), ResourceType::Other));
    assert_eq!(
        Filter::new(&["nope"], &[], &[]).unwrap_err(),
        "Invalid url pattern nope: Missing scheme separator."
    );
    assert_eq!(
        Filter::new(&["<all_urls>"], &[], &["fish"]).unwrap_err(),
        "Invalid type fish"
    );
}

#[test]
fn listeners_are_replaced_and_removed() {
    let wr = WebRequest::default();
    let info = || RequestInfo {
        resource_type: ResourceType::Other,
        referrer: String::new(),
        web_contents_id: None,
    };
    assert!(wr.start(info).is_none(), "no listener: nothing is tracked");
    wr.set_listener(Event::Completed, Some(Filter::new(&["http://a/*"], &[], &[]).unwrap()));
    assert!(wr.is_active());
    let t = wr.start(info).unwrap();
    // No dispatcher yet: nobody to tell.
    assert!(t.wants(Event::Completed, &url("http://a/x"), "GET").is_none());
    wr.set_listener(Event::Completed, None);
    assert!(!wr.is_active());
}

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::*;
use crate::hooks::{FnHook, HookError};

fn frame(url: &str) -> Frame {
    Frame {
        web_contents_id: 7,
        url: url.to_string(),
        main_frame_url: url.to_string(),
        is_main_frame: true,
    }
}

fn details(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

// Rule: with no handler, requests and checks are granted (Electron's default).
#[tokio::test]
async fn defaults_without_handlers() {
    let m = PermissionManager::default();
    assert!(m
        .request(&frame("https://a.test/"), "notifications", Map::new())
        .await
        .unwrap());
    assert!(m
        .check(Some(&frame("https://a.test/")), "hid", Map::new())
        .await
        .unwrap());
    assert!(m.check(None, "notifications", Map::new()).await.unwrap());
    let d = json!({ "vendorId": 1, "productId": 2, "serialNumber": "S" });
    assert!(
        !m.check_device("https://a.test/x", DeviceType::Hid, d.clone())
            .await
            .unwrap(),
        "nothing granted yet"
    );
    m.grant_device("https://a.test/other", DeviceType::Hid, d.clone());
    assert!(
        m.check_device("https://a.test/x", DeviceType::Hid, d.clone())
            .await
            .unwrap(),
        "granted for the origin"
    );
    assert!(!m
        .check_device("https://b.test/", DeviceType::Hid, d)
        .await
        .unwrap());
}

// Rule: the request handler sees the caller's details plus requestingUrl and
// isMainFrame, and its answer is the result.
#[tokio::test]
async fn request_handler_is_asked_with_details() {
    let m = PermissionManager::default();
    let seen: Arc<Mutex<Vec<PermissionRequest>>> = Arc::default();
    let s = seen.clone();
    m.set_request_handler(Some(Arc::new(FnHook(move |q: PermissionRequest| {
        s.lock().unwrap().push(q.clone());
        async move { Ok(q.permission == "geolocation") }
    }))));
    let f = frame("https://a.test/page?q=1");
    assert!(m
        .request(&f, "geolocation", details(json!({ "x": 1 })))
        .await
        .unwrap());
    assert!(!m
        .request(&f, "media", details(json!({ "mediaTypes": ["video"] })))
        .await
        .unwrap());
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].web_contents_id, 7);
    assert_eq!(
        Value::Object(seen[0].details.clone()),
        json!({ "x": 1, "requestingUrl": "https://a.test/page?q=1", "isMainFrame": true })
    );
    assert_eq!(seen[1].details["mediaTypes"], json!(["video"]));
}

#[tokio::test]
async fn handler_errors_are_reported_not_swallowed() {
    let m = PermissionManager::default();
    m.set_request_handler(Some(Arc::new(FnHook(|_q: PermissionRequest| async {
        Err::<bool, _>(HookError::new("boom"))
    }))));
    match m
        .request(&frame("https://a.test/"), "midi", Map::new())
        .await
    {
        Err(RequestError::Handler(e)) => assert_eq!(e.message(), "boom"),
        other => panic!("expected the handler's error, got {other:?}"),
    }
    m.set_check_handler(Some(Arc::new(FnHook(|_q: PermissionCheck| async {
        Err::<bool, _>(HookError::new("check boom"))
    }))));
    assert!(matches!(
        m.check(None, "midi", Map::new()).await,
        Err(RequestError::Handler(_))
    ));
}

#[tokio::test]
async fn unknown_permission_names_are_invalid() {
    let m = PermissionManager::default();
    assert!(
        matches!(m.request(&frame("https://a.test/"), "camera", Map::new()).await, Err(RequestError::Invalid(e)) if e.is_invalid_argument())
    );
    assert!(
        matches!(
            m.check(None, "Notifications", Map::new()).await,
            Err(RequestError::Invalid(_))
        ),
        "names are case-sensitive"
    );
}

// Rule: a handler that never answers stalls only its own request; clearing
// the handler ends pending requests, denied.
#[tokio::test]
async fn silent_handler_blocks_nothing_else_and_clearing_denies_pending() {
    let m = Arc::new(PermissionManager::default());
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    m.set_request_handler(Some(Arc::new(FnHook(move |q: PermissionRequest| {
        c.fetch_add(1, Ordering::SeqCst);
        async move {
            if q.permission == "notifications" {
                std::future::pending::<()>().await;
            }
            Ok(true)
        }
    }))));
    let m2 = m.clone();
    let pending = tokio::spawn(async move {
        m2.request(&frame("https://a.test/"), "notifications", Map::new())
            .await
    });
    // Another request is answered while the first one waits.
    assert!(m
        .request(&frame("https://a.test/"), "geolocation", Map::new())
        .await
        .unwrap());
    while calls.load(Ordering::SeqCst) < 2 {
        tokio::task::yield_now().await;
    }
    assert!(!pending.is_finished());
    m.set_request_handler(None);
    assert!(
        !pending.await.unwrap().unwrap(),
        "cleared handler denies the pending request"
    );
    // And with no handler, the default applies again.
    assert!(m
        .request(&frame("https://a.test/"), "notifications", Map::new())
        .await
        .unwrap());
}

// Rule: the check handler gets the requesting origin (an origin URL with a
// trailing slash) and details with embeddingOrigin, requestingUrl, isMainFrame.
#[tokio::test]
async fn check_handler_arguments() {
    let m = PermissionManager::default();
    let seen: Arc<Mutex<Option<PermissionCheck>>> = Arc::default();
    let s = seen.clone();
    m.set_check_handler(Some(Arc::new(FnHook(move |q: PermissionCheck| {
        *s.lock().unwrap() = Some(q);
        async { Ok(false) }
    }))));
    let f = Frame {
        web_contents_id: 3,
        url: "https://sub.a.test:8443/frame".into(),
        main_frame_url: "https://top.test/".into(),
        is_main_frame: false,
    };
    assert!(!m
        .check(
            Some(&f),
            "media",
            details(json!({ "mediaType": "video", "securityOrigin": "https://sub.a.test:8443" }))
        )
        .await
        .unwrap());
    let q = seen.lock().unwrap().clone().unwrap();
    assert_eq!(q.web_contents_id, Some(3));
    assert_eq!(q.requesting_origin, "https://sub.a.test:8443/");
    assert_eq!(
        Value::Object(q.details),
        json!({ "mediaType": "video", "securityOrigin": "https://sub.a.test:8443", "embeddingOrigin": "https://top.test/", "requestingUrl": "https://sub.a.test:8443/frame", "isMainFrame": false })
    );
}

#[tokio::test]
async fn device_handler_decides_when_set() {
    let m = PermissionManager::default();
    let seen: Arc<Mutex<Option<Value>>> = Arc::default();
    let s = seen.clone();
    m.set_device_handler(Some(Arc::new(FnHook(move |q: DevicePermissionCheck| {
        *s.lock().unwrap() = Some(q.to_details());
        async move { Ok(q.device["vendorId"] == 0x1234) }
    }))));
    let d = json!({ "vendorId": 0x1234, "productId": 1 });
    assert!(m
        .check_device("https://a.test:444/p", DeviceType::Usb, d.clone())
        .await
        .unwrap());
    assert_eq!(
        *seen.lock().unwrap(),
        Some(json!({ "deviceType": "usb", "origin": "https://a.test:444", "device": d }))
    );
    // Grants are ignored while a handler is set, as in Electron.
    let other = json!({ "vendorId": 1, "productId": 1, "serialNumber": "s" });
    m.grant_device("https://a.test:444/", DeviceType::Usb, other.clone());
    m.set_device_handler(None);
    assert!(!m
        .check_device("https://a.test:444/", DeviceType::Usb, other)
        .await
        .unwrap());
}

#[test]
fn origins() {
    let rows: &[(&str, &str, &str)] = &[
        ("https://a.test/x?y#z", "https://a.test", "https://a.test/"),
        ("http://a.test:80/", "http://a.test", "http://a.test/"),
        (
            "http://a.test:8080/",
            "http://a.test:8080",
            "http://a.test:8080/",
        ),
        ("file:///tmp/x.html", "file://", "file:///"),
        ("data:text/html,hi", "null", ""),
        ("about:blank", "null", ""),
        ("not a url", "null", ""),
    ];
    for (url, serialized, as_url) in rows {
        assert_eq!(serialized_origin(url), *serialized, "url {url}");
        assert_eq!(origin_url(url), *as_url, "url {url}");
    }
}

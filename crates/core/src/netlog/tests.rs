use super::*;

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

// Rule: the file is Chrome's NetLog JSON; events name their type through constants.
#[tokio::test]
async fn writes_chrome_netlog_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.json");
    let log = NetLog::default();
    assert!(!log.currently_logging());
    log.start(
        &path,
        CaptureMode::Default,
        None,
        &[("net::ERR_FAILED", -2)],
    )
    .unwrap();
    assert!(log.currently_logging());
    assert!(log
        .start(&path, CaptureMode::Default, None, &[])
        .unwrap_err()
        .message()
        .contains("already"));
    let src = log.new_source();
    log.add(src, "REQUEST_ALIVE", Phase::Begin, |_| {
        Some(json!({ "url": "https://a.test/" }))
    });
    log.add(src, "REQUEST_ALIVE", Phase::End, |_| None);
    assert_eq!(log.stop().await.unwrap(), path);
    assert!(!log.currently_logging());
    let v = read(&path);
    assert_eq!(v["constants"]["logEventPhase"]["PHASE_BEGIN"], 1);
    assert_eq!(v["constants"]["netError"]["ERR_FAILED"], -2);
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let alive = v["constants"]["logEventTypes"]["REQUEST_ALIVE"].clone();
    assert_eq!(events[0]["type"], alive);
    assert_eq!(events[0]["phase"], 1);
    assert_eq!(events[0]["source"]["id"], src);
    assert_eq!(events[0]["params"]["url"], "https://a.test/");
    assert!(v["polledData"].is_object());
    assert_eq!(
        log.stop().await.unwrap_err().message(),
        "No net log in progress"
    );
}

#[tokio::test]
async fn max_file_size_stops_recording_and_keeps_the_file_valid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.json");
    let log = NetLog::default();
    log.start(&path, CaptureMode::Everything, Some(4096), &[])
        .unwrap();
    for i in 0..200 {
        log.add(i, "FAILED", Phase::None, |_| {
            Some(json!({ "net_error": -2, "pad": "x".repeat(100) }))
        });
    }
    log.sync();
    assert!(!log.currently_logging(), "logging stops at maxFileSize");
    log.stop().await.unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size <= 4096 + 64, "{size} bytes");
    let v = read(&path);
    let n = v["events"].as_array().unwrap().len();
    assert!(n > 0 && n < 200, "{n} events kept");
}

#[test]
fn sensitive_headers_by_mode() {
    let h = [
        ("Cookie", "a=b"),
        ("Accept", "*/*"),
        ("authorization", "Basic xyz"),
    ];
    assert_eq!(
        header_lines(h.into_iter(), CaptureMode::Default),
        [
            "Cookie: [3 bytes were stripped]",
            "Accept: */*",
            "authorization: [9 bytes were stripped]"
        ]
    );
    assert_eq!(
        header_lines(h.into_iter(), CaptureMode::IncludeSensitive),
        ["Cookie: a=b", "Accept: */*", "authorization: Basic xyz"]
    );
    assert!(CaptureMode::parse("verbose")
        .unwrap_err()
        .is_invalid_argument());
}

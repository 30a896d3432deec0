//! Downloads against real loopback servers and real files in temp folders.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use super::*;
use crate::app::PackageInfo;
use crate::session::{SessionOptions, SessionRegistry};

/// What the test server answers to one request.
struct Answer {
    status: &'static str,
    headers: Vec<String>,
    body: Vec<u8>,
    /// Close the connection after this many body bytes.
    cut_after: Option<usize>,
}

fn ok(body: &[u8], headers: &[&str]) -> Answer {
    Answer {
        status: "200 OK",
        headers: headers.iter().map(|h| h.to_string()).collect(),
        body: body.to_vec(),
        cut_after: None,
    }
}

/// The `Range` start of a request head, if any.
fn range_start(head: &str) -> Option<usize> {
    head.lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("range: bytes=").map(str::to_string))
        .and_then(|r| r.trim_end_matches('-').parse().ok())
}

fn partial(body: &[u8], from: usize, headers: &[&str]) -> Answer {
    let mut headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    headers.push(format!("Content-Range: bytes {from}-{}/{}", body.len() - 1, body.len()));
    Answer {
        status: "206 Partial Content",
        headers,
        body: body[from..].to_vec(),
        cut_after: None,
    }
}

type Heads = Arc<Mutex<Vec<String>>>;

/// Serves `answer(n, head)` for the n-th request (from 0); returns the
/// server's base URL and the request heads it saw.
async fn serve(answer: impl Fn(usize, &str) -> Answer + Send + Sync + 'static) -> (String, Heads) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let heads: Heads = Arc::default();
    let seen = heads.clone();
    let answer = Arc::new(answer);
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let seen = seen.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).into_owned();
                let n = {
                    let mut s = seen.lock().unwrap();
                    s.push(head.clone());
                    s.len() - 1
                };
                let a = answer(n, &head);
                let mut out = format!("HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n", a.status, a.body.len());
                for h in &a.headers {
                    out.push_str(h);
                    out.push_str("\r\n");
                }
                out.push_str("\r\n");
                let _ = sock.write_all(out.as_bytes()).await;
                let end = a.cut_after.unwrap_or(a.body.len());
                let _ = sock.write_all(&a.body[..end]).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (base, heads)
}

struct Fixture {
    _dir: tempfile::TempDir,
    folder: PathBuf,
    session: Arc<Session>,
    events: mpsc::UnboundedReceiver<(u32, DownloadEvent)>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(PackageInfo { name: Some("dl".into()), version: Some("1.0.0".into()) });
    app.set_path("userData", dir.path()).unwrap();
    let (session, _) = SessionRegistry::default()
        .from_partition(&app, "downloads", &SessionOptions::default())
        .unwrap();
    let folder = dir.path().join("Downloads");
    session.downloads().set_download_path(folder.clone());
    let (tx, events) = mpsc::unbounded_channel();
    session.downloads().set_event_sink(Some(Arc::new(move |id, e| {
        let _ = tx.send((id, e));
    })));
    Fixture { _dir: dir, folder, session, events }
}

impl Fixture {
    async fn download(&self, url: &str) {
        let params = DownloadParams { url: Url::parse(url).unwrap(), headers: Vec::new(), web_contents_id: None };
        download_url(self.session.clone(), params, None).await;
    }

    /// Every event up to and including the next `done`.
    async fn until_done(&mut self) -> (Arc<DownloadItem>, Vec<DownloadEvent>) {
        let mut seen = Vec::new();
        loop {
            let (id, e) = self.events.recv().await.unwrap();
            seen.push(e);
            if let DownloadEvent::Done(_) = e {
                return (self.session.downloads().item(id).unwrap(), seen);
            }
        }
    }
}

fn body_of(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 251) as u8).collect()
}

fn dones(events: &[DownloadEvent]) -> Vec<DownloadEvent> {
    events.iter().copied().filter(|e| matches!(e, DownloadEvent::Done(_))).collect()
}

// Rule: a download lands at folder/name through a .crdownload file, with
// exact byte counts and one `done`.
#[tokio::test]
async fn completes_into_the_download_folder() {
    let mut f = fixture();
    let data = body_of(300_000);
    let served = data.clone();
    let (base, _) = serve(move |_, _| ok(&served, &["Content-Type: application/octet-stream; x=1", "ETag: \"v1\""])).await;
    f.download(&format!("{base}/file.bin")).await;
    let (item, events) = f.until_done().await;
    assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Completed)]);
    let target = f.folder.join("file.bin");
    assert_eq!(std::fs::read(&target).unwrap(), data);
    assert!(!intermediate_path(&target).exists());
    assert_eq!(item.state(), DownloadState::Completed);
    assert_eq!((item.received_bytes(), item.total_bytes()), (300_000, 300_000));
    assert_eq!(item.percent_complete(), 100);
    assert_eq!(item.mime_type(), "application/octet-stream");
    assert_eq!(item.etag(), "\"v1\"");
    assert_eq!(item.save_path(), target.to_string_lossy());
    assert!(item.end_time() >= item.start_time());
}

// Rule: a second download of the same name is made unique.
#[tokio::test]
async fn existing_names_are_uniquified() {
    let mut f = fixture();
    let (base, _) = serve(|_, _| ok(b"x", &[])).await;
    for _ in 0..2 {
        f.download(&format!("{base}/a.txt")).await;
        f.until_done().await;
    }
    assert!(f.folder.join("a.txt").exists());
    assert!(f.folder.join("a (1).txt").exists());
}

// Rule: a body cut short with a validator resumes by itself with Range and
// If-Range (the ETag), and the 206 is appended.
#[tokio::test]
async fn cut_body_resumes_with_etag() {
    let mut f = fixture();
    let data = body_of(200_000);
    let served = data.clone();
    let (base, heads) = serve(move |n, head| match n {
        0 => Answer { cut_after: Some(70_000), ..ok(&served, &["ETag: \"e1\""]) },
        _ => partial(&served, range_start(head).unwrap(), &["ETag: \"e1\""]),
    })
    .await;
    f.download(&format!("{base}/f.bin")).await;
    let (item, events) = f.until_done().await;
    assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Completed)]);
    assert_eq!(std::fs::read(f.folder.join("f.bin")).unwrap(), data);
    let second = heads.lock().unwrap()[1].to_ascii_lowercase();
    assert!(second.contains("range: bytes=70000-"), "{second}");
    assert!(second.contains("if-range: \"e1\""), "{second}");
    assert_eq!(item.received_bytes(), 200_000);
}

// Rule: a server error after a cut interrupts (partial file kept); resume()
// continues from there with If-Range set to Last-Modified.
#[tokio::test]
async fn interrupted_then_resumed_with_last_modified() {
    let mut f = fixture();
    let data = body_of(100_000);
    let served = data.clone();
    let lm = "Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT";
    let date = "Date: Thu, 22 Oct 2015 07:28:00 GMT";
    let (base, heads) = serve(move |n, head| match n {
        0 => Answer { cut_after: Some(40_000), ..ok(&served, &[lm, date]) },
        1 => Answer { status: "500 Oops", ..ok(b"", &[]) },
        _ => partial(&served, range_start(head).unwrap(), &[lm]),
    })
    .await;
    f.download(&format!("{base}/g.bin")).await;
    let (item, events) = f.until_done().await;
    assert_eq!(
        events.iter().rev().take(2).rev().copied().collect::<Vec<_>>(),
        vec![DownloadEvent::Updated(DownloadState::Interrupted), DownloadEvent::Done(DownloadState::Interrupted)]
    );
    assert_eq!(item.interrupt_reason(), InterruptReason::ServerFailed);
    assert_eq!(item.received_bytes(), 40_000);
    let partial_file = intermediate_path(&f.folder.join("g.bin"));
    assert_eq!(std::fs::metadata(&partial_file).unwrap().len(), 40_000);
    assert!(item.can_resume());
    item.resume(None).expect("an interrupted item resumes").await;
    let (_, events) = f.until_done().await;
    assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Completed)]);
    assert_eq!(std::fs::read(f.folder.join("g.bin")).unwrap(), data);
    let third = heads.lock().unwrap()[2].to_ascii_lowercase();
    assert!(third.contains("range: bytes=40000-"), "{third}");
    assert!(third.contains("if-range: wed, 21 oct 2015 07:28:00 gmt"), "{third}");
}

// Rule: a server that ignores the range (200) restarts the file from zero;
// one that rejects it (416) is asked again without a range.
#[tokio::test]
async fn ignored_or_rejected_ranges_restart() {
    for reject in [false, true] {
        let mut f = fixture();
        let data = body_of(50_000);
        let served = data.clone();
        let (base, heads) = serve(move |n, head| match n {
            0 => Answer { cut_after: Some(10_000), ..ok(&served, &["ETag: \"z\""]) },
            1 if reject => {
                assert!(range_start(head).is_some());
                Answer { status: "416 Range Not Satisfiable", ..ok(b"", &[]) }
            }
            _ => ok(&served, &["ETag: \"z\""]),
        })
        .await;
        f.download(&format!("{base}/h.bin")).await;
        let (item, events) = f.until_done().await;
        assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Completed)], "reject={reject}");
        assert_eq!(std::fs::read(f.folder.join("h.bin")).unwrap(), data, "reject={reject}");
        assert_eq!(item.received_bytes(), 50_000);
        if reject {
            let third = heads.lock().unwrap()[2].to_ascii_lowercase();
            assert!(!third.contains("range:"), "after a 416 the file restarts: {third}");
        }
    }
}

// Rule: without a validator a body cut short is taken as complete (Chromium's
// HandleRequestCompletionStatus).
#[tokio::test]
async fn short_body_without_validator_completes() {
    let mut f = fixture();
    let data = body_of(20_000);
    let served = data.clone();
    let (base, heads) = serve(move |_, _| Answer { cut_after: Some(5_000), ..ok(&served, &[]) }).await;
    f.download(&format!("{base}/s.bin")).await;
    let (_, events) = f.until_done().await;
    assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Completed)]);
    assert_eq!(std::fs::read(f.folder.join("s.bin")).unwrap(), data[..5_000]);
    assert_eq!(heads.lock().unwrap().len(), 1);
}

// Rule: a refused connection and a 404 interrupt the item, which still gets
// its one `done`.
#[tokio::test]
async fn failures_before_the_body_interrupt() {
    let mut f = fixture();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    f.download(&format!("http://127.0.0.1:{port}/x.bin")).await;
    let (item, events) = f.until_done().await;
    assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Interrupted)]);
    assert_eq!(item.interrupt_reason(), InterruptReason::NetworkFailed);
    let (base, _) = serve(|_, _| Answer { status: "404 Not Found", ..ok(b"nope", &[]) }).await;
    f.download(&format!("{base}/y.bin")).await;
    let (item, events) = f.until_done().await;
    assert_eq!(dones(&events), vec![DownloadEvent::Done(DownloadState::Interrupted)]);
    assert_eq!(item.interrupt_reason(), InterruptReason::ServerBadContent);
    assert!(!f.folder.join("y.bin").exists());
}

// Rule: cancel() of an interrupted item deletes its partial file; `done`
// reports `cancelled` once.
#[tokio::test]
async fn cancel_deletes_the_partial_file() {
    let mut f = fixture();
    let data = body_of(30_000);
    let (base, _) = serve(move |n, _| match n {
        0 => Answer { cut_after: Some(1_000), ..ok(&data, &["ETag: \"c\""]) },
        _ => Answer { status: "503 Busy", ..ok(b"", &[]) },
    })
    .await;
    f.download(&format!("{base}/c.bin")).await;
    let (item, _) = f.until_done().await;
    let partial_file = intermediate_path(&f.folder.join("c.bin"));
    assert!(partial_file.exists());
    item.cancel();
    item.cancel();
    let (_, events) = f.until_done().await;
    assert_eq!(events, vec![DownloadEvent::Done(DownloadState::Cancelled)]);
    assert!(!partial_file.exists());
    assert!(!item.can_resume());
    assert!(item.resume(None).is_none());
}

// Rule: a strong ETag, or a Last-Modified a minute before Date, is a strong
// validator (Chromium's HttpUtil::HasStrongValidators, HTTP/1.1 rows).
#[test]
fn strong_validators_follow_chromium() {
    let lm = "Wed, 21 Oct 2015 07:28:00 GMT";
    let rows: &[(&str, &str, Option<&str>, bool)] = &[
        ("\"a\"", "", None, true),
        ("W/\"a\"", "", None, false),
        (" w /\"a\"", "", None, false),
        ("/\"a\"", "", None, true),
        ("", lm, Some("Wed, 21 Oct 2015 07:29:00 GMT"), true),
        ("", lm, Some("Wed, 21 Oct 2015 07:28:59 GMT"), false),
        ("", lm, None, false),
        ("W/\"a\"", lm, Some("Thu, 22 Oct 2015 00:00:00 GMT"), true),
        ("", "", None, false),
    ];
    for &(etag, last_modified, date, want) in rows {
        assert_eq!(run::strong_validators(etag, last_modified, date), want, "row {etag:?} {last_modified:?} {date:?}");
    }
}

#[test]
fn content_range_parses() {
    let rows: &[(&str, Option<(u64, u64, Option<u64>)>)] = &[
        ("bytes 0-9/10", Some((0, 9, Some(10)))),
        ("bytes 5-9/*", Some((5, 9, None))),
        ("bytes 9-5/10", None),
        ("bytes 0-10/10", None),
        ("items 0-1/2", None),
    ];
    for &(value, want) in rows {
        assert_eq!(run::content_range(value), want, "value {value:?}");
    }
}

#[test]
fn interrupted_download_options_are_checked() {
    let good = InterruptedDownload {
        path: "/tmp/x".into(),
        url_chain: vec![Url::parse("http://a/").unwrap()],
        mime_type: String::new(),
        offset: 0,
        length: 10,
        last_modified: String::new(),
        etag: String::new(),
        start_time: None,
    };
    assert!(good.validate().is_ok());
    let e = InterruptedDownload { length: 0, ..good.clone() }.validate().unwrap_err();
    assert_eq!(e.message(), "Must pass non-empty path, urlChain and length.");
    let e = InterruptedDownload { offset: 10, ..good }.validate().unwrap_err();
    assert_eq!(e.message(), "Must pass an offset value less than length.");
}

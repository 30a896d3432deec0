//! The protocol stage through the real pipeline, with Rust closures standing
//! in for JavaScript handlers.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::*;
use crate::hooks::{FnHook, HookError};
use crate::net;
use crate::session::{Session, SessionOptions, SessionRegistry};

fn session() -> Arc<Session> {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (s, _) = SessionRegistry::global()
        .from_partition(
            crate::app::App::global(),
            &format!("protocol-test-{n}"),
            &SessionOptions::default(),
        )
        .unwrap();
    s
}

fn get(url: &str) -> Request {
    Request::get(Url::parse(url).unwrap())
}

/// A handler that answers every request with what `make` builds.
fn handler(make: impl Fn(&ProtocolRequest) -> HandlerAnswer + Send + Sync + 'static) -> ProtocolHandler {
    let make = Arc::new(make);
    Arc::new(FnHook(move |q: ProtocolRequest| {
        let a = make(&q);
        async move { Ok::<_, HookError>(a) }
    }))
}

async fn fetch(s: &Session, req: Request) -> Result<(u16, Vec<(String, String)>, Vec<u8>), String> {
    let r = net::fetch(s, req, &CancellationToken::new())
        .await
        .map_err(|e| e.message().to_string())?;
    let mut body = Vec::new();
    if let Some(mut b) = r.body {
        while let Some(c) = b.next().await {
            body.extend_from_slice(&c.map_err(|e| e.name().to_string())?);
        }
    }
    Ok((r.status, r.headers, body))
}

fn fields(f: impl FnOnce(&mut ResponseFields)) -> HandlerAnswer {
    let mut r = ResponseFields::default();
    f(&mut r);
    HandlerAnswer::Object(r)
}

// Rule: each protocol type takes the answers Electron's loader takes; the
// others fail with the error Electron reports.
#[tokio::test]
async fn answers_by_protocol_type() {
    type Make = fn() -> HandlerAnswer;
    let rows: &[(ProtocolType, Make, Result<&[u8], &str>)] = &[
        (ProtocolType::String, || HandlerAnswer::Text("hi".into()), Ok(b"hi")),
        (ProtocolType::String, || fields(|f| f.data = Data::Text("obj".into())), Ok(b"obj")),
        (ProtocolType::String, || HandlerAnswer::Other, Err("net::ERR_FAILED")),
        (ProtocolType::String, || HandlerAnswer::Nothing, Err("net::ERR_NOT_IMPLEMENTED")),
        (ProtocolType::Buffer, || HandlerAnswer::Bytes(Bytes::from_static(b"buf")), Ok(b"buf")),
        (ProtocolType::Buffer, || fields(|f| f.data = Data::Bytes(Bytes::from_static(b"b2"))), Ok(b"b2")),
        (ProtocolType::Buffer, || HandlerAnswer::Text("s".into()), Err("net::ERR_NOT_IMPLEMENTED")),
        (ProtocolType::Buffer, || fields(|f| f.data = Data::Text("s".into())), Err("net::ERR_FAILED")),
        (ProtocolType::Stream, || fields(|f| f.data = Data::Null), Ok(b"")),
        (ProtocolType::Stream, || fields(|_| {}), Err("net::ERR_FAILED")),
        (
            ProtocolType::Stream,
            || HandlerAnswer::Stream(futures_util::stream::iter([Ok(Bytes::from_static(b"a")), Ok(Bytes::from_static(b"b"))]).boxed()),
            Ok(b"ab"),
        ),
        (ProtocolType::Http, || fields(|f| f.url = Some("url".into())), Err("net::ERR_FAILED")),
        (ProtocolType::Http, || HandlerAnswer::Other, Err("net::ERR_NOT_IMPLEMENTED")),
        (ProtocolType::File, || fields(|_| {}), Err("net::ERR_FAILED")),
        (ProtocolType::File, || HandlerAnswer::Text("/no/such/file".into()), Err("net::ERR_FILE_NOT_FOUND")),
        (ProtocolType::Free, || HandlerAnswer::Text("free".into()), Ok(b"free")),
        (ProtocolType::Free, || fields(|_| {}), Ok(b"")),
        (ProtocolType::Free, || fields(|f| f.error = Some(-6)), Err("net::ERR_FILE_NOT_FOUND")),
        (ProtocolType::Free, || fields(|f| f.error = Some(-12345)), Err("net::ERR_FAILED")),
    ];
    for (i, (kind, make, want)) in rows.iter().enumerate() {
        let s = session();
        let make = *make;
        assert!(s.protocol().register(*kind, "t-scheme", handler(move |_| make())));
        let got = fetch(&s, get("t-scheme://host/x")).await.map(|(_, _, b)| b);
        assert_eq!(got.as_deref().map_err(String::as_str), want.map(|b| b), "row {i}: {kind:?}");
    }
}

// Rule: statusCode, mimeType and headers shape the head; mimeType yields to
// an explicit content-type; memory contents allow any origin.
#[tokio::test]
async fn response_head() {
    let s = session();
    s.protocol().register(
        ProtocolType::String,
        "head",
        handler(|q| {
            let explicit = q.url.path() == "/explicit";
            fields(move |f| {
                f.status_code = Some(201);
                f.mime_type = Some("application/json".into());
                f.headers = vec![("X-Multi".into(), "a".into()), ("X-Multi".into(), "b".into())];
                if explicit {
                    f.headers.push(("Content-Type".into(), "text/plain".into()));
                }
                f.data = Data::Text("{}".into());
            })
        }),
    );
    let (status, headers, _) = fetch(&s, get("head://h/")).await.unwrap();
    assert_eq!(status, 201);
    let h = |name: &str| -> Vec<&str> {
        headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    };
    assert_eq!(h("x-multi"), ["a", "b"]);
    assert_eq!(h("content-type"), ["application/json"]);
    assert_eq!(h("access-control-allow-origin"), ["*"]);
    let (_, headers, _) = fetch(&s, get("head://h/explicit")).await.unwrap();
    let ct: Vec<_> = headers.iter().filter(|(n, _)| n == "content-type").collect();
    assert_eq!(ct.len(), 1);
    assert_eq!(ct[0].1, "text/plain");
}

// Rule: a redirect answer is followed, to the same scheme or another
// handled one; a handler error is ERR_UNEXPECTED; unregistering stops it.
#[tokio::test]
async fn redirects_errors_and_registry() {
    let s = session();
    s.protocol().register(
        ProtocolType::Free,
        "r-scheme",
        handler(|q| {
            if q.url.path() == "/start" {
                fields(|f| {
                    f.status_code = Some(302);
                    f.headers = vec![("Location".into(), "/end".into())];
                })
            } else {
                HandlerAnswer::Text(format!("at {}", q.url))
            }
        }),
    );
    let (_, _, body) = fetch(&s, get("r-scheme://h/start")).await.unwrap();
    assert_eq!(body, b"at r-scheme://h/end");
    let failing: ProtocolHandler = Arc::new(FnHook(|_q: ProtocolRequest| async {
        Err::<HandlerAnswer, _>(HookError::new("thrown"))
    }));
    assert!(s.protocol().register(ProtocolType::Free, "bad", failing.clone()));
    assert!(!s.protocol().register(ProtocolType::Free, "bad", failing));
    assert_eq!(fetch(&s, get("bad://x")).await.unwrap_err(), "net::ERR_UNEXPECTED");
    assert!(s.protocol().unregister("bad"));
    assert!(!s.protocol().unregister("bad"));
    assert_eq!(fetch(&s, get("bad://x")).await.unwrap_err(), "net::ERR_UNKNOWN_URL_SCHEME");
    // Registering a built-in scheme is remembered but never asked; only
    // intercepting it is.
    s.protocol().register(ProtocolType::String, "data", handler(|_| HandlerAnswer::Text("no".into())));
    assert_eq!(fetch(&s, get("data:,yes")).await.unwrap().2, b"yes");
    s.protocol().intercept(ProtocolType::String, "data", handler(|_| HandlerAnswer::Text("mine".into())));
    assert_eq!(fetch(&s, get("data:,yes")).await.unwrap().2, b"mine");
    let mut bypass = get("data:,yes");
    bypass.bypass_custom_protocol_handlers = true;
    assert_eq!(fetch(&s, bypass).await.unwrap().2, b"yes");
}

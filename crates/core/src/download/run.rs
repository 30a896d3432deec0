//! The transfer: one request, its response checked as Chromium's
//! `HandleSuccessfulServerResponse` does, the body written on a blocking
//! thread, then completion, cancellation or interruption (with automatic
//! resumption for the reasons Chromium resumes by itself).

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;

use super::{
    intermediate_path, naming, DownloadItem, DownloadParams, DownloadState, InterruptReason,
    ItemState, ResumeMode, RunSink, DEFAULT_FILE_NAME, UPDATE_PERIOD,
};
use crate::net::{self, header, Body, FetchError, NetError, Request, Response};
use crate::session::Session;

/// How many chunks may wait for the disk (each up to 1 MiB): memory stays flat.
const WRITE_QUEUE: usize = 8;

/// The MIME type of a `Content-Type` value: lower-cased, parameters dropped.
fn mime_of(content_type: Option<&str>) -> String {
    content_type
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// `Content-Range: bytes FIRST-LAST/TOTAL` → (first, last, total or `None` for `*`).
pub(super) fn content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (first, last) = range.trim().split_once('-')?;
    let first: u64 = first.trim().parse().ok()?;
    let last: u64 = last.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse().ok()?),
    };
    (first <= last && total.is_none_or(|t| last < t)).then_some((first, last, total))
}

/// Where the body starts in the file, or why it cannot be saved: Chromium's
/// `HandleSuccessfulServerResponse` for a request that asked for bytes from
/// `offset` on.
pub(super) fn check_response(
    status: u16,
    headers: &[(String, String)],
    offset: u64,
) -> Result<u64, InterruptReason> {
    if let Some(reason) = InterruptReason::from_status(status) {
        return Err(reason);
    }
    if offset == 0 {
        return if status == 206 { Err(InterruptReason::ServerBadContent) } else { Ok(0) };
    }
    if status != 206 {
        // The whole file came back: start again from its first byte.
        return Ok(0);
    }
    match header(headers, "content-range").and_then(content_range) {
        Some((first, _, _)) if first == offset => Ok(offset),
        _ => Err(InterruptReason::ServerBadContent),
    }
}

/// Whether the response can be told apart from a changed file: an ETag that
/// is not weak (`W/…`), or a Last-Modified at least a minute older than the
/// response's `Date` (Chromium's `HttpUtil::HasStrongValidators`; dates are
/// read with the cookie date parser, which takes every HTTP date form).
pub(super) fn strong_validators(etag: &str, last_modified: &str, date: Option<&str>) -> bool {
    if !etag.is_empty() {
        match etag.find('/') {
            None | Some(0) => return true,
            Some(i) if !etag[..i].trim().eq_ignore_ascii_case("w") => return true,
            Some(_) => {}
        }
    }
    let parse = crate::cookies::parse::parse_cookie_expiration_time;
    match (parse(last_modified), date.and_then(parse)) {
        (Some(modified), Some(date)) => date - modified >= 60 * crate::cookies::time::SECOND,
        _ => false,
    }
}

/// Copies what a response says about the file into the item.
fn take_head(s: &mut ItemState, response: &Response, start: u64) {
    let h = &response.headers;
    s.mime_type = mime_of(header(h, "content-type"));
    s.content_disposition = header(h, "content-disposition").unwrap_or_default().to_string();
    s.etag = header(h, "etag").unwrap_or_default().to_string();
    s.last_modified = header(h, "last-modified").unwrap_or_default().to_string();
    s.strong_validators = strong_validators(&s.etag, &s.last_modified, header(h, "date"));
    // A decoded body's length is not the header's (Chromium leaves the size unknown).
    s.decoded = header(h, "content-encoding")
        .is_some_and(|c| c.split(',').any(|c| !c.trim().eq_ignore_ascii_case("identity")));
    let length = header(h, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let range_total = header(h, "content-range").and_then(content_range).and_then(|r| r.2);
    s.total = if s.decoded {
        0
    } else if response.status == 206 {
        range_total.or(length.map(|l| start + l)).unwrap_or(0)
    } else {
        length.unwrap_or(0)
    };
    s.received = start;
}

fn request_for(s: &ItemState, offset: u64) -> Request {
    let mut headers = s.request_headers.clone();
    if offset > 0 {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case("range") && !n.eq_ignore_ascii_case("if-range"));
        headers.push(("Range".to_string(), format!("bytes={offset}-")));
        let validator = if !s.etag.is_empty() { &s.etag } else { &s.last_modified };
        headers.push(("If-Range".to_string(), validator.clone()));
    }
    Request {
        headers,
        ..Request::get(s.url_chain.last().expect("an item has a URL").clone())
    }
}

fn fetch_reason(e: FetchError) -> InterruptReason {
    match e {
        FetchError::Net(n) => InterruptReason::from_net_error(n),
        _ => InterruptReason::NetworkFailed,
    }
}

/// A new download: request, item, `will-download`, target, transfer.
pub(super) async fn start(session: Arc<Session>, params: DownloadParams, sink: RunSink) {
    let token = CancellationToken::new();
    let request = Request {
        headers: params.headers.clone(),
        web_contents_id: params.web_contents_id,
        ..Request::get(params.url.clone())
    };
    let result = net::fetch(&session, request, &token).await;
    let mut state = DownloadItem::blank(vec![params.url.clone()], params.headers);
    let mut first = None;
    match result {
        Ok(response) => {
            state.url_chain = response.url_list.clone();
            match check_response(response.status, &response.headers, 0) {
                Ok(start) => {
                    take_head(&mut state, &response, start);
                    first = Some(response);
                }
                Err(reason) => {
                    take_head(&mut state, &response, 0);
                    state.total = 0;
                    state.state = DownloadState::Interrupted;
                    state.reason = reason;
                }
            }
        }
        Err(e) => {
            state.state = DownloadState::Interrupted;
            state.reason = fetch_reason(e);
        }
    }
    if first.is_some() {
        state.run = Some(token.clone());
    }
    let item = DownloadItem::new(session.clone(), state);
    session.downloads().register(&item);
    let generation = item.set_run_sink(sink);
    announce_and_run(&session, &item, params.web_contents_id, &token, first).await;
    item.clear_run_sink(generation);
}

async fn announce_and_run(
    session: &Session,
    item: &Arc<DownloadItem>,
    web_contents_id: Option<u32>,
    token: &CancellationToken,
    first: Option<Response>,
) {
    if !session.downloads().announce(item, web_contents_id).await {
        return;
    }
    let target = determine_target(session, item).await;
    match (target, first) {
        (Ok(()), Some(response)) => resume_loop(item, token, Some(response)).await,
        (Err(reason), Some(_)) => {
            item.finish(DownloadState::Interrupted, reason);
        }
        (_, None) => {
            // Failed before any byte: it still stops visibly, once.
            if item.state() == DownloadState::Interrupted {
                item.emit(super::DownloadEvent::Updated(DownloadState::Interrupted));
                item.emit(super::DownloadEvent::Done(DownloadState::Interrupted));
            }
        }
    }
}

/// Fixes the save path: the one `will-download` set (its folder created), or
/// the download folder, the generated name, made unique.
async fn determine_target(session: &Session, item: &Arc<DownloadItem>) -> Result<(), InterruptReason> {
    let chosen = item.inner.lock().unwrap().save_path.clone();
    let app = crate::app::App::global();
    let folder = session.downloads().download_path(app);
    let filename = item.filename();
    let target = tokio::task::spawn_blocking(move || -> Result<PathBuf, InterruptReason> {
        let target = match chosen {
            Some(path) => path,
            None => {
                let folder = folder.ok_or(InterruptReason::FileFailed)?;
                let name = if filename.is_empty() { DEFAULT_FILE_NAME.to_string() } else { filename };
                naming::unique_path(&folder.join(name)).ok_or(InterruptReason::FileFailed)?
            }
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InterruptReason::from_io_error(&e))?;
        }
        Ok(target)
    })
    .await
    .map_err(|_| InterruptReason::FileFailed)??;
    let mut s = item.inner.lock().unwrap();
    s.save_path = Some(target);
    s.target_determined = true;
    Ok(())
}

/// Transfers until the item stops, resuming by itself as Chromium would.
/// `first` is a response already received for a request from byte 0. Even
/// a panic below ends the item (interrupted, `CRASH`), so `done` always comes.
pub(super) async fn resume_loop(item: &Arc<DownloadItem>, token: &CancellationToken, first: Option<Response>) {
    let run = std::panic::AssertUnwindSafe(transfer_loop(item, token, first));
    if futures_util::FutureExt::catch_unwind(run).await.is_err() {
        item.finish(DownloadState::Interrupted, InterruptReason::Crash);
    }
}

async fn transfer_loop(item: &Arc<DownloadItem>, token: &CancellationToken, mut first: Option<Response>) {
    loop {
        let reason = match first.take() {
            Some(response) => transfer(item, token, response, 0).await,
            None => attempt(item, token).await,
        };
        let Some(reason) = reason else { return };
        let mode = {
            let mut s = item.inner.lock().unwrap();
            if s.state != DownloadState::Progressing {
                return;
            }
            s.reason = reason;
            let mode = DownloadItem::resume_mode(&s, item.is_paused());
            if matches!(mode, ResumeMode::ImmediateContinue | ResumeMode::ImmediateRestart) {
                s.auto_resumes += 1;
            }
            mode
        };
        match mode {
            ResumeMode::ImmediateContinue | ResumeMode::ImmediateRestart => continue,
            _ => {
                item.finish(DownloadState::Interrupted, reason);
                return;
            }
        }
    }
}

/// One request from where the item stands; `None` once the item stopped by
/// itself (completed or cancelled), else why it was interrupted.
async fn attempt(item: &Arc<DownloadItem>, token: &CancellationToken) -> Option<InterruptReason> {
    let partial = item.inner.lock().unwrap().intermediate.clone();
    let on_disk = match partial {
        Some(p) => tokio::fs::metadata(&p).await.map(|m| m.len()).unwrap_or(0),
        None => 0,
    };
    let (request, offset) = {
        let mut s = item.inner.lock().unwrap();
        let mode = DownloadItem::resume_mode(&s, false);
        s.reason = InterruptReason::None;
        if matches!(mode, ResumeMode::ImmediateRestart | ResumeMode::UserRestart)
            || s.decoded
            || on_disk < s.received
            || (s.etag.is_empty() && s.last_modified.is_empty())
        {
            // Chromium forgets what it had and its validators on a restart.
            s.received = 0;
            s.etag.clear();
            s.last_modified.clear();
        }
        let offset = s.received;
        (request_for(&s, offset), offset)
    };
    let response = tokio::select! {
        biased;
        _ = token.cancelled() => return None,
        r = net::fetch(&item.session, request, token) => r,
    };
    let response = match response {
        Ok(r) => r,
        Err(_) if token.is_cancelled() => return None,
        Err(e) => return Some(fetch_reason(e)),
    };
    let start = match check_response(response.status, &response.headers, offset) {
        Ok(start) => start,
        Err(reason) => return Some(reason),
    };
    {
        let mut s = item.inner.lock().unwrap();
        // Redirects met while resuming join the chain.
        let new_hops: Vec<_> = response.url_list.iter().skip(1).cloned().collect();
        s.url_chain.extend(new_hops);
        take_head(&mut s, &response, start);
    }
    transfer(item, token, response, start).await
}

/// Writes `response`'s body into the intermediate file from byte `start`
/// (0: truncating), then completes. `None` when the item stopped by itself.
async fn transfer(
    item: &Arc<DownloadItem>,
    token: &CancellationToken,
    response: Response,
    start: u64,
) -> Option<InterruptReason> {
    let (target, path, strong) = {
        let mut s = item.inner.lock().unwrap();
        // Only a resume() from inside will-download can get here before
        // the path is decided.
        let Some(target) = s.save_path.clone() else {
            return Some(InterruptReason::FileFailed);
        };
        let path = s.intermediate.get_or_insert_with(|| intermediate_path(&target)).clone();
        (target, path, s.strong_validators)
    };
    let body: Body = match response.body {
        Some(b) => b,
        None => futures_util::stream::empty().boxed(),
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(WRITE_QUEUE);
    let writer_path = path.clone();
    let writing = item.clone();
    let writer = tokio::task::spawn_blocking(move || write_file(&writing, &writer_path, start, rx));
    let outcome = pump(item, token, body, tx).await;
    // The writer ends when the sender is gone; its error, if any, comes first.
    let written = writer.await.unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
    if token.is_cancelled() {
        if item.state() == DownloadState::Cancelled {
            let _ = tokio::fs::remove_file(&path).await;
        }
        return None;
    }
    if let Err(e) = written {
        return Some(InterruptReason::from_io_error(&e));
    }
    match outcome {
        Ok(()) => {}
        // Without a validator a short body cannot be resumed: Chromium
        // takes it as complete (`HandleRequestCompletionStatus`).
        Err(NetError::ContentLengthMismatch) if !strong => {}
        Err(e) => return Some(InterruptReason::from_net_error(e)),
    }
    let renamed = if path == target {
        Ok(())
    } else {
        tokio::fs::rename(&path, &target).await
    };
    if let Err(e) = renamed {
        return Some(InterruptReason::from_io_error(&e));
    }
    {
        let mut s = item.inner.lock().unwrap();
        s.intermediate = None;
    }
    item.finish(DownloadState::Completed, InterruptReason::None);
    None
}

/// Moves the body's chunks to the writer, honouring pause and cancel, and
/// sending `updated` every [`UPDATE_PERIOD`]. `Ok` when the body ended.
async fn pump(
    item: &Arc<DownloadItem>,
    token: &CancellationToken,
    mut body: Body,
    tx: tokio::sync::mpsc::Sender<Bytes>,
) -> Result<(), NetError> {
    let mut paused = item.paused.subscribe();
    let mut ticker = tokio::time::interval(UPDATE_PERIOD);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticker.tick().await;
    item.sample();
    loop {
        if *paused.borrow_and_update() {
            tokio::select! {
                biased;
                _ = token.cancelled() => return Err(NetError::Aborted),
                _ = paused.wait_for(|p| !*p) => {}
            }
            ticker.reset();
            item.inner.lock().unwrap().samples.clear();
            item.sample();
            continue;
        }
        tokio::select! {
            biased;
            _ = token.cancelled() => return Err(NetError::Aborted),
            _ = paused.changed() => {}
            _ = ticker.tick() => {
                item.sample();
                item.emit(super::DownloadEvent::Updated(DownloadState::Progressing));
            }
            chunk = body.next() => match chunk {
                Some(Ok(bytes)) => {
                    if tx.send(bytes).await.is_err() {
                        // The writer failed; its error is reported by the caller.
                        return Ok(());
                    }
                }
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
        }
    }
}

/// The writer thread: opens `path` at `start` (truncating what lies beyond)
/// and appends every chunk received. The item's received bytes count what
/// has been written, as Chromium's do, so they never exceed the file.
fn write_file(
    item: &DownloadItem,
    path: &Path,
    start: u64,
    mut rx: tokio::sync::mpsc::Receiver<Bytes>,
) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(start == 0)
        .open(path)?;
    if start > 0 {
        file.set_len(start)?;
        file.seek(SeekFrom::Start(start))?;
    }
    while let Some(chunk) = rx.blocking_recv() {
        file.write_all(&chunk)?;
        item.inner.lock().unwrap().received += chunk.len() as u64;
    }
    file.flush()
}

//! A handler's answer as a response, by Electron's rules
//! (`ElectronURLLoaderFactory::StartLoading` and `ToResponseHead`).

use bytes::Bytes;
use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;
use url::Url;

use super::{file, Data, FileResponseError, HandlerAnswer, ProtocolType, ResponseFields};
use crate::net::{self, Body, FetchError, NetError, RedirectMode, Request, RequestBody, Response};
use crate::session::Session;

/// Whether `kind` refuses answers that are no object (Electron's
/// `ResponseMustBeObject`): only string and file protocols take a bare
/// string.
fn must_be_object(kind: ProtocolType) -> bool {
    !matches!(
        kind,
        ProtocolType::String | ProtocolType::File | ProtocolType::Free
    )
}

/// The reason phrase Chromium gives a status (`net/http/http_status_code_list.h`).
fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        416 => "Range Not Satisfiable",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Status, status text and headers of a response (Electron's
/// `ToResponseHead`): 200 unless `statusCode` says otherwise; `mimeType`
/// becomes `content-type` unless the headers have one. Header names are
/// lower-cased.
fn head(fields: Option<&ResponseFields>) -> (u16, String, Vec<(String, String)>) {
    let Some(f) = fields else {
        return (200, "OK".to_string(), Vec::new());
    };
    let status = f.status_code.unwrap_or(200);
    let text = f
        .status_text
        .clone()
        .unwrap_or_else(|| reason_phrase(status).to_string());
    let mut headers: Vec<(String, String)> = f
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    if let Some(mime) = &f.mime_type {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
            headers.push(("content-type".to_string(), mime.clone()));
        }
    }
    (status, text, headers)
}

fn empty() -> Body {
    futures_util::stream::empty().boxed()
}

fn whole(bytes: Bytes) -> Body {
    futures_util::stream::iter([Ok(bytes)]).boxed()
}

/// How a request may be redirected by a handler's answer or an HTTP
/// response: to http(s), or to a scheme a handler of the session answers.
pub fn redirect_target_allowed(session: &Session, scheme: &str) -> bool {
    matches!(scheme, "http" | "https") || session.protocol().handles(scheme)
}

/// `answer`, from a handler registered as `kind`, as the response to `req`.
///
/// # Errors
/// - `ERR_NOT_IMPLEMENTED`: the callback got no argument, or a protocol
///   type that needs an object got none.
/// - the code of `{ error }` (`ERR_FAILED` for a code this crate does not
///   know).
/// - `ERR_FAILED`: an answer of the wrong type for `kind` (a string for a
///   buffer protocol, a stream that is none, `{ url }` that is no URL).
/// - `ERR_FILE_NOT_FOUND` / `ERR_ACCESS_DENIED` for file answers (see
///   [`file::confined_path`]); whatever the upstream request fails with for
///   `{ url }` answers.
pub async fn respond(
    session: &Session,
    kind: ProtocolType,
    answer: HandlerAnswer,
    req: &Request,
    cancel: &CancellationToken,
) -> Result<Response, FetchError> {
    let is_object = matches!(
        answer,
        HandlerAnswer::Bytes(_) | HandlerAnswer::Stream(_) | HandlerAnswer::Object(_)
    );
    let fields = match &answer {
        HandlerAnswer::Nothing => return Err(NetError::NotImplemented.into()),
        HandlerAnswer::Object(f) => {
            if let Some(code) = f.error {
                return Err(NetError::from_code(code).unwrap_or(NetError::Failed).into());
            }
            Some(f)
        }
        _ => None,
    };
    let (status, status_text, mut headers) = head(fields);
    let local = |status, status_text, headers, body| Response {
        status,
        status_text,
        version: "HTTP/1.1",
        headers,
        url_list: vec![req.url.clone()],
        body: Some(body),
        remote_ip: None,
    };
    // A redirect is answered whatever the protocol type; the pipeline
    // follows it.
    let is_redirect = matches!(status, 301 | 302 | 303 | 307 | 308)
        && headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("location"));
    if is_redirect {
        return Ok(local(status, status_text, headers, empty()));
    }
    if !is_object && must_be_object(kind) {
        return Err(NetError::NotImplemented.into());
    }
    let kind = match kind {
        ProtocolType::Free => free_kind(&answer),
        k => k,
    };
    // Contents sent from memory or a file may be read from any origin.
    if matches!(
        kind,
        ProtocolType::String | ProtocolType::Buffer | ProtocolType::File
    ) {
        headers.push(("access-control-allow-origin".to_string(), "*".to_string()));
    }
    match (kind, answer) {
        (ProtocolType::String, HandlerAnswer::Text(s)) => {
            Ok(local(status, status_text, headers, whole(Bytes::from(s))))
        }
        (ProtocolType::String, HandlerAnswer::Object(f)) => {
            let text = match f.data {
                Data::Text(s) => Bytes::from(s),
                _ => Bytes::new(),
            };
            Ok(local(status, status_text, headers, whole(text)))
        }
        (ProtocolType::Buffer, HandlerAnswer::Bytes(b)) => {
            Ok(local(status, status_text, headers, whole(b)))
        }
        (ProtocolType::Buffer, HandlerAnswer::Object(ResponseFields { data: Data::Bytes(b), .. })) => {
            Ok(local(status, status_text, headers, whole(b)))
        }
        (ProtocolType::Stream, HandlerAnswer::Stream(body)) => {
            Ok(local(status, status_text, headers, body))
        }
        (ProtocolType::Stream, HandlerAnswer::Object(f)) => match f.data {
            Data::Stream(body) => Ok(local(status, status_text, headers, body)),
            // An explicit `data: null` sends an empty body.
            Data::Null => Ok(local(status, status_text, headers, empty())),
            _ => Err(NetError::Failed.into()),
        },
        (ProtocolType::Free, HandlerAnswer::Object(f)) => match f.data {
            Data::Absent | Data::Null => Ok(local(status, status_text, headers, empty())),
            _ => Err(NetError::Failed.into()),
        },
        (ProtocolType::File, HandlerAnswer::Text(path)) => {
            serve_file(&path, req, headers).await
        }
        (ProtocolType::File, HandlerAnswer::Object(f)) => match &f.path {
            Some(path) => serve_file(path, req, headers).await,
            None => Err(NetError::Failed.into()),
        },
        (ProtocolType::Http, HandlerAnswer::Object(f)) => upstream(session, f, req, cancel).await,
        _ => Err(NetError::Failed.into()),
    }
}

/// What an answer to `registerProtocol` (and `protocol.handle`) is, by its
/// shape. An object with none of `data`, `path`, `url` is an empty body.
fn free_kind(answer: &HandlerAnswer) -> ProtocolType {
    match answer {
        HandlerAnswer::Text(_) => ProtocolType::String,
        HandlerAnswer::Bytes(_) => ProtocolType::Buffer,
        HandlerAnswer::Stream(_) => ProtocolType::Stream,
        HandlerAnswer::Object(f) => match f.data {
            Data::Stream(_) => ProtocolType::Stream,
            Data::Bytes(_) => ProtocolType::Buffer,
            Data::Text(_) => ProtocolType::String,
            _ if f.path.is_some() => ProtocolType::File,
            _ if f.url.is_some() => ProtocolType::Http,
            _ => ProtocolType::Free,
        },
        _ => ProtocolType::Free,
    }
}

/// A file answer: the file's bytes with its MIME type, under the answer's
/// own headers.
async fn serve_file(
    path: &str,
    req: &Request,
    mut headers: Vec<(String, String)>,
) -> Result<Response, FetchError> {
    // A request URL that hides a separator in an escape (`..%2Fsecret`) is
    // never answered with a file: a handler that decodes its path would
    // otherwise be led out of its folder.
    if net::file_url::hides_separator(req.url.path()) {
        return Err(NetError::AccessDenied.into());
    }
    let path = file::confined_path(path, &req.url)
        .await
        .map_err(|e| match e {
            FileResponseError::NotAbsolute | FileResponseError::NotFound => NetError::FileNotFound,
            FileResponseError::OutsideFolder => NetError::AccessDenied,
        })?;
    let file = net::file_url::open_path(&path).await?;
    if let Some(mime) = file.mime {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
            headers.push(("content-type".to_string(), mime.to_string()));
        }
    }
    headers.push(("content-length".to_string(), file.len.to_string()));
    let body = file
        .stream
        .map(|r| r.map_err(|_| NetError::FileNotFound))
        .boxed();
    Ok(Response {
        status: 200,
        status_text: "OK".to_string(),
        version: "HTTP/1.1",
        headers,
        url_list: vec![req.url.clone()],
        body: Some(body),
        remote_ip: None,
    })
}

/// A `{ url }` answer: the URL fetched with the request's headers, through
/// the answer's session (the handling session by default). A handler that
/// names a URL of its own scheme in its own session is not asked again.
async fn upstream(
    session: &Session,
    f: ResponseFields,
    req: &Request,
    cancel: &CancellationToken,
) -> Result<Response, FetchError> {
    let url = f
        .url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .ok_or(NetError::Failed)?;
    let method = f.method.unwrap_or_else(|| req.method.clone());
    let mut headers = req.headers.clone();
    let body = match f.upload_data {
        Some(up) if method != "GET" && method != "HEAD" => {
            if let Some(ct) = up.content_type {
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                headers.push(("Content-Type".to_string(), ct));
            }
            Some(RequestBody::Bytes(up.data))
        }
        _ => None,
    };
    let target = f.session;
    let same_session = target.as_ref().is_none_or(|s| s.id() == session.id());
    let request = Request {
        bypass_custom_protocol_handlers: same_session && url.scheme() == req.url.scheme(),
        url,
        method,
        headers,
        body,
        redirect: RedirectMode::Follow,
        omit_credentials: req.omit_credentials,
        bypass_proxy: false,
        resource_type: req.resource_type,
        web_contents_id: req.web_contents_id,
    };
    let target: &Session = target.as_deref().unwrap_or(session);
    net::fetch(target, request, cancel).await
}

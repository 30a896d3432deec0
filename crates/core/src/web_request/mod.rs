//! `ses.webRequest`: the eight events of Electron's `WebRequest`, asked at
//! their points in the pipeline (`net::fetch`).
//!
//! Each event has at most one listener (Electron keeps only the last one
//! set). A listener is a [`Filter`] here plus a JavaScript function on the
//! binding's side; the filter is matched in Rust, so a request that no
//! filter matches never calls JavaScript. Every question goes through one
//! [`Dispatcher`], so listeners hear a request's events in order.

pub mod pattern;

use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use url::Url;

use crate::hooks::{BoxFuture, HookError};
pub use pattern::{PatternError, UrlPattern};

/// The events, in the order a request meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    BeforeRequest,
    BeforeSendHeaders,
    SendHeaders,
    HeadersReceived,
    ResponseStarted,
    BeforeRedirect,
    Completed,
    ErrorOccurred,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::BeforeRequest,
        Event::BeforeSendHeaders,
        Event::SendHeaders,
        Event::HeadersReceived,
        Event::ResponseStarted,
        Event::BeforeRedirect,
        Event::Completed,
        Event::ErrorOccurred,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: u32) -> Option<Event> {
        Event::ALL.get(i as usize).copied()
    }

    /// The `WebRequest` method that sets this event's listener.
    pub fn method_name(self) -> &'static str {
        match self {
            Event::BeforeRequest => "onBeforeRequest",
            Event::BeforeSendHeaders => "onBeforeSendHeaders",
            Event::SendHeaders => "onSendHeaders",
            Event::HeadersReceived => "onHeadersReceived",
            Event::ResponseStarted => "onResponseStarted",
            Event::BeforeRedirect => "onBeforeRedirect",
            Event::Completed => "onCompleted",
            Event::ErrorOccurred => "onErrorOccurred",
        }
    }

    /// Whether the request waits for the listener's answer (the listener
    /// gets a `callback`).
    pub fn is_blocking(self) -> bool {
        matches!(
            self,
            Event::BeforeRequest | Event::BeforeSendHeaders | Event::HeadersReceived
        )
    }
}

/// What kind of resource a request loads (`details.resourceType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceType {
    MainFrame,
    SubFrame,
    Stylesheet,
    Script,
    Image,
    Font,
    Object,
    Xhr,
    Ping,
    CspReport,
    Media,
    WebSocket,
    Other,
}

impl ResourceType {
    const NAMES: [(&'static str, ResourceType); 13] = [
        ("mainFrame", ResourceType::MainFrame),
        ("subFrame", ResourceType::SubFrame),
        ("stylesheet", ResourceType::Stylesheet),
        ("script", ResourceType::Script),
        ("image", ResourceType::Image),
        ("font", ResourceType::Font),
        ("object", ResourceType::Object),
        ("xhr", ResourceType::Xhr),
        ("ping", ResourceType::Ping),
        ("cspReport", ResourceType::CspReport),
        ("media", ResourceType::Media),
        ("webSocket", ResourceType::WebSocket),
        ("other", ResourceType::Other),
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES.iter().find(|(_, t)| *t == self).map_or("other", |(n, _)| n)
    }

    pub fn parse(name: &str) -> Option<ResourceType> {
        Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
}

/// Which requests a listener hears: a URL matching one of `urls` and none
/// of `exclude`, of one of `types` (any type when empty).
#[derive(Debug, Clone)]
pub struct Filter {
    urls: Vec<UrlPattern>,
    exclude: Vec<UrlPattern>,
    types: Vec<ResourceType>,
}

impl Filter {
    /// Every request (a listener set without a filter).
    pub fn all() -> Filter {
        Filter {
            urls: Vec::new(),
            exclude: Vec::new(),
            types: Vec::new(),
        }
    }

    /// Parses a filter's patterns and types.
    ///
    /// # Errors
    /// Electron's TypeError message for the first pattern or type refused.
    pub fn new<S: AsRef<str>>(urls: &[S], exclude: &[S], types: &[S]) -> Result<Filter, String> {
        let patterns = |list: &[S]| {
            list.iter()
                .map(|p| {
                    let p = p.as_ref();
                    UrlPattern::parse(p).map_err(|e| format!("Invalid url pattern {p}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let types = types
            .iter()
            .map(|t| {
                let t = t.as_ref();
                ResourceType::parse(t)
                    .filter(|t| *t != ResourceType::Other)
                    .ok_or_else(|| format!("Invalid type {t}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Filter {
            urls: patterns(urls)?,
            exclude: patterns(exclude)?,
            types,
        })
    }

    pub fn matches(&self, url: &Url, resource_type: ResourceType) -> bool {
        if !self.types.is_empty() && !self.types.contains(&resource_type) {
            return false;
        }
        if self.exclude.iter().any(|p| p.matches(url)) {
            return false;
        }
        self.urls.is_empty() || self.urls.iter().any(|p| p.matches(url))
    }
}

/// A response head as listeners see it.
#[derive(Debug, Clone)]
pub struct ResponseHead {
    pub status_code: u16,
    /// `HTTP/1.1 200 OK`.
    pub status_line: String,
    /// In arrival order; repeated names stay separate.
    pub headers: Vec<(String, String)>,
    pub from_cache: bool,
    /// The server's (or proxy's) address, when the response came over the network.
    pub ip: Option<String>,
}

/// One element of a request body (`details.uploadData`).
#[derive(Debug, Clone)]
pub enum UploadElement {
    Bytes(Bytes),
}

/// Electron's `details` object for one event.
#[derive(Debug, Clone)]
pub struct Details {
    pub id: u64,
    pub url: String,
    pub method: String,
    pub resource_type: ResourceType,
    pub referrer: String,
    /// Milliseconds since the Unix epoch.
    pub timestamp: f64,
    pub web_contents_id: Option<u32>,
    pub upload_data: Option<Vec<UploadElement>>,
    pub request_headers: Option<Vec<(String, String)>>,
    pub response: Option<ResponseHead>,
    pub redirect_url: Option<String>,
    /// A net error name (`net::ERR_…`).
    pub error: Option<String>,
}

/// A blocking listener's answer (its `callback`'s argument).
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub cancel: bool,
    pub redirect_url: Option<String>,
    pub request_headers: Option<Vec<(String, String)>>,
    pub response_headers: Option<Vec<(String, String)>>,
    pub status_line: Option<String>,
}

/// How the core reaches the JavaScript listeners.
pub trait Dispatcher: Send + Sync {
    /// Tells `event`'s listener; nothing waits for it.
    fn notify(&self, event: Event, details: Details);
    /// Asks `event`'s listener and resolves with its answer.
    fn ask(&self, event: Event, details: Details) -> BoxFuture<Result<Verdict, HookError>>;
}

/// A session's listeners.
#[derive(Default)]
pub struct WebRequest {
    filters: RwLock<[Option<Arc<Filter>>; 8]>,
    /// One bit per event with a listener: the lock-free fast path.
    active: AtomicU8,
    dispatcher: RwLock<Option<Arc<dyn Dispatcher>>>,
    next_id: AtomicU64,
}

impl WebRequest {
    /// Sets (or with `None` removes) the listener of `event`.
    pub fn set_listener(&self, event: Event, filter: Option<Filter>) {
        let mut filters = self.filters.write().unwrap();
        let bit = 1u8 << event.index();
        match filter {
            Some(f) => {
                filters[event.index()] = Some(Arc::new(f));
                self.active.fetch_or(bit, Ordering::AcqRel);
            }
            None => {
                filters[event.index()] = None;
                self.active.fetch_and(!bit, Ordering::AcqRel);
            }
        }
    }

    pub fn set_dispatcher(&self, dispatcher: Option<Arc<dyn Dispatcher>>) {
        *self.dispatcher.write().unwrap() = dispatcher;
    }

    /// Whether any event has a listener.
    pub fn is_active(&self) -> bool {
        self.active.load(Ordering::Acquire) != 0
    }

    fn has_listener(&self, event: Event) -> bool {
        self.active.load(Ordering::Acquire) & (1 << event.index()) != 0
    }

    /// The dispatcher, when `event`'s listener wants a request for `url`.
    fn listener_for(&self, event: Event, url: &Url, ty: ResourceType) -> Option<Arc<dyn Dispatcher>> {
        if !self.has_listener(event) {
            return None;
        }
        let filter = self.filters.read().unwrap()[event.index()].clone()?;
        if !filter.matches(url, ty) {
            return None;
        }
        self.dispatcher.read().unwrap().clone()
    }

    /// A new request's identity, or `None` when no event has a listener
    /// (the request then never asks anything, and `info` is not made).
    pub fn start(&self, info: impl FnOnce() -> RequestInfo) -> Option<Tracker<'_>> {
        if !self.is_active() {
            return None;
        }
        Some(Tracker {
            web_request: self,
            id: self.next_id.fetch_add(1, Ordering::Relaxed) + 1,
            info: info(),
        })
    }
}

/// What a request says about itself, beyond its URL and method.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub resource_type: ResourceType,
    pub referrer: String,
    pub web_contents_id: Option<u32>,
}

/// One request as listeners see it: the same `id` on every event.
pub struct Tracker<'a> {
    web_request: &'a WebRequest,
    pub id: u64,
    info: RequestInfo,
}

pub(crate) fn now_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

impl Tracker<'_> {
    /// The dispatcher and a fresh `details` when `event`'s listener wants `url`.
    pub fn wants(&self, event: Event, url: &Url, method: &str) -> Option<(Arc<dyn Dispatcher>, Details)> {
        let dispatcher = self
            .web_request
            .listener_for(event, url, self.info.resource_type)?;
        Some((
            dispatcher,
            Details {
                id: self.id,
                url: url.to_string(),
                method: method.to_string(),
                resource_type: self.info.resource_type,
                referrer: self.info.referrer.clone(),
                timestamp: now_ms(),
                web_contents_id: self.info.web_contents_id,
                upload_data: None,
                request_headers: None,
                response: None,
                redirect_url: None,
                error: None,
            },
        ))
    }

    /// Asks a blocking listener, when it wants the request: the answer to
    /// wait for, or `None` when no listener hears it.
    pub fn ask(
        &self,
        event: Event,
        url: &Url,
        method: &str,
        fill: impl FnOnce(&mut Details),
    ) -> Option<BoxFuture<Result<Verdict, HookError>>> {
        let (dispatcher, mut details) = self.wants(event, url, method)?;
        fill(&mut details);
        Some(dispatcher.ask(event, details))
    }

    /// Tells a non-blocking listener (when it wants the request).
    pub fn notify(&self, event: Event, url: &Url, method: &str, fill: impl FnOnce(&mut Details)) {
        if let Some((dispatcher, mut details)) = self.wants(event, url, method) {
            fill(&mut details);
            dispatcher.notify(event, details);
        }
    }
}

/// Whether `registerSchemesAsPrivileged` made `scheme` standard: URL
/// patterns for it then take the `scheme://host/path` form.
pub(crate) fn standard_scheme_registered(scheme: &str) -> bool {
    crate::protocol::privileges(scheme).is_some_and(|p| p.standard)
}

#[cfg(test)]
mod tests;

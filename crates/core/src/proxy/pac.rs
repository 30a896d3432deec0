//! PAC scripts: proxy auto-config JavaScript run in an isolated QuickJS
//! engine (never Node's `vm`), following Chromium's
//! `services/proxy_resolver/proxy_resolver_v8.cc` and its utility library
//! `pac_js_library.h`.
//!
//! A [`PacScript`] is compiled once from the script text and then answers
//! [`PacScript::find_proxy`] for many URLs, without re-parsing. The engine
//! has no host objects beyond the PAC functions: no `require`, no `process`,
//! no `fetch`, no file or network access, no QuickJS `std`/`os` modules.
//! What exists is ECMAScript's standard library as QuickJS's full context
//! has it (`Date`, `RegExp`, `JSON`, `Math`, `Promise`, `Map`, ...), like
//! the bare V8 context Chromium uses, minus the two host APIs QuickJS adds
//! (`queueMicrotask`, `performance`). A smaller set of intrinsics is not
//! safe: QuickJS then leaks objects on paths such as `async` functions and
//! `import()` and aborts when the runtime is freed.
//!
//! Every run (the script's top level in [`PacScript::new`], then each
//! `find_proxy` call, each followed by the promise jobs it queued) is
//! bounded by [`PacLimits`]: a heap limit enforced by the engine's
//! allocator, a time limit enforced by QuickJS's interrupt handler, and a
//! stack limit. A run that breaks one fails with a [`PacError`] and the
//! script stays usable for the next URL.
//!
//! DNS from the script (`dnsResolve`, `isResolvable`, `isInNet` on a name,
//! the `*Ex` variants) goes through the caller's resolver closure, so the
//! session's host-resolver rules apply; `myIpAddress` answers from a list
//! the caller provides. The whole evaluation is synchronous: the caller runs
//! it on a blocking thread.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::plain_url::{PlainUrl, UrlParts};

use rquickjs::allocator::{Allocator, RustAllocator};
use rquickjs::context::EvalOptions;
use rquickjs::function::Rest;
use rquickjs::{
    qjs, CatchResultExt, CaughtError, Coerced, Context, Ctx, Exception, FromJs, Function, Object,
    Runtime, Value,
};

mod fast;

/// Resolves a host name for the PAC script, synchronously, through the
/// session's resolver (host-resolver rules included). An empty list means
/// the name does not resolve.
pub type PacResolver = Arc<dyn Fn(&str) -> Vec<IpAddr> + Send + Sync>;

/// Bounds on one PAC script's engine.
///
/// Defaults: 64 MiB of heap, 1 s per run, 512 KiB of stack. The time limit
/// applies separately to the script's top level and to each
/// [`PacScript::find_proxy`] call, and excludes the time spent waiting for
/// the resolver. The stack limit must stay below the stack of the thread
/// that runs the script (Tokio's blocking threads have 2 MiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacLimits {
    /// Bytes the engine may allocate in total, counted by its allocator.
    pub memory: usize,
    /// Wall-clock time one run may take, resolver waits excluded.
    pub time: Duration,
    /// Bytes of native stack JavaScript may use (QuickJS's max stack size).
    pub stack: usize,
}

impl Default for PacLimits {
    fn default() -> Self {
        PacLimits {
            memory: 64 * 1024 * 1024,
            time: Duration::from_secs(1),
            stack: 512 * 1024,
        }
    }
}

/// What the PAC script may learn about the machine: names through the
/// session's resolver, and the machine's own addresses.
#[derive(Clone)]
pub struct PacHost {
    /// Answers `dnsResolve` and friends. IP literals never reach it.
    pub resolver: PacResolver,
    /// The machine's addresses, from which `myIpAddress` and
    /// `myIpAddressEx` choose (IPv4 first; link-local and loopback only as
    /// a last resort). Default is empty, so `myIpAddress()` is
    /// `"127.0.0.1"` and `myIpAddressEx()` is `""`.
    pub my_addresses: Vec<IpAddr>,
}

impl PacHost {
    /// A host whose names resolve through `resolver` and which has no known
    /// addresses of its own.
    pub fn new(resolver: PacResolver) -> PacHost {
        PacHost {
            resolver,
            my_addresses: Vec::new(),
        }
    }

    /// Sets the machine's own addresses (`myIpAddress`).
    #[must_use]
    pub fn with_my_addresses(mut self, addresses: Vec<IpAddr>) -> PacHost {
        self.my_addresses = addresses;
        self
    }
}

impl Default for PacHost {
    /// A host where no name resolves.
    fn default() -> Self {
        PacHost::new(Arc::new(|_: &str| Vec::new()))
    }
}

impl std::fmt::Debug for PacHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacHost")
            .field("my_addresses", &self.my_addresses)
            .finish_non_exhaustive()
    }
}

/// Why a PAC script could not be loaded or could not answer for a URL.
/// Every kind is Chromium's `net::ERR_PAC_SCRIPT_FAILED` (see
/// [`PacError::net_error_name`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacError {
    /// The script is empty, does not parse, or threw; the text is the
    /// exception (`SyntaxError: ...`, with the line when known).
    #[error("pac script failed: {0}")]
    Script(String),
    /// A run took longer than [`PacLimits::time`].
    #[error("pac script timed out")]
    Timeout,
    /// A run allocated more than [`PacLimits::memory`].
    #[error("pac script ran out of memory")]
    OutOfMemory,
    /// A run recursed deeper than [`PacLimits::stack`] allows.
    #[error("pac script overflowed its stack")]
    StackOverflow,
    /// Neither `FindProxyForURL` nor `FindProxyForURLEx` is a function.
    #[error("FindProxyForURL is undefined or not a function")]
    NotAFunction,
    /// `FindProxyForURL` returned something other than an ASCII string.
    #[error("pac script returned a bad result: {0}")]
    BadResult(String),
}

impl PacError {
    /// The `net::ERR_*` name Chromium reports for this failure.
    pub fn net_error_name(&self) -> &'static str {
        match self {
            PacError::Script(_)
            | PacError::Timeout
            | PacError::OutOfMemory
            | PacError::StackOverflow
            | PacError::NotAFunction
            | PacError::BadResult(_) => "net::ERR_PAC_SCRIPT_FAILED",
        }
    }
}

/// Name the script's errors and stack frames carry (Chromium's pseudo-name).
const SCRIPT_NAME: &str = "proxy-pac-script.js";
/// Name of the utility library's frames.
const LIBRARY_NAME: &str = "proxy-pac-utility-script.js";
/// Alerts kept between two [`PacScript::take_alerts`] calls, and their total
/// size; the rest is dropped, so a script cannot grow memory outside the
/// engine's limit.
const MAX_ALERTS: usize = 1000;
const MAX_ALERT_BYTES: usize = 1024 * 1024;

/// The standard PAC functions that need no native help, written in
/// JavaScript. Same behaviour as Chromium's `pac_js_library.h` (Mozilla's
/// library), including its quirks (`dateRange(day, month)`, the `GMT`
/// field shuffle), except that the weekday and month tables are private.
const PAC_LIBRARY: &str = r#"(function () {
  var g = globalThis;
  // Not ECMAScript but host APIs QuickJS adds: V8's PAC context has neither.
  delete g.queueMicrotask;
  delete g.performance;
  var WEEKDAYS = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };
  var MONTHS = { JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5,
                 JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11 };
  var own = Object.prototype.hasOwnProperty;
  function indexIn(table, name) {
    return own.call(table, name) ? table[name] : -1;
  }
  // Inclusive range test; a range whose start is after its end wraps.
  function within(start, value, end) {
    return start <= end ? (start <= value && value <= end)
                        : (value <= end || start <= value);
  }
  // Moves the UTC fields of |d| into its local fields, one after the other.
  function utcFieldsAsLocal(d) {
    d.setFullYear(d.getUTCFullYear());
    d.setMonth(d.getUTCMonth());
    d.setDate(d.getUTCDate());
    d.setHours(d.getUTCHours());
    d.setMinutes(d.getUTCMinutes());
    d.setSeconds(d.getUTCSeconds());
    return d;
  }

  g.dnsDomainIs = function dnsDomainIs(host, domain) {
    return host.length >= domain.length &&
           host.substring(host.length - domain.length) == domain;
  };
  g.dnsDomainLevels = function dnsDomainLevels(host) {
    return host.split('.').length - 1;
  };
  g.convert_addr = function convert_addr(ipchars) {
    var part = ipchars.split('.');
    return ((part[0] & 0xff) << 24) | ((part[1] & 0xff) << 16) |
           ((part[2] & 0xff) << 8) | (part[3] & 0xff);
  };
  g.isInNet = function isInNet(ipaddr, pattern, maskstr) {
    var quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ipaddr);
    if (quad == null) {
      ipaddr = dnsResolve(ipaddr);
      if (ipaddr == null) return false;
    } else if (quad[1] > 255 || quad[2] > 255 || quad[3] > 255 || quad[4] > 255) {
      return false;
    }
    var mask = convert_addr(maskstr);
    return (convert_addr(ipaddr) & mask) == (convert_addr(pattern) & mask);
  };
  g.isResolvable = function isResolvable(host) {
    return dnsResolve(host) != null;
  };
  g.isResolvableEx = function isResolvableEx(host) {
    return dnsResolveEx(host) != '';
  };
  g.localHostOrDomainIs = function localHostOrDomainIs(host, hostdom) {
    return host == hostdom || hostdom.lastIndexOf(host + '.', 0) == 0;
  };
  // The expressions a script matches are few and repeated: each is made
  // into a RegExp once (up to 256 of them), unless the script has replaced
  // RegExp, whose replacement must then be called as before.
  var OriginalRegExp = RegExp;
  var shExpCache = Object.create(null);
  var shExpCount = 0;
  g.shExpMatch = function shExpMatch(url, pattern) {
    var cached = RegExp === OriginalRegExp && typeof pattern == 'string';
    var re = cached ? shExpCache[pattern] : undefined;
    if (re === undefined) {
      var source = pattern.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
      re = new RegExp('^' + source + '$');
      if (cached && shExpCount < 256) {
        shExpCache[pattern] = re;
        shExpCount++;
      }
    }
    return re.test(url);
  };
  g.weekdayRange = function weekdayRange() {
    var argc = arguments.length;
    if (argc < 1) return false;
    var now = new Date();
    var today;
    if (arguments[argc - 1] == 'GMT') {
      argc--;
      today = now.getUTCDay();
    } else {
      today = now.getDay();
    }
    var first = indexIn(WEEKDAYS, arguments[0]);
    var last = argc == 2 ? indexIn(WEEKDAYS, arguments[1]) : first;
    if (first == -1 || last == -1) return false;
    return within(first, today, last);
  };
  g.dateRange = function dateRange() {
    var argc = arguments.length;
    if (argc < 1) return false;
    var now = new Date();
    var gmt = arguments[argc - 1] == 'GMT';
    if (gmt) argc--;
    if (argc == 1) {
      var only = parseInt(arguments[0]);
      if (isNaN(only)) {
        return (gmt ? now.getUTCMonth() : now.getMonth()) == indexIn(MONTHS, arguments[0]);
      }
      if (only < 32) return (gmt ? now.getUTCDate() : now.getDate()) == only;
      return (gmt ? now.getUTCFullYear() : now.getFullYear()) == only;
    }
    var year = now.getFullYear();
    var start = new Date(year, 0, 1, 0, 0, 0);
    var end = new Date(year, 11, 31, 23, 59, 59);
    var half = argc >> 1;
    var keepMonth = false;
    for (var i = 0; i < argc; i++) {
      var bound = i < half ? start : end;
      var n = parseInt(arguments[i]);
      if (isNaN(n)) {
        bound.setMonth(indexIn(MONTHS, arguments[i]));
      } else if (n < 32) {
        if (i < half) keepMonth = argc <= 2;
        bound.setDate(n);
      } else {
        bound.setFullYear(n);
      }
    }
    if (keepMonth) {
      start.setMonth(now.getMonth());
      end.setMonth(now.getMonth());
    }
    if (gmt) utcFieldsAsLocal(now);
    return within(start, now, end);
  };
  g.timeRange = function timeRange() {
    var argc = arguments.length;
    var now = new Date();
    if (argc < 1) return false;
    var gmt = false;
    if (arguments[argc - 1] == 'GMT') {
      gmt = true;
      argc--;
    }
    var hour = gmt ? now.getUTCHours() : now.getHours();
    if (argc == 1) return hour == arguments[0];
    if (argc == 2) return arguments[0] <= hour && hour <= arguments[1];
    if (argc != 4 && argc != 6) throw 'timeRange: bad number of arguments';
    var start = new Date();
    var end = new Date();
    if (argc == 6) {
      start.setSeconds(arguments[2]);
      end.setSeconds(arguments[5]);
    }
    var middle = argc >> 1;
    start.setHours(arguments[0]);
    start.setMinutes(arguments[1]);
    end.setHours(arguments[middle]);
    end.setMinutes(arguments[middle + 1]);
    if (middle == 2) end.setSeconds(59);
    if (gmt) utcFieldsAsLocal(now);
    return within(start, now, end);
  };
})();
"#;

/// The run clock the interrupt handler reads: a deadline while a run is in
/// progress, none between runs.
#[derive(Default)]
struct Budget {
    deadline: Mutex<Option<Instant>>,
    expired: AtomicBool,
    /// Set by [`LimitedAllocator`] when it refuses an allocation.
    out_of_memory: AtomicBool,
    /// A run that may not wait: a name to resolve stops it instead.
    nonblocking: AtomicBool,
    /// Set when a non-blocking run wanted a name resolved.
    blocked: AtomicBool,
}

impl Budget {
    fn deadline(&self) -> MutexGuard<'_, Option<Instant>> {
        self.deadline.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn start(&self, limit: Duration) {
        self.expired.store(false, Ordering::SeqCst);
        self.out_of_memory.store(false, Ordering::SeqCst);
        self.blocked.store(false, Ordering::SeqCst);
        *self.deadline() = Some(Instant::now() + limit);
    }

    fn stop(&self) {
        *self.deadline() = None;
    }

    /// Gives the run back time it spent outside JavaScript.
    fn extend(&self, by: Duration) {
        if let Some(deadline) = self.deadline().as_mut() {
            *deadline += by;
        }
    }

    /// True when the run must stop (the interrupt handler's answer).
    fn interrupt(&self) -> bool {
        if self.blocked.load(Ordering::SeqCst) {
            return true;
        }
        let over = matches!(*self.deadline(), Some(d) if Instant::now() >= d);
        if over {
            self.expired.store(true, Ordering::SeqCst);
        }
        over
    }

    fn expired(&self) -> bool {
        self.expired.load(Ordering::SeqCst)
    }

    fn ran_out_of_memory(&self) -> bool {
        self.out_of_memory.load(Ordering::SeqCst)
    }
}

/// The engine's allocator: Rust's, refusing to grow past a limit and
/// recording the refusal. (QuickJS's own `set_memory_limit` refuses too,
/// but when memory is that short it may throw `null` instead of its
/// "out of memory" error, so the refusal must be seen where it happens.)
struct LimitedAllocator {
    inner: RustAllocator,
    used: usize,
    limit: usize,
    budget: Arc<Budget>,
}

impl LimitedAllocator {
    fn admit(&mut self, grow: usize) -> bool {
        match self.used.checked_add(grow) {
            Some(total) if total <= self.limit => true,
            _ => {
                self.budget.out_of_memory.store(true, Ordering::SeqCst);
                false
            }
        }
    }
}

// SAFETY: every pointer comes from, and goes back to, `RustAllocator`,
// whose guarantees this wrapper keeps; it only adds bookkeeping and may
// answer null, which the trait allows.
unsafe impl Allocator for LimitedAllocator {
    fn alloc(&mut self, size: usize) -> *mut u8 {
        if !self.admit(size) {
            return std::ptr::null_mut();
        }
        let ptr = self.inner.alloc(size);
        if !ptr.is_null() {
            // SAFETY: `ptr` was just allocated by `RustAllocator`.
            self.used += unsafe { RustAllocator::usable_size(ptr) };
        }
        ptr
    }

    fn calloc(&mut self, count: usize, size: usize) -> *mut u8 {
        let Some(total) = count.checked_mul(size) else {
            return std::ptr::null_mut();
        };
        if !self.admit(total) {
            return std::ptr::null_mut();
        }
        let ptr = self.inner.calloc(count, size);
        if !ptr.is_null() {
            // SAFETY: `ptr` was just allocated by `RustAllocator`.
            self.used += unsafe { RustAllocator::usable_size(ptr) };
        }
        ptr
    }

    unsafe fn dealloc(&mut self, ptr: *mut u8) {
        if ptr.is_null() {
            return;
        }
        // SAFETY: the caller hands back a pointer this allocator gave out.
        unsafe {
            self.used = self.used.saturating_sub(RustAllocator::usable_size(ptr));
            self.inner.dealloc(ptr);
        }
    }

    unsafe fn realloc(&mut self, ptr: *mut u8, new_size: usize) -> *mut u8 {
        if ptr.is_null() {
            return self.alloc(new_size);
        }
        // SAFETY: the caller hands back a pointer this allocator gave out.
        let old = unsafe { RustAllocator::usable_size(ptr) };
        if new_size > old && !self.admit(new_size - old) {
            return std::ptr::null_mut();
        }
        // SAFETY: as above; on failure the old block stays valid.
        let moved = unsafe { self.inner.realloc(ptr, new_size) };
        if !moved.is_null() {
            // SAFETY: `moved` was just allocated by `RustAllocator`.
            let new = unsafe { RustAllocator::usable_size(moved) };
            self.used = self.used.saturating_sub(old) + new;
        }
        moved
    }

    unsafe fn usable_size(ptr: *mut u8) -> usize {
        // SAFETY: the caller hands back a pointer this allocator gave out.
        unsafe { RustAllocator::usable_size(ptr) }
    }
}

/// `alert()` messages waiting for the NetLog.
#[derive(Default)]
struct Alerts {
    messages: Vec<String>,
    bytes: usize,
}

/// A compiled PAC script with its own QuickJS runtime, reused for every URL.
///
/// `PacScript` is `Send`: build it where convenient and call
/// [`find_proxy`](PacScript::find_proxy) on a blocking thread, one call at a
/// time (`&mut self`).
pub struct PacScript {
    context: Context,
    runtime: Runtime,
    limits: PacLimits,
    budget: Arc<Budget>,
    alerts: Arc<Mutex<Alerts>>,
    /// Set once a non-blocking run ran out of time: this script is not
    /// tried that way again.
    slow: bool,
    /// Atoms the native PAC helpers look their guards up by; freed on drop.
    atoms: Vec<qjs::JSAtom>,
}

impl Drop for PacScript {
    fn drop(&mut self) {
        let atoms = std::mem::take(&mut self.atoms);
        self.context.with(|ctx| {
            for atom in atoms {
                // SAFETY: each atom was made by `JS_NewAtom` on this runtime
                // and is freed once, before the runtime goes.
                unsafe { qjs::JS_FreeAtom(ctx.as_raw().as_ptr(), atom) }
            }
        });
    }
}

impl std::fmt::Debug for PacScript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacScript")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl PacScript {
    /// Compiles `source` and runs its top level, in a fresh engine bounded
    /// by `limits`, with the PAC functions installed and DNS answered by
    /// `host`.
    ///
    /// # Errors
    ///
    /// `net::ERR_PAC_SCRIPT_FAILED` in every case: [`PacError::Script`] for
    /// an empty script, a syntax error or an exception at the top level;
    /// [`PacError::Timeout`], [`PacError::OutOfMemory`],
    /// [`PacError::StackOverflow`] when the top level breaks a limit;
    /// [`PacError::NotAFunction`] when the script defines neither
    /// `FindProxyForURL` nor `FindProxyForURLEx`.
    pub fn new(source: &str, limits: PacLimits, host: PacHost) -> Result<PacScript, PacError> {
        if source.is_empty() {
            return Err(PacError::Script("the PAC script is empty".into()));
        }
        if source.contains('\0') {
            return Err(PacError::Script("the PAC script contains a NUL character".into()));
        }
        let budget = Arc::new(Budget::default());
        let allocator = LimitedAllocator {
            inner: RustAllocator,
            used: 0,
            limit: limits.memory,
            budget: budget.clone(),
        };
        let runtime = Runtime::new_with_alloc(allocator).map_err(|_| PacError::OutOfMemory)?;
        runtime.set_max_stack_size(limits.stack);
        let watch = budget.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || watch.interrupt())));
        let context = Context::full(&runtime).map_err(|_| PacError::OutOfMemory)?;
        let alerts = Arc::new(Mutex::new(Alerts::default()));
        let mut script = PacScript {
            context,
            runtime,
            limits,
            budget,
            alerts,
            slow: false,
            atoms: Vec::new(),
        };
        script.context.with(|ctx| {
            install_natives(&ctx, &host, &script.budget, &script.alerts)
                .map_err(|e| PacError::Script(format!("cannot install the PAC functions: {e}")))
        })?;
        let mut atoms = Vec::new();
        let ran = script.run(|ctx| {
            eval(&ctx, PAC_LIBRARY, LIBRARY_NAME)?;
            let switch = install_fast(&ctx, &mut atoms)?;
            eval(&ctx, source, SCRIPT_NAME)?;
            if shadows_library_globals(&ctx) {
                // The library's versions now see the script's own binding,
                // which the natives cannot: they step aside for good.
                switch.set("on", Object::new(ctx.clone())?)?;
            }
            Ok(Ok(()))
        });
        script.atoms = atoms;
        ran?;
        script.context.with(|ctx| entry_point(&ctx).map(|_| ()))?;
        Ok(script)
    }

    /// Asks the script which proxies to use for `url`: returns the PAC
    /// answer string (for [`ProxyList::from_pac_string`](super::ProxyList)).
    ///
    /// The script sees the URL as Chromium shows it: without credentials or
    /// fragment, and for `https:` and `wss:` without path and query either
    /// (`https://host:port/`, the port only when not the default). The
    /// second argument is the host, IPv6 without brackets.
    /// `FindProxyForURLEx` is called when the script defines it, otherwise
    /// `FindProxyForURL` (Internet Explorer's rule; Chromium itself only
    /// ever calls `FindProxyForURL`).
    ///
    /// # Errors
    ///
    /// `net::ERR_PAC_SCRIPT_FAILED` in every case: [`PacError::Script`] when
    /// the call throws, [`PacError::BadResult`] when it returns anything but
    /// an ASCII string, [`PacError::NotAFunction`] when the script has
    /// replaced its entry point, and the limit kinds
    /// ([`PacError::Timeout`], [`PacError::OutOfMemory`],
    /// [`PacError::StackOverflow`]). After any of them the script still
    /// answers the next call.
    pub fn find_proxy(&mut self, url: &url::Url) -> Result<String, PacError> {
        self.find_proxy_for(&PacArguments::of(url))
    }

    /// [`find_proxy`](Self::find_proxy) with the arguments already made.
    pub fn find_proxy_for(&mut self, arguments: &PacArguments) -> Result<String, PacError> {
        let PacArguments { url: spec, host } = arguments;
        self.run(|ctx| {
            let entry = match entry_point(&ctx) {
                Ok(entry) => entry,
                Err(e) => return Ok(Err(e)),
            };
            let answer: Value = entry.call((spec.as_str(), host.as_str()))?;
            Ok(pac_answer(answer))
        })
    }

    /// Answers as [`find_proxy`](Self::find_proxy) would, but only when it
    /// can without waiting: within `time`, with no name to resolve (IP
    /// literals need none). `None` when the run needed DNS, took longer, or
    /// failed in any way: the caller then makes the ordinary, blocking run,
    /// which gives the same answer or reports the failure. This is
    /// Chromium's non-blocking DNS mode, restarted in blocking mode on need.
    pub fn try_find_proxy(&mut self, arguments: &PacArguments, time: Duration) -> Option<String> {
        if self.slow {
            return None;
        }
        let full = self.limits.time;
        self.limits.time = time.min(full);
        self.budget.nonblocking.store(true, Ordering::SeqCst);
        let answer = self.find_proxy_for(arguments);
        self.budget.nonblocking.store(false, Ordering::SeqCst);
        self.limits.time = full;
        let blocked = self.budget.blocked.swap(false, Ordering::SeqCst);
        self.slow = !blocked && self.budget.expired();
        // Messages of an abandoned run would be logged twice.
        if blocked || answer.is_err() {
            self.take_alerts();
        }
        answer.ok().filter(|_| !blocked)
    }

    /// The `alert()` messages since the last call, oldest first (for the
    /// NetLog's `PAC_JAVASCRIPT_ALERT`). At most 1000 messages and 1 MiB are
    /// kept between calls; later ones are dropped.
    pub fn take_alerts(&mut self) -> Vec<String> {
        let mut alerts = self.alerts.lock().unwrap_or_else(|e| e.into_inner());
        alerts.bytes = 0;
        std::mem::take(&mut alerts.messages)
    }

    /// The limits this script runs under.
    pub fn limits(&self) -> PacLimits {
        self.limits
    }

    /// Runs `f` under the time limit and turns engine failures into
    /// [`PacError`]s. `f` returns `Ok(Err(_))` for failures it has already
    /// classified.
    fn run<T>(
        &self,
        f: impl for<'js> FnOnce(Ctx<'js>) -> rquickjs::Result<Result<T, PacError>>,
    ) -> Result<T, PacError> {
        self.budget.start(self.limits.time);
        let result = self.context.with(|ctx| match f(ctx.clone()).catch(&ctx) {
            Ok(result) => result,
            Err(caught) => Err(classify(caught, &self.budget)),
        });
        // Promise jobs the run queued run now, as V8 runs microtasks when a
        // call returns, within what is left of the time limit. Their
        // failures do not change the answer.
        while self.runtime.is_job_pending() && !self.budget.interrupt() {
            let _ = self.runtime.execute_pending_job();
        }
        self.budget.stop();
        if result.is_err() {
            // Free what the failed run left behind before the next one.
            self.runtime.run_gc();
        }
        result
    }

    /// Test hook: freezes the script's clock at the time `millis_expr` (a
    /// JavaScript expression evaluated with the real `Date`) gives, so that
    /// `weekdayRange`, `dateRange` and `timeRange` see a fixed "now". With
    /// `mock_all`, every `new Date(...)` is that time whatever its
    /// arguments, as with the `MockDate` of Chromium's
    /// `pac_library_unittest.js`, whose rows depend on it.
    #[cfg(test)]
    fn freeze_clock(&mut self, millis_expr: &str, mock_all: bool) {
        let js = format!(
            "(function (now, mockAll) {{
               var Real = globalThis.__RealDate || Date;
               globalThis.__RealDate = Real;
               function Fixed() {{
                 if (!(this instanceof Fixed)) return new Real(now).toString();
                 if (arguments.length == 0 || mockAll) return new Real(now);
                 return Reflect.construct(Real, arguments);
               }}
               Fixed.prototype = Real.prototype;
               Fixed.UTC = Real.UTC;
               Fixed.parse = Real.parse;
               Fixed.now = function () {{ return now; }};
               globalThis.Date = Fixed;
             }})((function () {{ var Date = globalThis.__RealDate || globalThis.Date; return {millis_expr}; }})(), {mock_all});"
        );
        self.run(|ctx| {
            eval(&ctx, &js, "freeze-clock.js")?;
            Ok(Ok(()))
        })
        .expect("the clock freezes");
    }
}

/// Evaluates `source` as sloppy-mode global code (PAC scripts are not
/// strict), named `name` in stack traces.
fn eval(ctx: &Ctx<'_>, source: &str, name: &str) -> rquickjs::Result<()> {
    let mut options = EvalOptions::default();
    options.strict = false;
    options.global = true;
    options.filename = Some(name.to_string());
    ctx.eval_with_options::<(), _>(source, options)
}

/// The function to call: `FindProxyForURLEx` when defined, else
/// `FindProxyForURL`.
fn entry_point<'js>(ctx: &Ctx<'js>) -> Result<Function<'js>, PacError> {
    let globals = ctx.globals();
    // Chromium calls only `FindProxyForURL`; `FindProxyForURLEx` is
    // Internet Explorer's entry point and is ignored, as in Chrome.
    for name in ["FindProxyForURL"] {
        match globals.get::<_, Value>(name) {
            Ok(value) => {
                if let Some(function) = value.into_function() {
                    return Ok(function);
                }
            }
            Err(_) => {
                let _ = ctx.catch();
                return Err(PacError::Script(format!("accessing {name} threw an exception")));
            }
        }
    }
    Err(PacError::NotAFunction)
}

/// Checks what `FindProxyForURL` returned, as Chromium does: an ASCII
/// string.
fn pac_answer(answer: Value<'_>) -> Result<String, PacError> {
    let Some(text) = answer.as_string() else {
        return Err(PacError::BadResult(
            "FindProxyForURL() did not return a string".into(),
        ));
    };
    let text = text
        .to_string()
        .map_err(|e| PacError::BadResult(e.to_string()))?;
    if !text.is_ascii() {
        return Err(PacError::BadResult(format!(
            "FindProxyForURL() returned a non-ASCII string: {text}"
        )));
    }
    Ok(text)
}

/// Names a failed run: the time limit first (the interrupt's exception is
/// only its symptom), then a refused allocation, then QuickJS's own
/// out-of-memory and stack-overflow errors, then whatever the script threw.
fn classify(caught: CaughtError<'_>, budget: &Budget) -> PacError {
    if budget.expired() {
        return PacError::Timeout;
    }
    if budget.ran_out_of_memory() {
        return PacError::OutOfMemory;
    }
    match caught {
        CaughtError::Error(rquickjs::Error::Allocation) => PacError::OutOfMemory,
        CaughtError::Error(e) => PacError::Script(e.to_string()),
        CaughtError::Exception(exception) => {
            let message = exception.message().unwrap_or_default();
            let name = exception
                .get::<_, Option<Coerced<String>>>("name")
                .ok()
                .flatten()
                .map(|n| n.0)
                .unwrap_or_else(|| "Error".into());
            if name == "InternalError" && message == "out of memory" {
                return PacError::OutOfMemory;
            }
            if name == "RangeError" && message == "Maximum call stack size exceeded" {
                return PacError::StackOverflow;
            }
            let line = exception
                .stack()
                .as_deref()
                .and_then(script_line)
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default();
            PacError::Script(format!("{name}: {message}{line}"))
        }
        CaughtError::Value(value) => {
            if value.is_null() || value.is_undefined() {
                return PacError::Script(format!("uncaught {}", value.type_name()));
            }
            let ctx = value.ctx().clone();
            match Coerced::<String>::from_js(&ctx, value) {
                Ok(text) => PacError::Script(format!("uncaught {}", text.0)),
                Err(_) => {
                    let _ = ctx.catch();
                    PacError::Script("uncaught exception".into())
                }
            }
        }
    }
}

/// The line of the script's innermost frame in a QuickJS stack trace.
fn script_line(stack: &str) -> Option<u32> {
    let marker = format!("{SCRIPT_NAME}:");
    let at = stack.find(&marker)? + marker.len();
    let digits: String = stack[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// What `FindProxyForURL` is shown of a URL: its `url` argument (Chromium's
/// `SanitizeUrl` in `configured_proxy_resolution_service.cc`: no
/// credentials, no fragment, and for `https`/`wss` no path or query) and
/// its `host` (`HostNoBrackets`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PacArguments {
    pub url: String,
    pub host: String,
}

impl PacArguments {
    pub fn of(url: &url::Url) -> PacArguments {
        use url::Position;
        // The common case, without re-serializing the URL: no credentials.
        if url.username().is_empty() && url.password().is_none() {
            if let Some(host) = url.host_str() {
                let spec = if matches!(url.scheme(), "https" | "wss") {
                    format!("{}/", &url[..Position::BeforePath])
                } else {
                    url[..Position::AfterQuery].to_string()
                };
                let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
                return PacArguments { url: spec, host: host.to_string() };
            }
        }
        sanitized_arguments(url)
    }

    /// The same for a URL read without the parser (which has no
    /// credentials, query or fragment, and a domain name for its host).
    pub fn of_plain(url: &PlainUrl<'_>) -> PacArguments {
        let (scheme, host) = (url.scheme(), url.host_str().unwrap_or_default());
        let path = if matches!(scheme, "https" | "wss") { "/" } else { url.path() };
        let mut spec = String::with_capacity(scheme.len() + host.len() + path.len() + 9);
        spec.push_str(scheme);
        spec.push_str("://");
        spec.push_str(host);
        if let Some(port) = url.port() {
            spec.push(':');
            spec.push_str(&port.to_string());
        }
        spec.push_str(path);
        PacArguments { url: spec, host: host.to_string() }
    }
}

/// [`PacArguments::of`] for any URL, by re-serializing a sanitized copy.
fn sanitized_arguments(url: &url::Url) -> PacArguments {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_fragment(None);
    if matches!(url.scheme(), "https" | "wss") {
        shown.set_path("/");
        shown.set_query(None);
    }
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        Some(host) => host.to_string(),
        None => String::new(),
    };
    PacArguments { url: shown.into(), host }
}

/// Installs the natively implemented PAC functions on the global object.
fn install_natives<'js>(
    ctx: &Ctx<'js>,
    host: &PacHost,
    budget: &Arc<Budget>,
    alerts: &Arc<Mutex<Alerts>>,
) -> rquickjs::Result<()> {
    let globals = ctx.globals();

    let f = Function::new(ctx.clone(), |ctx: Ctx<'js>, args: Rest<Value<'js>>| {
        match args.0.first().and_then(|v| v.as_string()) {
            Some(s) => Ok(is_plain_host_name(&s.to_string()?)),
            None => Err(Exception::throw_type(&ctx, "Requires 1 string parameter")),
        }
    })?;
    globals.set("isPlainHostName", f.with_name("isPlainHostName")?)?;

    let (resolver, clock) = (host.resolver.clone(), budget.clone());
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, args: Rest<Value<'js>>| -> rquickjs::Result<Value<'js>> {
            let Some(name) = hostname_argument(&args.0)? else {
                return Ok(Value::new_null(ctx));
            };
            match resolve(&resolver, &clock, &name).into_iter().find(IpAddr::is_ipv4) {
                Some(ip) => js_string(&ctx, &ip.to_string()),
                None => Ok(Value::new_null(ctx)),
            }
        },
    )?;
    globals.set("dnsResolve", f.with_name("dnsResolve")?)?;

    let (resolver, clock) = (host.resolver.clone(), budget.clone());
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, args: Rest<Value<'js>>| -> rquickjs::Result<Value<'js>> {
            let Some(name) = hostname_argument(&args.0)? else {
                return Ok(Value::new_undefined(ctx));
            };
            js_string(&ctx, &join(&resolve(&resolver, &clock, &name)))
        },
    )?;
    globals.set("dnsResolveEx", f.with_name("dnsResolveEx")?)?;

    let mine = my_ip_address(&host.my_addresses);
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> { js_string(&ctx, &mine) },
    )?;
    globals.set("myIpAddress", f.with_name("myIpAddress")?)?;

    let mine = join(&my_ip_address_ex(&host.my_addresses));
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> { js_string(&ctx, &mine) },
    )?;
    globals.set("myIpAddressEx", f.with_name("myIpAddressEx")?)?;

    let f = Function::new(
        ctx.clone(),
        |ctx: Ctx<'js>, args: Rest<Value<'js>>| -> rquickjs::Result<Value<'js>> {
            let Some(list) = args.0.first().and_then(|v| v.as_string()) else {
                return Ok(Value::new_null(ctx));
            };
            let list = list.to_string()?;
            if !list.is_ascii() {
                return Ok(Value::new_null(ctx));
            }
            match sort_ip_address_list(&list) {
                Some(sorted) => js_string(&ctx, &sorted),
                None => Ok(Value::new_bool(ctx, false)),
            }
        },
    )?;
    globals.set("sortIpAddressList", f.with_name("sortIpAddressList")?)?;

    let f = Function::new(
        ctx.clone(),
        |ctx: Ctx<'js>, args: Rest<Value<'js>>| -> rquickjs::Result<Value<'js>> {
            let (Some(address), Some(prefix)) = (
                args.0.first().and_then(|v| v.as_string()),
                args.0.get(1).and_then(|v| v.as_string()),
            ) else {
                return Ok(Value::new_null(ctx));
            };
            let (address, prefix) = (address.to_string()?, prefix.to_string()?);
            Ok(Value::new_bool(ctx, is_in_net_ex(&address, &prefix)))
        },
    )?;
    globals.set("isInNetEx", f.with_name("isInNetEx")?)?;

    let alerts = alerts.clone();
    let f = Function::new(
        ctx.clone(),
        move |ctx: Ctx<'js>, args: Rest<Value<'js>>| -> rquickjs::Result<()> {
            let message = match args.0.first() {
                Some(value) => Coerced::<String>::from_js(&ctx, value.clone())?.0,
                None => "undefined".to_string(),
            };
            let mut alerts = alerts.lock().unwrap_or_else(|e| e.into_inner());
            if alerts.messages.len() < MAX_ALERTS
                && alerts.bytes + message.len() <= MAX_ALERT_BYTES
            {
                alerts.bytes += message.len();
                alerts.messages.push(message);
            }
            Ok(())
        },
    )?;
    globals.set("alert", f.with_name("alert")?)?;
    Ok(())
}

/// Replaces the hot helpers with their native fast paths (see `fast`),
/// each falling back to the version just installed, and guarded by the
/// built-ins that version calls. Returns a switch object no script can
/// reach: `shExpMatch` and `isInNet` take their native path only while its
/// `on` property keeps its first value.
fn install_fast<'js>(ctx: &Ctx<'js>, atoms: &mut Vec<qjs::JSAtom>) -> rquickjs::Result<Object<'js>> {
    let globals = ctx.globals();
    let switch = Object::new(ctx.clone())?;
    switch.set("on", Object::new(ctx.clone())?)?;
    let string = globals.get::<_, Object>("String")?.get::<_, Object>("prototype")?;
    let regexp = globals.get::<_, Object>("RegExp")?.get::<_, Object>("prototype")?;
    let guard = |object: &Object<'js>, name: &'static str| -> rquickjs::Result<fast::Guard<'js>> {
        Ok(fast::Guard {
            object: object.clone().into_value(),
            name,
            original: object.get(name)?,
        })
    };
    let table = [
        ("isPlainHostName", 1, fast::IS_PLAIN_HOST_NAME, vec![]),
        ("dnsDomainIs", 2, fast::DNS_DOMAIN_IS, vec![guard(&string, "substring")?]),
        ("localHostOrDomainIs", 2, fast::LOCAL_HOST_OR_DOMAIN_IS, vec![guard(&string, "lastIndexOf")?]),
        ("dnsDomainLevels", 1, fast::DNS_DOMAIN_LEVELS, vec![guard(&string, "split")?]),
        (
            "shExpMatch",
            2,
            fast::SH_EXP_MATCH,
            vec![
                guard(&globals, "RegExp")?,
                guard(&regexp, "test")?,
                guard(&regexp, "exec")?,
                guard(&string, "replace")?,
                guard(&switch, "on")?,
            ],
        ),
        (
            "isInNet",
            3,
            fast::IS_IN_NET,
            vec![
                guard(&regexp, "exec")?,
                guard(&globals, "convert_addr")?,
                guard(&string, "split")?,
                guard(&switch, "on")?,
            ],
        ),
    ];
    for (name, length, magic, guards) in table {
        let fallback: Value = globals.get(name)?;
        let native = fast::make(ctx, name, length, magic, &fallback, &guards, atoms)?;
        globals.set(name, native)?;
    }
    Ok(switch)
}

/// Whether the script declared `RegExp` or `convert_addr` with a top-level
/// `let`, `const` or `class`. Such a binding is not a property of the
/// global object, so the guards do not see it, yet the library's
/// `shExpMatch` and `isInNet` resolve those names to it. Only a script's
/// top level can make one (an `eval`'s are its own), and a `var` of the
/// same name then fails to compile: that is the test, and without such a
/// binding it changes nothing (both names are properties already).
fn shadows_library_globals(ctx: &Ctx<'_>) -> bool {
    let shadowed = eval(ctx, "var RegExp, convert_addr;", "shadow-check.js").is_err();
    if shadowed {
        let _ = ctx.catch();
    }
    shadowed
}

fn js_string<'js>(ctx: &Ctx<'js>, text: &str) -> rquickjs::Result<Value<'js>> {
    Ok(rquickjs::String::from_str(ctx.clone(), text)?.into_value())
}

/// The host name argument of `dnsResolve(Ex)`: the first argument when it
/// is a string, in ASCII (IDN names become punycode). `None` when there is
/// none or it cannot be converted.
fn hostname_argument(args: &[Value<'_>]) -> rquickjs::Result<Option<String>> {
    let Some(name) = args.first().and_then(|v| v.as_string()) else {
        return Ok(None);
    };
    let name = name.to_string()?;
    if name.is_ascii() {
        return Ok(Some(name));
    }
    Ok(match url::Host::parse(&name) {
        Ok(url::Host::Domain(ascii)) => Some(ascii),
        _ => None,
    })
}

/// Resolves through the caller's resolver (IP literals answer themselves),
/// without charging the wait to the run's time limit.
fn resolve(resolver: &PacResolver, budget: &Budget, name: &str) -> Vec<IpAddr> {
    if let Ok(ip) = name.parse::<IpAddr>() {
        return vec![ip];
    }
    if budget.nonblocking.load(Ordering::SeqCst) {
        // The run is abandoned (its answer discarded) and made again where it may wait.
        budget.blocked.store(true, Ordering::SeqCst);
        return Vec::new();
    }
    let started = Instant::now();
    let addresses = resolver(name);
    budget.extend(started.elapsed());
    addresses
}

fn join(addresses: &[IpAddr]) -> String {
    addresses
        .iter()
        .map(IpAddr::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// Chromium's `IsPlainHostName`: no dot, and not an IPv6 literal.
fn is_plain_host_name(host: &str) -> bool {
    !host.contains('.') && host.parse::<IpAddr>().is_err()
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The addresses `myIpAddress` may choose from, best first, in the spirit
/// of Chromium's `pac_library.cc` (see its `net/docs/proxy.md`): IPv4 before
/// IPv6, and link-local or loopback addresses only as a last resort. The
/// caller's order is kept within a rank; unspecified addresses never count.
fn ranked_addresses(addresses: &[IpAddr]) -> Vec<(u8, IpAddr)> {
    let mut ranked: Vec<(u8, IpAddr)> = addresses
        .iter()
        .filter(|ip| !ip.is_unspecified())
        .map(|ip| {
            let rank = match (ip.is_loopback(), is_link_local(ip), ip.is_ipv4()) {
                (false, false, true) => 0,
                (false, false, false) => 1,
                (false, true, true) => 2,
                (false, true, false) => 3,
                (true, _, _) => 4,
            };
            (rank, *ip)
        })
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    ranked
}

/// `myIpAddress()`: the best address, or `127.0.0.1` when there is none.
fn my_ip_address(addresses: &[IpAddr]) -> String {
    ranked_addresses(addresses)
        .first()
        .map(|(_, ip)| ip.to_string())
        .unwrap_or_else(|| Ipv4Addr::LOCALHOST.to_string())
}

/// `myIpAddressEx()`: every address that is neither link-local nor
/// loopback, or when there is none the last-resort ones (may be empty).
fn my_ip_address_ex(addresses: &[IpAddr]) -> Vec<IpAddr> {
    let ranked = ranked_addresses(addresses);
    let best: Vec<IpAddr> = ranked.iter().filter(|(r, _)| *r < 2).map(|(_, ip)| *ip).collect();
    if !best.is_empty() {
        return best;
    }
    ranked.into_iter().map(|(_, ip)| ip).collect()
}

/// Chromium's `SortIpAddressList`: whitespace removed, `;`-separated IP
/// literals sorted IPv6 first then ascending (stable), the original
/// spellings kept. `None` when the list is empty or an entry is not an IP
/// literal.
fn sort_ip_address_list(list: &str) -> Option<String> {
    let cleaned: String = list.chars().filter(|c| *c != ' ' && *c != '\t').collect();
    let mut entries = Vec::new();
    for token in cleaned.split(';').filter(|t| !t.is_empty()) {
        let ip: IpAddr = token.parse().ok()?;
        entries.push((ip, token));
    }
    if entries.is_empty() {
        return None;
    }
    entries.sort_by(|(a, _), (b, _)| match (a, b) {
        (IpAddr::V6(_), IpAddr::V4(_)) => std::cmp::Ordering::Less,
        (IpAddr::V4(_), IpAddr::V6(_)) => std::cmp::Ordering::Greater,
        _ => a.cmp(b),
    });
    Some(
        entries
            .iter()
            .map(|(_, token)| *token)
            .collect::<Vec<_>>()
            .join(";"),
    )
}

/// Chromium's `IsInNetEx`: whether `address` (an IP literal) lies in
/// `prefix` (`literal/bits`). An IPv4 side is compared as IPv4-mapped IPv6
/// when the other side is IPv6.
fn is_in_net_ex(address: &str, prefix: &str) -> bool {
    let Ok(address) = address.parse::<IpAddr>() else {
        return false;
    };
    let Some((network, bits)) = prefix.split_once('/') else {
        return false;
    };
    let Ok(network) = network.parse::<IpAddr>() else {
        return false;
    };
    if bits.is_empty() || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(mut bits) = bits.parse::<u32>() else {
        return false;
    };
    let limit = if network.is_ipv4() { 32 } else { 128 };
    if bits > limit {
        return false;
    }
    let (a, n) = match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            (u128::from(u32::from(a)) << 96, u128::from(u32::from(n)) << 96)
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n)),
        (IpAddr::V4(a), IpAddr::V6(n)) => (u128::from(a.to_ipv6_mapped()), u128::from(n)),
        (IpAddr::V6(a), IpAddr::V4(n)) => {
            bits += 96;
            (u128::from(a), u128::from(n.to_ipv6_mapped()))
        }
    };
    let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
    (a & mask) == (n & mask)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pac_arguments_fast_path_matches_the_sanitized_copy() {
        for url in [
            "http://example.com/a/b?c=d#frag",
            "http://example.com:8080/",
            "https://example.com/secret/path?q=1#f",
            "https://example.com:8443/x",
            "https://example.com:443/x",
            "wss://example.com:9000/socket?x",
            "ws://example.com/socket?x#y",
            "ftp://files.example/pub/",
            "http://10.1.2.3/",
            "https://[2001:db8::1]:8443/x?y",
            "http://[::1]/",
            "http://user:pass@example.com/a#b",
            "https://user@example.com/a",
            "http://EXAMPLE.com/%7Efoo",
        ] {
            let url = url::Url::parse(url).unwrap();
            assert_eq!(super::PacArguments::of(&url), super::sanitized_arguments(&url), "{url}");
        }
    }

    // A URL read without the parser shows the script what the parsed URL
    // shows it.
    #[test]
    fn pac_arguments_of_plain_urls_match_the_parsed_ones() {
        let mut read = 0;
        for url in [
            "http://example.com/a/b", "http://example.com", "http://example.com:80/x", "http://example.com:8080/",
            "https://example.com/secret/path", "https://example.com:443/x", "https://example.com:8443/x",
            "wss://example.com:9000/socket", "ws://example.com/socket", "http://localhost:3000/p",
            "http://example.com/a?b", "http://example.com/#f", "http://10.1.2.3/", "http://u@example.com/",
        ] {
            let parsed = super::PacArguments::of(&url::Url::parse(url).unwrap());
            if let Some(plain) = PlainUrl::parse(url) {
                read += 1;
                assert_eq!(super::PacArguments::of_plain(&plain), parsed, "{url}");
            }
        }
        assert_eq!(read, 10, "the plain URLs were read without the parser");
    }

    use super::*;
    use std::collections::HashMap;

    /// Short limits, so hostile rows fail fast.
    fn test_limits() -> PacLimits {
        PacLimits {
            memory: 32 * 1024 * 1024,
            time: Duration::from_secs(2),
            stack: 256 * 1024,
        }
    }

    // Rule: the non-blocking run (Chromium's non-blocking DNS mode) answers
    // only what it can without a lookup or a long run; otherwise it gives
    // up, leaves the resolver unasked, and the blocking run answers.
    #[test]
    fn try_find_proxy_answers_only_without_waiting() {
        let (host, asked) = fake_host(&[("named.example", &["10.1.1.1"])]);
        let mut script = PacScript::new(
            r#"function FindProxyForURL(url, host) {
                if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "PROXY ten:1";
                return "DIRECT";
            }"#,
            test_limits(),
            host,
        )
        .unwrap();
        let url = |s: &str| PacArguments::of(&url::Url::parse(s).unwrap());
        let ms = Duration::from_millis(50);
        assert_eq!(script.try_find_proxy(&url("http://10.2.3.4/"), ms).as_deref(), Some("PROXY ten:1"));
        assert_eq!(script.try_find_proxy(&url("http://named.example/"), ms), None);
        assert!(asked.lock().unwrap().is_empty(), "the non-blocking run asked the resolver");
        assert_eq!(script.find_proxy_for(&url("http://named.example/")).unwrap(), "PROXY ten:1");
        assert_eq!(asked.lock().unwrap().as_slice(), ["named.example"]);

        let (host, _) = fake_host(&[]);
        let mut slow = PacScript::new(
            r#"function FindProxyForURL(url, host) {
                if (host === "spin") { var t = Date.now(); while (Date.now() - t < 100) {} }
                return "DIRECT";
            }"#,
            test_limits(),
            host,
        )
        .unwrap();
        assert_eq!(slow.try_find_proxy(&url("http://quick/"), ms).as_deref(), Some("DIRECT"));
        assert_eq!(slow.try_find_proxy(&url("http://spin/"), Duration::from_millis(5)), None);
        // Once too slow, the script is no longer run the non-blocking way.
        assert_eq!(slow.try_find_proxy(&url("http://quick/"), ms), None);
        assert_eq!(slow.find_proxy_for(&url("http://spin/")).unwrap(), "DIRECT");
    }

    /// A resolver over a fixed table, recording every name it is asked.
    fn fake_host(table: &[(&str, &[&str])]) -> (PacHost, Arc<Mutex<Vec<String>>>) {
        let table: HashMap<String, Vec<IpAddr>> = table
            .iter()
            .map(|(name, ips)| {
                (
                    name.to_string(),
                    ips.iter().map(|ip| ip.parse().unwrap()).collect(),
                )
            })
            .collect();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let resolver: PacResolver = Arc::new(move |name: &str| {
            log.lock().unwrap().push(name.to_string());
            table.get(name).cloned().unwrap_or_default()
        });
        (PacHost::new(resolver), asked)
    }

    const ECHO: &str = "function FindProxyForURL(url, host) { return 'DIRECT'; }";

    fn engine(host: PacHost) -> PacScript {
        PacScript::new(ECHO, test_limits(), host).expect("the echo script loads")
    }

    impl PacScript {
        /// Evaluates `expr` in the script's global scope and shows the value
        /// so that types stay visible: strings quoted, `null`, `true`, `3`.
        fn show(&mut self, expr: &str) -> Result<String, PacError> {
            let js = format!(
                "(function (v) {{ return v === null ? 'null' : typeof v == 'string' ? JSON.stringify(v) : String(v); }})({expr})"
            );
            self.run(|ctx| {
                let mut options = EvalOptions::default();
                options.strict = false;
                let shown: String = ctx.eval_with_options(js, options)?;
                Ok(Ok(shown))
            })
        }
    }

    /// Runs `(expression, expected shown value)` rows on one engine.
    fn check(script: &mut PacScript, rows: &[(&str, &str)]) {
        for (expr, expected) in rows {
            let got = script.show(expr);
            assert_eq!(got.as_deref(), Ok(*expected), "row: {expr}");
        }
    }

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    // Rule: isPlainHostName is true for a name without dots that is not an
    // IP literal, and throws a TypeError without a string argument.
    #[test]
    fn is_plain_host_name() {
        // Rows from Chromium services/proxy_resolver/test/data/proxy_resolver_v8_unittest/pac_library_unittest.js (testIsPlainHostName).
        check(
            &mut engine(PacHost::default()),
            &[
                ("isPlainHostName('google')", "true"),
                ("isPlainHostName('google.com')", "false"),
                ("isPlainHostName('192.168.1.1')", "false"),
                ("isPlainHostName('.')", "false"),
                ("isPlainHostName('.:')", "false"),
                ("isPlainHostName('::1')", "false"),
                ("isPlainHostName('::192.186.1.1')", "false"),
                ("isPlainHostName('foopy::1')", "true"),
                ("isPlainHostName('foo:112')", "true"),
                ("isPlainHostName(':')", "true"),
                ("isPlainHostName('[:]')", "true"),
                ("isPlainHostName('[::1]')", "true"),
                ("isPlainHostName('foo', 'foo', 'foo')", "true"),
                ("(function () { try { isPlainHostName(); } catch (e) { return e.toString(); } })()", "\"TypeError: Requires 1 string parameter\""),
                ("(function () { try { isPlainHostName(null); } catch (e) { return e.toString(); } })()", "\"TypeError: Requires 1 string parameter\""),
                ("(function () { try { isPlainHostName(1); } catch (e) { return e.toString(); } })()", "\"TypeError: Requires 1 string parameter\""),
                ("(function () { try { isPlainHostName(function () {}); } catch (e) { return e.toString(); } })()", "\"TypeError: Requires 1 string parameter\""),
            ],
        );
    }

    // Rule: dnsDomainIs is a plain suffix test of the host against the
    // domain (no dot boundary), and never resolves.
    #[test]
    fn dns_domain_is() {
        let (host, asked) = fake_host(&[]);
        let mut script = engine(host);
        check(
            &mut script,
            &[
                // Rows from Chromium pac_library_unittest.js (testDnsDomainIs).
                ("dnsDomainIs('google.com', '.com')", "true"),
                ("dnsDomainIs('google.co.uk', '.co.uk')", "true"),
                ("dnsDomainIs('google.com', '.co.uk')", "false"),
                ("dnsDomainIs('www.adobe.com', '.ad')", "false"),
                // A suffix without a dot boundary still matches.
                ("dnsDomainIs('foonetscape.com', 'netscape.com')", "true"),
                ("dnsDomainIs('www', '.netscape.com')", "false"),
                ("dnsDomainIs('a.b', '')", "true"),
            ],
        );
        assert!(asked.lock().unwrap().is_empty());
    }

    // Rule: localHostOrDomainIs matches the exact name, or an unqualified
    // host against the first label of the qualified one.
    #[test]
    fn local_host_or_domain_is() {
        check(
            &mut engine(PacHost::default()),
            &[
                // Rows from Chromium pac_library_unittest.js (testLocalHostOrDomainIs).
                ("localHostOrDomainIs('www.google.com', 'www.google.com')", "true"),
                ("localHostOrDomainIs('www', 'www.google.com')", "true"),
                ("localHostOrDomainIs('maps.google.com', 'www.google.com')", "false"),
                // A different unqualified name, or a qualified one of another domain.
                ("localHostOrDomainIs('maps', 'www.google.com')", "false"),
                ("localHostOrDomainIs('www.mcom.com', 'www.google.com')", "false"),
            ],
        );
    }

    // Rule: dnsDomainLevels counts the dots.
    #[test]
    fn dns_domain_levels() {
        check(
            &mut engine(PacHost::default()),
            &[
                // Rows from Chromium pac_library_unittest.js (testDnsDomainLevels).
                ("dnsDomainLevels('www')", "0"),
                ("dnsDomainLevels('www.google.com')", "2"),
                ("dnsDomainLevels('192.168.1.1')", "3"),
                ("dnsDomainLevels('')", "0"),
                ("dnsDomainLevels('a.')", "1"),
            ],
        );
    }

    // Rule: shExpMatch is a whole-string glob: `*` any run, `?` one
    // character, `.` literal; other characters are regular-expression
    // syntax, as in Chromium.
    #[test]
    fn sh_exp_match() {
        check(
            &mut engine(PacHost::default()),
            &[
                // Rows from Chromium pac_library_unittest.js (testShExpMatch).
                ("shExpMatch('foo.jpg', '*.jpg')", "true"),
                ("shExpMatch('foo5.jpg', '*o?.jpg')", "true"),
                ("shExpMatch('foo.jpg', '.jpg')", "false"),
                ("shExpMatch('foo.jpg', 'foo')", "false"),
                // Whole string, `.` literal, `?` exactly one character.
                ("shExpMatch('http://home.netscape.com/people/ari/index.html', '*/ari/*')", "true"),
                ("shExpMatch('http://home.netscape.com/people/montulli/index.html', '*/ari/*')", "false"),
                ("shExpMatch('fooXjpg', 'foo.jpg')", "false"),
                ("shExpMatch('foo.jpg', 'fo?.jpg')", "true"),
                ("shExpMatch('fo.jpg', 'fo?.jpg')", "false"),
                ("shExpMatch('', '*')", "true"),
                ("shExpMatch('a.b', '*.*')", "true"),
                // Regular-expression syntax passes through.
                ("shExpMatch('aaa', 'a+')", "true"),
                ("shExpMatch('ab', '[ab]b')", "true"),
                ("(function () { try { return shExpMatch('x', '('); } catch (e) { return e.name; } })()", "\"SyntaxError\""),
            ],
        );
    }

    // Rule: convert_addr packs a dotted quad into a signed 32-bit number,
    // each part taken modulo 256.
    #[test]
    fn convert_addr() {
        check(
            &mut engine(PacHost::default()),
            &[
                ("convert_addr('0.0.0.0')", "0"),
                ("convert_addr('0.0.0.1')", "1"),
                ("convert_addr('1.0.0.0')", "16777216"),
                ("convert_addr('192.168.1.1')", "-1062731519"),
                ("convert_addr('255.255.255.255')", "-1"),
                ("convert_addr('1.2.3.256')", "16909056"),
            ],
        );
    }

    // Rule: isInNet masks the address and the pattern with the mask and
    // compares; a name is resolved first (false when it does not resolve),
    // and a quad with a part above 255 is false.
    #[test]
    fn is_in_net() {
        let (host, asked) = fake_host(&[
            ("intranet.test", &["10.1.2.3"]),
            ("v6only.test", &["2001:db8::1"]),
        ]);
        let mut script = engine(host);
        check(
            &mut script,
            &[
                // Rows from Chromium pac_library_unittest.js (testIsInNet).
                ("isInNet('192.89.132.25', '192.89.132.25', '255.255.255.255')", "true"),
                ("isInNet('193.89.132.25', '192.89.132.25', '255.255.255.255')", "false"),
                ("isInNet('192.89.132.25', '192.89.0.0', '255.255.0.0')", "true"),
                ("isInNet('193.89.132.25', '192.89.0.0', '255.255.0.0')", "false"),
                ("isInNet('192.89.132.a', '192.89.0.0', '255.255.0.0')", "false"),
                // Masks of every width.
                ("isInNet('10.200.3.4', '10.0.0.0', '255.0.0.0')", "true"),
                ("isInNet('11.200.3.4', '10.0.0.0', '255.0.0.0')", "false"),
                ("isInNet('172.31.255.1', '172.16.0.0', '255.240.0.0')", "true"),
                ("isInNet('172.32.0.1', '172.16.0.0', '255.240.0.0')", "false"),
                ("isInNet('8.8.8.8', '1.2.3.4', '0.0.0.0')", "true"),
                // Not an address: a part above 255.
                ("isInNet('256.1.1.1', '0.0.0.0', '0.0.0.0')", "false"),
                // Names resolve through the session's resolver (IPv4 only).
                ("isInNet('intranet.test', '10.0.0.0', '255.0.0.0')", "true"),
                ("isInNet('intranet.test', '192.168.0.0', '255.255.0.0')", "false"),
                ("isInNet('v6only.test', '0.0.0.0', '0.0.0.0')", "false"),
                ("isInNet('unknown.test', '0.0.0.0', '0.0.0.0')", "false"),
            ],
        );
        // Anything but a dotted quad is resolved, as in Chromium.
        assert_eq!(
            *asked.lock().unwrap(),
            ["192.89.132.a", "intranet.test", "intranet.test", "v6only.test", "unknown.test"]
        );
    }

    // Rule: the native fast paths of the hot helpers give the JavaScript
    // library's answers, and step aside for it whenever they could differ:
    // non-ASCII or non-string arguments, RegExp syntax in a shExpMatch
    // pattern, line terminators, and built-ins the script has replaced
    // (which must then be called, as the library calls them).
    #[test]
    fn native_helpers_fall_back_to_the_library() {
        check(
            &mut engine(PacHost::default()),
            &[
                // Non-ASCII and non-string arguments.
                ("dnsDomainIs('www.bücher.example', '.example')", "true"),
                ("dnsDomainIs('bücher', 'cher')", "true"),
                ("dnsDomainIs(1, 2)", "false"),
                ("localHostOrDomainIs('bücher', 'bücher.example')", "true"),
                ("dnsDomainLevels('a.b.ü')", "2"),
                ("shExpMatch('é.example', '?.example')", "true"),
                ("shExpMatch(12345, '1*5')", "true"),
                ("shExpMatch('a\\nb', 'a*b')", "false"),
                ("shExpMatch('a\\nb', 'a?b')", "false"),
                ("shExpMatch('ab', 'a|x')", "true"),
                ("shExpMatch('xb', 'a|x')", "false"),
                ("(function () { try { return shExpMatch('x', undefined); } catch (e) { return e.name; } })()", "\"TypeError\""),
                ("isInNet('10.1.2.3', '10.0.0.0', '0xff.0.0.0')", "true"),
                ("isInNet('10.1.2.3', ' 10.0.0.0', '255.0.0.0')", "true"),
                ("isInNet('10.1.2.3', '10', '255')", "true"),
                ("isInNet('11.1.2.3', '10', '255')", "false"),
                ("isPlainHostName('bücher')", "true"),
                ("isPlainHostName('::1')", "false"),
                // Replaced built-ins are called as the library calls them.
                ("(function () { var s = String.prototype.split; String.prototype.split = function () { return [1, 2, 3, 4, 5, 6]; }; try { return dnsDomainLevels('a.b'); } finally { String.prototype.split = s; } })()", "5"),
                ("(function () { var s = String.prototype.substring; String.prototype.substring = function () { return 'x'; }; try { return dnsDomainIs('a.x', 'x'); } finally { String.prototype.substring = s; } })()", "true"),
                ("(function () { var s = String.prototype.substring; String.prototype.substring = function () { return 'x'; }; try { return dnsDomainIs('a.example', '.example'); } finally { String.prototype.substring = s; } })()", "false"),
                ("(function () { var t = RegExp.prototype.test; RegExp.prototype.test = function () { return 'replaced'; }; try { return shExpMatch('a', 'b'); } finally { RegExp.prototype.test = t; } })()", "\"replaced\""),
                ("(function () { var c = convert_addr; convert_addr = function () { return 0; }; try { return isInNet('10.1.2.3', '11.0.0.0', '255.0.0.0'); } finally { convert_addr = c; } })()", "true"),
                ("(function () { var e = RegExp.prototype.exec; RegExp.prototype.exec = function () { return ['', '999', '0', '0', '0']; }; try { return isInNet('10.1.2.3', '10.0.0.0', '255.0.0.0'); } finally { RegExp.prototype.exec = e; } })()", "false"),
                // And the natives again once the originals are back.
                ("dnsDomainLevels('a.b')", "1"),
                ("shExpMatch('a', 'b')", "false"),
                ("isInNet('10.1.2.3', '11.0.0.0', '255.0.0.0')", "false"),
            ],
        );
    }

    // Rule: a script whose top level declares `convert_addr` or `RegExp`
    // with `let`/`const`/`class` has the library's isInNet and shExpMatch
    // call its own binding (global lexical bindings are shared by every
    // script of the realm), which the natives cannot see: they step aside.
    // A script with neither keeps its native paths, and the names keep
    // their values.
    #[test]
    fn top_level_lexical_bindings_reach_the_library() {
        let find = |source: &str, url: &str| {
            let mut script = PacScript::new(source, test_limits(), PacHost::default()).unwrap();
            script.find_proxy(&url::Url::parse(url).unwrap()).unwrap()
        };
        let shadow_addr = "let convert_addr = function () { return 0; };
            function FindProxyForURL(url, host) { return isInNet(host, '11.0.0.0', '255.0.0.0') ? 'PROXY in:1' : 'DIRECT'; }";
        assert_eq!(find(shadow_addr, "http://10.1.2.3/"), "PROXY in:1", "isInNet used the script's convert_addr");
        let shadow_regexp = "class RegExp { test() { return true; } }
            function FindProxyForURL(url, host) { return shExpMatch(host, 'nothing.*') ? 'PROXY re:1' : 'DIRECT'; }";
        assert_eq!(find(shadow_regexp, "http://a.test/"), "PROXY re:1", "shExpMatch used the script's RegExp");
        let plain = "var seen = typeof RegExp + typeof convert_addr;
            function FindProxyForURL(url, host) {
              return shExpMatch(host, '*.test') && isInNet('10.1.2.3', '10.0.0.0', '255.0.0.0') ? 'PROXY ' + seen + ':1' : 'DIRECT';
            }";
        assert_eq!(find(plain, "http://a.test/"), "PROXY functionfunction:1");
    }

    // Rule: dnsResolve answers the first IPv4 address of the session's
    // resolver or null; dnsResolveEx every address joined by `;` or "";
    // isResolvable(Ex) say whether those found anything. IP literals answer
    // themselves, IDN names reach the resolver as punycode, a non-string
    // argument gives null (dnsResolve) or undefined (dnsResolveEx).
    #[test]
    fn dns_resolve_through_session_resolver() {
        let (host, asked) = fake_host(&[
            ("dual.test", &["2001:db8::1", "192.0.2.1", "192.0.2.2"]),
            ("v6only.test", &["2001:db8::2"]),
            ("xn--mnchen-3ya.test", &["192.0.2.9"]),
        ]);
        let mut script = engine(host);
        check(
            &mut script,
            &[
                ("dnsResolve('dual.test')", "\"192.0.2.1\""),
                ("dnsResolve('v6only.test')", "null"),
                ("dnsResolve('unknown.test')", "null"),
                ("dnsResolve('192.0.2.7')", "\"192.0.2.7\""),
                ("dnsResolve('::1')", "null"),
                ("dnsResolve('münchen.test')", "\"192.0.2.9\""),
                ("dnsResolve('not a host é')", "null"),
                ("dnsResolve()", "null"),
                ("dnsResolve(5)", "null"),
                ("dnsResolveEx('dual.test')", "\"2001:db8::1;192.0.2.1;192.0.2.2\""),
                ("dnsResolveEx('v6only.test')", "\"2001:db8::2\""),
                ("dnsResolveEx('unknown.test')", "\"\""),
                ("dnsResolveEx('::1')", "\"::1\""),
                ("dnsResolveEx()", "undefined"),
                ("isResolvable('dual.test')", "true"),
                ("isResolvable('v6only.test')", "false"),
                ("isResolvable('unknown.test')", "false"),
                ("isResolvableEx('v6only.test')", "true"),
                ("isResolvableEx('unknown.test')", "false"),
            ],
        );
        let asked = asked.lock().unwrap();
        assert!(!asked.iter().any(|n| n.contains("192.0.2.7") || n == "::1"), "literals reached the resolver: {asked:?}");
        assert!(asked.iter().any(|n| n == "xn--mnchen-3ya.test"), "{asked:?}");
    }

    // Rule: the PAC functions work during the script's top level too
    // (Chromium proxy_resolver_v8_unittest.cc, BindingCalledDuringInitialization).
    #[test]
    fn bindings_work_during_load() {
        let (host, asked) = fake_host(&[("early.test", &["192.0.2.50"])]);
        let source = "var early = dnsResolve('early.test'); alert(isPlainHostName('x')); function FindProxyForURL() { return 'PROXY ' + early + ':80'; }";
        let mut script = PacScript::new(source, test_limits(), host).unwrap();
        assert_eq!(script.find_proxy(&url("http://a.test/")).as_deref(), Ok("PROXY 192.0.2.50:80"));
        assert_eq!(script.take_alerts(), ["true"]);
        assert_eq!(*asked.lock().unwrap(), ["early.test"]);
    }

    // Rule: the limits default to 64 MiB, 1 s and 512 KiB, and a script
    // keeps the limits it was built with.
    #[test]
    fn default_limits() {
        let limits = PacLimits::default();
        assert_eq!(
            (limits.memory, limits.time, limits.stack),
            (64 * 1024 * 1024, Duration::from_secs(1), 512 * 1024)
        );
        let script = PacScript::new(ECHO, limits, PacHost::default()).unwrap();
        assert_eq!(script.limits(), limits);
    }

    // Rule: myIpAddress picks from the machine's addresses (IPv4, then
    // IPv6, then link-local or loopback as a last resort) and falls back to
    // 127.0.0.1; myIpAddressEx lists all the non-last-resort ones (or else
    // the last-resort ones) joined by `;`, "" when there are none.
    #[test]
    fn my_ip_address() {
        let rows: &[(&[&str], &str, &str)] = &[
            (&[], "127.0.0.1", ""),
            (&["127.0.0.1", "::1"], "127.0.0.1", "127.0.0.1;::1"),
            (&["::1"], "::1", "::1"),
            (&["0.0.0.0"], "127.0.0.1", ""),
            (&["::1", "fe80::1"], "fe80::1", "fe80::1;::1"),
            (&["2001:db8::5", "192.168.1.5"], "192.168.1.5", "192.168.1.5;2001:db8::5"),
            (&["2001:db8::5"], "2001:db8::5", "2001:db8::5"),
            (&["169.254.1.1", "fe80::1", "2001:db8::5"], "2001:db8::5", "2001:db8::5"),
            (&["fe80::1", "169.254.1.1"], "169.254.1.1", "169.254.1.1;fe80::1"),
        ];
        for (addresses, expected, expected_ex) in rows {
            let ips = addresses.iter().map(|a| a.parse().unwrap()).collect();
            let mut script = engine(PacHost::default().with_my_addresses(ips));
            assert_eq!(script.show("myIpAddress()").as_deref(), Ok(format!("\"{expected}\"").as_str()), "row: {addresses:?}");
            assert_eq!(script.show("myIpAddressEx()").as_deref(), Ok(format!("\"{expected_ex}\"").as_str()), "row: {addresses:?}");
        }
    }

    // Rule: sortIpAddressList sorts `;`-separated literals IPv6 first, then
    // ascending, keeping their spelling; false for an empty or bad list,
    // null without a string.
    #[test]
    fn sort_ip_address_list() {
        check(
            &mut engine(PacHost::default()),
            &[
                // Rows from Chromium pac_library_unittest.js (testSortIpAddressList).
                ("sortIpAddressList('::2;::3;::1')", "\"::1;::2;::3\""),
                (
                    "sortIpAddressList('157.59.139.22;2001:4898:28:3:201:2ff:feea:fc14;fe80::5efe:157:9d3b:8b16')",
                    "\"2001:4898:28:3:201:2ff:feea:fc14;fe80::5efe:157:9d3b:8b16;157.59.139.22\"",
                ),
                ("sortIpAddressList('127.0.0.1')", "\"127.0.0.1\""),
                ("sortIpAddressList('::1')", "\"::1\""),
                ("sortIpAddressList('192.168.1.1;0:0::1')", "\"0:0::1;192.168.1.1\""),
                ("sortIpAddressList('::1;192.168.1.3')", "\"::1;192.168.1.3\""),
                ("sortIpAddressList('0::1;::1;0:0::1')", "\"0::1;::1;0:0::1\""),
                ("sortIpAddressList(';127.0.0.1;')", "\"127.0.0.1\""),
                ("sortIpAddressList('192.168.0.1; 192.168.0.2')", "\"192.168.0.1;192.168.0.2\""),
                ("sortIpAddressList('127.0.0.1;\\t127.0.0.2;\\t 127.0.0.0')", "\"127.0.0.0;127.0.0.1;127.0.0.2\""),
                ("sortIpAddressList('')", "false"),
                ("sortIpAddressList(' ')", "false"),
                ("sortIpAddressList(';')", "false"),
                ("sortIpAddressList(';;')", "false"),
                ("sortIpAddressList(' ;  ; ')", "false"),
                ("sortIpAddressList('256.0.0.1')", "false"),
                ("sortIpAddressList('192.168.1.1;0:0:0:1;127.0.0.1')", "false"),
                ("sortIpAddressList()", "null"),
                ("sortIpAddressList(null)", "null"),
                ("sortIpAddressList(null, null)", "null"),
            ],
        );
    }

    // Rule: isInNetEx tests an IP literal against a CIDR prefix, comparing
    // an IPv4 side as IPv4-mapped IPv6 against an IPv6 side; false for bad
    // input, null without two strings.
    #[test]
    fn is_in_net_ex() {
        check(
            &mut engine(PacHost::default()),
            &[
                // Rows from Chromium pac_library_unittest.js (testIsInNetEx).
                ("isInNetEx('198.95.249.79', '198.95.249.79/32')", "true"),
                ("isInNetEx('198.95.115.10', '198.95.0.0/16')", "true"),
                ("isInNetEx('198.95.1.1', '198.95.0.0/16')", "true"),
                ("isInNetEx('198.95.1.1', '198.95.3.3/16')", "true"),
                ("isInNetEx('0:0:0:0:0:0:7f00:1', '0:0:0:0:0:0:7f00:1/32')", "true"),
                ("isInNetEx('3ffe:8311:ffff:abcd:1234:dead:beef:101', '3ffe:8311:ffff::/48')", "true"),
                ("isInNetEx('127.0.0.1', '0:0:0:0:0:0:7f00:1/16')", "true"),
                ("isInNetEx('192.168.24.3', 'fe80:0:0:0:0:0:c0a8:1803/32')", "false"),
                ("isInNetEx('::ffff:192.168.100.5', '192.168.1.1/16')", "true"),
                ("isInNetEx('::ffff:10.168.100.5', '192.168.1.1/16')", "false"),
                ("isInNetEx('::fffe:192.168.100.5', '192.168.1.1/16')", "false"),
                ("isInNetEx('::ffff:192.168.100.5', '::ffff:192.168.1.1/112')", "true"),
                ("isInNetEx('::ffff:10.168.100.5', '::ffff:192.168.1.1/112')", "false"),
                ("isInNetEx('192.168.1.1', '::ffff:192.168.1.1/112')", "true"),
                ("isInNetEx('192.168.1.1', '::fffe:192.168.1.1/112')", "false"),
                ("isInNetEx('10.168.1.1', '::ffff:192.168.1.1/112')", "false"),
                ("isInNetEx('198.95.249.78', '198.95.249.79/32')", "false"),
                ("isInNetEx('198.96.115.10', '198.95.0.0/16')", "false"),
                ("isInNetEx('3fff:8311:ffff:abcd:1234:dead:beef:101', '3ffe:8311:ffff::/48')", "false"),
                ("isInNetEx()", "null"),
                ("isInNetEx(null)", "null"),
                ("isInNetEx(null, null)", "null"),
                ("isInNetEx(null, null, null)", "null"),
                ("isInNetEx('198.95.249.79')", "null"),
                ("isInNetEx('256.0.0.1', '198.95.249.79')", "false"),
                ("isInNetEx('127.0.0.1 ', '127.0.0.1/32')", "false"),
                ("isInNetEx('198.95.115.10', '198.95.0.0/34')", "false"),
                ("isInNetEx('127.0.0.1', '127.0.0.1')", "false"),
                // A zero-length prefix holds every address of its family.
                ("isInNetEx('8.8.8.8', '0.0.0.0/0')", "true"),
                ("isInNetEx('127.0.0.1', '127.0.0.1/')", "false"),
                ("isInNetEx('127.0.0.1', '127.0.0.1/+8')", "false"),
            ],
        );
    }

    /// JavaScript for a local time (`new Date(y, m, ...)`, month from 0).
    fn local(args: &str) -> String {
        format!("new Date({args}).getTime()")
    }

    /// JavaScript for a UTC time.
    fn gmt(args: &str) -> String {
        format!("Date.UTC({args})")
    }

    // Rule: weekdayRange(wd1[, wd2][, "GMT"]) is true when today (local, or
    // UTC with "GMT") lies in the range, which wraps past Saturday; unknown
    // names are false.
    #[test]
    fn weekday_range() {
        let mut script = engine(PacHost::default());
        // Rows from Chromium pac_library_unittest.js (testWeekdayRange); 3 March 2009 is a Tuesday.
        script.freeze_clock(&local("2009, 2, 3"), true);
        check(
            &mut script,
            &[
                ("weekdayRange('MON', 'FRI')", "true"),
                ("weekdayRange('TUE', 'FRI')", "true"),
                ("weekdayRange('TUE', 'TUE')", "true"),
                ("weekdayRange('SAT', 'WED')", "true"),
                ("weekdayRange('TUE')", "true"),
                ("weekdayRange('WED', 'FRI')", "false"),
                ("weekdayRange('SUN', 'MON')", "false"),
                ("weekdayRange('SAT')", "false"),
                ("weekdayRange('FRI', 'MON')", "false"),
                // Not Chromium rows: bad names and no arguments.
                ("weekdayRange('tue')", "false"),
                ("weekdayRange()", "false"),
                ("weekdayRange('GMT')", "false"),
            ],
        );
        script.freeze_clock(&gmt("2009, 2, 3"), true);
        check(
            &mut script,
            &[
                ("weekdayRange('MON', 'FRI', 'GMT')", "true"),
                ("weekdayRange('TUE', 'FRI', 'GMT')", "true"),
                ("weekdayRange('TUE', 'TUE', 'GMT')", "true"),
                ("weekdayRange('TUE', 'GMT')", "true"),
                ("weekdayRange('WED', 'FRI', 'GMT')", "false"),
                ("weekdayRange('SUN', 'MON', 'GMT')", "false"),
                ("weekdayRange('SAT', 'GMT')", "false"),
            ],
        );
        // GMT reads the UTC day: just before midnight UTC on Tuesday it is
        // Tuesday in GMT whatever the local zone.
        script.freeze_clock(&gmt("2009, 2, 3, 23, 59, 0"), true);
        check(&mut script, &[("weekdayRange('TUE', 'GMT')", "true"), ("weekdayRange('WED', 'GMT')", "false")]);
    }

    // Rule: dateRange takes a day, month or year, or a pair of bounds made
    // of them, optionally "GMT"; bounds wrap past the year's end and the
    // quirks of Chromium's (Mozilla's) implementation are kept.
    #[test]
    fn date_range() {
        let mut script = engine(PacHost::default());
        // Rows from Chromium pac_library_unittest.js (testDateRange).
        // Chromium's MockDate makes every `new Date(...)` "now", so these
        // rows run with the same mock.
        type Group<'a> = (String, bool, &'a [(&'a str, &'a str)]);
        let groups: &[Group] = &[
            (local("2009, 2, 3"), true, &[
                ("dateRange(3)", "true"),
                ("dateRange(1)", "false"),
                ("dateRange(1, 4)", "true"),
                ("dateRange(4, 20)", "false"),
                ("dateRange(3, 'MAR')", "true"),
                ("dateRange(2, 'MAR')", "true"),
                ("dateRange(3, 'JAN')", "true"),
                ("dateRange(3, 'MAR', 2009)", "true"),
                ("dateRange(4, 'MAR', 2009)", "true"),
                ("dateRange(3, 'FEB', 2009)", "true"),
                ("dateRange('JAN', 'MAR')", "true"),
                ("dateRange('MAR', 'JAN')", "true"),
                ("dateRange('SEP', 'APR')", "true"),
                ("dateRange('FEB', 'JAN')", "true"),
                ("dateRange('SEP', 'FEB')", "false"),
                ("dateRange('MAR', 'APR')", "true"),
                ("dateRange('MAY', 'SEP')", "false"),
                ("dateRange(1, 'JAN', 3, 'MAR')", "true"),
                ("dateRange(3, 'MAR', 1, 'JAN')", "true"),
                ("dateRange(4, 'SEP', 3, 'APR')", "true"),
                ("dateRange(4, 'FEB', 3, 'JAN')", "true"),
                ("dateRange(4, 'SEP', 3, 'FEB')", "false"),
                ("dateRange(3, 'MAR', 4, 'SEP')", "true"),
                ("dateRange(4, 'MAR', 4, 'SEP')", "false"),
                ("dateRange('FEB', 2009, 'MAR', 2009)", "true"),
                ("dateRange(1, 'JAN', 2009, 3, 'MAR', 2009)", "true"),
                ("dateRange(3, 'MAR', 2009, 4, 'SEP', 2009)", "true"),
                ("dateRange(3, 'JAN', 2009, 4, 'FEB', 2010)", "true"),
                ("dateRange(4, 'MAR', 2009, 4, 'SEP', 2009)", "false"),
            ]),
            (gmt("2009, 2, 3"), true, &[("dateRange(3, 'GMT')", "true"), ("dateRange(1, 'GMT')", "false")]),
            (local("2014, 2, 3"), true, &[
                ("dateRange(3, 'MAR')", "true"),
                ("dateRange(3, 'MAR', 2009)", "true"),
            ]),
            (local("2009, 3, 3"), true, &[
                ("dateRange('FEB', 2009, 'MAR', 2010)", "true"),
                ("dateRange('FEB', 2009, 'MAR', 2009)", "false"),
            ]),
            // Not Chromium rows: only "now" frozen, so the bounds start from
            // 1 January and 31 December as in a real run.
            (local("2009, 2, 3, 12, 0, 0"), false, &[
                ("dateRange('MAR')", "true"),
                ("dateRange('APR')", "false"),
                ("dateRange(2009)", "true"),
                ("dateRange(2010)", "false"),
                ("dateRange()", "false"),
                ("dateRange(1, 4)", "true"),
                ("dateRange(4, 20)", "false"),
                ("dateRange('JAN', 'FEB')", "true"),
                ("dateRange('APR', 'DEC')", "false"),
                ("dateRange('NOV', 'JAN')", "false"),
                ("dateRange(1, 'MAR', 31, 'MAR')", "true"),
                ("dateRange(4, 'MAR', 31, 'MAR')", "false"),
                ("dateRange(1, 'JAN', 2009, 31, 'DEC', 2009)", "true"),
                ("dateRange(1, 'JAN', 2010, 31, 'DEC', 2010)", "false"),
                ("dateRange('JAN', 2008, 'DEC', 2008)", "false"),
                // The end bound starts as 31 December: "FEB" makes it 31
                // February, which is 3 March, so this range still holds.
                ("dateRange('SEP', 'FEB')", "true"),
            ]),
        ];
        for (now, mock, rows) in groups {
            script.freeze_clock(now, *mock);
            check(&mut script, rows);
        }
    }

    // Rule: timeRange takes an hour, two hours, or two hour:minute[:second]
    // bounds, optionally "GMT"; bounds wrap past midnight; any other count
    // of arguments throws.
    #[test]
    fn time_range() {
        let mut script = engine(PacHost::default());
        // Rows from Chromium pac_library_unittest.js (testTimeRange).
        script.freeze_clock(&local("2009, 2, 3, 3, 34, 1"), true);
        check(
            &mut script,
            &[
                ("timeRange(3)", "true"),
                ("timeRange(2)", "false"),
                ("timeRange(2, 3)", "true"),
                ("timeRange(2, 4)", "true"),
                ("timeRange(3, 5)", "true"),
                ("timeRange(1, 2)", "false"),
                ("timeRange(11, 12)", "false"),
                ("timeRange(1, 0, 3, 34)", "true"),
                ("timeRange(3, 34, 1, 0)", "true"),
                ("timeRange(1, 0, 3, 35)", "true"),
                ("timeRange(3, 34, 5, 0)", "true"),
                ("timeRange(1, 0, 3, 0)", "false"),
                ("timeRange(11, 0, 16, 0)", "false"),
                // Not Chromium rows: no arguments, and bad counts throw.
                ("timeRange()", "false"),
                ("(function () { try { return timeRange(1, 2, 3); } catch (e) { return e; } })()", "\"timeRange: bad number of arguments\""),
                ("(function () { try { return timeRange('GMT'); } catch (e) { return e; } })()", "\"timeRange: bad number of arguments\""),
            ],
        );
        script.freeze_clock(&local("2009, 2, 3, 3, 34, 14"), true);
        check(
            &mut script,
            &[
                ("timeRange(1, 0, 0, 3, 34, 14)", "true"),
                ("timeRange(1, 0, 0, 3, 34, 0)", "false"),
                ("timeRange(1, 0, 0, 3, 35, 0)", "true"),
                ("timeRange(3, 34, 0, 5, 0, 0)", "true"),
                ("timeRange(1, 0, 0, 3, 0, 0)", "false"),
                ("timeRange(11, 0, 0, 16, 0, 0)", "false"),
            ],
        );
        // "GMT" reads UTC hours.
        script.freeze_clock(&gmt("2009, 2, 3, 14, 30, 0"), true);
        check(
            &mut script,
            &[
                ("timeRange(14, 'GMT')", "true"),
                ("timeRange(13, 'GMT')", "false"),
                ("timeRange(9, 17, 'GMT')", "true"),
                ("timeRange(15, 17, 'GMT')", "false"),
            ],
        );
    }

    // Rule: alert() messages are collected for the NetLog: the first
    // argument as a string, "undefined" without one.
    #[test]
    fn alerts_are_collected() {
        let source = "alert('loading'); function FindProxyForURL(url, host) { alert(host); alert(); alert(1, 2); return 'DIRECT'; }";
        let mut script = PacScript::new(source, test_limits(), PacHost::default()).unwrap();
        assert_eq!(script.take_alerts(), ["loading"]);
        script.find_proxy(&url("http://example.test/")).unwrap();
        assert_eq!(script.take_alerts(), ["example.test", "undefined", "1"]);
        assert!(script.take_alerts().is_empty());
        // A flood is capped rather than growing without bound.
        let flood = "function FindProxyForURL() { for (var i = 0; i < 5000; i++) alert(i); return 'DIRECT'; }";
        let mut script = PacScript::new(flood, test_limits(), PacHost::default()).unwrap();
        script.find_proxy(&url("http://example.test/")).unwrap();
        assert_eq!(script.take_alerts().len(), MAX_ALERTS);
    }

    // Rule: the script sees the URL without credentials and fragment, and
    // for https/wss only scheme://host[:port]/; the host comes without
    // IPv6 brackets.
    #[test]
    fn url_the_script_sees() {
        let echo = "function FindProxyForURL(url, host) { return url + ' ' + host; }";
        let mut script = PacScript::new(echo, test_limits(), PacHost::default()).unwrap();
        let rows = [
            ("http://example.test/a/b?q=1#frag", "http://example.test/a/b?q=1 example.test"),
            ("http://user:pass@example.test:8080/p", "http://example.test:8080/p example.test"),
            ("https://example.test/secret/path?token=1#x", "https://example.test/ example.test"),
            ("https://user:pass@example.test:8443/secret", "https://example.test:8443/ example.test"),
            ("https://example.test:443/x", "https://example.test/ example.test"),
            ("wss://example.test/socket?x", "wss://example.test/ example.test"),
            ("ws://example.test/socket?x", "ws://example.test/socket?x example.test"),
            ("http://[2001:db8::1]:81/x", "http://[2001:db8::1]:81/x 2001:db8::1"),
            ("https://[::1]/x", "https://[::1]/ ::1"),
            ("http://MÜNCHEN.test/", "http://xn--mnchen-3ya.test/ xn--mnchen-3ya.test"),
            ("ftp://example.test/file", "ftp://example.test/file example.test"),
        ];
        for (input, expected) in rows {
            assert_eq!(script.find_proxy(&url(input)).as_deref(), Ok(expected), "row: {input}");
        }
    }

    // Rule: FindProxyForURLEx is called instead of FindProxyForURL when the
    // script defines it.
    #[test]
    fn only_find_proxy_for_url_is_called() {
        let mut script = PacScript::new(
            "function FindProxyForURL() { return 'PROXY a:1'; } function FindProxyForURLEx(url, host) { return 'PROXY ' + host + ':2'; }",
            test_limits(),
            PacHost::default(),
        )
        .unwrap();
        assert_eq!(script.find_proxy(&url("http://ex.test/")).as_deref(), Ok("PROXY a:1"));
        let ex_only =
            PacScript::new("function FindProxyForURLEx() { return 'PROXY b:2'; }", test_limits(), PacHost::default());
        assert!(matches!(ex_only, Err(PacError::NotAFunction)));
    }

    // Rule: scripts that cannot load fail with the kind that says why.
    #[test]
    fn scripts_that_do_not_load() {
        fn kind(e: &PacError) -> &'static str {
            match e {
                PacError::Script(_) => "Script",
                PacError::Timeout => "Timeout",
                PacError::OutOfMemory => "OutOfMemory",
                PacError::StackOverflow => "StackOverflow",
                PacError::NotAFunction => "NotAFunction",
                PacError::BadResult(_) => "BadResult",
            }
        }
        let rows = [
            // Rows after Chromium proxy_resolver_v8_unittest.cc (ParseError, NoEntryPoint, empty script).
            ("", "Script"),
            ("function FindProxyForURL(url, host) {", "Script"),
            ("var x = 1;", "NotAFunction"),
            ("var FindProxyForURL = 'DIRECT';", "NotAFunction"),
            ("throw new Error('at load');", "Script"),
            ("var a = 1 +;", "Script"),
            // A top level that never ends, or exhausts a limit.
            ("while (true) {}", "Timeout"),
            ("function f() { f(); } f();", "StackOverflow"),
            ("var a = []; for (;;) a.push(new Array(1e6));", "OutOfMemory"),
            ("require('fs'); function FindProxyForURL() { return 'DIRECT'; }", "Script"),
            ("Object.defineProperty(globalThis, 'FindProxyForURL', { get: function () { throw 1; } });", "Script"),
            ("function FindProxyForURL() { return 'DIRECT'; } \0", "Script"),
        ];
        for (source, expected) in rows {
            let got = PacScript::new(source, test_limits(), PacHost::default());
            assert_eq!(got.as_ref().err().map(kind), Some(expected), "row: {source:?} gave {got:?}");
        }
        // Scripts may end without a newline (Chromium EndsWithCommentNoNewline, EndsWithStatementNoNewline).
        for source in [
            "function FindProxyForURL(u, h) { return 'DIRECT'; } // comment",
            "function FindProxyForURL(u, h) { return 'DIRECT'; } var x = 1",
        ] {
            assert!(PacScript::new(source, test_limits(), PacHost::default()).is_ok(), "row: {source:?}");
        }
    }

    // Rule: a call that throws, returns a non-string or breaks a limit fails
    // with its kind, and the same script answers the next URL.
    #[test]
    fn calls_that_fail_leave_the_script_usable() {
        let source = r#"
            function f() { f(); }
            function FindProxyForURL(url, host) {
                switch (host) {
                case 'loop.test': while (true) {}
                case 'memory.test': var a = []; for (;;) a.push(new Array(1e6));
                case 'stack.test': f();
                case 'throw.test': throw new Error('x');
                case 'throw-string.test': throw 'plain';
                case 'number.test': return 42;
                case 'null.test': return null;
                case 'undefined.test': return undefined;
                case 'object.test': return {};
                case 'function.test': return FindProxyForURL;
                case 'unicode.test': return 'PROXY ünicode:80';
                case 'empty.test': return '';
                case 'eval.test': return eval('"PROXY " + "ev:1"');
                case 'unset.test': FindProxyForURL = 1; return 'DIRECT';
                case 'regex.test': return String(/^(a+)+$/.test(new Array(40).join('a') + '!'));
                case 'big-string.test': return 'x'.repeat(1 << 29);
                case 'deep-json.test': var o = []; for (var i = 0; i < 1e5; i++) o = [o]; return JSON.stringify(o);
                }
                return 'PROXY ok:80';
            }"#;
        let mut script = PacScript::new(source, test_limits(), PacHost::default()).unwrap();
        let rows: &[(&str, Result<&str, PacError>)] = &[
            ("loop.test", Err(PacError::Timeout)),
            ("memory.test", Err(PacError::OutOfMemory)),
            ("stack.test", Err(PacError::StackOverflow)),
            ("throw.test", Err(PacError::Script("Error: x (line 8)".into()))),
            ("throw-string.test", Err(PacError::Script("uncaught plain".into()))),
            ("number.test", Err(PacError::BadResult("FindProxyForURL() did not return a string".into()))),
            ("null.test", Err(PacError::BadResult("FindProxyForURL() did not return a string".into()))),
            ("undefined.test", Err(PacError::BadResult("FindProxyForURL() did not return a string".into()))),
            ("object.test", Err(PacError::BadResult("FindProxyForURL() did not return a string".into()))),
            ("function.test", Err(PacError::BadResult("FindProxyForURL() did not return a string".into()))),
            ("unicode.test", Err(PacError::BadResult("FindProxyForURL() returned a non-ASCII string: PROXY ünicode:80".into()))),
            ("regex.test", Err(PacError::Timeout)),
            ("big-string.test", Err(PacError::OutOfMemory)),
            ("deep-json.test", Err(PacError::StackOverflow)),
            ("empty.test", Ok("")),
            ("eval.test", Ok("PROXY ev:1")),
        ];
        for (host, expected) in rows {
            let got = script.find_proxy(&url(&format!("http://{host}/")));
            assert_eq!(got.as_ref().map(String::as_str), expected.as_ref().map(|s| *s), "row: {host}");
            // The next call on the same script works.
            assert_eq!(script.find_proxy(&url("http://fine.test/")).as_deref(), Ok("PROXY ok:80"), "after row: {host}");
        }
        // A script that replaces its entry point has none for the next call.
        assert_eq!(script.find_proxy(&url("http://unset.test/")).as_deref(), Ok("DIRECT"));
        assert_eq!(script.find_proxy(&url("http://fine.test/")), Err(PacError::NotAFunction));
    }

    // Rule: time given back for resolver waits moves the deadline, so DNS
    // does not count against the time limit; between runs nothing expires.
    #[test]
    fn resolver_waits_do_not_count() {
        let budget = Budget::default();
        assert!(!budget.interrupt(), "no run, no deadline");
        budget.start(Duration::ZERO);
        assert!(budget.interrupt() && budget.expired());
        budget.start(Duration::ZERO);
        assert!(!budget.expired(), "a new run starts afresh");
        budget.extend(Duration::from_secs(3600));
        assert!(!budget.interrupt());
        budget.stop();
        budget.extend(Duration::from_secs(3600));
        assert!(!budget.interrupt());
    }

    // Rule: an endless loop stops at the time limit, measured per call.
    #[test]
    fn timeout_is_per_call() {
        let source = "function FindProxyForURL(url, host) { if (host == 'loop.test') for (;;) {} return 'DIRECT'; }";
        let limits = PacLimits { time: Duration::from_millis(200), ..test_limits() };
        let mut script = PacScript::new(source, limits, PacHost::default()).unwrap();
        for _ in 0..2 {
            let started = Instant::now();
            assert_eq!(script.find_proxy(&url("http://loop.test/")), Err(PacError::Timeout));
            // It ran for its whole budget, no less (how much more depends on the machine).
            let took = started.elapsed();
            assert!(took >= Duration::from_millis(200), "took {took:?}");
            assert_eq!(script.find_proxy(&url("http://other.test/")).as_deref(), Ok("DIRECT"));
        }
    }

    // Rule: the engine has no host objects: no require, process, fetch,
    // QuickJS std/os modules, timers, performance, WebAssembly; import()
    // is refused.
    #[test]
    fn no_host_objects() {
        let mut script = engine(PacHost::default());
        let names = [
            "require", "process", "fetch", "std", "os", "module", "exports", "console", "print",
            "scriptArgs", "setTimeout", "setInterval", "queueMicrotask", "XMLHttpRequest",
            "WebSocket", "performance", "WebAssembly", "navigator", "Deno", "Bun", "Worker",
            "importScripts", "location", "document", "window", "self",
        ];
        for name in names {
            let expr = format!("typeof globalThis.{name} + '/' + typeof {name}");
            assert_eq!(script.show(&expr).as_deref(), Ok("\"undefined/undefined\""), "row: {name}");
        }
        // What PAC scripts do need is there.
        for name in ["Date", "RegExp", "JSON", "Math", "String", "Array", "parseInt", "eval", "encodeURIComponent"] {
            assert_ne!(script.show(&format!("typeof {name}")).as_deref(), Ok("\"undefined\""), "row: {name}");
        }
        // Calling them fails as a script error.
        let rows = [
            "function FindProxyForURL() { return require('fs').readFileSync('/etc/passwd'); }",
            "function FindProxyForURL() { return process.env.HOME; }",
            "function FindProxyForURL() { return globalThis.fetch('http://x/'); }",
            "function FindProxyForURL() { return std.loadFile('/etc/passwd'); }",
            "function FindProxyForURL() { return os.getcwd()[0]; }",
        ];
        for source in rows {
            let mut script = PacScript::new(source, test_limits(), PacHost::default()).unwrap();
            let got = script.find_proxy(&url("http://example.test/"));
            assert!(matches!(got, Err(PacError::Script(_))), "row: {source} gave {got:?}");
        }
    }

    // Rule: promise jobs run when a call returns (as V8's microtasks do),
    // within the time limit; import() is refused; none of it outlives
    // the script.
    #[test]
    fn promise_jobs_and_import() {
        let source = r#"
            var ticks = 0;
            async function later() { await null; ticks++; }
            function forever() { Promise.resolve().then(forever); }
            function FindProxyForURL(url, host) {
                if (host == 'import.test') {
                    import('fs').then(function () { alert('imported'); },
                                      function (e) { alert('refused ' + e.name); });
                }
                if (host == 'forever.test') forever();
                later();
                return 'PROXY t:' + ticks;
            }"#;
        let mut script = PacScript::new(source, test_limits(), PacHost::default()).unwrap();
        assert_eq!(script.find_proxy(&url("http://a.test/")).as_deref(), Ok("PROXY t:0"));
        assert_eq!(script.find_proxy(&url("http://a.test/")).as_deref(), Ok("PROXY t:1"));
        assert_eq!(script.find_proxy(&url("http://import.test/")).as_deref(), Ok("PROXY t:2"));
        let alerts = script.take_alerts();
        assert!(alerts.len() == 1 && alerts[0].starts_with("refused"), "{alerts:?}");
        // An endless chain of promise jobs is stopped by the time limit.
        assert_eq!(script.find_proxy(&url("http://forever.test/")).as_deref(), Ok("PROXY t:3"));
        drop(script);
    }

    // Rule: every PAC failure is Chromium's net::ERR_PAC_SCRIPT_FAILED.
    #[test]
    fn net_error_name() {
        let rows = [
            PacError::Script("x".into()),
            PacError::Timeout,
            PacError::OutOfMemory,
            PacError::StackOverflow,
            PacError::NotAFunction,
            PacError::BadResult("x".into()),
        ];
        for error in rows {
            assert_eq!(error.net_error_name(), "net::ERR_PAC_SCRIPT_FAILED", "row: {error:?}");
        }
    }

    // Rule: a compiled script can move to another thread (the caller's
    // blocking thread) and keeps its state between calls.
    #[test]
    fn script_moves_between_threads() {
        fn assert_send<T: Send>(_: &T) {}
        let source = "var calls = 0; function FindProxyForURL() { calls++; return 'PROXY p:' + calls; }";
        let mut script = PacScript::new(source, test_limits(), PacHost::default()).unwrap();
        assert_send(&script);
        assert_eq!(script.find_proxy(&url("http://a.test/")).as_deref(), Ok("PROXY p:1"));
        let mut script = std::thread::spawn(move || {
            assert_eq!(script.find_proxy(&url("http://a.test/")).as_deref(), Ok("PROXY p:2"));
            script
        })
        .join()
        .unwrap();
        assert_eq!(script.find_proxy(&url("http://a.test/")).as_deref(), Ok("PROXY p:3"));
    }

    /// A realistic corporate PAC script of about fifty lines.
    const CORPORATE_PAC: &str = r#"
// Corporate proxy configuration.
var PROXY = "PROXY proxy.corp.test:3128; PROXY backup.corp.test:3128; DIRECT";
var DIRECT_DOMAINS = [".corp.test", ".intranet.test", ".local"];
var BLOCKED = ["*.ads.test", "tracker.*"];
var PRIVATE_NETS = [
  ["10.0.0.0", "255.0.0.0"],
  ["172.16.0.0", "255.240.0.0"],
  ["192.168.0.0", "255.255.0.0"],
  ["127.0.0.0", "255.0.0.0"]
];

function isPrivateAddress(ip) {
  for (var i = 0; i < PRIVATE_NETS.length; i++) {
    if (isInNet(ip, PRIVATE_NETS[i][0], PRIVATE_NETS[i][1])) return true;
  }
  return false;
}

function FindProxyForURL(url, host) {
  host = host.toLowerCase();
  if (isPlainHostName(host) || host == "localhost") return "DIRECT";
  for (var i = 0; i < BLOCKED.length; i++) {
    if (shExpMatch(host, BLOCKED[i])) return "PROXY 127.0.0.1:9";
  }
  for (var j = 0; j < DIRECT_DOMAINS.length; j++) {
    if (dnsDomainIs(host, DIRECT_DOMAINS[j])) return "DIRECT";
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    return isPrivateAddress(host) ? "DIRECT" : PROXY;
  }
  if (url.substring(0, 4) == "ftp:") return "DIRECT";
  if (shExpMatch(url, "http://update.*/*")) {
    return "PROXY updates.corp.test:8080";
  }
  if (dnsDomainLevels(host) > 4) return PROXY;
  var ip = dnsResolve(host);
  if (ip && isPrivateAddress(ip)) return "DIRECT";
  if (isInNetEx(myIpAddress(), "192.168.77.0/24")) {
    return "SOCKS5 lab.corp.test:1080";
  }
  return PROXY;
}
"#;

    // Rule: one compiled script answers many URLs without being rebuilt;
    // a realistic corporate script gives the answers its rules say.
    #[test]
    fn realistic_script() {
        let (host, _) = fake_host(&[("printer.example.test", &["192.168.3.4"]), ("www.example.test", &["203.0.113.5"])]);
        let mut script = PacScript::new(CORPORATE_PAC, test_limits(), host.clone()).unwrap();
        const PROXY: &str = "PROXY proxy.corp.test:3128; PROXY backup.corp.test:3128; DIRECT";
        let rows = [
            ("http://wiki/", "DIRECT"),
            ("http://localhost:3000/", "DIRECT"),
            ("http://banner.ads.test/x.js", "PROXY 127.0.0.1:9"),
            ("http://tracker.example.test/", "PROXY 127.0.0.1:9"),
            ("https://mail.corp.test/inbox", "DIRECT"),
            ("http://10.1.2.3/", "DIRECT"),
            ("http://8.8.8.8/", PROXY),
            ("ftp://files.example.test/a", "DIRECT"),
            ("http://update.vendor.test/pkg", "PROXY updates.corp.test:8080"),
            ("https://update.vendor.test/pkg", PROXY),
            ("http://a.b.c.d.e.example.test/", PROXY),
            ("http://printer.example.test/", "DIRECT"),
            ("http://www.example.test/", PROXY),
        ];
        for _ in 0..20 {
            for (input, expected) in rows {
                assert_eq!(script.find_proxy(&url(input)).as_deref(), Ok(expected), "row: {input}");
            }
        }
        // The same script in a lab network.
        let lab = host.with_my_addresses(vec!["192.168.77.20".parse().unwrap()]);
        let mut script = PacScript::new(CORPORATE_PAC, test_limits(), lab).unwrap();
        assert_eq!(script.find_proxy(&url("http://www.example.test/")).as_deref(), Ok("SOCKS5 lab.corp.test:1080"));
        // Its answers parse as proxy lists.
        let list = super::super::ProxyList::from_pac_string(PROXY);
        assert_eq!(list.to_pac_string(), "PROXY proxy.corp.test:3128;PROXY backup.corp.test:3128;DIRECT");
    }
}

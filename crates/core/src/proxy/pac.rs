//! PAC scripts: proxy auto-config JavaScript run in an isolated QuickJS
//! engine (never Node's `vm`), following Chromium's
//! `services/proxy_resolver/proxy_resolver_v8.cc` and its utility library
//! `pac_js_library.h`.
//!
//! A [`PacScript`] is compiled once from the script text and then answers
//! [`PacScript::find_proxy`] for many URLs, without re-parsing. The engine
//! has no host objects beyond the PAC functions: no `require`, no `process`,
//! no `fetch`, no file or network access, no QuickJS `std`/`os` modules.
//! Only ECMAScript's base objects (`Object`, `Array`, `String`, `Math`, ...)
//! plus `Date`, `RegExp`, `JSON` and `eval` exist.
//!
//! Every run (the script's top level in [`PacScript::new`], then each
//! `find_proxy` call) is bounded by [`PacLimits`]: a heap limit, a time
//! limit enforced by QuickJS's interrupt handler, and a stack limit. A run
//! that breaks one fails with a [`PacError`] and the script stays usable for
//! the next URL.
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

use rquickjs::context::{intrinsic, EvalOptions};
use rquickjs::function::Rest;
use rquickjs::{
    CatchResultExt, CaughtError, Coerced, Context, Ctx, Exception, FromJs, Function, Runtime,
    Value,
};

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
    /// Bytes the engine may allocate in total (QuickJS's memory limit).
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
    /// `myIpAddressEx` choose. Default is empty (so `myIpAddress()` is
    /// `"127.0.0.1"`).
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

/// The intrinsics the PAC engine gets on top of the base objects. `Eval` is
/// what lets QuickJS run any script at all (and gives `eval`); no
/// `Promise`, `Proxy`, typed arrays, `WeakRef` or `performance`.
type PacIntrinsics = (
    intrinsic::Eval,
    intrinsic::Date,
    intrinsic::RegExpCompiler,
    intrinsic::RegExp,
    intrinsic::Json,
);

/// The standard PAC functions that need no native help, written in
/// JavaScript. Same behaviour as Chromium's `pac_js_library.h` (Mozilla's
/// library), including its quirks (`dateRange(day, month)`, the `GMT`
/// field shuffle), except that the weekday and month tables are private.
const PAC_LIBRARY: &str = r#"(function () {
  var g = globalThis;
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
  g.shExpMatch = function shExpMatch(url, pattern) {
    var source = pattern.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp('^' + source + '$').test(url);
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
}

impl Budget {
    fn deadline(&self) -> MutexGuard<'_, Option<Instant>> {
        self.deadline.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn start(&self, limit: Duration) {
        self.expired.store(false, Ordering::SeqCst);
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
        let over = matches!(*self.deadline(), Some(d) if Instant::now() >= d);
        if over {
            self.expired.store(true, Ordering::SeqCst);
        }
        over
    }

    fn expired(&self) -> bool {
        self.expired.load(Ordering::SeqCst)
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
        let runtime = Runtime::new().map_err(|_| PacError::OutOfMemory)?;
        runtime.set_memory_limit(limits.memory);
        runtime.set_max_stack_size(limits.stack);
        let budget = Arc::new(Budget::default());
        let watch = budget.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || watch.interrupt())));
        let context = Context::custom::<PacIntrinsics>(&runtime).map_err(|_| PacError::OutOfMemory)?;
        let alerts = Arc::new(Mutex::new(Alerts::default()));
        let script = PacScript {
            context,
            runtime,
            limits,
            budget,
            alerts,
        };
        script.context.with(|ctx| {
            install_natives(&ctx, &host, &script.budget, &script.alerts)
                .map_err(|e| PacError::Script(format!("cannot install the PAC functions: {e}")))
        })?;
        script.run(|ctx| {
            eval(&ctx, PAC_LIBRARY, LIBRARY_NAME)?;
            eval(&ctx, source, SCRIPT_NAME)?;
            Ok(Ok(()))
        })?;
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
    /// `FindProxyForURL`.
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
        let (spec, host) = pac_arguments(url);
        self.run(|ctx| {
            let entry = match entry_point(&ctx) {
                Ok(entry) => entry,
                Err(e) => return Ok(Err(e)),
            };
            let answer: Value = entry.call((spec.as_str(), host.as_str()))?;
            Ok(pac_answer(answer))
        })
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
        self.budget.stop();
        if result.is_err() {
            // Free what the failed run left behind before the next one.
            self.runtime.run_gc();
        }
        result
    }

    /// Test hook: freezes the script's clock at the time `millis_expr` (a
    /// JavaScript expression evaluated with the real `Date`) gives, so that
    /// `weekdayRange`, `dateRange` and `timeRange` see a fixed "now".
    #[cfg(test)]
    fn freeze_clock(&mut self, millis_expr: &str) {
        let js = format!(
            "(function (now) {{
               var Real = Date;
               function Fixed() {{
                 if (!(this instanceof Fixed)) return new Real(now).toString();
                 if (arguments.length == 0) return new Real(now);
                 return Reflect.construct(Real, arguments);
               }}
               Fixed.prototype = Real.prototype;
               Fixed.UTC = Real.UTC;
               Fixed.parse = Real.parse;
               Fixed.now = function () {{ return now; }};
               globalThis.Date = Fixed;
             }})({millis_expr});"
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
    for name in ["FindProxyForURLEx", "FindProxyForURL"] {
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
/// only its symptom), then QuickJS's own out-of-memory and stack-overflow
/// errors, then whatever the script threw.
fn classify(caught: CaughtError<'_>, budget: &Budget) -> PacError {
    if budget.expired() {
        return PacError::Timeout;
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
                // What QuickJS throws when it cannot even allocate the error.
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

/// The URL and host passed to `FindProxyForURL` (Chromium's `SanitizeUrl`
/// in `configured_proxy_resolution_service.cc`, and `HostNoBrackets`).
fn pac_arguments(url: &url::Url) -> (String, String) {
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
    (shown.into(), host)
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

/// The addresses `myIpAddress` may choose from, best first, in the
/// preference order of Chromium's `pac_library.cc`: public or private
/// IPv4, then such IPv6, then link-local IPv4, then link-local IPv6.
/// Loopback and unspecified addresses never qualify.
fn ranked_addresses(addresses: &[IpAddr]) -> Vec<(u8, IpAddr)> {
    let mut ranked: Vec<(u8, IpAddr)> = addresses
        .iter()
        .filter(|ip| !ip.is_loopback() && !ip.is_unspecified())
        .map(|ip| {
            let rank = match (is_link_local(ip), ip.is_ipv4()) {
                (false, true) => 0,
                (false, false) => 1,
                (true, true) => 2,
                (true, false) => 3,
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

/// `myIpAddressEx()`: every non-link-local address, or when there is none
/// every link-local one (may be empty).
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

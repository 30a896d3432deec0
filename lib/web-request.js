'use strict'
// The JS half of `WebRequest`: Electron's `on…([filter, ]listener)` methods.
// Filters are matched natively; the listeners are kept here, one per event
// (only the last one set is used, as in Electron), behind one dispatcher.

const { WebRequest } = require('../binding.js')

const EVENTS = [
  'onBeforeRequest',
  'onBeforeSendHeaders',
  'onSendHeaders',
  'onHeadersReceived',
  'onResponseStarted',
  'onBeforeRedirect',
  'onCompleted',
  'onErrorOccurred'
]
const BEFORE_REQUEST = 0
const BEFORE_SEND_HEADERS = 1
const HEADERS_RECEIVED = 3
const BLOCKING = new Set([BEFORE_REQUEST, BEFORE_SEND_HEADERS, HEADERS_RECEIVED])

// A headers record as `[name, value]` pairs. Request headers are single
// values (a list is joined, as HTTP allows); a response header listed with
// several values is sent once per value.
function headerPairs (record, joinLists) {
  if (record === null || typeof record !== 'object') return undefined
  const pairs = []
  for (const [name, value] of Object.entries(record)) {
    if (Array.isArray(value)) {
      if (joinLists) pairs.push([name, value.map(String).join(', ')])
      else for (const v of value) pairs.push([name, String(v)])
    } else if (value !== undefined && value !== null) {
      pairs.push([name, String(value)])
    }
  }
  return pairs
}

// The callback's `response`, reduced to what the event may change
// (`undefined`: nothing).
function verdict (event, response) {
  if (response === null || typeof response !== 'object') return undefined
  if (response.cancel !== true && response.redirectURL === undefined && response.requestHeaders === undefined &&
    response.responseHeaders === undefined && response.statusLine === undefined) return undefined
  const out = { cancel: response.cancel === true }
  if (event === BEFORE_REQUEST && typeof response.redirectURL === 'string') {
    out.redirectURL = response.redirectURL
  } else if (event === BEFORE_SEND_HEADERS) {
    out.requestHeaders = headerPairs(response.requestHeaders, true)
  } else if (event === HEADERS_RECEIVED) {
    out.responseHeaders = headerPairs(response.responseHeaders, false)
    if (typeof response.statusLine === 'string') out.statusLine = response.statusLine
  }
  return out
}

function dispatcher (slots) {
  return (event, details) => {
    const listener = slots[event]
    if (!BLOCKING.has(event)) {
      if (listener) {
        // A throw surfaces as an uncaught exception, as an event listener's would.
        try { listener(details) } catch (e) { process.nextTick(() => { throw e }) }
      }
      return undefined
    }
    if (!listener) return undefined
    // A listener that calls back before returning is answered at once;
    // only a later answer needs a Promise. The first answer counts.
    let answered = false
    let answer
    let later
    listener(details, (response) => {
      if (answered) return
      answered = true
      answer = verdict(event, response)
      if (later) later(answer)
    })
    if (answered) return answer
    return new Promise((resolve) => { later = resolve })
  }
}

const slotsOf = new WeakMap()

function setListener (webRequest, event, args) {
  let arg = args[0]
  let filter
  // A first argument that is an object but not a function is the filter.
  if (typeof arg === 'object' && arg !== null) {
    filter = arg
    arg = args[1]
  }
  if (typeof arg !== 'function' && arg !== null) {
    throw new TypeError('Must pass null or a Function')
  }
  if (filter !== undefined && Array.isArray(filter.urls) && filter.urls.length === 0) {
    process.emitWarning("The urls array in WebRequestFilter is empty, which is deprecated. Please use '<all_urls>' to match all URLs.", 'DeprecationWarning')
  }
  const slots = slotsOf.get(webRequest)
  if (arg === null) {
    // The filter is still checked, as Electron does, then the listener removed.
    if (filter !== undefined) webRequest._setListener(event, filter)
    slots[event] = null
    webRequest._setListener(event, null)
    return
  }
  webRequest._setListener(event, filter)
  slots[event] = arg
}

EVENTS.forEach((name, event) => {
  Object.defineProperty(WebRequest.prototype, name, {
    value: { [name] (...args) { setListener(this, event, args) } }[name],
    writable: true,
    configurable: true
  })
})

// One WebRequest object per session (Electron's `ses.webRequest`).
const bySession = new WeakMap()

function webRequestOf (ses) {
  let webRequest = bySession.get(ses)
  if (webRequest) return webRequest
  webRequest = ses._webRequest
  const slots = new Array(EVENTS.length).fill(null)
  slotsOf.set(webRequest, slots)
  webRequest._setDispatcher(dispatcher(slots))
  bySession.set(ses, webRequest)
  return webRequest
}

module.exports = { WebRequest, webRequestOf }

'use strict'
// The `session` module and the JS half of `Session`: EventEmitter behaviour,
// wrapper identity, and the handler adapters.

const { EventEmitter } = require('node:events')
const binding = require('../binding.js')
const app = require('./app.js')
const { fromCallbackOrValue, fromValue } = require('./callbacks.js')
const { fetchWithSession } = require('./net.js')
const { cookiesOf } = require('./cookies.js')
const { webRequestOf } = require('./web-request.js')
const { protocolOf } = require('./protocol.js')
const webContentsRegistry = require('./web-contents-registry.js')
const { wireDownloads, downloadURL, createInterruptedDownload } = require('./download-item.js')

const { Session } = binding
Object.setPrototypeOf(Session.prototype, EventEmitter.prototype)

// One JS object per core session, so `fromPartition(p) === fromPartition(p)`.
const sessions = new Map()

// As Electron commits the cookie store when it quits, persistent sessions
// commit their queued cookie writes when the process exits normally.
let exitHooked = false
function flushCookiesAtExit () {
  for (const s of sessions.values()) {
    if (s.isPersistent()) s._flushCookiesAtExit()
  }
}

function adopt (native) {
  const known = sessions.get(native._id)
  if (known) return known
  sessions.set(native._id, native)
  wireDownloads(native)
  if (!exitHooked && native.isPersistent()) {
    exitHooked = true
    process.on('exit', flushCookiesAtExit)
  }
  app.emit('session-created', native)
  return native
}

const session = {
  fromPartition (partition, options) {
    return adopt(binding._fromPartition(partition, options))
  },
  fromPath (path, options) {
    return adopt(binding._fromPath(path, options))
  },
  get defaultSession () {
    return session.fromPartition('')
  }
}

const webContents = (id) => (id == null ? null : webContentsRegistry.fromId(id))

// Non-functions go to the native method unchanged, which accepts null and
// rejects anything else with Electron's message.
Session.prototype.setPermissionRequestHandler = function setPermissionRequestHandler (handler) {
  this._setPermissionRequestHandler(typeof handler !== 'function'
    ? handler
    : ({ webContentsId, permission, details }) =>
        fromCallbackOrValue((callback) => handler(webContents(webContentsId), permission, callback, details)))
}

Session.prototype.setPermissionCheckHandler = function setPermissionCheckHandler (handler) {
  this._setPermissionCheckHandler(typeof handler !== 'function'
    ? handler
    : ({ webContentsId, permission, requestingOrigin, details }) =>
        fromValue(() => handler(webContents(webContentsId), permission, requestingOrigin, details)))
}

// `proc(request, callback)`: callback(0) accepts, callback(-2) refuses,
// callback(-3) keeps the session's own verdict; any other code is that net error.
Session.prototype.setCertificateVerifyProc = function setCertificateVerifyProc (proc) {
  this._setCertificateVerifyProc(typeof proc !== 'function'
    ? proc
    : (request) => fromCallbackOrValue((callback) => proc(request, callback), Number))
}

Session.prototype.setDevicePermissionHandler = function setDevicePermissionHandler (handler) {
  this._setDevicePermissionHandler(typeof handler !== 'function'
    ? handler
    : (details) => fromValue(() => handler(details)))
}

// One NetLog object per session.
const netLogs = new WeakMap()
Object.defineProperty(Session.prototype, 'netLog', {
  get () {
    let log = netLogs.get(this)
    if (!log) netLogs.set(this, log = this._netLog)
    return log
  },
  enumerable: true,
  configurable: true
})

// One Cookies object per session (Electron's `ses.cookies`).
Object.defineProperty(Session.prototype, 'cookies', {
  get () {
    return cookiesOf(this)
  },
  enumerable: true,
  configurable: true
})

// One WebRequest object per session (Electron's `ses.webRequest`).
Object.defineProperty(Session.prototype, 'webRequest', {
  get () {
    return webRequestOf(this)
  },
  enumerable: true,
  configurable: true
})

// One Protocol object per session (Electron's `ses.protocol`).
Object.defineProperty(Session.prototype, 'protocol', {
  get () {
    return protocolOf(this)
  },
  enumerable: true,
  configurable: true
})

// Answers at once when the proxies are known without waiting (fixed
// rules, or a compiled PAC script that needs no DNS), as a settled Promise;
// otherwise through the native asynchronous path.
const resolveProxyAsync = Session.prototype.resolveProxy
const kProxyHandle = Symbol('proxyHandle')
Session.prototype.resolveProxy = function resolveProxy (url) {
  if (typeof url === 'string') {
    const ready = binding._resolveProxyNow(this[kProxyHandle] ??= this._proxyHandle(), url)
    if (ready !== null) return Promise.resolve(ready)
  }
  return resolveProxyAsync.call(this, url)
}

// Fetches through this session's own pipeline (its settings, its sockets).
Session.prototype.fetch = function fetch (input, init) {
  return fetchWithSession(this, input, init)
}

// Downloads `url` as a navigation that turned into a download would;
// `will-download` follows once the response head has arrived.
Session.prototype.downloadURL = function downloadURL_ (url, options) {
  downloadURL(this, url, options)
}

// Recreates an item interrupted in an earlier run; `will-download` announces it.
Session.prototype.createInterruptedDownload = function createInterruptedDownload_ (options) {
  createInterruptedDownload(this, options)
}

module.exports = { session, Session }

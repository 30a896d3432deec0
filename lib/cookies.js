'use strict'
// The JS half of `Cookies`: EventEmitter behaviour and the `changed` event.

const { EventEmitter } = require('node:events')
const { Cookies } = require('../binding.js')

Object.setPrototypeOf(Cookies.prototype, EventEmitter.prototype)

// `get` and `set` read their argument's fields here, where V8 reads them
// fast, in the order and with the types the native methods read them, and
// cross into Rust once with primitives, through plain functions over the
// jar (`_fastSet()`, `_fastGet()`; the `_set`/`_get` methods while the jar
// is not open yet). `get` is answered with one string and numbers in a
// shared buffer, from which the Cookie objects are built here. Anything
// unusual (an argument that is not a plain object, a `this` that is not a
// Cookies) goes to the native method, whose errors are Electron's.
//
// The answers to `get({ url })` (a URL and nothing else) are kept, per
// URL, and given again, as new objects, while the jar's generation (one
// native call, no lock) is the one they were answered at and none of the
// cookies they could hold has expired: the jar changes that number with
// every cookie added or deleted, by any caller, requests included.
const nativeGet = Cookies.prototype.get
const nativeSet = Cookies.prototype.set
const SAME_SITE = Cookies._sameSiteNames()
// The flags `_get` writes for each cookie (src/cookies.rs PACKED_*).
const HOST_ONLY = 1
const SECURE = 2
const HTTP_ONLY = 4
const SESSION = 8
const HAS_EXPIRATION = 16
const SAME_SITE_SHIFT = 5
// The numbers before the cookies (src/cookies.rs PACKED_HEADER): count,
// generation, and the time until which the answer stays right.
const HEADER = 3
const STRIDE = 6
let numbers = new Float64Array(HEADER + STRIDE * 64)
// Most cookies, and most characters of their text, kept over all the
// answers of one Cookies object; past either, those kept are dropped.
const KEEP_COOKIES = 65536
const KEEP_CHARS = 1 << 22

const isDictionary = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v) => (typeof v === 'string' ? v : undefined)
const bool = (v) => (typeof v === 'boolean' ? v : undefined)
const num = (v) => (typeof v === 'number' ? v : undefined)

// Electron's Cookie objects from `_get`'s answer: fields in the order the
// native objects had them, `expirationDate` last and only when present.
function unpack (s, n) {
  const list = []
  const count = n[0]
  let at = 0
  for (let i = 0, k = HEADER; i < count; i++, k += STRIDE) {
    const name = s.slice(at, (at += n[k]))
    const value = s.slice(at, (at += n[k + 1]))
    const domain = s.slice(at, (at += n[k + 2]))
    const path = s.slice(at, (at += n[k + 3]))
    const flags = n[k + 4]
    const hostOnly = (flags & HOST_ONLY) !== 0
    const secure = (flags & SECURE) !== 0
    const httpOnly = (flags & HTTP_ONLY) !== 0
    const session = (flags & SESSION) !== 0
    const sameSite = SAME_SITE[flags >>> SAME_SITE_SHIFT]
    list.push((flags & HAS_EXPIRATION) !== 0
      ? { name, value, domain, hostOnly, path, secure, httpOnly, session, sameSite, expirationDate: n[k + 5] }
      : { name, value, domain, hostOnly, path, secure, httpOnly, session, sameSite })
  }
  return list
}

// New Cookie objects with the fields of `list`'s (which stay as they are).
function copy (list) {
  const out = new Array(list.length)
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    out[i] = c.expirationDate === undefined
      ? { name: c.name, value: c.value, domain: c.domain, hostOnly: c.hostOnly, path: c.path, secure: c.secure, httpOnly: c.httpOnly, session: c.session, sameSite: c.sameSite }
      : { name: c.name, value: c.value, domain: c.domain, hostOnly: c.hostOnly, path: c.path, secure: c.secure, httpOnly: c.httpOnly, session: c.session, sameSite: c.sameSite, expirationDate: c.expirationDate }
  }
  return out
}

// Each Cookies object's `_fastGet()`, `_fastSet()` and `_fastGeneration()`
// functions, made once, and the answers kept for `get({ url })`.
const fast = new WeakMap()
function fastOf (cookies) {
  let f = fast.get(cookies)
  if (f === undefined) {
    f = {
      get: cookies._fastGet(),
      set: cookies._fastSet(),
      generation: cookies._fastGeneration(),
      kept: new Map(),
      keptGeneration: -1,
      keptCookies: 0,
      keptChars: 0
    }
    fast.set(cookies, f)
  }
  return f
}

// Keeps `list`, answered for `url` alone with the header `n`, and returns
// a copy for the caller.
function keep (f, url, list, n, chars) {
  if (n[1] !== f.keptGeneration || f.keptCookies + list.length > KEEP_COOKIES || f.keptChars + chars > KEEP_CHARS) {
    f.kept.clear()
    f.keptGeneration = n[1]
    f.keptCookies = 0
    f.keptChars = 0
  }
  f.kept.set(url, { until: n[2], list })
  f.keptCookies += list.length
  f.keptChars += chars
  return copy(list)
}

function get (filter) {
  if (!(this instanceof Cookies) || !isDictionary(filter)) return nativeGet.apply(this, arguments)
  const url = str(filter.url)
  const name = str(filter.name)
  const domain = str(filter.domain)
  const path = str(filter.path)
  const secure = bool(filter.secure)
  const session = bool(filter.session)
  const httpOnly = bool(filter.httpOnly)
  const f = fastOf(this)
  // Only the URL, the usual case: an answer kept, or a shorter call
  // (left-out arguments are undefined).
  const urlOnly = name === undefined && domain === undefined && path === undefined && secure === undefined &&
    session === undefined && httpOnly === undefined && url !== undefined && url !== ''
  if (urlOnly && f.keptGeneration === f.generation()) {
    const kept = f.kept.get(url)
    if (kept !== undefined && Date.now() < kept.until) return Promise.resolve(copy(kept.list))
  }
  let r = urlOnly ? f.get(numbers, url) : f.get(numbers, url, name, domain, path, secure, session, httpOnly)
  // The jar is not open yet: the method opens it, answering a Promise.
  if (r === false) r = this._get(numbers, url, name, domain, path, secure, session, httpOnly)
  if (r instanceof Promise) return r
  let strings = r
  let n = numbers
  if (typeof r !== 'string') {
    strings = r.strings
    n = r.numbers
    numbers = new Float64Array(n.length * 2)
  }
  const list = unpack(strings, n)
  return Promise.resolve(urlOnly ? keep(f, url, list, n, strings.length) : list)
}

function set (details) {
  if (!(this instanceof Cookies) || !isDictionary(details)) return nativeSet.apply(this, arguments)
  const url = details.url
  if (typeof url !== 'string') return this._setRejection()
  const sameSiteName = details.sameSite
  let sameSite
  if (typeof sameSiteName === 'string') {
    sameSite = SAME_SITE.indexOf(sameSiteName)
    if (sameSite < 0) return this._setRejection(sameSiteName)
  }
  const name = str(details.name)
  const value = str(details.value)
  const domain = str(details.domain)
  const path = str(details.path)
  const secure = bool(details.secure)
  const httpOnly = bool(details.httpOnly)
  const expirationDate = num(details.expirationDate)
  const creationDate = num(details.creationDate)
  const lastAccessDate = num(details.lastAccessDate)
  const r = fastOf(this).set(url, name, value, domain, path, secure, httpOnly, expirationDate, creationDate,
    lastAccessDate, sameSite)
  if (r === true) return Promise.resolve()
  if (typeof r === 'string') return this._rejectWith(r)
  // The jar is not open yet (nothing was done): the method opens it.
  const p = this._set(url, name, value, domain, path, secure, httpOnly, expirationDate, creationDate,
    lastAccessDate, sameSite)
  return p == null ? Promise.resolve() : p
}

for (const [name, fn, native] of [['get', get, nativeGet], ['set', set, nativeSet]]) {
  Object.defineProperty(fn, 'length', { value: native.length })
  Object.defineProperty(Cookies.prototype, name, { ...Object.getOwnPropertyDescriptor(Cookies.prototype, name), value: fn })
}

// One Cookies object per session, wired to emit `changed` on the JS thread.
const bySession = new WeakMap()

function cookiesOf (ses) {
  let cookies = bySession.get(ses)
  if (cookies) return cookies
  cookies = ses._cookies
  EventEmitter.call(cookies)
  const target = cookies
  cookies._setChangeListener(({ cookie, cause, removed }) => {
    const event = { preventDefault () { event.defaultPrevented = true }, defaultPrevented: false }
    target.emit('changed', event, cookie, cause, removed)
  })
  // Changes cross into JavaScript only while someone listens.
  cookies._watchChanges(false)
  cookies.on('newListener', (name) => { if (name === 'changed') cookies._watchChanges(true) })
  cookies.on('removeListener', (name) => {
    if (name === 'changed' && cookies.listenerCount('changed') === 0) cookies._watchChanges(false)
  })
  bySession.set(ses, cookies)
  return cookies
}

module.exports = { Cookies, cookiesOf }

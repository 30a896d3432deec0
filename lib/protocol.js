'use strict'
// The JS half of `Protocol` (`ses.protocol`) and the module-level
// `protocol`. Handlers answer in many styles (Electron's callbacks with a
// string, Buffer, stream or ProtocolResponse object; `handle`'s WHATWG
// Response); each is sorted here into the one answer shape the native side
// reads, and the core applies Electron's rules to it.

const { randomUUID } = require('node:crypto')
const binding = require('../binding.js')
const app = require('./app.js')
const { readerStream } = require('./body-stream.js')

const { Protocol } = binding

const ERR_FAILED = -2
const ERR_UNEXPECTED = -9

// Schemes `handle` intercepts rather than registers (Electron's protocol.ts).
const isBuiltInScheme = (scheme) => scheme === 'http' || scheme === 'https' || scheme === 'file'

const isNodeStream = (v) =>
  v !== null && typeof v === 'object' && typeof v.on === 'function' && typeof v.removeListener === 'function'

// A chunk as a Buffer over the same memory; `null` for chunks that carry no
// bytes (Electron's stream loader skips them too).
function bytesOf (chunk) {
  if (Buffer.isBuffer(chunk)) return chunk
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  return null
}

// Chunks at most this large are joined into one hand-over.
const JOIN_UP_TO = 1024 * 1024
const NOT_READY = Symbol('not ready')

// One chunk per call from an async iterator of chunks; `null` at the end.
// Chunks the source already has are joined (up to 1 MiB), so a body made of
// many small chunks crosses in few calls; the call never waits for more
// than the first one.
function pullFrom (iterator) {
  let pending = null
  let ended = false
  const next = () => { const p = pending ?? iterator.next(); pending = null; return p }
  return async () => {
    if (ended) return null
    const parts = []
    let size = 0
    for (;;) {
      const step = parts.length === 0 ? await next() : await Promise.race([pending = next(), NOT_READY])
      if (step === NOT_READY) break
      pending = null
      if (step.done) { ended = true; break }
      const bytes = bytesOf(step.value)
      if (bytes === null || bytes.length === 0) continue
      parts.push(bytes)
      size += bytes.length
      if (size >= JOIN_UP_TO) break
    }
    if (parts.length === 0) return null
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, size)
  }
}

// A Node readable (or anything emitting data/end/error) as a pull function.
function nodeStreamPull (stream) {
  if (typeof stream[Symbol.asyncIterator] === 'function') return pullFrom(stream[Symbol.asyncIterator]())
  const queue = []
  let ended = false
  let failure = null
  let wake = null
  const notify = () => { if (wake) { wake(); wake = null } }
  stream.on('data', (c) => { queue.push(c); notify() })
  stream.on('end', () => { ended = true; notify() })
  stream.on('error', (e) => { failure = e; notify() })
  return async () => {
    for (;;) {
      if (queue.length > 0) {
        const bytes = bytesOf(queue.shift())
        if (bytes !== null && bytes.length > 0) return bytes
        continue
      }
      if (failure) throw failure
      if (ended) return null
      await new Promise((resolve) => { wake = resolve })
    }
  }
}

// A WHATWG ReadableStream as a stream answer: chunks pulled on demand, the
// stream cancelled when nobody reads it any more.
function webStreamAnswer (stream, owned) {
  const reader = stream.getReader()
  return { kind: 'stream', pull: pullFrom({ next: () => reader.read() }), cancel: () => { reader.cancel().catch(() => {}) }, owned }
}

// Two microtask turns from now: a stream that can give a chunk without
// waiting for I/O (a Response built from a string or Buffer) has given it.
const soon = () => Promise.resolve().then(() => {}).then(() => NOT_READY)

// `handle`'s body: what the stream holds already is taken at once (up to
// 1 MiB), and a body that has ended by then crosses whole with the answer,
// with no reading back and forth; the rest is pulled on demand.
async function responseBodyAnswer (stream) {
  const reader = stream.getReader()
  const parts = []
  let size = 0
  let pending = null
  let ended = false
  while (size < JOIN_UP_TO) {
    const read = reader.read()
    const step = await Promise.race([read, soon()])
    if (step === NOT_READY) { pending = read; break }
    if (step.done) { ended = true; break }
    const bytes = bytesOf(step.value)
    if (bytes !== null && bytes.length > 0) { parts.push(bytes); size += bytes.length }
  }
  const answer = { kind: 'stream', owned: true }
  if (parts.length > 0) answer.head = parts.length === 1 ? parts[0] : Buffer.concat(parts, size)
  if (ended) {
    answer.ended = true
    return answer
  }
  const next = () => { const p = pending ?? reader.read(); pending = null; return p }
  answer.pull = pullFrom({ next })
  answer.cancel = () => { reader.cancel().catch(() => {}) }
  return answer
}

// A Node readable as a stream answer; destroyed when nobody reads it.
function nodeStreamAnswer (stream) {
  const cancel = () => { if (typeof stream.destroy === 'function') stream.destroy() }
  return { kind: 'stream', pull: nodeStreamPull(stream), cancel }
}

// `{ name: value | value[] }` as `[name, value]` pairs (arrays spread).
function headerPairs (headers) {
  const out = []
  if (headers === null || typeof headers !== 'object') return out
  const entries = typeof headers[Symbol.iterator] === 'function' ? Array.from(headers) : Object.entries(headers)
  for (const [name, value] of entries) {
    if (typeof value === 'string') out.push([String(name), value])
    else if (Array.isArray(value)) for (const v of value) { if (typeof v === 'string') out.push([String(name), v]) }
  }
  return out
}

// A ProtocolResponse's `data`.
function dataAnswer (v) {
  if (v === null || v === undefined) return { kind: 'null' }
  if (typeof v === 'string') return { kind: 'text', text: v }
  if (Buffer.isBuffer(v)) return { kind: 'bytes', bytes: v }
  if (isNodeStream(v)) return nodeStreamAnswer(v)
  if (v instanceof ReadableStream) return webStreamAnswer(v, false)
  return { kind: 'other' }
}

function sessionFor (value) {
  const { Session, session } = require('./session.js')
  // `session: null` asks for a fresh session, as Electron does.
  if (value === null) return session.fromPartition(randomUUID())
  return value instanceof Session ? value : undefined
}

// A ProtocolResponse object: only fields of the right type are kept, as
// gin's dictionary reads skip the others.
function objectAnswer (o) {
  const out = { kind: 'object' }
  const str = (k) => { if (typeof o[k] === 'string') out[k] = o[k] }
  if (typeof o.error === 'number' && Number.isFinite(o.error)) out.error = Math.trunc(o.error)
  if (typeof o.statusCode === 'number' && o.statusCode >= 0) out.statusCode = Math.trunc(o.statusCode)
  for (const k of ['statusText', 'charset', 'mimeType', 'path', 'url', 'method', 'referrer']) str(k)
  if (o.headers !== undefined) out.headers = headerPairs(o.headers)
  if ('data' in o) out.data = dataAnswer(o.data)
  if ('session' in o) {
    const s = sessionFor(o.session)
    if (s !== undefined) out.session = s
  }
  const up = o.uploadData
  if (up !== null && typeof up === 'object' && (typeof up.data === 'string' || Buffer.isBuffer(up.data))) {
    out.uploadData = { bytes: Buffer.from(up.data), owned: true }
    if (typeof up.contentType === 'string') out.uploadData.contentType = up.contentType
  }
  return out
}

// What a legacy handler passed to its callback.
function callbackAnswer (args) {
  if (args.length === 0) return { kind: 'nothing' }
  const v = args[0]
  if (typeof v === 'string') return { kind: 'text', text: v }
  if (Buffer.isBuffer(v)) return { kind: 'bytes', bytes: v }
  if (isNodeStream(v)) return nodeStreamAnswer(v)
  if (v !== null && typeof v === 'object') return objectAnswer(v)
  return { kind: 'other' }
}

function headerRecord (pairs) {
  const out = {}
  for (const [n, v] of pairs) out[n] = n in out ? `${out[n]}, ${v}` : v
  return out
}

// Electron's ProtocolRequest; a streamed body is read whole first.
async function protocolRequest (q) {
  const req = { url: q.url, referrer: q.referrer, method: q.method, headers: headerRecord(q.headers) }
  let bytes = q.bytes
  if (q.bodyReader) bytes = await q.bodyReader.readAll()
  if (bytes !== undefined) req.uploadData = [{ type: 'rawData', bytes }]
  return req
}

// A legacy `(request, callback)` handler as the native adapter: the first
// answer counts.
function legacyAdapter (handler) {
  return async (q) => {
    const request = await protocolRequest(q)
    return new Promise((resolve, reject) => {
      let answered = false
      const callback = (...args) => {
        if (answered) return
        answered = true
        try {
          resolve(callbackAnswer(args))
        } catch (e) {
          reject(e)
        }
      }
      handler(request, callback)
    })
  }
}

// The request body as a stream the handler's Request reads on demand.
function requestBody (q) {
  if (q.bytes !== undefined) return q.bytes
  if (!q.bodyReader) return null
  return readerStream(q.bodyReader)
}

function whatwgRequest (q) {
  const headers = new Headers(q.headers)
  if (headers.get('origin') === 'null') headers.delete('origin')
  const init = { method: q.method, headers }
  if (q.method !== 'GET' && q.method !== 'HEAD') {
    const body = requestBody(q)
    if (body !== null) {
      init.body = body
      if (body instanceof ReadableStream) init.duplex = 'half'
    }
  }
  if (q.referrer) {
    try { init.referrer = new URL(q.referrer).href } catch {}
  }
  return new Request(q.url, init)
}

// Electron's check of what a `handle` handler returned: a Response, or an
// object shaped like one.
function isResponseLike (res) {
  if (!res || typeof res !== 'object') return false
  if (res.type === 'error') return true
  const own = (k) => Object.hasOwn(res, k)
  if (own('status') && typeof res.status !== 'number') return false
  if (own('statusText') && typeof res.statusText !== 'string') return false
  if (own('headers') && typeof res.headers !== 'object') return false
  if (own('body') && res.body !== null && !(res.body instanceof ReadableStream)) return false
  return true
}

async function responseAnswer (res) {
  if (!isResponseLike(res)) return { kind: 'object', error: ERR_UNEXPECTED }
  if (res.type === 'error') return { kind: 'object', error: ERR_FAILED }
  const out = { kind: 'object', headers: res.headers ? headerPairs(res.headers) : [] }
  if (typeof res.status === 'number') out.statusCode = res.status
  if (typeof res.statusText === 'string') out.statusText = res.statusText
  // The body's chunks were handed to us by its reader: the native side
  // keeps them without copying.
  out.data = res.body ? await responseBodyAnswer(res.body) : { kind: 'null' }
  return out
}

function handleAdapter (handler) {
  return async (q) => {
    try {
      return await responseAnswer(await handler(whatwgRequest(q)))
    } catch (e) {
      // As Electron: the error is printed and the request fails.
      console.error(e)
      return { kind: 'object', error: ERR_UNEXPECTED }
    }
  }
}

function checkHandler (handler) {
  if (typeof handler !== 'function') {
    throw new TypeError(`Error processing argument at index 1, conversion failure from ${handler === undefined ? 'undefined' : String(handler)}`)
  }
}

Protocol.prototype.handle = function handle (scheme, handler) {
  checkHandler(handler)
  if (!this._register('free', scheme, handleAdapter(handler), isBuiltInScheme(scheme))) {
    throw new Error(`Failed to register protocol: ${scheme}`)
  }
}

Protocol.prototype.unhandle = function unhandle (scheme) {
  if (!this._unregister(scheme, isBuiltInScheme(scheme))) {
    throw new Error(`Failed to unhandle protocol: ${scheme}`)
  }
}

Protocol.prototype.isProtocolHandled = function isProtocolHandled (scheme) {
  return isBuiltInScheme(scheme) ? this.isProtocolIntercepted(scheme) : this.isProtocolRegistered(scheme)
}

for (const [name, kind] of [['String', 'string'], ['Buffer', 'buffer'], ['File', 'file'], ['Http', 'http'], ['Stream', 'stream']]) {
  Protocol.prototype[`register${name}Protocol`] = function (scheme, handler) {
    checkHandler(handler)
    return this._register(kind, scheme, legacyAdapter(handler), false)
  }
  Protocol.prototype[`intercept${name}Protocol`] = function (scheme, handler) {
    checkHandler(handler)
    return this._register(kind, scheme, legacyAdapter(handler), true)
  }
}

Protocol.prototype.unregisterProtocol = function unregisterProtocol (scheme) {
  return this._unregister(scheme, false)
}

Protocol.prototype.uninterceptProtocol = function uninterceptProtocol (scheme) {
  return this._unregister(scheme, true)
}

// One Protocol object per session.
const bySession = new WeakMap()
function protocolOf (ses) {
  let p = bySession.get(ses)
  if (!p) bySession.set(ses, p = ses._protocol)
  return p
}

function registerSchemesAsPrivileged (customSchemes) {
  if (app.isReady()) {
    throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
  }
  binding._registerSchemesAsPrivileged(customSchemes)
}

// The module-level `protocol`: privileged schemes, and every method of the
// default session's Protocol.
function moduleProtocol (defaultProtocol) {
  const protocol = {
    registerSchemesAsPrivileged,
    getStandardSchemes: () => binding._getStandardSchemes()
  }
  const methods = [
    'handle', 'unhandle', 'isProtocolHandled',
    ...['String', 'Buffer', 'File', 'Http', 'Stream'].flatMap((n) => [`register${n}Protocol`, `intercept${n}Protocol`]),
    'unregisterProtocol', 'uninterceptProtocol', 'isProtocolRegistered', 'isProtocolIntercepted'
  ]
  for (const name of methods) {
    protocol[name] = (...args) => { const p = defaultProtocol(); return p[name](...args) }
  }
  return protocol
}

module.exports = { Protocol, protocolOf, moduleProtocol }

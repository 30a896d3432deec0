'use strict'
// `ses.fetch` / `net.fetch`: WHATWG Request in, WHATWG Response out, with the
// whole request handled by the native pipeline (Electron's net-fetch.ts
// shape). JavaScript runs only to unpack the Request and wrap the Response.

const os = require('node:os')

const { readerStream } = require('./body-stream.js')

function abortReason (signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

function whenAborted (signal) {
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true })
  })
}

// A byte stream over a response body: a Buffer that has fully arrived, or a
// native BodyReader's chunks as they are pushed.
function bodyStream (body) {
  if (Buffer.isBuffer(body)) {
    return new ReadableStream({
      type: 'bytes',
      pull (controller) {
        if (body.length > 0) controller.enqueue(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
        controller.close()
        controller.byobRequest?.respond(0)
      }
    }, { highWaterMark: 0 })
  }
  return readerStream(body)
}

function arrayBufferOf (buf) {
  return buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength
    ? buf.buffer
    : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
}

const unusable = () => new TypeError('Body is unusable: Body has already been read')
// The rest of a body: a Buffer that has fully arrived, or a BodyReader's.
const readAll = (source) => (Buffer.isBuffer(source) ? source : source.readAll())
const EMPTY = Buffer.alloc(0)

// What `ses.fetch` resolves with: a WHATWG Response over the native
// response head `{ status, statusText, headers, urlList, body }` (body: a
// Buffer that has fully arrived, a native BodyReader, or null). Building a
// body's ReadableStream, and the Headers object, costs more than the rest
// of a small response, so each is made only when something asks for it:
// the body methods take the bytes natively in one call, and `body`,
// `formData()` and `clone()` make the stream on first use.
class SessionResponse extends Response {
  #head
  #headers = null
  #used = false
  // A Response holding the body as a stream, once one is needed; this one
  // answers for it from then on.
  #streamed = null
  // After a clone both copies read from one tee; no bytes may be shared.
  #cloned = false

  constructor (head) {
    super(null, { status: head.status, statusText: head.statusText })
    this.#head = head
  }

  get url () { return this.#head.urlList[this.#head.urlList.length - 1] }
  get redirected () { return this.#head.urlList.length > 1 }

  get headers () {
    if (this.#headers === null) {
      const flat = this.#head.headers
      this.#headers = new Headers()
      for (let i = 0; i < flat.length; i += 2) this.#headers.append(flat[i], flat[i + 1])
    }
    return this.#headers
  }

  #materialize () {
    if (this.#streamed === null) {
      const source = this.#used ? EMPTY : this.#head.body
      this.#streamed = new Response(bodyStream(source), { status: this.status, statusText: this.statusText, headers: this.headers })
      if (this.#used) this.#streamed.body.getReader().cancel().catch(() => {}) // read already: locked and disturbed
    }
    return this.#streamed
  }

  get body () { return this.#head.body === null ? null : this.#materialize().body }
  get bodyUsed () {
    if (this.#head.body === null) return false
    return this.#streamed === null ? this.#used : this.#streamed.bodyUsed
  }

  formData () {
    return this.#head.body === null ? super.formData() : this.#materialize().formData()
  }

  clone () {
    if (this.#head.body === null) return new SessionResponse(this.#head)
    const copy = this.#materialize().clone()
    this.#cloned = true
    Object.defineProperties(copy, { url: { value: this.url }, redirected: { value: this.redirected } })
    return copy
  }

  // The whole body for a body method, or a rejection when it was used.
  async #whole () {
    const source = this.#head.body
    if (source === null) return EMPTY
    if (this.#streamed !== null) {
      if (this.#streamed.bodyUsed || this.#streamed.body.locked) throw unusable()
      // Not read yet: the bytes are taken natively all the same, and the
      // stream is left locked and cancelled, as reading it would leave it.
      const reader = this.#streamed.body.getReader()
      try {
        return await readAll(source)
      } finally {
        reader.cancel().catch(() => {})
      }
    }
    if (this.#used) throw unusable()
    this.#used = true
    return readAll(source)
  }

  async arrayBuffer () { return this.#cloned ? this.#streamed.arrayBuffer() : arrayBufferOf(await this.#whole()) }
  async bytes () { return this.#cloned ? this.#streamed.bytes() : new Uint8Array(arrayBufferOf(await this.#whole())) }
  async text () { return this.#cloned ? this.#streamed.text() : new TextDecoder().decode(await this.#whole()) }
  async json () { return this.#cloned ? this.#streamed.json() : JSON.parse(new TextDecoder().decode(await this.#whole())) }
  async blob () {
    if (this.#cloned) return this.#streamed.blob()
    return new Blob([await this.#whole()], { type: this.headers.get('content-type') ?? '' })
  }
}

// `fetch(url)` with a plain URL string and no options is what `new Request`
// would make of it, without building one.
function plainGet (input, init) {
  if (typeof input !== 'string' || init !== undefined) return null
  const url = new URL(input)
  if (url.username !== '' || url.password !== '') return null // see withoutUserinfo
  return { url: url.href, method: 'GET', headers: [], body: undefined, redirect: 'follow' }
}

// A URL's `user:password@` answers its origin's auth challenges; `Request`
// refuses such URLs, so it is set aside and handed to the session.
function withoutUserinfo (input) {
  if (typeof input !== 'string' && !(input instanceof URL)) return [input, null]
  const url = new URL(input)
  if (url.username === '' && url.password === '') return [input, null]
  const full = url.href
  url.username = ''
  url.password = ''
  return [url.href, full]
}

// The request's headers in the order and case the caller wrote them, when
// `init.headers` is a list or a plain object (a `Headers` object has lost
// both: its own order is used). Headers the Request added (a body's
// Content-Type) follow.
function wireHeaders (init, req) {
  const given = init?.headers
  if (given == null || given instanceof Headers) return [...req.headers]
  const raw = typeof given[Symbol.iterator] === 'function' ? Array.from(given) : Object.entries(given)
  const out = raw.map(([n, v]) => [String(n), String(v).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')])
  const named = new Set(out.map(([n]) => n.toLowerCase()))
  for (const [n, v] of req.headers) if (!named.has(n)) out.push([n, v])
  return out
}

// A streamed body's reader as the native side pulls it: one chunk per call.
function puller (stream) {
  const reader = stream.getReader()
  return async () => {
    const { done, value } = await reader.read()
    return done ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  }
}

async function fetchWithSession (ses, input, init) {
  let request = plainGet(input, init)
  let signal = null
  let pull
  if (request === null) {
    const [plain, withCredentials] = withoutUserinfo(input)
    const req = new Request(plain, init)
    signal = req.signal
    if (signal.aborted) throw abortReason(signal)
    // A ReadableStream body is sent as it is produced; others are sent whole,
    // with their length.
    let body
    if (init?.body instanceof ReadableStream) pull = puller(req.body)
    else if (req.body !== null) body = Buffer.from(await req.arrayBuffer())
    if (signal.aborted) throw abortReason(signal)
    const url = withCredentials ?? req.url
    request = { url, method: req.method, headers: wireHeaders(init, req), body, redirect: req.redirect, credentials: req.credentials, bypassCustomProtocolHandlers: init?.bypassCustomProtocolHandlers === true }
  }
  let head
  if (signal === null) {
    // A plain GET: no signal can abort it, so no task object is needed.
    head = await ses._fetchResponse(request)
  } else {
    const task = ses._fetch(request, pull)
    const abort = () => task.abort()
    signal.addEventListener('abort', abort, { once: true })
    try {
      head = await Promise.race([task.response(), whenAborted(signal)])
    } catch (err) {
      signal.removeEventListener('abort', abort)
      throw err
    }
  }
  return new SessionResponse(head)
}

// Online when some interface other than loopback has an address, as
// Chromium's network change notifier judges it on Linux.
function isOnline () {
  return Object.values(os.networkInterfaces()).some((addrs) => addrs.some((a) => !a.internal))
}

module.exports = { fetchWithSession, isOnline }

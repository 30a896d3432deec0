'use strict'
// `ses.fetch` / `net.fetch`: WHATWG Request in, WHATWG Response out, with the
// whole request handled by the native pipeline (Electron's net-fetch.ts
// shape). JavaScript runs only to unpack the Request and wrap the Response.

const os = require('node:os')

function abortReason (signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

function whenAborted (signal) {
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true })
  })
}

// A whole body at least this large is not handed to `Response` as a Buffer,
// which would copy it, but wrapped in a stream that yields it on demand.
const WRAP_WHOLE = 64 * 1024

// A byte stream over a native BodyReader, pulled on demand (the native side
// reads ahead). A small Buffer body is used as is.
function bodyStream (body) {
  if (body === null || (Buffer.isBuffer(body) && body.length < WRAP_WHOLE)) return body
  if (Buffer.isBuffer(body)) {
    return new ReadableStream({
      type: 'bytes',
      pull (controller) {
        controller.enqueue(new Uint8Array(body.buffer, body.byteOffset, body.byteLength))
        controller.close()
      }
    }, { highWaterMark: 0 })
  }
  return new ReadableStream({
    type: 'bytes',
    async pull (controller) {
      const chunk = await body.read()
      if (chunk === null) {
        controller.close()
        controller.byobRequest?.respond(0)
      } else {
        controller.enqueue(chunk)
      }
    },
    cancel () { body.cancel() }
  }, { highWaterMark: 0 })
}

function arrayBufferOf (buf) {
  return buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength
    ? buf.buffer
    : buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
}

// Body methods that take a streamed body natively in one call instead of
// through the stream; the stream is then marked used, as reading it would.
const fastBody = {
  arrayBuffer: arrayBufferOf,
  bytes: (buf) => new Uint8Array(arrayBufferOf(buf)),
  text: (buf) => new TextDecoder().decode(buf),
  json: (buf) => JSON.parse(new TextDecoder().decode(buf)),
  blob (buf, res) { return new Blob([buf], { type: res.headers.get('content-type') ?? '' }) }
}

function installFastBody (res, reader) {
  for (const [name, convert] of Object.entries(fastBody)) {
    Object.defineProperty(res, name, {
      async value () {
        if (res.bodyUsed || res.body.locked) throw new TypeError('Body is unusable: Body has already been read')
        const stream = res.body.getReader()
        try {
          return convert(await reader.readAll(), res)
        } finally {
          stream.cancel().catch(() => {})
        }
      },
      configurable: true,
      writable: true
    })
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
  const task = ses._fetch(request, pull)
  let head
  if (signal === null) {
    head = await task.response()
  } else {
    const abort = () => task.abort()
    signal.addEventListener('abort', abort, { once: true })
    try {
      head = await Promise.race([task.response(), whenAborted(signal)])
    } catch (err) {
      signal.removeEventListener('abort', abort)
      throw err
    }
  }
  const body = bodyStream(head.body)
  const res = new Response(body, { status: head.status, statusText: head.statusText, headers: head.headers })
  Object.defineProperties(res, {
    url: { value: head.urlList[head.urlList.length - 1], enumerable: true },
    redirected: { value: head.urlList.length > 1, enumerable: true }
  })
  // Body methods skip the stream: a native reader hands over the rest at
  // once, and a wrapped whole Buffer is used as it is.
  if (body !== head.body) {
    const whole = head.body
    installFastBody(res, Buffer.isBuffer(whole) ? { readAll: async () => whole } : whole)
  }
  return res
}

// Online when some interface other than loopback has an address, as
// Chromium's network change notifier judges it on Linux.
function isOnline () {
  return Object.values(os.networkInterfaces()).some((addrs) => addrs.some((a) => !a.internal))
}

module.exports = { fetchWithSession, isOnline }

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

// A byte stream over a response body: a Buffer that has fully arrived, or a
// native BodyReader pulled on demand (the native side reads ahead).
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

// Body methods that take the whole body natively in one call instead of
// through a stream.
const fastBody = {
  arrayBuffer: arrayBufferOf,
  bytes: (buf) => new Uint8Array(arrayBufferOf(buf)),
  text: (buf) => new TextDecoder().decode(buf),
  json: (buf) => JSON.parse(new TextDecoder().decode(buf)),
  blob (buf, res) { return new Blob([buf], { type: res.headers.get('content-type') ?? '' }) }
}

const unusable = () => new TypeError('Body is unusable: Body has already been read')

// Gives `res` (made with a null body) the body `source`: a Buffer or a
// native BodyReader. Building a ReadableStream costs more than everything
// else in a small response, so the stream is made only when something asks
// for `res.body` (or for what only a stream gives: `formData`, `clone`).
// Until then the body methods take the bytes natively in one call.
function installBody (res, source, init) {
  let used = false
  // A Response holding the body as a stream, once one is needed; `res`
  // answers for it from then on.
  let streamed = null
  // After a clone both copies read from one tee; the bytes must not be shared.
  let cloned = false
  const materialize = () => {
    if (streamed === null) {
      streamed = new Response(bodyStream(used ? Buffer.alloc(0) : source), init)
      if (used) streamed.body.getReader().cancel().catch(() => {}) // read already: locked and disturbed
    }
    return streamed
  }
  const props = {
    body: { get: () => materialize().body },
    bodyUsed: { get: () => streamed === null ? used : streamed.bodyUsed },
    formData: { value: () => materialize().formData() },
    clone: {
      value () {
        const copy = materialize().clone()
        cloned = true
        Object.defineProperties(copy, { url: { value: res.url, enumerable: true }, redirected: { value: res.redirected, enumerable: true } })
        return copy
      }
    }
  }
  for (const [name, convert] of Object.entries(fastBody)) {
    props[name] = {
      async value () {
        if (cloned) return streamed[name]()
        if (streamed !== null) {
          if (streamed.bodyUsed || streamed.body.locked) throw unusable()
          // Not read yet: the bytes are taken natively all the same, and the
          // stream is left locked and cancelled, as reading it would leave it.
          const reader = streamed.body.getReader()
          try {
            return convert(Buffer.isBuffer(source) ? source : await source.readAll(), res)
          } finally {
            reader.cancel().catch(() => {})
          }
        }
        if (used) throw unusable()
        used = true
        return convert(Buffer.isBuffer(source) ? source : await source.readAll(), res)
      }
    }
  }
  for (const prop of Object.values(props)) prop.configurable = true
  Object.defineProperties(res, props)
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
  const resInit = { status: head.status, statusText: head.statusText, headers: head.headers }
  const res = new Response(null, resInit)
  Object.defineProperties(res, {
    url: { value: head.urlList[head.urlList.length - 1], enumerable: true },
    redirected: { value: head.urlList.length > 1, enumerable: true }
  })
  if (head.body !== null) installBody(res, head.body, resInit)
  return res
}

// Online when some interface other than loopback has an address, as
// Chromium's network change notifier judges it on Linux.
function isOnline () {
  return Object.values(os.networkInterfaces()).some((addrs) => addrs.some((a) => !a.internal))
}

module.exports = { fetchWithSession, isOnline }

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'
import zlib from 'node:zlib'

import { app, net, session } from '../index.js'
import { tempDir, useTempProfile } from './helpers/profile.mjs'
import { deferred, httpServer, readBody } from './helpers/servers.mjs'

useTempProfile(app)

// Echoes what it received as JSON; a few paths answer specially.
const echo = await httpServer(async (req, res) => {
  let body
  try {
    body = await readBody(req)
  } catch {
    return res.destroy() // the client gave up mid-upload
  }
  const u = new URL(req.url, 'http://x')
  if (u.pathname === '/redirect') {
    res.writeHead(Number(u.searchParams.get('status') ?? 302), { location: u.searchParams.get('to') ?? '/echo' })
    return res.end()
  }
  if (u.pathname === '/loop') {
    res.writeHead(302, { location: '/loop' })
    return res.end()
  }
  if (u.pathname === '/chain') {
    const n = Number(u.searchParams.get('n'))
    res.writeHead(302, { location: n > 0 ? `/chain?n=${n - 1}` : '/echo' })
    return res.end()
  }
  if (u.pathname === '/status') {
    res.writeHead(Number(u.searchParams.get('code')), u.searchParams.get('text') ?? undefined)
    return res.end(u.searchParams.has('body') ? 'unexpected body' : undefined)
  }
  if (u.pathname === '/cookies') {
    res.setHeader('set-cookie', ['a=1', 'b=2'])
    res.setHeader('x-multi', ['one', 'two'])
    return res.end('ok')
  }
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body: body.toString('latin1') }))
})

let n = 0
const fresh = () => session.fromPartition(`fetch-${++n}`)

test('GET: status, headers, body, url', async () => {
  const res = await fresh().fetch(`${echo.url}/echo?x=1`)
  assert.equal(res.status, 200)
  assert.equal(res.statusText, 'OK')
  assert.equal(res.ok, true)
  assert.equal(res.url, `${echo.url}/echo?x=1`)
  assert.equal(res.redirected, false)
  assert.equal(res.headers.get('content-type'), 'application/json')
  const seen = await res.json()
  assert.equal(seen.method, 'GET')
  assert.equal(seen.url, '/echo?x=1')
})

test('input may be a string, a URL or a Request', async () => {
  const ses = fresh()
  for (const input of [`${echo.url}/a`, new URL(`${echo.url}/a`), new Request(`${echo.url}/a`, { method: 'DELETE' })]) {
    const res = await ses.fetch(input)
    assert.equal((await res.json()).url, '/a')
  }
  await assert.rejects(ses.fetch('not a url'), TypeError)
})

test('methods and bodies of every kind reach the server', async () => {
  const ses = fresh()
  const bodies = [
    ['text', 'plain text', 'plain text'],
    ['Uint8Array', new Uint8Array([104, 105]), 'hi'],
    ['ArrayBuffer', new Uint8Array([0x4f, 0x4b]).buffer, 'OK'],
    ['Blob', new Blob(['blob', ' body']), 'blob body'],
    ['URLSearchParams', new URLSearchParams({ a: '1', b: 'two' }), 'a=1&b=two'],
    ['ReadableStream', new ReadableStream({ start (c) { c.enqueue(new TextEncoder().encode('str')); c.enqueue(new TextEncoder().encode('eam')); c.close() } }), 'stream']
  ]
  for (const [kind, body, want] of bodies) {
    const res = await ses.fetch(`${echo.url}/echo`, { method: 'POST', body, duplex: 'half' })
    const seen = await res.json()
    assert.equal(seen.method, 'POST', kind)
    assert.equal(seen.body, want, kind)
  }
  const form = new FormData()
  form.append('field', 'value')
  const seen = await (await ses.fetch(`${echo.url}/echo`, { method: 'PUT', body: form })).json()
  assert.match(seen.headers['content-type'], /^multipart\/form-data; boundary=/)
  assert.match(seen.body, /name="field"\r\n\r\nvalue/)
  for (const method of ['PATCH', 'OPTIONS', 'DELETE']) {
    assert.equal((await (await ses.fetch(`${echo.url}/echo`, { method })).json()).method, method)
  }
})

test("User-Agent and Accept-Language come from the session unless the request sets them", async () => {
  const ses = fresh()
  let seen = (await (await ses.fetch(`${echo.url}/echo`)).json()).headers
  assert.equal(seen['user-agent'], ses.getUserAgent())
  assert.match(seen['accept-language'], /^[a-z]{2}/)
  assert.equal(seen['accept-encoding'], 'gzip, deflate, br, zstd')
  ses.setUserAgent('Custom/1.0', 'fr-CH, fr, en')
  seen = (await (await ses.fetch(`${echo.url}/echo`)).json()).headers
  assert.equal(seen['user-agent'], 'Custom/1.0')
  assert.equal(seen['accept-language'], 'fr-CH,fr;q=0.9,en;q=0.8')
  seen = (await (await ses.fetch(`${echo.url}/echo`, { headers: { 'User-Agent': 'Mine', 'Accept-Language': 'de', 'X-Extra': 'yes' } })).json()).headers
  assert.equal(seen['user-agent'], 'Mine')
  assert.equal(seen['accept-language'], 'de')
  assert.equal(seen['x-extra'], 'yes')
})

test('repeated response headers stay separate', async () => {
  const res = await fresh().fetch(`${echo.url}/cookies`)
  assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2'])
  assert.equal(res.headers.get('x-multi'), 'one, two')
})

test("a custom reason phrase is kept as statusText", async () => {
  const res = await fresh().fetch(`${echo.url}/status?code=299&text=Fine%20Thanks`)
  assert.equal(res.status, 299)
  assert.equal(res.statusText, 'Fine Thanks')
})

test('HEAD and 204/205/304 responses have a null body', async () => {
  const ses = fresh()
  const head = await ses.fetch(`${echo.url}/echo`, { method: 'HEAD' })
  assert.equal(head.body, null)
  for (const code of [204, 205, 304]) {
    const res = await ses.fetch(`${echo.url}/status?code=${code}`)
    assert.equal(res.status, code)
    assert.equal(res.body, null, String(code))
  }
})

test("redirect 'follow': hop by hop, with the Fetch method rules", async () => {
  const ses = fresh()
  let res = await ses.fetch(`${echo.url}/redirect?to=/echo%3Fdone`)
  assert.equal(res.redirected, true)
  assert.equal(res.url, `${echo.url}/echo?done`)
  assert.equal((await res.json()).url, '/echo?done')
  const cases = [[301, 'POST', 'GET', ''], [302, 'POST', 'GET', ''], [303, 'PUT', 'GET', ''], [307, 'POST', 'POST', 'payload'], [308, 'PUT', 'PUT', 'payload']]
  for (const [status, method, wantMethod, wantBody] of cases) {
    res = await ses.fetch(`${echo.url}/redirect?status=${status}`, { method, body: 'payload', headers: { 'content-type': 'text/plain' } })
    const seen = await res.json()
    assert.equal(seen.method, wantMethod, `${status} ${method}`)
    assert.equal(seen.body, wantBody, `${status} ${method}`)
    assert.equal(seen.headers['content-type'], wantBody ? 'text/plain' : undefined, `${status} ${method}: body headers follow the body`)
  }
})

test("redirect 'error' and 'manual' fail with Electron's messages", async () => {
  const ses = fresh()
  await assert.rejects(ses.fetch(`${echo.url}/redirect`, { redirect: 'error' }), { message: "Attempted to redirect, but redirect policy was 'error'" })
  await assert.rejects(ses.fetch(`${echo.url}/redirect`, { redirect: 'manual' }), { message: 'Redirect was cancelled' })
  const plain = await ses.fetch(`${echo.url}/echo`, { redirect: 'manual' })
  assert.equal(plain.status, 200, 'no redirect, no error')
})

test('20 redirects are followed, the 21st fails; loops fail', async () => {
  const ses = fresh()
  const ok = await ses.fetch(`${echo.url}/chain?n=19`)
  assert.equal((await ok.json()).url, '/echo')
  await assert.rejects(ses.fetch(`${echo.url}/chain?n=20`), { message: 'net::ERR_TOO_MANY_REDIRECTS' })
  await assert.rejects(ses.fetch(`${echo.url}/loop`), { message: 'net::ERR_TOO_MANY_REDIRECTS' })
})

test('redirects off http(s) or to garbage are refused', async () => {
  const ses = fresh()
  await assert.rejects(ses.fetch(`${echo.url}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`), { message: 'net::ERR_UNSAFE_REDIRECT' })
  await assert.rejects(ses.fetch(`${echo.url}/redirect?to=${encodeURIComponent('data:,x')}`), { message: 'net::ERR_UNSAFE_REDIRECT' })
  await assert.rejects(ses.fetch(`${echo.url}/redirect?to=${encodeURIComponent('http://[broken')}`), { message: 'net::ERR_INVALID_REDIRECT' })
})

test('gzip, deflate and brotli bodies are decoded; the header stays', async () => {
  const text = 'decoded text '.repeat(1000)
  const encoders = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync }
  const { url } = await httpServer((req, res) => {
    const coding = req.url.slice(1)
    if (coding === 'corrupt') {
      res.writeHead(200, { 'content-encoding': 'gzip' })
      return res.end('not compressed')
    }
    res.writeHead(200, { 'content-encoding': coding })
    res.end(encoders[coding](text))
  })
  const ses = fresh()
  for (const coding of Object.keys(encoders)) {
    const res = await ses.fetch(`${url}/${coding}`)
    assert.equal(res.headers.get('content-encoding'), coding)
    assert.equal(await res.text(), text, coding)
  }
  const bad = await fresh().fetch(`${url}/corrupt`)
  await assert.rejects(bad.text(), { message: 'net::ERR_CONTENT_DECODING_FAILED' })
})

test('data: URLs', async () => {
  const res = await fresh().fetch('data:text/html;charset=utf-8,%3Ch1%3Ehi%3C%2Fh1%3E')
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'text/html;charset=utf-8')
  assert.equal(await res.text(), '<h1>hi</h1>')
  assert.deepEqual(new Uint8Array(await (await fresh().fetch('data:;base64,AAEC')).arrayBuffer()), new Uint8Array([0, 1, 2]))
  await assert.rejects(fresh().fetch('data:text/plain;base64,%%%'), { message: 'net::ERR_INVALID_URL' })
})

test('file: URLs', async () => {
  const dir = tempDir()
  const file = path.join(dir, 'page name.html')
  writeFileSync(file, '<p>from disk</p>')
  const res = await fresh().fetch(pathToFileURL(file))
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'text/html')
  assert.equal(res.headers.get('content-length'), '16')
  assert.equal(await res.text(), '<p>from disk</p>')
  await assert.rejects(fresh().fetch(pathToFileURL(path.join(dir, 'missing.txt'))), { message: 'net::ERR_FILE_NOT_FOUND' })
  await assert.rejects(fresh().fetch(pathToFileURL(dir)), { message: 'net::ERR_FILE_NOT_FOUND' })
})

test('unknown schemes and refused connections fail with Chromium error names', async () => {
  await assert.rejects(fresh().fetch('gopher://127.0.0.1/'), { message: 'net::ERR_UNKNOWN_URL_SCHEME' })
  const { server, url } = await httpServer(() => {})
  await new Promise((resolve) => server.close(resolve))
  await assert.rejects(fresh().fetch(url), { name: 'Error', message: 'net::ERR_CONNECTION_REFUSED' })
})

test('a reset before the response, and a truncated body', async () => {
  const { url } = await httpServer((req, res) => {
    if (req.url === '/reset') return req.socket.destroy()
    if (req.url === '/garbage') { req.socket.end('NOT HTTP AT ALL\r\n\r\n'); return }
    res.writeHead(200, { 'content-length': '100' })
    res.write('only part')
    res.socket.end()
  })
  await assert.rejects(fresh().fetch(`${url}/reset`), { message: 'net::ERR_EMPTY_RESPONSE' })
  await assert.rejects(fresh().fetch(`${url}/garbage`), { message: /^net::ERR_(INVALID_HTTP_RESPONSE|CONNECTION_FAILED)$/ })
  const res = await fresh().fetch(`${url}/truncated`)
  await assert.rejects(res.text(), { message: 'net::ERR_CONTENT_LENGTH_MISMATCH' })
})

test('abort before the request, while waiting for the head, and during the body', async () => {
  const headSent = deferred()
  const arrived = deferred()
  const closed = deferred()
  const { url } = await httpServer((req, res) => {
    req.socket.on('close', () => closed.resolve(req.url))
    if (req.url === '/stall-head') return arrived.resolve() // never answers
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('first chunk')
    headSent.resolve() // then stalls
  })
  const ses = fresh()
  const before = new AbortController()
  before.abort(new Error('not even started'))
  await assert.rejects(ses.fetch(`${url}/stall-head`, { signal: before.signal }), { message: 'not even started' })

  const waiting = new AbortController()
  const pending = ses.fetch(`${url}/stall-head`, { signal: waiting.signal })
  await arrived.promise
  waiting.abort()
  await assert.rejects(pending, { name: 'AbortError' })
  assert.equal(await closed.promise, '/stall-head', 'the connection is closed')

  const during = new AbortController()
  const res = await ses.fetch(`${url}/stall-body`, { signal: during.signal })
  await headSent.promise
  const reader = res.body.getReader()
  assert.equal(new TextDecoder().decode((await reader.read()).value), 'first chunk')
  const next = reader.read()
  during.abort()
  await assert.rejects(next, { message: 'net::ERR_ABORTED' })
})

test('the body streams with backpressure: an idle reader stops the server', { skip: process.platform !== 'linux' && 'reads Linux socket limits' }, async () => {
  const CHUNK = Buffer.alloc(64 * 1024, 'x')
  const TOTAL = 1536 * CHUNK.length // 96 MiB
  // What may legitimately sit between the server and the reader: the
  // kernel's largest socket buffers on both sides, plus 4 MiB in the client.
  const kernelMax = (file) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[2])
  const allowance = kernelMax('/proc/sys/net/ipv4/tcp_rmem') + kernelMax('/proc/sys/net/ipv4/tcp_wmem') + 4 * 1024 * 1024
  let written = 0
  let state = 'writing' // 'blocked' while the socket refuses more; 'finished' at the end
  let waiters = []
  const settle = (s) => { state = s; for (const w of waiters.splice(0)) w(s) }
  const { url } = await httpServer((req, res) => {
    res.writeHead(200, { 'content-length': String(TOTAL) })
    const pump = () => {
      state = 'writing'
      while (written < TOTAL) {
        written += CHUNK.length
        if (!res.write(CHUNK)) return settle('blocked') || res.once('drain', pump)
      }
      res.end()
      settle('finished')
    }
    pump()
  })
  // Resolves once the server can write no more (or is done).
  const held = () => (state === 'writing' ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(state))
  const res = await fresh().fetch(url)
  const reader = res.body.getReader()
  let read = 0
  for (let round = 0; round < 6; round++) {
    assert.equal(await held(), 'blocked', 'the server was never held back: the body is being buffered')
    assert.ok(written - read <= allowance, `server ${written} bytes ahead of a reader at ${read} (allowed ${allowance})`)
    const target = read + 1024 * 1024
    while (read < target) read += (await reader.read()).value.length
  }
  await reader.cancel()
})

// A body in a child process (helpers/body-child.mjs): the server sends the
// head and a first chunk, and the rest only when the test says.
async function bodyChild (mode, { exposeGc = false } = {}) {
  const connection = deferred()
  let finish = null
  const { url } = await httpServer((req, res) => {
    res.writeHead(200, { 'content-length': String(2 * 100000) })
    res.write(Buffer.alloc(100000, 'a'))
    finish = () => res.end(Buffer.alloc(100000, 'b'))
    req.socket.once('close', () => connection.resolve())
  })
  const script = new URL('./helpers/body-child.mjs', import.meta.url).pathname
  const child = spawn(process.execPath, [...(exposeGc ? ['--expose-gc'] : []), script, tempDir(), `${url}/${mode}`, mode], { stdio: ['pipe', 'pipe', 'inherit'] })
  const exited = once(child, 'exit')
  const lines = []
  const printed = []
  let buffered = ''
  child.stdout.on('data', (d) => {
    buffered += d
    const parts = buffered.split('\n')
    buffered = parts.pop()
    lines.push(...parts)
    for (const p of printed) p()
  })
  const seen = (line) => new Promise((resolve, reject) => {
    printed.push(() => { if (lines.includes(line)) resolve() })
    printed.at(-1)()
    exited.then(() => reject(new Error(`exited before printing '${line}'; printed ${JSON.stringify(lines)}`)))
  })
  return { child, exited, lines, seen, connection: connection.promise, finish: () => finish() }
}

test('a body being waited for keeps Node running; an unread or abandoned one is let go', { timeout: 60000 }, async () => {
  // Nothing but the pending read keeps the child up.
  const waiting = await bodyChild('wait')
  await waiting.seen('first')
  waiting.finish()
  const [code] = await waiting.exited
  assert.equal(code, 0)
  assert.deepEqual(waiting.lines, ['first', 'second'])

  // A body nobody reads does not hold the process (the server never ends it).
  const unread = await bodyChild('unread')
  assert.equal((await unread.exited)[0], 0)
  assert.deepEqual(unread.lines, ['head'])

  // A stream dropped after a chunk is collected, and its connection closed.
  const abandoned = await bodyChild('abandon', { exposeGc: true })
  await abandoned.seen('first')
  await abandoned.connection
  abandoned.child.stdin.end('done\n')
  assert.equal((await abandoned.exited)[0], 0)
})

test("a long body's Buffers are reclaimed by young-generation collections, not full ones", { timeout: 120000 }, async () => {
  // The Buffers a streamed body arrives in hold memory V8 does not
  // allocate; unless we tell V8 about them as it counts, it only frees them
  // when that outside memory passes its limit, by a full mark-compact each
  // time (three to five in 400 MiB before the fix; none after).
  const BODY = Buffer.alloc(100 * 1024 * 1024, 'g')
  const { url } = await httpServer((req, res) => res.end(BODY))
  const script = new URL('./helpers/gc-child.mjs', import.meta.url).pathname
  const child = spawn(process.execPath, [script, tempDir(), url, '4'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  const [code] = await once(child, 'exit')
  assert.equal(code, 0)
  const { bytes, major, minor } = JSON.parse(out)
  assert.equal(bytes, 4 * BODY.length)
  assert.ok(minor > 0, `no young-generation collection in ${bytes} bytes`)
  assert.equal(major, 0, `${major} full collections while streaming ${bytes} bytes`)
})

test('net.fetch uses the default session', async () => {
  session.defaultSession.setUserAgent('DefaultSession/1.0')
  const seen = await (await net.fetch(`${echo.url}/echo`)).json()
  assert.equal(seen.headers['user-agent'], 'DefaultSession/1.0')
  assert.equal(typeof net.isOnline(), 'boolean')
  assert.equal(net.online, net.isOnline())
})

test('sessions keep their own settings', async () => {
  const a = fresh()
  const b = fresh()
  a.setUserAgent('A/1')
  b.setUserAgent('B/1')
  const [sa, sb] = await Promise.all([a.fetch(`${echo.url}/echo`), b.fetch(`${echo.url}/echo`)].map(async (p) => (await p).json()))
  assert.equal(sa.headers['user-agent'], 'A/1')
  assert.equal(sb.headers['user-agent'], 'B/1')
})

test('a ReadableStream body is sent as it is produced (chunked, never buffered whole)', async () => {
  const firstArrived = deferred()
  const { url } = await httpServer((req, res) => {
    const chunks = []
    req.on('data', (c) => { chunks.push(c.toString()); firstArrived.resolve() })
    req.on('end', () => res.end(JSON.stringify({ chunks: chunks.join(''), te: req.headers['transfer-encoding'] ?? null, length: req.headers['content-length'] ?? null })))
  })
  const enc = new TextEncoder()
  const body = new ReadableStream({
    async start (controller) {
      controller.enqueue(enc.encode('first;'))
      await firstArrived.promise // the server has it before the rest exists
      controller.enqueue(enc.encode('second'))
      controller.close()
    }
  })
  const seen = await (await fresh().fetch(url, { method: 'POST', body, duplex: 'half' })).json()
  assert.deepEqual(seen, { chunks: 'first;second', te: 'chunked', length: null })
})

test('a streamed body that errors fails the request; a 307 cannot resend it', async () => {
  const ses = fresh()
  const failing = new ReadableStream({ pull (c) { c.error(new Error('producer broke')) } })
  await assert.rejects(ses.fetch(`${echo.url}/echo`, { method: 'POST', body: failing, duplex: 'half' }), { message: 'net::ERR_FAILED' })
  const once = () => new ReadableStream({ start (c) { c.enqueue(new TextEncoder().encode('x')); c.close() } })
  await assert.rejects(ses.fetch(`${echo.url}/redirect?status=307`, { method: 'POST', body: once(), duplex: 'half' }), { message: 'net::ERR_FAILED' })
  const seen = await (await ses.fetch(`${echo.url}/redirect?status=303`, { method: 'POST', body: once(), duplex: 'half' })).json()
  assert.equal(seen.method, 'GET', 'a 303 drops the body and follows')
})

test('the body stream is made when asked for; clone, formData and a read stream behave as a WHATWG Response', async () => {
  const big = 'y'.repeat(300 * 1024) // still arriving when the head is handed over
  const { url } = await httpServer((req, res) => {
    if (req.url === '/form') {
      res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' })
      return res.end('a=1&b=two')
    }
    res.writeHead(200, { 'content-type': 'text/plain' })
    if (req.url === '/small') return res.end('small body')
    res.write(big.slice(0, 1000), () => res.end(big.slice(1000)))
  })
  const ses = fresh()
  for (const [path, expected] of [['/small', 'small body'], ['/big', big]]) {
    // A stream asked for first, not yet read: the body methods still work.
    let res = await ses.fetch(url + path)
    assert.ok(res.body instanceof ReadableStream)
    assert.equal(res.body, res.body, 'the same stream each time')
    assert.equal(res.bodyUsed, false)
    assert.equal(await res.text(), expected)
    assert.equal(res.bodyUsed, true)
    assert.equal(res.body.locked, true)
    await assert.rejects(res.arrayBuffer(), TypeError)

    // Read natively first: the stream asked for afterwards is used up.
    res = await ses.fetch(url + path)
    assert.equal(Buffer.from(await res.arrayBuffer()).toString(), expected)
    assert.equal(res.bodyUsed, true)
    assert.equal(res.body.locked, true)
    await assert.rejects(res.text(), TypeError)

    // Read through the stream: bodyUsed, and the methods refuse.
    res = await ses.fetch(url + path)
    const chunks = []
    for await (const c of res.body) chunks.push(Buffer.from(c))
    assert.equal(Buffer.concat(chunks).toString(), expected)
    assert.equal(res.bodyUsed, true)
    await assert.rejects(res.text(), TypeError)

    // A clone reads the same bytes independently and keeps url and redirected;
    // writing into one copy's bytes leaves the other's alone.
    res = await ses.fetch(url + path)
    const copy = res.clone()
    assert.equal(copy.url, url + path)
    assert.equal(copy.redirected, false)
    assert.equal(copy.status, 200)
    assert.equal(copy.headers.get('content-type'), 'text/plain')
    const mine = new Uint8Array(await res.arrayBuffer())
    mine[0] = 0x21
    assert.equal(await copy.text(), expected)
    assert.equal(res.bodyUsed, true)
    assert.equal(copy.bodyUsed, true)
  }
  const form = await (await ses.fetch(url + '/form')).formData()
  assert.deepEqual([...form], [['a', '1'], ['b', 'two']])
  const empty = await ses.fetch(url + '/small', { method: 'HEAD' })
  assert.equal(empty.body, null)
  assert.equal(await empty.text(), '')
})

test('body methods on a streamed body: every kind, then bodyUsed', async () => {
  const payload = JSON.stringify({ items: Array.from({ length: 20000 }, (_, i) => `item ${i}`) })
  const { url } = await httpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    // In pieces, so the body is still arriving when the head is handed over.
    const buf = Buffer.from(payload)
    let i = 0
    const next = () => {
      if (i >= buf.length) return res.end()
      res.write(buf.subarray(i, i + 65536), next)
      i += 65536
    }
    next()
  })
  const ses = fresh()
  const checks = {
    text: async (v) => assert.equal(v, payload),
    json: async (v) => assert.equal(v.items.length, 20000),
    arrayBuffer: async (v) => assert.equal(Buffer.from(v).toString(), payload),
    bytes: async (v) => assert.equal(Buffer.from(v).toString(), payload),
    blob: async (v) => { assert.equal(v.type, 'application/json'); assert.equal(await v.text(), payload) }
  }
  for (const [method, check] of Object.entries(checks)) {
    const res = await ses.fetch(url)
    assert.equal(res.bodyUsed, false)
    await check(await res[method]())
    assert.equal(res.bodyUsed, true, method)
    await assert.rejects(res.text(), TypeError, `${method}: a second read is refused`)
  }
  // Read through the stream, the same bytes.
  const res = await ses.fetch(url)
  const chunks = []
  for await (const c of res.body) chunks.push(Buffer.from(c))
  assert.equal(Buffer.concat(chunks).toString(), payload)
})

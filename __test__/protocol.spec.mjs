import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'

import binding from '../binding.js'
import { app, net, protocol, Protocol, session } from '../index.js'
import { tempDir, useTempProfile } from './helpers/profile.mjs'
import { deferred, httpServer, readBody } from './helpers/servers.mjs'

// Privileged schemes must be registered before the app is ready, which it
// becomes once this module's synchronous part has run.
protocol.registerSchemesAsPrivileged([
  { scheme: 'std-app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  { scheme: 'plain-priv' }
])

useTempProfile(app)

let n = 0
const fresh = () => session.fromPartition(`protocol-${++n}`)

const server = await httpServer(async (req, res) => {
  const body = await readBody(req)
  const u = new URL(req.url, 'http://x')
  if (u.pathname === '/to') {
    res.writeHead(302, { location: u.searchParams.get('url') })
    return res.end()
  }
  res.setHeader('x-server', 'real')
  res.end(JSON.stringify({ method: req.method, path: req.url, body: body.toString(), headers: req.headers }))
})

// Runs `fn` with console.error captured; resolves with what was printed.
async function capturingErrors (fn) {
  const printed = []
  const original = console.error
  console.error = (...args) => printed.push(args)
  try {
    await fn()
  } finally {
    console.error = original
  }
  return printed
}

test('ses.protocol is one Protocol per session; the module-level protocol is the default session\'s', () => {
  const ses = fresh()
  assert.ok(ses.protocol instanceof Protocol)
  assert.equal(ses.protocol, ses.protocol)
  assert.notEqual(ses.protocol, fresh().protocol)
  protocol.handle('module-level', () => new Response('x'))
  try {
    assert.equal(session.defaultSession.protocol.isProtocolHandled('module-level'), true)
    assert.equal(ses.protocol.isProtocolHandled('module-level'), false)
  } finally {
    protocol.unhandle('module-level')
  }
  assert.equal(protocol.isProtocolHandled('module-level'), false)
})

test('handle: a Response or a Promise of one answers the scheme through ses.fetch', async () => {
  const ses = fresh()
  ses.protocol.handle('sync-scheme', (req) => new Response(`sync ${req.method} ${req.url}`, {
    status: 201,
    statusText: 'Made',
    headers: { 'x-one': '1', 'content-type': 'text/plain; charset=testcharset' }
  }))
  ses.protocol.handle('async-scheme', async (req) => new Response(`async ${req.headers.get('x-asked')}`))
  const r = await ses.fetch('sync-scheme://host/path?q=1')
  assert.equal(r.status, 201)
  assert.equal(r.statusText, 'Made')
  assert.equal(r.headers.get('x-one'), '1')
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=testcharset')
  assert.equal(r.url, 'sync-scheme://host/path?q=1')
  assert.equal(await r.text(), 'sync GET sync-scheme://host/path?q=1')
  const a = await ses.fetch('async-scheme://h/', { headers: { 'x-asked': 'yes' } })
  assert.equal(await a.text(), 'async yes')
  assert.equal(ses.protocol.isProtocolHandled('sync-scheme'), true)
  assert.equal(ses.protocol.isProtocolRegistered('sync-scheme'), true)
  assert.throws(() => ses.protocol.handle('sync-scheme', () => new Response('')), { message: 'Failed to register protocol: sync-scheme' })
  ses.protocol.unhandle('sync-scheme')
  assert.equal(ses.protocol.isProtocolHandled('sync-scheme'), false)
  await assert.rejects(ses.fetch('sync-scheme://host/'), { message: 'net::ERR_UNKNOWN_URL_SCHEME' })
  assert.throws(() => ses.protocol.unhandle('sync-scheme'), { message: 'Failed to unhandle protocol: sync-scheme' })
  assert.throws(() => ses.protocol.handle('x-scheme', 'nope'), TypeError)
})

test('handle: net.fetch reaches the default session\'s handlers, with any scheme URL form', async () => {
  protocol.handle('test-scheme', (req) => new Response(req.url))
  try {
    for (const url of ['test-scheme://foo/', 'test-scheme:///foo', 'test-scheme://', 'test-scheme://foo/:30']) {
      assert.equal(await (await net.fetch(url)).text(), url)
    }
  } finally {
    protocol.unhandle('test-scheme')
  }
})

test('handle: the request body reaches the handler, whole or streamed', async () => {
  const ses = fresh()
  ses.protocol.handle('echo', async (req) => new Response(`${req.method}:${await req.text()}`))
  const whole = await ses.fetch('echo://x/', { method: 'POST', body: 'foobar' })
  assert.equal(await whole.text(), 'POST:foobar')
  const stream = new ReadableStream({
    start (c) {
      c.enqueue(new TextEncoder().encode('str'))
      c.enqueue(new TextEncoder().encode('eamed'))
      c.close()
    }
  })
  const streamed = await ses.fetch('echo://x/', { method: 'PUT', body: stream, duplex: 'half' })
  assert.equal(await streamed.text(), 'PUT:streamed')
})

test('handle: a streaming body is handed over as it is produced', async () => {
  const ses = fresh()
  const second = deferred()
  ses.protocol.handle('drip', () => {
    let step = 0
    return new Response(new ReadableStream({
      async pull (c) {
        step++
        if (step === 1) c.enqueue(new TextEncoder().encode('first,'))
        else if (step === 2) { await second.promise; c.enqueue(new TextEncoder().encode('second')) } else c.close()
      }
    }))
  })
  const res = await ses.fetch('drip://x/')
  const reader = res.body.getReader()
  const first = await reader.read()
  assert.equal(new TextDecoder().decode(first.value), 'first,')
  second.resolve()
  let rest = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    rest += new TextDecoder().decode(value)
  }
  assert.equal(rest, 'second')
})

test('a handler\'s body stream is cancelled when its reader goes away', async () => {
  const ses = fresh()
  const cancelled = deferred()
  ses.protocol.handle('endless', () => new Response(new ReadableStream({
    pull (c) { c.enqueue(new Uint8Array(1024)) },
    cancel () { cancelled.resolve('cancelled') }
  })))
  const controller = new AbortController()
  const res = await ses.fetch('endless://x/', { signal: controller.signal })
  const reader = res.body.getReader()
  assert.equal((await reader.read()).done, false)
  controller.abort()
  await reader.cancel().catch(() => {})
  assert.equal(await cancelled.promise, 'cancelled')

  const closed = deferred()
  ses.protocol.registerStreamProtocol('endless-node', (request, callback) => {
    const s = new PassThrough()
    s.write('data\r\n')
    s.on('close', () => closed.resolve('closed'))
    callback({ statusCode: 200, data: s })
  })
  const legacy = await ses.fetch('endless-node://x/')
  const legacyReader = legacy.body.getReader()
  assert.equal(new TextDecoder().decode((await legacyReader.read()).value), 'data\r\n')
  await legacyReader.cancel()
  assert.equal(await closed.promise, 'closed')
})

test('handle: large bodies arrive byte for byte, whole or in 64 KiB chunks', async () => {
  const ses = fresh()
  const big = randomBytes(4 * 1024 * 1024 + 17)
  const digest = (b) => createHash('sha256').update(b).digest('hex')
  ses.protocol.handle('big', (req) => new URL(req.url).pathname === '/chunked'
    ? new Response(Readable.toWeb(Readable.from((function * () {
      for (let i = 0; i < big.length; i += 65536) yield big.subarray(i, i + 65536)
    })())))
    : new Response(big))
  const whole = Buffer.from(await (await ses.fetch('big://x/whole')).arrayBuffer())
  assert.equal(whole.length, big.length)
  assert.equal(digest(whole), digest(big))
  const chunked = Buffer.from(await (await ses.fetch('big://x/chunked')).arrayBuffer())
  assert.equal(digest(chunked), digest(big))
})

test('handle: a handler that throws, rejects or answers badly fails the request with a net error', async () => {
  const ses = fresh()
  const rows = [
    ['throws', () => { throw new Error('test') }, 'net::ERR_UNEXPECTED'],
    ['rejects', () => Promise.reject(new Error('rejected')), 'net::ERR_UNEXPECTED'],
    ['error-response', () => Response.error(), 'net::ERR_FAILED'],
    ['bad-status', () => ({ status: [] }), 'net::ERR_UNEXPECTED'],
    ['bad-status-text', () => ({ statusText: false }), 'net::ERR_UNEXPECTED'],
    ['bad-headers', () => ({ headers: false }), 'net::ERR_UNEXPECTED'],
    ['bad-body', () => ({ body: false }), 'net::ERR_UNEXPECTED'],
    ['not-an-object', () => 42, 'net::ERR_UNEXPECTED']
  ]
  const printed = await capturingErrors(async () => {
    for (const [scheme, handler, message] of rows) {
      ses.protocol.handle(scheme, handler)
      await assert.rejects(ses.fetch(`${scheme}://x/`), { message }, scheme)
    }
  })
  // As Electron, a thrown or rejected error is printed.
  assert.deepEqual(printed.map(([e]) => e.message), ['test', 'rejected'])
  ses.protocol.handle('empty', () => new Response(null, { status: 204 }))
  const empty = await ses.fetch('empty://x/')
  assert.equal(empty.status, 204)
  assert.equal(empty.body, null)
})

test('handle http intercepts real requests; bypassCustomProtocolHandlers reaches the server', async () => {
  const ses = fresh()
  ses.protocol.handle('http', async (req) => {
    if (new URL(req.url).pathname === '/pass') {
      const upstream = await ses.fetch(req.url, { bypassCustomProtocolHandlers: true, headers: req.headers })
      return new Response(`proxied ${await upstream.text()}`, { headers: { 'x-upstream': upstream.headers.get('x-server') } })
    }
    return new Response(`intercepted ${req.url}`)
  })
  assert.equal(ses.protocol.isProtocolIntercepted('http'), true)
  assert.equal(ses.protocol.isProtocolHandled('http'), true)
  assert.equal(await (await ses.fetch(`${server.url}/a`)).text(), `intercepted ${server.url}/a`)
  const passed = await ses.fetch(`${server.url}/pass`)
  assert.equal(passed.headers.get('x-upstream'), 'real')
  assert.match(await passed.text(), /^proxied \{"method":"GET","path":"\/pass"/)
  const direct = await ses.fetch(`${server.url}/b`, { bypassCustomProtocolHandlers: true })
  assert.equal(direct.headers.get('x-server'), 'real')
  // Other sessions are not intercepted.
  assert.equal((await fresh().fetch(`${server.url}/c`)).headers.get('x-server'), 'real')
  ses.protocol.unhandle('http')
  assert.equal((await ses.fetch(`${server.url}/d`)).headers.get('x-server'), 'real')
})

test('custom schemes inside redirects: http → custom scheme → http', async () => {
  const ses = fresh()
  ses.protocol.handle('hop', (req) => {
    const u = new URL(req.url)
    if (u.pathname === '/back') return new Response(null, { status: 302, headers: { location: `${server.url}/final` } })
    return new Response(`hop ${u.pathname}`)
  })
  const there = await ses.fetch(`${server.url}/to?url=${encodeURIComponent('hop://h/landed')}`)
  assert.equal(await there.text(), 'hop /landed')
  assert.equal(there.url, 'hop://h/landed')
  assert.equal(there.redirected, true)
  const back = await ses.fetch(`${server.url}/to?url=${encodeURIComponent('hop://h/back')}`)
  assert.equal(back.url, `${server.url}/final`)
  assert.equal(back.headers.get('x-server'), 'real')
  // A scheme nobody handles stays an unsafe redirect.
  await assert.rejects(ses.fetch(`${server.url}/to?url=${encodeURIComponent('nobody://h/')}`), { message: 'net::ERR_UNSAFE_REDIRECT' })
  // A redirect to the same scheme is followed too.
  ses.protocol.handle('self', (req) => new URL(req.url).pathname === '/start'
    ? new Response(null, { status: 307, headers: { location: '/end' } })
    : new Response(`${req.method} ${req.url}`))
  assert.equal(await (await ses.fetch('self://h/start', { method: 'POST', body: 'x' })).text(), 'POST self://h/end')
  const manual = ses.fetch('self://h/start', { redirect: 'error' })
  await assert.rejects(manual, { message: "Attempted to redirect, but redirect policy was 'error'" })
})

test('registerStringProtocol / registerBufferProtocol: Electron\'s callback shapes and results', async () => {
  const ses = fresh()
  const p = ses.protocol
  let seen
  assert.equal(p.registerStringProtocol('str', (request, callback) => {
    seen = request
    const u = new URL(request.url)
    if (u.pathname === '/obj') return callback({ data: 'object', mimeType: 'application/json', statusCode: 202 })
    if (u.pathname === '/fn') return callback(() => {})
    if (u.pathname === '/twice') { callback('first'); return callback('second') }
    if (u.pathname === '/later') return setImmediate(() => callback('later'))
    callback('plain')
  }), true)
  assert.equal(p.registerBufferProtocol('str', (req, cb) => cb(Buffer.from(''))), false)
  const plain = await ses.fetch('str://h/', { method: 'POST', body: 'up', headers: { 'x-h': 'v' } })
  assert.equal(await plain.text(), 'plain')
  assert.equal(plain.headers.get('access-control-allow-origin'), '*')
  assert.equal(seen.method, 'POST')
  assert.equal(seen.url, 'str://h/')
  assert.equal(seen.headers['x-h'], 'v')
  assert.equal(seen.uploadData[0].bytes.toString(), 'up')
  const obj = await ses.fetch('str://h/obj')
  assert.equal(obj.status, 202)
  assert.equal(obj.headers.get('content-type'), 'application/json')
  assert.equal(await obj.text(), 'object')
  await assert.rejects(ses.fetch('str://h/fn'), { message: 'net::ERR_FAILED' })
  assert.equal(await (await ses.fetch('str://h/twice')).text(), 'first')
  assert.equal(await (await ses.fetch('str://h/later')).text(), 'later')

  p.registerBufferProtocol('buf', (request, callback) => {
    const u = new URL(request.url)
    if (u.pathname === '/obj') return callback({ data: Buffer.from('buffer object'), mimeType: 'text/plain' })
    if (u.pathname === '/string') return callback('not a buffer')
    if (u.pathname === '/nothing') return callback()
    if (u.pathname === '/error') return callback({ error: -6 })
    callback(Buffer.from('buffer'))
  })
  assert.equal(await (await ses.fetch('buf://h/')).text(), 'buffer')
  assert.equal(await (await ses.fetch('buf://h/obj')).text(), 'buffer object')
  await assert.rejects(ses.fetch('buf://h/string'), { message: 'net::ERR_NOT_IMPLEMENTED' })
  await assert.rejects(ses.fetch('buf://h/nothing'), { message: 'net::ERR_NOT_IMPLEMENTED' })
  await assert.rejects(ses.fetch('buf://h/error'), { message: 'net::ERR_FILE_NOT_FOUND' })
  assert.equal(p.isProtocolRegistered('buf'), true)
  assert.equal(p.unregisterProtocol('buf'), true)
  assert.equal(p.unregisterProtocol('buf'), false)
  assert.equal(p.isProtocolRegistered('buf'), false)
})

test('registerStreamProtocol: Node streams, status, repeated headers, empty bodies', async () => {
  const ses = fresh()
  const streamOf = (text) => {
    const s = new PassThrough()
    setImmediate(() => { s.write(text.slice(0, 3)); s.end(text.slice(3)) })
    return s
  }
  ses.protocol.registerStreamProtocol('strm', (request, callback) => {
    const u = new URL(request.url)
    if (u.pathname === '/obj') return callback({ statusCode: 200, headers: { 'x-electron': ['a', 'b'], header2: 'value3' }, data: streamOf('valar morghulis') })
    if (u.pathname === '/empty') return callback({ statusCode: 204, data: null })
    if (u.pathname === '/no-stream') return callback({ statusCode: 200 })
    callback(streamOf('valar morghulis'))
  })
  assert.equal(await (await ses.fetch('strm://h/')).text(), 'valar morghulis')
  const obj = await ses.fetch('strm://h/obj')
  assert.equal(obj.headers.get('x-electron'), 'a, b')
  assert.equal(obj.headers.get('header2'), 'value3')
  assert.equal(await obj.text(), 'valar morghulis')
  assert.equal((await ses.fetch('strm://h/empty')).status, 204)
  await assert.rejects(ses.fetch('strm://h/no-stream'), { message: 'net::ERR_FAILED' })
})

test('registerFileProtocol / registerHttpProtocol: files and upstream URLs', async () => {
  const ses = fresh()
  const dir = tempDir()
  const file = path.join(dir, 'page.html')
  writeFileSync(file, '<p>file</p>')
  ses.protocol.registerFileProtocol('f', (request, callback) => {
    const u = new URL(request.url)
    if (u.pathname === '/obj') return callback({ path: file, headers: { 'X-Great-Header': 'sogreat' } })
    if (u.pathname === '/missing') return callback({ path: path.join(dir, 'not-exist') })
    if (u.pathname === '/date') return callback(new Date())
    callback(file)
  })
  const r = await ses.fetch('f://h/')
  assert.equal(await r.text(), '<p>file</p>')
  assert.equal(r.headers.get('content-type'), 'text/html')
  assert.equal(r.headers.get('access-control-allow-origin'), '*')
  assert.equal((await ses.fetch('f://h/obj')).headers.get('x-great-header'), 'sogreat')
  await assert.rejects(ses.fetch('f://h/missing'), { message: 'net::ERR_FILE_NOT_FOUND' })
  await assert.rejects(ses.fetch('f://h/date'), { message: 'net::ERR_FAILED' })

  const other = fresh()
  ses.protocol.registerHttpProtocol('h', (request, callback) => {
    const u = new URL(request.url)
    if (u.pathname === '/bad') return callback({ url: 'url' })
    if (u.pathname === '/redirecting') return callback({ url: `${server.url}/to?url=${encodeURIComponent(`${server.url}/landed`)}` })
    if (u.pathname === '/other-session') return callback({ url: `${server.url}/other`, session: other })
    if (u.pathname === '/post') return callback({ url: `${server.url}/post`, method: 'POST', uploadData: { contentType: 'text/plain', data: 'sent up' } })
    callback({ url: `${server.url}/up` })
  })
  const up = await ses.fetch('h://x/', { headers: { 'x-forwarded': 'yes' } })
  const seen = await up.json()
  assert.equal(seen.path, '/up')
  assert.equal(seen.headers['x-forwarded'], 'yes')
  assert.equal((await (await ses.fetch('h://x/redirecting')).json()).path, '/landed')
  assert.equal((await (await ses.fetch('h://x/other-session')).json()).path, '/other')
  const posted = await (await ses.fetch('h://x/post')).json()
  assert.deepEqual([posted.method, posted.body, posted.headers['content-type']], ['POST', 'sent up', 'text/plain'])
  await assert.rejects(ses.fetch('h://x/bad'), { message: 'net::ERR_FAILED' })
})

test('intercept*Protocol: http answered by a legacy handler, then restored', async () => {
  const ses = fresh()
  const p = ses.protocol
  assert.equal(p.interceptStringProtocol('http', (request, callback) => callback({ data: `intercepted ${request.method}`, mimeType: 'text/plain' })), true)
  assert.equal(p.interceptBufferProtocol('http', (request, callback) => callback(Buffer.from(''))), false)
  assert.equal(p.isProtocolIntercepted('http'), true)
  assert.equal(await (await ses.fetch(`${server.url}/x`)).text(), 'intercepted GET')
  assert.equal(p.uninterceptProtocol('http'), true)
  assert.equal(p.uninterceptProtocol('http'), false)
  assert.equal(p.uninterceptProtocol('not-exist'), false)
  assert.equal((await ses.fetch(`${server.url}/x`)).headers.get('x-server'), 'real')
  p.interceptStreamProtocol('http', (request, callback) => {
    if (new URL(request.url).pathname === '/start') return callback({ statusCode: 302, headers: { Location: `${server.url}/next` } })
    callback({ data: Readable.from([Buffer.from(request.method)]) })
  })
  assert.equal(await (await ses.fetch(`${server.url}/start`, { method: 'POST', body: 'dropped' })).text(), 'GET')
  p.uninterceptProtocol('http')
})

test('registerSchemesAsPrivileged: privileges stored, standard URLs canonicalized, refused after ready', async () => {
  assert.ok(protocol.getStandardSchemes().includes('std-app'))
  assert.ok(!protocol.getStandardSchemes().includes('plain-priv'))
  assert.deepEqual(binding._schemePrivileges('std-app'), {
    standard: true,
    secure: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    supportFetchAPI: true,
    corsEnabled: false,
    stream: true,
    codeCache: false,
    allowExtensions: false
  })
  assert.equal(binding._schemePrivileges('plain-priv').standard, false)
  assert.equal(binding._schemePrivileges('never-registered'), null)
  const ses = fresh()
  ses.protocol.handle('std-app', (req) => new Response(req.url))
  for (const [given, seen] of [['std-app://foo', 'std-app://foo/'], ['std-app:///foo', 'std-app://foo/'], ['std-app://FOO:1234/a/../b', 'std-app://foo/b']]) {
    const r = await ses.fetch(given)
    assert.equal(await r.text(), seen, given)
    assert.equal(r.url, seen)
  }
  await assert.rejects(ses.fetch('std-app://'), { name: 'TypeError', message: /Invalid URL/ })
  await app.whenReady()
  assert.throws(() => protocol.registerSchemesAsPrivileged([{ scheme: 'late' }]), {
    message: 'protocol.registerSchemesAsPrivileged should be called before app is ready'
  })
  assert.equal(binding._schemePrivileges('late'), null)
  assert.throws(() => binding._registerSchemesAsPrivileged('nope'), { message: 'Argument must be an array of custom schemes.' })
})

test('file serving cannot be led out of its folder by .., escapes or links in the URL', async () => {
  const dir = tempDir()
  const served = path.join(dir, 'served')
  mkdirSync(path.join(served, 'sub'), { recursive: true })
  writeFileSync(path.join(dir, 'secret.txt'), 'SECRET')
  writeFileSync(path.join(served, 'ok.txt'), 'ok')
  writeFileSync(path.join(served, 'sub', 'deep.txt'), 'deep')
  symlinkSync(path.join(dir, 'secret.txt'), path.join(served, 'out.txt'))
  symlinkSync(dir, path.join(served, 'up'))
  symlinkSync(path.join(served, 'ok.txt'), path.join(served, 'in.txt'))
  const ses = fresh()
  // A handler that decodes the URL's path and joins it to its folder, the
  // common (and naive) way.
  ses.protocol.registerFileProtocol('safe', (request, callback) => {
    callback({ path: path.join(served, decodeURIComponent(new URL(request.url).pathname)) })
  })
  // handle() handlers forwarding to file: URLs, built two ways.
  ses.protocol.handle('via-url', (req) => ses.fetch(pathToFileURL(path.join(served, new URL(req.url).pathname)).href))
  ses.protocol.handle('via-concat', (req) => ses.fetch(`file://${served}${new URL(req.url).pathname}`))

  const good = [['safe://x/ok.txt', 'ok'], ['safe://x/sub/deep.txt', 'deep'], ['safe://x/in.txt', 'ok'],
    ['via-url://x/ok.txt', 'ok'], ['via-concat://x/sub/deep.txt', 'deep']]
  for (const [url, body] of good) assert.equal(await (await ses.fetch(url)).text(), body, url)

  const hostile = [
    'safe://x/../secret.txt', 'safe://x/%2e%2e/secret.txt', 'safe://x/sub/%2E%2E/%2e%2e/secret.txt',
    'safe://x/..%2Fsecret.txt', 'safe://x/..%2fsecret.txt', 'safe://x/sub%2F..%2F..%2Fsecret.txt',
    'safe://x/..%5Csecret.txt', 'safe://x/out.txt', 'safe://x/up/secret.txt',
    'via-url://x/../secret.txt', 'via-url://x/%2e%2e/secret.txt', 'via-url://x/..%2Fsecret.txt', 'via-url://x/..%5Csecret.txt',
    'via-concat://x/../secret.txt', 'via-concat://x/%2e%2e/secret.txt', 'via-concat://x/..%2Fsecret.txt',
    'via-concat://x/..%2fsecret.txt', 'via-concat://x/..%5Csecret.txt', 'via-concat://x/..%5csecret.txt'
  ]
  // A handle() handler whose own fetch fails rejects: its request fails
  // with ERR_UNEXPECTED (and the error is printed, as Electron does).
  const printed = await capturingErrors(async () => {
    for (const url of hostile) {
      const outcome = await ses.fetch(url).then((r) => r.text(), (e) => e.message)
      assert.notEqual(outcome, 'SECRET', url)
      const allowed = url.startsWith('safe:') ? /^net::ERR_(FILE_NOT_FOUND|ACCESS_DENIED)$/ : /^net::ERR_UNEXPECTED$/
      assert.match(outcome, allowed, url)
    }
  })
  assert.ok(printed.every(([e]) => /^net::ERR_(FILE_NOT_FOUND|INVALID_URL)$/.test(e.message)), String(printed))
  // file: URLs themselves refuse escaped separators, as Chromium does.
  for (const hide of ['%2F', '%2f', '%5C', '%00']) {
    await assert.rejects(ses.fetch(`${pathToFileURL(served).href}/..${hide}secret.txt`), { message: 'net::ERR_INVALID_URL' }, hide)
  }
})

// HTTP/1.1 as it goes over the wire: request heads exactly as given,
// response framing (chunked, Content-Length, close), interim responses,
// Chromium's limits, socket reuse, and preconnect.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { deferred, httpServer, rawServer } from './helpers/servers.mjs'

useTempProfile(app)

let n = 0
const fresh = () => session.fromPartition(`wire-${++n}`)

// Answers every request with the raw bytes `reply(head, n)` returns (a
// string or Buffer); the socket stays open unless the reply says otherwise.
const replying = (reply) => rawServer((head, socket, n) => {
  const out = reply(head, n)
  if (out !== null) socket.write(out)
})

const ok = (body) => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`

test('request headers go out in the order and case the caller gave', async () => {
  const heads = []
  const { url } = await replying((head) => { heads.push(head.split('\r\n')); return ok('x') })
  const ses = fresh()
  ses.setUserAgent('Wire/1.0', 'en-GB')
  const host = new URL(url).host
  await (await ses.fetch(`${url}/list?q=1`, { headers: [['X-Zed', '1'], ['x-alpha', '2'], ['X-Zed', '3'], ['ACCEPT', '*/*']] })).text()
  assert.deepEqual(heads[0], [
    'GET /list?q=1 HTTP/1.1',
    `Host: ${host}`,
    'Connection: keep-alive',
    'X-Zed: 1',
    'x-alpha: 2',
    'X-Zed: 3',
    'ACCEPT: */*',
    'User-Agent: Wire/1.0',
    'Accept-Encoding: gzip, deflate, br, zstd',
    'Accept-Language: en-GB'
  ])
  await (await ses.fetch(`${url}/object`, { method: 'POST', body: 'hi', headers: { 'X-Second': 'b', 'x-first': ' a ' } })).text()
  assert.deepEqual(heads[1].slice(0, 7), [
    'POST /object HTTP/1.1',
    `Host: ${host}`,
    'Connection: keep-alive',
    'Content-Length: 2',
    'X-Second: b',
    'x-first: a',
    'content-type: text/plain;charset=UTF-8'
  ])
  await (await ses.fetch(`${url}/empty-post`, { method: 'POST', headers: new Headers({ 'User-Agent': 'Mine' }) })).text()
  assert.ok(heads[2].includes('Content-Length: 0'), 'a POST without a body announces an empty one')
  assert.ok(heads[2].includes('user-agent: Mine') && !heads[2].includes('User-Agent: Wire/1.0'), 'the caller\'s User-Agent wins')
})

test('chunked bodies decode, with extensions and trailers, across any split', async () => {
  const { url } = await rawServer((head, socket) => {
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhel')
    setImmediate(() => socket.write('lo\r\n1\r'))
    setImmediate(() => setImmediate(() => socket.write('\n \r\n0\r\nX-Trailer: t\r\n\r\n')))
  })
  assert.equal(await (await fresh().fetch(url)).text(), 'hello ')
})

test('malformed responses fail with Chromium\'s errors', async () => {
  const { url } = await replying((head) => {
    const path = head.split(' ')[1]
    if (path === '/bad-chunk') return 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'
    if (path === '/two-lengths') return 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello'
    if (path === '/huge-head') return `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(300 * 1024)}\r\n\r\n`
    return null
  })
  const ses = fresh()
  await assert.rejects((await ses.fetch(`${url}/bad-chunk`)).text(), { message: 'net::ERR_INVALID_CHUNKED_ENCODING' })
  await assert.rejects(fresh().fetch(`${url}/two-lengths`), { message: 'net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH' })
  await assert.rejects(fresh().fetch(`${url}/huge-head`), { message: 'net::ERR_RESPONSE_HEADERS_TOO_BIG' })
})

test('a chunked body cut short by the server closing fails', async () => {
  const { url } = await rawServer((head, socket) => {
    socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhe')
  })
  await assert.rejects((await fresh().fetch(url)).text(), { message: 'net::ERR_INCOMPLETE_CHUNKED_ENCODING' })
})

test('interim 1xx responses are skipped; the final response is returned', async () => {
  const { url } = await replying(() =>
    'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
    'HTTP/1.1 100 Continue\r\n\r\n' +
    'HTTP/1.1 201 Made It\r\nContent-Length: 4\r\n\r\ndone')
  const res = await fresh().fetch(url)
  assert.equal(res.status, 201)
  assert.equal(res.statusText, 'Made It')
  assert.equal(res.headers.get('link'), null)
  assert.equal(await res.text(), 'done')
})

test('a body without a length runs to the end of the connection, which is not reused', async () => {
  const { url, opened } = await rawServer((head, socket) => {
    socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end')
  })
  const ses = fresh()
  assert.equal(await (await ses.fetch(url)).text(), 'until the end')
  assert.equal(await (await ses.fetch(url)).text(), 'until the end')
  assert.equal(opened(), 2)
})

test('keep-alive sockets are reused; one the server dropped is replaced, and the request resent', async () => {
  const { url, opened } = await rawServer((head, socket, n) => {
    const path = head.split(' ')[1]
    // On its first socket, the server hangs up when the third request arrives.
    if (path === '/third' && n === 1) return socket.destroy()
    socket.write(ok(`${path} on ${n}`))
  })
  const ses = fresh()
  assert.equal(await (await ses.fetch(`${url}/first`)).text(), '/first on 1')
  assert.equal(await (await ses.fetch(`${url}/second`)).text(), '/second on 1')
  assert.equal(opened(), 1, 'the second request reused the socket')
  assert.equal(await (await ses.fetch(`${url}/third`)).text(), '/third on 2', 'resent on a new socket')
})

test('an idle socket the server closed is not used again', async () => {
  const { server, url } = await httpServer((req, res) => res.end(`${req.socket.remotePort}`))
  const closed = deferred()
  server.on('connection', (s) => s.on('close', closed.resolve))
  const ses = fresh()
  const first = await (await ses.fetch(url)).text()
  server.closeIdleConnections()
  await closed.promise
  const second = await (await ses.fetch(url)).text()
  assert.notEqual(second, first)
})

test('preconnect opens sockets that later requests use', async () => {
  const three = deferred()
  const { server, url, opened } = await rawServer((head, socket, n) => socket.write(ok(`socket ${n}`)))
  server.on('connection', () => { if (opened() === 3) three.resolve() })
  const ses = fresh()
  ses.preconnect({ url, numSockets: 3 })
  await three.promise
  const bodies = await Promise.all([1, 2, 3].map(async () => (await ses.fetch(url)).text()))
  for (const body of bodies) assert.match(body, /^socket [123]$/)
  assert.equal(opened(), 3, 'no request opened a socket of its own')
})

test('preconnect checks its options as Electron does', () => {
  const ses = fresh()
  const url = 'http://127.0.0.1:1/'
  for (const bad of [undefined, {}, { url: 'not a url' }, { url: 42 }]) {
    assert.throws(() => ses.preconnect(bad), { name: 'TypeError', message: 'Must pass non-empty valid url to session.preconnect.' })
  }
  for (const numSockets of [0, 7, -1, 'two']) {
    assert.throws(() => ses.preconnect({ url, numSockets }), { name: 'TypeError', message: 'numSocketsToPreconnect is outside range [1,6]' })
  }
  assert.equal(ses.preconnect({ url }), undefined, 'a refused connection is not an error')
})

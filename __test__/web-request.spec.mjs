import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { pathToFileURL } from 'node:url'

import { app, session, WebRequest } from '../index.js'
import { tempDir, useTempProfile } from './helpers/profile.mjs'
import { deferred, httpServer, readBody } from './helpers/servers.mjs'

useTempProfile(app)

// Echoes the request as JSON; `/redirect?to=` redirects, `/cookie` sets one,
// `/die` drops the connection mid-body.
const { url: base } = await httpServer(async (req, res) => {
  const body = await readBody(req)
  const u = new URL(req.url, 'http://x')
  if (u.pathname === '/redirect') {
    res.writeHead(302, { Location: u.searchParams.get('to') })
    return res.end()
  }
  if (u.pathname === '/die') {
    res.writeHead(200, { 'Content-Length': '100000' })
    res.write('partial')
    return setImmediate(() => res.destroy())
  }
  if (u.pathname === '/big') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
    return res.end(Buffer.alloc(4 << 20))
  }
  res.setHeader('X-Custom', 'Value')
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString() }))
})

let n = 0
const fresh = () => session.fromPartition(`web-request-${++n}`)

// Records every event of `ses` as [name, details].
function recordAll (ses, filter) {
  const seen = []
  const wr = ses.webRequest
  for (const name of ['onSendHeaders', 'onResponseStarted', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred']) {
    wr[name](filter ?? { urls: ['<all_urls>'] }, (details) => seen.push([name, details]))
  }
  for (const name of ['onBeforeRequest', 'onBeforeSendHeaders', 'onHeadersReceived']) {
    wr[name](filter ?? { urls: ['<all_urls>'] }, (details, callback) => { seen.push([name, details]); callback({}) })
  }
  return seen
}

// Resolves once `ses` has reported the request's end (onCompleted or onErrorOccurred).
function ended (ses, seen) {
  const done = deferred()
  const wr = ses.webRequest
  wr.onCompleted((d) => { seen.push(['onCompleted', d]); done.resolve(d) })
  wr.onErrorOccurred((d) => { seen.push(['onErrorOccurred', d]); done.resolve(d) })
  return done.promise
}

test('the class is exported and each session has one WebRequest', () => {
  const ses = fresh()
  assert.ok(ses.webRequest instanceof WebRequest)
  assert.equal(ses.webRequest, ses.webRequest)
  assert.notEqual(ses.webRequest, fresh().webRequest)
  assert.throws(() => new WebRequest(), TypeError)
})

test('a GET meets every event in order, with Electron details', async () => {
  const ses = fresh()
  const seen = recordAll(ses)
  const end = ended(ses, seen)
  const res = await ses.fetch(`${base}/hello?q=1`, { headers: { 'X-Mine': 'yes', Referer: 'http://ref.example/' } })
  assert.equal(res.status, 200)
  await res.json()
  await end
  assert.deepEqual(seen.map(([name]) => name), [
    'onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived', 'onResponseStarted', 'onCompleted'
  ])
  const url = `${base}/hello?q=1`
  const ids = new Set(seen.map(([, d]) => d.id))
  assert.equal(ids.size, 1)
  assert.equal(typeof [...ids][0], 'number')
  let last = 0
  for (const [name, d] of seen) {
    assert.equal(d.url, url, name)
    assert.equal(d.method, 'GET', name)
    assert.equal(d.resourceType, 'other', name)
    assert.equal(d.referrer, 'http://ref.example/', name)
    assert.equal(typeof d.timestamp, 'number', name)
    assert.ok(d.timestamp >= last && Math.abs(d.timestamp - Date.now()) < 60_000, name)
    last = d.timestamp
  }
  const [, before] = seen[0]
  assert.equal(before.uploadData, undefined)
  assert.equal(before.requestHeaders, undefined)
  const sendHeaders = seen[1][1].requestHeaders
  assert.equal(sendHeaders['X-Mine'], 'yes')
  assert.match(sendHeaders['User-Agent'], /Electron/)
  assert.deepEqual(seen[2][1].requestHeaders, sendHeaders)
  for (const [name, d] of seen.slice(3)) {
    assert.equal(d.statusCode, 200, name)
    assert.equal(d.statusLine, 'HTTP/1.1 200 OK', name)
    assert.equal(d.fromCache, false, name)
    assert.deepEqual(d.responseHeaders['X-Custom'], ['Value'], name)
    assert.deepEqual(d.responseHeaders['Content-Type'], ['application/json'], name)
    assert.equal(d.ip, '127.0.0.1', name)
  }
  assert.equal(seen[5][1].error, 'net::OK')
})

test('uploadData carries the request body bytes', async () => {
  const ses = fresh()
  const got = deferred()
  ses.webRequest.onBeforeRequest((details, callback) => { got.resolve(details); callback({}) })
  const res = await ses.fetch(`${base}/post`, { method: 'POST', body: 'payload=1' })
  assert.equal((await res.json()).body, 'payload=1')
  const details = await got.promise
  assert.equal(details.method, 'POST')
  assert.equal(details.uploadData.length, 1)
  assert.equal(details.uploadData[0].type, 'rawData')
  assert.ok(Buffer.isBuffer(details.uploadData[0].bytes))
  assert.equal(details.uploadData[0].bytes.toString(), 'payload=1')
})

test('cancel in onBeforeRequest blocks the request before it is sent', async () => {
  const ses = fresh()
  const seen = []
  const end = ended(ses, seen)
  ses.webRequest.onBeforeSendHeaders((d, cb) => { seen.push(['onBeforeSendHeaders', d]); cb({}) })
  ses.webRequest.onBeforeRequest({ urls: [`${base}/blocked*`] }, (details, callback) => callback({ cancel: true }))
  await assert.rejects(ses.fetch(`${base}/blocked`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
  const d = await end
  assert.equal(d.error, 'net::ERR_BLOCKED_BY_CLIENT')
  assert.deepEqual(seen.map(([name]) => name), ['onErrorOccurred'])
  // Not matching the filter: untouched.
  assert.equal((await ses.fetch(`${base}/open`)).status, 200)
})

test('redirectURL sends the request elsewhere with an internal 307', async () => {
  const ses = fresh()
  const redirects = []
  ses.webRequest.onBeforeRedirect((d) => redirects.push(d))
  ses.webRequest.onBeforeRequest({ urls: ['*://*/from'] }, (details, callback) => {
    callback({ redirectURL: `${base}/to` })
  })
  const res = await ses.fetch(`${base}/from`, { method: 'POST', body: 'kept' })
  const echoed = await res.json()
  assert.equal(echoed.url, '/to')
  assert.equal(echoed.method, 'POST')
  assert.equal(echoed.body, 'kept')
  assert.equal(res.redirected, true)
  assert.equal(res.url, `${base}/to`)
  assert.equal(redirects.length, 1)
  assert.equal(redirects[0].url, `${base}/from`)
  assert.equal(redirects[0].redirectURL, `${base}/to`)
  assert.equal(redirects[0].statusCode, 307)
  assert.equal(redirects[0].statusLine, 'HTTP/1.1 307 Internal Redirect')
  assert.deepEqual(redirects[0].responseHeaders.Location, [`${base}/to`])
  assert.deepEqual(redirects[0].responseHeaders['Non-Authoritative-Reason'], ['WebRequest API'])
})

test('onBeforeSendHeaders replaces the request headers, cookies included', async () => {
  const ses = fresh()
  await ses.cookies.set({ url: base, name: 'jar', value: 'one' })
  const got = deferred()
  ses.webRequest.onBeforeSendHeaders((details, callback) => {
    got.resolve({ ...details.requestHeaders })
    const headers = { ...details.requestHeaders, 'X-Added': 'yes', 'X-List': ['a', 'b'] }
    delete headers['User-Agent']
    headers.Cookie = 'jar=changed'
    callback({ requestHeaders: headers })
  })
  const sent = new Promise((resolve) => ses.webRequest.onSendHeaders((d) => resolve(d.requestHeaders)))
  const { headers } = await (await ses.fetch(`${base}/h`)).json()
  assert.equal((await got.promise).Cookie, 'jar=one')
  assert.equal(headers['x-added'], 'yes')
  assert.equal(headers['x-list'], 'a, b')
  assert.equal(headers['user-agent'], undefined)
  assert.equal(headers.cookie, 'jar=changed')
  const final = await sent
  assert.equal(final['X-Added'], 'yes')
  assert.equal(final['User-Agent'], undefined)
})

test('onHeadersReceived replaces headers and status line, before cookies are stored', async () => {
  const ses = fresh()
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'X-Custom': ['Changed'], 'Set-Cookie': ['added=1'] },
      statusLine: 'HTTP/1.1 299 Fine Indeed'
    })
  })
  const started = new Promise((resolve) => ses.webRequest.onResponseStarted((d) => resolve(d)))
  const res = await ses.fetch(`${base}/h`)
  assert.equal(res.status, 299)
  assert.equal(res.statusText, 'Fine Indeed')
  assert.equal(res.headers.get('x-custom'), 'Changed')
  await res.text()
  const d = await started
  assert.equal(d.statusCode, 299)
  assert.deepEqual(d.responseHeaders['X-Custom'], ['Changed'])
  const cookies = await ses.cookies.get({ name: 'added' })
  assert.equal(cookies.length, 1)
})

test('a status line without responseHeaders changes nothing, as in Electron', async () => {
  const ses = fresh()
  ses.webRequest.onHeadersReceived((details, callback) => callback({ statusLine: 'HTTP/1.1 404 Nope' }))
  assert.equal((await ses.fetch(`${base}/h`)).status, 200)
})

test('onHeadersReceived can cancel, and can turn a response into a redirect', async () => {
  const ses = fresh()
  ses.webRequest.onHeadersReceived({ urls: [`${base}/cancel`] }, (d, callback) => callback({ cancel: true }))
  await assert.rejects(ses.fetch(`${base}/cancel`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
  ses.webRequest.onHeadersReceived({ urls: [`${base}/moved`] }, (d, callback) => {
    callback({ responseHeaders: { Location: `${base}/landed` }, statusLine: 'HTTP/1.1 302 Found' })
  })
  const res = await ses.fetch(`${base}/moved`)
  assert.equal((await res.json()).url, '/landed')
})

test('redirects: every hop meets the events, under one id', async () => {
  const ses = fresh()
  const seen = recordAll(ses)
  const end = ended(ses, seen)
  const res = await ses.fetch(`${base}/redirect?to=/final`)
  assert.equal((await res.json()).url, '/final')
  await end
  assert.deepEqual(seen.map(([name]) => name), [
    'onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived', 'onBeforeRedirect',
    'onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived', 'onResponseStarted', 'onCompleted'
  ])
  assert.equal(new Set(seen.map(([, d]) => d.id)).size, 1)
  const redirect = seen[4][1]
  assert.equal(redirect.url, `${base}/redirect?to=/final`)
  assert.equal(redirect.redirectURL, `${base}/final`)
  assert.equal(redirect.statusCode, 302)
  assert.deepEqual(redirect.responseHeaders.Location, ['/final'])
  assert.equal(seen[5][1].url, `${base}/final`)
})

test('errors reach onErrorOccurred: refused connections, bodies cut short, bodies cancelled', async () => {
  const closed = await httpServer(() => {})
  const deadUrl = closed.url
  await new Promise((resolve) => closed.server.close(resolve))
  const ses = fresh()
  const errors = []
  const next = () => new Promise((resolve) => ses.webRequest.onErrorOccurred((d) => { errors.push(d); resolve(d) }))

  let seen = next()
  await assert.rejects(ses.fetch(`${deadUrl}/x`), { message: 'net::ERR_CONNECTION_REFUSED' })
  assert.equal((await seen).error, 'net::ERR_CONNECTION_REFUSED')
  assert.equal((await seen).url, `${deadUrl}/x`)

  seen = next()
  const cut = await ses.fetch(`${base}/die`)
  await assert.rejects(cut.arrayBuffer())
  assert.match((await seen).error, /^net::ERR_/)
  assert.equal((await seen).statusCode, 200)

  seen = next()
  const big = await ses.fetch(`${base}/big`)
  await big.body.cancel()
  assert.equal((await seen).error, 'net::ERR_ABORTED')
})

test('a request aborted while a listener thinks is not held up', async () => {
  const ses = fresh()
  const asked = deferred()
  ses.webRequest.onBeforeRequest((details, callback) => asked.resolve(callback))
  const controller = new AbortController()
  const pending = ses.fetch(`${base}/slow`, { signal: controller.signal })
  const callback = await asked.promise
  controller.abort()
  await assert.rejects(pending, { name: 'AbortError' })
  callback({}) // a late answer is ignored
})

test('filters: urls, excludeUrls and types decide which requests a listener hears', async () => {
  const port = new URL(base).port
  // [filter, path, heard?]
  const table = [
    [{ urls: ['<all_urls>'] }, '/a', true],
    [{ urls: ['*://*/*'] }, '/a', true],
    [{ urls: ['http://127.0.0.1/*'] }, '/a', true],
    [{ urls: [`http://127.0.0.1:${port}/a`] }, '/a', true],
    [{ urls: [`http://127.0.0.1:${port}/a`] }, '/a?x', false],
    [{ urls: ['http://127.0.0.1:1/*'] }, '/a', false],
    [{ urls: ['https://127.0.0.1/*'] }, '/a', false],
    [{ urls: ['http://localhost/*'] }, '/a', false],
    [{ urls: ['*://*/dir/*'] }, '/dir/file', true],
    [{ urls: ['*://*/dir/*'] }, '/dir', true],
    [{ urls: ['*://*/dir/*'] }, '/directory', false],
    [{ urls: ['*://*/*.png'] }, '/img/x.png', true],
    [{ urls: ['*://*/*.png'] }, '/img/x.png.txt', false],
    [{ urls: ['<all_urls>'], excludeUrls: ['*://*/private/*'] }, '/private/x', false],
    [{ urls: ['<all_urls>'], excludeUrls: ['*://*/private/*'] }, '/public/x', true],
    [{ urls: ['<all_urls>'], types: ['xhr'] }, '/a', false],
    [{ urls: ['<all_urls>'], types: ['mainFrame', 'xhr'] }, '/a', false],
    [{ urls: ['http://127.0.0.1/a', 'http://127.0.0.1/b'] }, '/b', true]
  ]
  const ses = fresh()
  for (const [filter, p, want] of table) {
    let heard = false
    ses.webRequest.onBeforeRequest(filter, (details, callback) => { heard = true; callback({}) })
    await (await ses.fetch(base + p)).text()
    assert.equal(heard, want, `${JSON.stringify(filter)} vs ${p}`)
  }
})

test('bad arguments are refused with Electron messages', () => {
  const wr = fresh().webRequest
  assert.throws(() => wr.onBeforeRequest({ urls: ['nope'] }, () => {}),
    { name: 'TypeError', message: 'Invalid url pattern nope: Missing scheme separator.' })
  assert.throws(() => wr.onCompleted({ urls: ['http://*foo/'] }, () => {}),
    { message: 'Invalid url pattern http://*foo/: Invalid host wildcard.' })
  assert.throws(() => wr.onCompleted({ urls: ['http://host'] }, () => {}),
    { message: 'Invalid url pattern http://host: Empty path.' })
  assert.throws(() => wr.onCompleted({ urls: ['http://host:99999/'] }, () => {}),
    { message: 'Invalid url pattern http://host:99999/: Invalid port.' })
  assert.throws(() => wr.onBeforeRequest({ types: ['xhr'] }, () => {}),
    { name: 'TypeError', message: "Parameter 'filter' must have property 'urls'." })
  assert.throws(() => wr.onBeforeRequest({ urls: ['<all_urls>'], types: ['fish'] }, () => {}),
    { name: 'TypeError', message: 'Invalid type fish' })
  assert.throws(() => wr.onBeforeRequest({ urls: ['<all_urls>'] }), { name: 'TypeError', message: 'Must pass null or a Function' })
  assert.throws(() => wr.onBeforeRequest('nope'), { name: 'TypeError', message: 'Must pass null or a Function' })
  assert.throws(() => wr.onBeforeRequest(), { name: 'TypeError', message: 'Must pass null or a Function' })
  // Removing still checks the filter.
  assert.throws(() => wr.onBeforeRequest({ urls: ['bad'] }, null), { message: /Invalid url pattern bad/ })
})

test('only the last listener is used, and null removes it', async () => {
  const ses = fresh()
  const calls = []
  ses.webRequest.onBeforeRequest((d, cb) => { calls.push('first'); cb({}) })
  ses.webRequest.onBeforeRequest((d, cb) => { calls.push('second'); cb({}) })
  await (await ses.fetch(`${base}/a`)).text()
  assert.deepEqual(calls, ['second'])
  ses.webRequest.onBeforeRequest(null)
  await (await ses.fetch(`${base}/a`)).text()
  assert.deepEqual(calls, ['second'])
  // A filter with the null listener also removes.
  ses.webRequest.onBeforeRequest((d, cb) => { calls.push('third'); cb({}) })
  ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, null)
  await (await ses.fetch(`${base}/a`)).text()
  assert.deepEqual(calls, ['second'])
})

test('a listener that throws fails its request instead of hanging it', async () => {
  const ses = fresh()
  ses.webRequest.onBeforeRequest(() => { throw new Error('listener broke') })
  await assert.rejects(ses.fetch(`${base}/a`), { message: 'net::ERR_FAILED' })
})

test('sessions never hear each other', async () => {
  const a = fresh()
  const b = fresh()
  let heard = 0
  a.webRequest.onBeforeRequest((d, cb) => { heard++; cb({}) })
  await (await b.fetch(`${base}/a`)).text()
  assert.equal(heard, 0)
  await (await a.fetch(`${base}/a`)).text()
  assert.equal(heard, 1)
})

test('file: and data: requests meet the events too', async () => {
  const dir = tempDir()
  const file = path.join(dir, 'page.txt')
  writeFileSync(file, 'from disk')
  const ses = fresh()
  const seen = recordAll(ses)
  let end = ended(ses, seen)
  const res = await ses.fetch(pathToFileURL(file).href)
  assert.equal(await res.text(), 'from disk')
  await end
  assert.deepEqual(seen.map(([name]) => name), ['onBeforeRequest', 'onHeadersReceived', 'onResponseStarted', 'onCompleted'])
  assert.equal(seen[0][1].url, pathToFileURL(file).href)
  assert.equal(seen[3][1].statusCode, 200)
  assert.equal(seen[3][1].ip, undefined, 'no address for a local file')
  seen.length = 0
  end = ended(ses, seen)
  await (await ses.fetch('data:text/plain,hi')).text()
  await end
  assert.deepEqual(seen.map(([name]) => name), ['onBeforeRequest', 'onHeadersReceived', 'onResponseStarted', 'onCompleted'])
})

test('custom-scheme requests go through webRequest like any other, redirects included', async () => {
  const ses = fresh()
  ses.protocol.handle('wrtest', (req) => {
    const u = new URL(req.url)
    if (u.pathname === '/hop') return Response.redirect(`${base}/back`, 302)
    return new Response(`custom ${u.pathname}`, { headers: { 'X-From': 'handler' } })
  })
  const seen = recordAll(ses)
  let end = ended(ses, seen)
  const res = await ses.fetch('wrtest://app/page')
  assert.equal(await res.text(), 'custom /page')
  await end
  assert.deepEqual(seen.map(([name]) => name), ['onBeforeRequest', 'onHeadersReceived', 'onResponseStarted', 'onCompleted'])
  assert.equal(seen[0][1].url, 'wrtest://app/page')
  assert.deepEqual(seen[1][1].responseHeaders['x-from'], ['handler'])

  // The handler's answer can be cancelled like a server's.
  ses.webRequest.onBeforeRequest({ urls: ['wrtest:*'] }, (d, callback) => callback({ cancel: d.url.endsWith('/blocked') }))
  await assert.rejects(ses.fetch('wrtest://app/blocked'), { message: 'net::ERR_BLOCKED_BY_CLIENT' })

  // http → custom scheme → http: every hop is seen under one id.
  seen.length = 0
  const hops = []
  ses.webRequest.onBeforeRequest((d, callback) => { hops.push([d.id, d.url]); callback({}) })
  end = ended(ses, seen)
  const chained = await ses.fetch(`${base}/redirect?to=wrtest://app/hop`)
  assert.equal((await chained.json()).url, '/back')
  await end
  assert.deepEqual(hops.map(([, u]) => u), [`${base}/redirect?to=wrtest://app/hop`, 'wrtest://app/hop', `${base}/back`])
  assert.equal(new Set(hops.map(([id]) => id)).size, 1)
})

test('a download started by the renderer stand-in carries its webContentsId', async () => {
  const { createWebContents } = await import('../testing.js')
  const ses = fresh()
  const dir = tempDir()
  const wc = createWebContents({ session: ses, url: `${base}/page` })
  const heard = new Promise((resolve) => ses.webRequest.onBeforeRequest((details, callback) => { callback({}); resolve(details) }))
  const done = new Promise((resolve) => ses.once('will-download', (event, item) => {
    item.setSavePath(path.join(dir, 'file.json'))
    item.once('done', (e, state) => resolve(state))
  }))
  wc.downloadURL(`${base}/download`)
  const details = await heard
  assert.equal(details.webContentsId, wc.id)
  assert.equal(details.url, `${base}/download`)
  assert.equal(await done, 'completed')
})

test('a listener may answer later; only its first answer counts', async () => {
  const ses = fresh()
  ses.webRequest.onBeforeRequest((details, callback) => {
    setTimeout(() => { callback({ cancel: true }); callback({}) }, 5)
  })
  await assert.rejects(ses.fetch(`${base}/later`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
  ses.webRequest.onBeforeRequest((details, callback) => { callback({}); callback({ cancel: true }) })
  assert.equal((await ses.fetch(`${base}/now`)).status, 200)
  ses.webRequest.onHeadersReceived((details, callback) => {
    queueMicrotask(() => callback({ responseHeaders: { 'X-Later': 'yes' } }))
  })
  assert.equal((await ses.fetch(`${base}/h`)).headers.get('x-later'), 'yes')
})

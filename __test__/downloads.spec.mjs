import assert from 'node:assert/strict'
import { once } from 'node:events'
import { existsSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

import { app, session, DownloadItem } from '../index.js'
import { createWebContents } from '../testing.js'
import { useTempProfile, tempDir } from './helpers/profile.mjs'
import { fileServer, httpServer } from './helpers/servers.mjs'

useTempProfile(app)

let n = 0
// A fresh in-memory session whose downloads go to a fresh folder.
function fresh () {
  const ses = session.fromPartition(`downloads-${++n}`)
  const dir = tempDir()
  ses.setDownloadPath(dir)
  return { ses, dir }
}

function bytes (size) {
  const b = Buffer.alloc(size)
  for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >> 8)) & 0xff
  return b
}

// The next item `ses` announces; `onItem` runs inside the listener.
function nextItem (ses, onItem = () => {}) {
  return new Promise((resolve) => {
    ses.once('will-download', (event, item, wc) => {
      onItem(item, event, wc)
      resolve(item)
    })
  })
}

// Resolves with the state of `item`'s next `done`, failing if a second one follows.
function done (item) {
  return once(item, 'done').then(([, state]) => state)
}

// Resolves once `item` has received at least `count` bytes (on `updated`).
function receivedAtLeast (item, count) {
  return new Promise((resolve) => {
    const check = () => {
      if (item.getReceivedBytes() >= count) { item.off('updated', check); resolve() }
    }
    item.on('updated', check)
  })
}

test('DownloadItem is exported and cannot be constructed', () => {
  assert.equal(typeof DownloadItem, 'function')
  assert.throws(() => new DownloadItem(), TypeError)
})

test('downloadURL validates its arguments as Electron does', () => {
  const { ses } = fresh()
  assert.throws(() => ses.downloadURL(42), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 42' })
  assert.throws(() => ses.downloadURL('http://127.0.0.1:1/', { headers: 'x' }), { name: 'TypeError', message: 'Invalid value for headers - must be an object' })
  assert.throws(() => ses.downloadURL('http://127.0.0.1:1/', { headers: { a: 1 } }), { name: 'TypeError', message: 'Invalid value for headers - must be an object' })
  assert.throws(() => ses.setDownloadPath(1), TypeError)
  assert.throws(() => ses.downloadURL('not a url'), { name: 'TypeError', message: 'Invalid URL: not a url' })
  assert.throws(() => ses.createInterruptedDownload('x'), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from x' })
})

test('a download lands in the download folder, with every getter right', async () => {
  const { ses, dir } = fresh()
  const data = bytes(300_000)
  const srv = await fileServer(data, { etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT', contentType: 'application/x-thing; q=1', disposition: 'attachment; filename="thing.bin"' })
  const wc = createWebContents({ session: ses, url: srv.url + '/page' })
  const before = Date.now() / 1000
  let seen
  const itemP = nextItem(ses, (item, event, webContents) => {
    seen = { webContents, state: item.getState(), savePath: item.getSavePath(), total: item.getTotalBytes() }
  })
  wc.downloadURL(srv.url + '/files/thing')
  const item = await itemP
  assert.ok(item instanceof DownloadItem)
  assert.equal(seen.webContents, wc)
  assert.equal(seen.state, 'progressing')
  assert.equal(seen.savePath, '')
  assert.equal(seen.total, 300_000)
  assert.equal(await done(item), 'completed')
  const target = path.join(dir, 'thing.bin')
  assert.deepEqual(readFileSync(target), data)
  assert.deepEqual(readdirSync(dir), ['thing.bin'], 'no .crdownload left behind')
  assert.equal(item.getState(), 'completed')
  assert.equal(item.getSavePath(), target)
  assert.equal(item.savePath, target)
  assert.equal(item.getURL(), srv.url + '/files/thing')
  assert.deepEqual(item.getURLChain(), [srv.url + '/files/thing'])
  assert.equal(item.getMimeType(), 'application/x-thing')
  assert.equal(item.getContentDisposition(), 'attachment; filename="thing.bin"')
  assert.equal(item.getETag(), '"v1"')
  assert.equal(item.getLastModifiedTime(), 'Wed, 21 Oct 2015 07:28:00 GMT')
  assert.equal(item.getReceivedBytes(), 300_000)
  assert.equal(item.getTotalBytes(), 300_000)
  assert.equal(item.getPercentComplete(), 100)
  assert.equal(item.getCurrentBytesPerSecond(), 0)
  assert.equal(item.hasUserGesture(), false)
  assert.equal(item.isPaused(), false)
  assert.equal(item.canResume(), false)
  assert.ok(item.getStartTime() >= before - 1 && item.getEndTime() >= item.getStartTime())
  item.setSaveDialogOptions({ title: 'Save' })
  assert.deepEqual(item.getSaveDialogOptions(), { title: 'Save' })
})

test('setSavePath in will-download decides the path; missing folders are made', async () => {
  const { ses } = fresh()
  const out = path.join(tempDir(), 'a', 'b', 'out.dat')
  const srv = await fileServer(bytes(1000))
  const itemP = nextItem(ses, (item) => { item.savePath = out })
  ses.downloadURL(srv.url + '/x.bin')
  const item = await itemP
  assert.equal(await done(item), 'completed')
  assert.equal(item.getSavePath(), out)
  assert.equal(statSync(out).size, 1000)
  item.setSavePath('/elsewhere')
  assert.equal(item.getSavePath(), out, 'too late once will-download has returned')
})

test('preventDefault in will-download cancels, and done says cancelled', async () => {
  const { ses, dir } = fresh()
  const srv = await fileServer(bytes(1000))
  let doneP
  const itemP = nextItem(ses, (item, event) => { doneP = done(item); event.preventDefault() })
  ses.downloadURL(srv.url + '/x.bin')
  const item = await itemP
  assert.equal(await doneP, 'cancelled')
  assert.equal(item.getState(), 'cancelled')
  assert.deepEqual(readdirSync(dir), [])
})

test('cancel in will-download, while progressing, while paused', async () => {
  for (const phase of ['will-download', 'progressing', 'paused']) {
    const { ses, dir } = fresh()
    const srv = await fileServer(bytes(2_000_000), { etag: '"c"', plan: () => ({ holdAfter: 500_000 }) })
    let doneP
    // As in Electron, cancel() emits `done` before it returns.
    const itemP = nextItem(ses, (item) => { doneP = done(item); if (phase === 'will-download') item.cancel() })
    ses.downloadURL(srv.url + '/c.bin')
    const item = await itemP
    if (phase !== 'will-download') {
      await receivedAtLeast(item, 500_000)
      assert.ok(existsSync(path.join(dir, 'c.bin.crdownload')), phase)
      if (phase === 'paused') {
        item.pause()
        assert.equal(item.isPaused(), true)
        assert.equal(item.canResume(), true)
      }
      item.cancel()
    }
    assert.equal(await doneP, 'cancelled', phase)
    assert.equal(item.getState(), 'cancelled')
    assert.equal(item.canResume(), false)
    srv.release()
    // The transfer lets go of the file, then deletes it.
    await new Promise((resolve) => setImmediate(resolve))
    await waitUntil(() => readdirSync(dir).length === 0)
  }
})

// Polls a condition on the event loop's idle turns (no timers).
async function waitUntil (condition) {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}

test('pause stops the transfer and resume continues it; updated reports both', async () => {
  const { ses, dir } = fresh()
  const data = bytes(3_000_000)
  const srv = await fileServer(data, { plan: () => ({ holdAfter: 1_000_000 }) })
  const itemP = nextItem(ses)
  ses.downloadURL(srv.url + '/p.bin')
  const item = await itemP
  const states = []
  item.on('updated', (event, state) => states.push([state, item.isPaused()]))
  const doneP = done(item)
  await receivedAtLeast(item, 1_000_000)
  item.pause()
  assert.equal(item.isPaused(), true)
  assert.equal(item.getState(), 'progressing')
  assert.equal(item.getCurrentBytesPerSecond(), 0)
  assert.deepEqual(states.at(-1), ['progressing', true], 'pause() emits updated before returning')
  srv.release()
  item.resume()
  assert.equal(item.isPaused(), false)
  assert.deepEqual(states.at(-1), ['progressing', false])
  assert.equal(await doneP, 'completed')
  assert.deepEqual(readFileSync(path.join(dir, 'p.bin')), data)
  assert.equal(srv.requests.length, 1, 'pause keeps the connection')
})

test('server death mid-body: interrupted, partial file kept, done once', async () => {
  const { ses, dir } = fresh()
  const srv = await fileServer(bytes(1_000_000), { etag: '"d"', plan: () => ({ dieAfter: 200_000 }) })
  const itemP = nextItem(ses)
  ses.downloadURL(srv.url + '/d.bin')
  const item = await itemP
  const events = []
  item.on('updated', (e, state) => events.push(['updated', state]))
  item.on('done', (e, state) => events.push(['done', state]))
  await once(item, 'done')
  assert.equal(item.getState(), 'interrupted')
  assert.deepEqual(events.slice(-2), [['updated', 'interrupted'], ['done', 'interrupted']])
  assert.equal(events.filter(([name]) => name === 'done').length, 1)
  const partial = path.join(dir, 'd.bin.crdownload')
  assert.equal(statSync(partial).size, item.getReceivedBytes())
  assert.ok(item.getReceivedBytes() > 0 && item.getReceivedBytes() <= 200_000)
  assert.equal(item.canResume(), true)
  item.cancel()
  assert.ok(!existsSync(partial))
})

for (const validator of ['etag', 'lastModified']) {
  test(`resume() after an interruption continues with Range and If-Range (${validator})`, async () => {
    const { ses, dir } = fresh()
    const data = bytes(1_500_000)
    const v = validator === 'etag' ? { etag: '"r1"' } : { lastModified: 'Tue, 01 Jan 2019 00:00:00 GMT' }
    // The first response is reset mid-body (NETWORK_FAILED: waits for resume()).
    const srv = await fileServer(data, { ...v, plan: (i) => (i === 0 ? { cutAfter: 600_000 } : {}) })
    const itemP = nextItem(ses)
    ses.downloadURL(srv.url + '/r.bin')
    const item = await itemP
    assert.equal(await done(item), 'interrupted')
    const offset = item.getReceivedBytes()
    assert.ok(offset > 0)
    assert.equal(item.canResume(), true)
    const doneP = done(item)
    item.resume()
    assert.equal(item.getState(), 'progressing')
    assert.equal(await doneP, 'completed')
    assert.deepEqual(readFileSync(path.join(dir, 'r.bin')), data)
    const last = srv.requests.at(-1).headers
    assert.equal(last.range, `bytes=${offset}-`)
    assert.equal(last['if-range'], v.etag ?? v.lastModified)
    assert.equal(item.getReceivedBytes(), data.length)
  })
}

test('a server that ignores or rejects ranges makes the file restart from zero', async () => {
  for (const ranges of ['ignore', 'reject']) {
    const { ses, dir } = fresh()
    const data = bytes(800_000)
    const srv = await fileServer(data, { etag: '"i"', ranges, plan: (i) => (i === 0 ? { cutAfter: 300_000 } : {}) })
    const itemP = nextItem(ses)
    ses.downloadURL(srv.url + '/i.bin')
    const item = await itemP
    assert.equal(await done(item), 'interrupted', ranges)
    const doneP = done(item)
    item.resume()
    assert.equal(await doneP, 'completed', ranges)
    assert.deepEqual(readFileSync(path.join(dir, 'i.bin')), data, ranges)
    assert.equal(item.getReceivedBytes(), data.length)
    assert.ok(srv.requests[1].headers.range, 'the retry asked for a range')
    if (ranges === 'reject') assert.equal(srv.requests[2].headers.range, undefined)
  }
})

test('refused connections and HTTP errors interrupt, announced with their one done', async () => {
  const { ses } = fresh()
  const gone = await httpServer(() => {})
  const port = gone.server.address().port
  await new Promise((resolve) => gone.server.close(resolve))
  let itemP = nextItem(ses)
  ses.downloadURL(`http://127.0.0.1:${port}/x.bin`)
  let item = await itemP
  assert.equal(await done(item), 'interrupted')
  assert.equal(item.getState(), 'interrupted')
  const srv = await httpServer((req, res) => { res.writeHead(404, { 'content-type': 'text/html' }); res.end('no') })
  itemP = nextItem(ses)
  ses.downloadURL(srv.url + '/missing.bin')
  item = await itemP
  assert.equal(await done(item), 'interrupted')
  assert.equal(item.getTotalBytes(), 0)
})

test('redirects are in the URL chain; cookies and headers are sent', async () => {
  const { ses, dir } = fresh()
  const data = bytes(5000)
  const srv = await fileServer(data)
  const seen = []
  const front = await httpServer((req, res) => {
    seen.push(req.headers)
    res.writeHead(302, { location: srv.url + '/final.bin' })
    res.end()
  })
  // Another host than the file's, so that each gets its own cookie.
  front.url = front.url.replace('127.0.0.1', 'localhost')
  await ses.cookies.set({ url: front.url, name: 'sid', value: '42' })
  await ses.cookies.set({ url: srv.url, name: 'other', value: '7' })
  const itemP = nextItem(ses)
  ses.downloadURL(front.url + '/start', { headers: { 'X-Token': 'abc' } })
  const item = await itemP
  assert.equal(await done(item), 'completed')
  assert.deepEqual(item.getURLChain(), [front.url + '/start', srv.url + '/final.bin'])
  assert.equal(item.getURL(), srv.url + '/final.bin')
  assert.equal(seen[0].cookie, 'sid=42')
  assert.equal(seen[0]['x-token'], 'abc')
  assert.equal(srv.requests[0].headers.cookie, 'other=7')
  assert.deepEqual(readFileSync(path.join(dir, 'final.bin')), data)
})

test('updated events carry progress; getCurrentBytesPerSecond is meaningful while flowing', async () => {
  const { ses } = fresh()
  const srv = await fileServer(bytes(2_000_000), { plan: () => ({ holdAfter: 1_000_000 }) })
  const itemP = nextItem(ses)
  ses.downloadURL(srv.url + '/u.bin')
  const item = await itemP
  const doneP = done(item)
  await receivedAtLeast(item, 1_000_000)
  // The estimate spans the samples since the transfer began: bytes have flowed.
  assert.equal(item.getPercentComplete(), 50)
  assert.ok(item.getCurrentBytesPerSecond() > 0)
  srv.release()
  assert.equal(await doneP, 'completed')
})

test('createInterruptedDownload validates and announces an interrupted item', async () => {
  const { ses } = fresh()
  assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/x', urlChain: [] , length: 1 }), { message: 'Must pass non-empty path, urlChain and length.' })
  assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/x', urlChain: ['http://a/'], offset: 5, length: 5 }), { message: 'Must pass an offset value less than length.' })
  const file = path.join(tempDir(), 'mock.pdf')
  const options = { path: file, urlChain: ['http://127.0.0.1/'], mimeType: 'application/pdf', offset: 0, length: 5242880 }
  const itemP = nextItem(ses)
  ses.createInterruptedDownload(options)
  const item = await itemP
  assert.equal(item.getState(), 'interrupted')
  const doneP = done(item)
  item.cancel()
  assert.equal(await doneP, 'cancelled')
  assert.deepEqual(item.getURLChain(), options.urlChain)
  assert.equal(item.getMimeType(), 'application/pdf')
  assert.equal(item.getReceivedBytes(), 0)
  assert.equal(item.getTotalBytes(), 5242880)
  assert.equal(item.savePath, file)
})

test('createInterruptedDownload resumes a cancelled download (Electron spec)', async () => {
  const { ses } = fresh()
  const data = bytes(14022)
  const srv = await fileServer(data, { etag: '"logo"', contentType: 'image/png' })
  const file = path.join(tempDir(), 'logo.png')
  let cancelled
  const firstP = nextItem(ses, (item) => { item.setSavePath(file); cancelled = done(item); item.cancel() })
  ses.downloadURL(srv.url + '/assets/logo.png')
  const first = await firstP
  assert.equal(await cancelled, 'cancelled')
  writeFileSync(file, data.subarray(0, 4000))
  const options = {
    path: first.savePath, urlChain: first.getURLChain(), mimeType: first.getMimeType(),
    offset: 4000, length: first.getTotalBytes(), lastModified: first.getLastModifiedTime(), eTag: first.getETag()
  }
  let completed
  const secondP = nextItem(ses, (item) => {
    assert.equal(item.getState(), 'interrupted')
    item.setSavePath(file)
    completed = done(item)
    item.resume()
  })
  ses.createInterruptedDownload(options)
  const second = await secondP
  assert.equal(await completed, 'completed')
  assert.equal(second.getFilename(), 'logo.png')
  assert.equal(second.getURL(), srv.url + '/assets/logo.png')
  assert.equal(second.getMimeType(), 'image/png')
  assert.equal(second.getReceivedBytes(), 14022)
  assert.equal(second.getTotalBytes(), 14022)
  assert.deepEqual(readFileSync(file), data)
  assert.equal(srv.requests.at(-1).headers.range, 'bytes=4000-')
})

test('createInterruptedDownload across two processes: killed mid-download, resumed exactly', async () => {
  const { spawn } = await import('node:child_process')
  const data = bytes(6_000_000)
  const srv = await fileServer(data, { etag: '"two-proc"', plan: (i) => (i === 0 ? { holdAfter: 2_500_000 } : {}) })
  const dir = tempDir()
  const savePath = path.join(dir, 'big.bin')
  const child = spawn(process.execPath, [
    new URL('./helpers/download-child.mjs', import.meta.url).pathname,
    tempDir(), srv.url + '/big.bin', savePath, '2000000'
  ], { stdio: ['ignore', 'pipe', 'inherit'] })
  let line = ''
  for await (const chunk of child.stdout) {
    line += chunk
    if (line.includes('\n')) break
  }
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  const [, signal] = await exited
  assert.equal(signal, 'SIGKILL')
  const saved = JSON.parse(line)
  const partial = path.join(dir, 'big.bin.crdownload')
  assert.ok(statSync(partial).size >= saved.offset, 'the partial file holds at least what was reported')
  assert.ok(!existsSync(savePath))
  assert.equal(saved.length, data.length)

  const { ses } = fresh()
  let completed
  const itemP = nextItem(ses, (item) => {
    assert.equal(item.getState(), 'interrupted')
    assert.equal(item.getReceivedBytes(), saved.offset)
    completed = done(item)
    item.resume()
  })
  ses.createInterruptedDownload(saved)
  const item = await itemP
  assert.equal(await completed, 'completed')
  assert.deepEqual(readFileSync(savePath), data)
  assert.ok(!existsSync(partial))
  assert.equal(srv.requests.length, 2)
  assert.equal(srv.requests[1].headers.range, `bytes=${saved.offset}-`)
  assert.equal(srv.requests[1].headers['if-range'], '"two-proc"')
  assert.equal(item.getReceivedBytes(), data.length)
  assert.equal(item.getStartTime(), saved.startTime)
  srv.release()
})

test('pause in will-download holds the first bytes; resume completes', async () => {
  const { ses, dir } = fresh()
  const data = bytes(400_000)
  const srv = await fileServer(data)
  let doneP
  const itemP = nextItem(ses, (item) => { doneP = done(item); item.pause() })
  ses.downloadURL(srv.url + '/w.bin')
  const item = await itemP
  assert.equal(item.isPaused(), true)
  assert.equal(item.canResume(), true)
  item.resume()
  assert.equal(await doneP, 'completed')
  assert.deepEqual(readFileSync(path.join(dir, 'w.bin')), data)
  // Once completed, pause, resume and cancel change nothing and emit nothing.
  const late = []
  item.on('updated', () => late.push('updated'))
  item.on('done', () => late.push('done'))
  item.pause(); item.resume(); item.cancel()
  assert.deepEqual(late, [])
  assert.equal(item.getState(), 'completed')
  assert.ok(existsSync(path.join(dir, 'w.bin')))
})

test('a file that cannot be written interrupts the download (done once)', async () => {
  const { ses } = fresh()
  const target = tempDir() // a folder: it cannot be opened as the file
  const srv = await fileServer(bytes(1000))
  let doneP
  const itemP = nextItem(ses, (item) => { doneP = done(item); item.setSavePath(target) })
  ses.downloadURL(srv.url + '/x.bin')
  const item = await itemP
  assert.equal(await doneP, 'interrupted')
  assert.equal(item.getState(), 'interrupted')
  assert.ok(statSync(target).isDirectory())
})

test('network emulation applies to downloads', async () => {
  const { ses } = fresh()
  const srv = await fileServer(bytes(1000))
  ses.enableNetworkEmulation({ offline: true })
  const itemP = nextItem(ses)
  ses.downloadURL(srv.url + '/x.bin')
  const item = await itemP
  assert.equal(await done(item), 'interrupted')
  assert.equal(srv.requests.length, 0)
  ses.disableNetworkEmulation()
})

test('a gzip-encoded response is saved decoded, its size unknown until the end', async () => {
  const { gzipSync } = await import('node:zlib')
  const { ses, dir } = fresh()
  const text = Buffer.from('hello downloads\n'.repeat(5000))
  const srv = await httpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
    res.end(gzipSync(text))
  })
  let totalSeen
  const itemP = nextItem(ses, (item) => { totalSeen = item.getTotalBytes() })
  ses.downloadURL(srv.url + '/notes.txt')
  const item = await itemP
  assert.equal(await done(item), 'completed')
  assert.equal(totalSeen, 0)
  assert.deepEqual(readFileSync(path.join(dir, 'notes.txt')), text)
  assert.equal(item.getTotalBytes(), text.length)
})

test('downloads go through the session proxy', async () => {
  const http = await import('node:http')
  const { ses, dir } = fresh()
  const data = bytes(200_000)
  const srv = await fileServer(data)
  const seen = []
  // Forwards absolute-form requests to 127.0.0.1, whatever the host name.
  const proxy = await httpServer((req, res) => {
    seen.push(req.url)
    const target = new URL(req.url)
    const out = http.request({ agent: false, host: '127.0.0.1', port: target.port, path: target.pathname, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers)
      up.pipe(res)
    })
    req.pipe(out)
  })
  await ses.setProxy({ proxyRules: `http=127.0.0.1:${proxy.server.address().port}` })
  const port = new URL(srv.url).port
  const itemP = nextItem(ses)
  ses.downloadURL(`http://files.test:${port}/via-proxy.bin`)
  const item = await itemP
  assert.equal(await done(item), 'completed')
  assert.deepEqual(seen, [`http://files.test:${port}/via-proxy.bin`])
  assert.deepEqual(readFileSync(path.join(dir, 'via-proxy.bin')), data)
})

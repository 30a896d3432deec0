// Network emulation. The throughput checks measure over more than a second,
// as the issue asks: the cap's accuracy is the feature under test.

import assert from 'node:assert/strict'
import { performance } from 'node:perf_hooks'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { httpServer, readBody } from './helpers/servers.mjs'

useTempProfile(app)

const KiB = 1024
const uploads = []
const { url } = await httpServer(async (req, res) => {
  if (req.url === '/upload') {
    const t0 = performance.now()
    const body = await readBody(req)
    uploads.push({ bytes: body.length, ms: performance.now() - t0, length: req.headers['content-length'] })
    return res.end('stored')
  }
  const size = Number(new URL(req.url, 'http://x').searchParams.get('size') ?? 16)
  res.writeHead(200, { 'content-length': String(size) })
  res.end(Buffer.alloc(size, 'x'))
})

let n = 0
const fresh = () => session.fromPartition(`emulation-${++n}`)

test('offline fails network requests with net::ERR_INTERNET_DISCONNECTED', async () => {
  const ses = fresh()
  ses.enableNetworkEmulation({ offline: true })
  await assert.rejects(ses.fetch(url), { message: 'net::ERR_INTERNET_DISCONNECTED' })
  assert.equal(await (await ses.fetch('data:,local')).text(), 'local', 'data: needs no network')
  assert.equal((await fresh().fetch(url)).status, 200, 'other sessions are online')
  ses.disableNetworkEmulation()
  assert.equal((await ses.fetch(url)).status, 200)
})

test('latency delays each request by at least its value', async () => {
  const ses = fresh()
  ses.enableNetworkEmulation({ latency: 300 })
  const t0 = performance.now()
  await (await ses.fetch(url)).arrayBuffer()
  assert.ok(performance.now() - t0 >= 300, `took ${performance.now() - t0} ms`)
  ses.disableNetworkEmulation()
})

test('downloadThroughput caps received bytes per second', async () => {
  const ses = fresh()
  const rate = 256 * KiB
  ses.enableNetworkEmulation({ downloadThroughput: rate })
  const t0 = performance.now()
  const body = await (await ses.fetch(`${url}/?size=${384 * KiB}`)).arrayBuffer()
  const seconds = (performance.now() - t0) / 1000
  assert.equal(body.byteLength, 384 * KiB)
  const measured = body.byteLength / seconds
  assert.ok(seconds >= 1, `measured over ${seconds} s`)
  assert.ok(Math.abs(measured / rate - 1) <= 0.1, `measured ${Math.round(measured)} B/s for a cap of ${rate} B/s`)
})

test('downloadThroughput is shared by the session\'s concurrent requests', async () => {
  const ses = fresh()
  const rate = 256 * KiB
  ses.enableNetworkEmulation({ downloadThroughput: rate })
  const t0 = performance.now()
  const sizes = await Promise.all([0, 1].map(async () => (await (await ses.fetch(`${url}/?size=${192 * KiB}`)).arrayBuffer()).byteLength))
  const seconds = (performance.now() - t0) / 1000
  const measured = (sizes[0] + sizes[1]) / seconds
  assert.ok(Math.abs(measured / rate - 1) <= 0.1, `measured ${Math.round(measured)} B/s together for a cap of ${rate} B/s`)
})

test('uploadThroughput caps sent bytes per second, with Content-Length kept', async () => {
  const ses = fresh()
  const rate = 128 * KiB
  ses.enableNetworkEmulation({ uploadThroughput: rate })
  uploads.length = 0
  const t0 = performance.now()
  const res = await ses.fetch(`${url}/upload`, { method: 'POST', body: new Uint8Array(192 * KiB) })
  assert.equal(await res.text(), 'stored')
  const seconds = (performance.now() - t0) / 1000
  assert.equal(uploads[0].bytes, 192 * KiB)
  assert.equal(uploads[0].length, String(192 * KiB))
  const measured = (192 * KiB) / seconds
  assert.ok(seconds >= 1, `measured over ${seconds} s`)
  assert.ok(Math.abs(measured / rate - 1) <= 0.1, `measured ${Math.round(measured)} B/s for a cap of ${rate} B/s`)
})

test('bad options are TypeErrors naming the option', () => {
  const ses = fresh()
  assert.throws(() => ses.enableNetworkEmulation(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => ses.enableNetworkEmulation({ offline: 'yes' }), { name: 'TypeError', message: 'Invalid value for options.offline: expected a boolean' })
  assert.throws(() => ses.enableNetworkEmulation({ latency: -5 }), { name: 'TypeError', message: 'Invalid value for options.latency: expected a number >= 0' })
  assert.throws(() => ses.enableNetworkEmulation({ downloadThroughput: '1M' }), { name: 'TypeError', message: /options\.downloadThroughput/ })
  assert.throws(() => ses.enableNetworkEmulation({ uploadThroughput: Infinity }), { name: 'TypeError', message: /options\.uploadThroughput/ })
})

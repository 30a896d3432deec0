// Host resolution. Names come from the host-resolver-rules switch and
// loopback: these tests never reach a real DNS server.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { httpServer } from './helpers/servers.mjs'

useTempProfile(app)
// Read by sessions when they are created, as Chromium reads it at start-up.
app.commandLine.appendSwitch('host-resolver-rules', 'MAP *.app.test 127.0.0.1, MAP gone.test ~NOTFOUND, MAP *.invalid ~NOTFOUND, EXCLUDE keep.app.test, MAP v6.test [::1]')

const { url } = await httpServer((req, res) => res.end(`host: ${req.headers.host}`))
const port = new URL(url).port

let n = 0
const fresh = () => session.fromPartition(`dns-${++n}`)

test('host-resolver-rules map names for requests; the Host header keeps the name', async () => {
  const res = await fresh().fetch(`http://api.app.test:${port}/`)
  assert.equal(await res.text(), `host: api.app.test:${port}`)
})

test('~NOTFOUND and EXCLUDE', async () => {
  const ses = fresh()
  await assert.rejects(ses.fetch(`http://gone.test:${port}/`), { message: 'net::ERR_NAME_NOT_RESOLVED' })
  await assert.rejects(ses.fetch('http://anything.invalid/'), { message: 'net::ERR_NAME_NOT_RESOLVED' })
  await assert.rejects(ses.resolveHost('keep.app.test', { source: 'localOnly' }), { message: 'net::ERR_DNS_CACHE_MISS' }, 'excluded names are not mapped')
})

test('resolveHost: endpoints, query types, literals and localhost', async () => {
  const ses = fresh()
  assert.deepEqual(await ses.resolveHost('www.app.test'), { endpoints: [{ address: '127.0.0.1', family: 'ipv4' }] })
  assert.deepEqual(await ses.resolveHost('v6.test'), { endpoints: [{ address: '::1', family: 'ipv6' }] })
  assert.deepEqual(await ses.resolveHost('localhost', { queryType: 'AAAA' }), { endpoints: [{ address: '::1', family: 'ipv6' }] })
  assert.deepEqual(await ses.resolveHost('localhost', { queryType: 'A', source: 'localOnly' }), { endpoints: [{ address: '127.0.0.1', family: 'ipv4' }] })
  assert.deepEqual(await ses.resolveHost('192.0.2.7'), { endpoints: [{ address: '192.0.2.7', family: 'ipv4' }] })
  await assert.rejects(ses.resolveHost('www.app.test', { queryType: 'AAAA' }), { message: 'net::ERR_NAME_NOT_RESOLVED' })
  await assert.rejects(ses.resolveHost('gone.test'), { message: 'net::ERR_NAME_NOT_RESOLVED' })
})

test('clearHostResolverCache resolves, and resolveHost rejects bad options', async () => {
  const ses = fresh()
  assert.equal(await ses.clearHostResolverCache(), undefined)
  assert.throws(() => ses.resolveHost(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => ses.resolveHost('x', { queryType: 'MX' }), { name: 'TypeError', message: /options\.queryType/ })
  assert.throws(() => ses.resolveHost('x', { source: 'carrier-pigeon' }), { name: 'TypeError', message: /options\.source/ })
  assert.throws(() => ses.resolveHost('x', { cacheUsage: false }), { name: 'TypeError', message: /options\.cacheUsage/ })
  assert.throws(() => ses.resolveHost('x', { secureDnsPolicy: 'always' }), { name: 'TypeError', message: /options\.secureDnsPolicy/ })
  assert.throws(() => ses.resolveHost('x', 'A'), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from A' })
})

import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

import { app, netLog, session, NetLog } from '../index.js'
import { tempDir, useTempProfile } from './helpers/profile.mjs'
import { httpServer } from './helpers/servers.mjs'

useTempProfile(app)
const dir = tempDir()

const { url } = await httpServer((req, res) => {
  if (req.url === '/redirect') {
    res.writeHead(302, { location: '/final' })
    return res.end()
  }
  res.setHeader('set-cookie', 'sid=secret-value')
  res.end('body bytes')
})

let n = 0
const fresh = () => session.fromPartition(`netlog-${++n}`)
const read = (file) => JSON.parse(readFileSync(file, 'utf8'))
const named = (log) => {
  const names = Object.fromEntries(Object.entries(log.constants.logEventTypes).map(([k, v]) => [v, k]))
  return log.events.map((e) => ({ ...e, name: names[e.type] }))
}

test('a NetLog file in Chrome\'s format with the request\'s events', async () => {
  const ses = fresh()
  assert.ok(ses.netLog instanceof NetLog)
  assert.equal(ses.netLog, ses.netLog)
  const file = path.join(dir, 'basic.json')
  assert.equal(ses.netLog.currentlyLogging, false)
  await ses.netLog.startLogging(file)
  assert.equal(ses.netLog.currentlyLogging, true)
  await (await ses.fetch(`${url}/redirect`, { headers: { Cookie: 'mine=1' } })).text()
  await ses.fetch('http://127.0.0.1:1/').catch(() => {})
  await ses.netLog.stopLogging()
  assert.equal(ses.netLog.currentlyLogging, false)

  const log = read(file)
  assert.equal(log.constants.logFormatVersion, 1)
  assert.deepEqual(log.constants.logEventPhase, { PHASE_NONE: 0, PHASE_BEGIN: 1, PHASE_END: 2 })
  assert.equal(log.constants.netError.ERR_CONNECTION_REFUSED, -102)
  assert.equal(typeof log.constants.timeTickOffset, 'string')
  const events = named(log)
  for (const e of events) {
    assert.equal(typeof e.time, 'string')
    assert.equal(typeof e.source.id, 'number')
  }
  const first = events.filter((e) => e.source.id === events[0].source.id)
  assert.deepEqual(first.map((e) => `${e.name}:${e.phase}`), [
    'REQUEST_ALIVE:1',
    'URL_REQUEST_START_JOB:1', 'HTTP_TRANSACTION_SEND_REQUEST_HEADERS:0', 'HTTP_TRANSACTION_READ_RESPONSE_HEADERS:0',
    'URL_REQUEST_REDIRECTED:0', 'URL_REQUEST_START_JOB:2',
    'URL_REQUEST_START_JOB:1', 'HTTP_TRANSACTION_SEND_REQUEST_HEADERS:0', 'HTTP_TRANSACTION_READ_RESPONSE_HEADERS:0', 'URL_REQUEST_START_JOB:2',
    'URL_REQUEST_JOB_FILTERED_BYTES_READ:0', 'REQUEST_ALIVE:2'
  ])
  assert.equal(first[0].params.url, `${url}/redirect`)
  assert.equal(first[2].params.line, 'GET /redirect HTTP/1.1\r\n')
  assert.ok(first[2].params.headers.includes('Cookie: [6 bytes were stripped]'), first[2].params.headers.join('|'))
  assert.equal(first[3].params.headers[0], 'HTTP/1.1 302 Found')
  assert.equal(first[4].params.location, `${url}/final`)
  assert.ok(first[8].params.headers.includes('set-cookie: [16 bytes were stripped]'))
  assert.equal(first[10].params.byte_count, 10)
  assert.equal(first[10].params.bytes, undefined, 'bytes only in everything mode')
  const failed = events.filter((e) => e.name === 'FAILED')
  assert.equal(failed.length, 1)
  assert.equal(failed[0].params.net_error, -102)
})

test('captureMode includeSensitive keeps cookies; everything adds the bytes', async () => {
  const ses = fresh()
  for (const captureMode of ['includeSensitive', 'everything']) {
    const file = path.join(dir, `${captureMode}.json`)
    await ses.netLog.startLogging(file, { captureMode })
    await (await ses.fetch(`${url}/final`)).text()
    await ses.netLog.stopLogging()
    const events = named(read(file))
    const received = events.find((e) => e.name === 'HTTP_TRANSACTION_READ_RESPONSE_HEADERS')
    assert.ok(received.params.headers.includes('set-cookie: sid=secret-value'), captureMode)
    const bytes = events.find((e) => e.name === 'URL_REQUEST_JOB_FILTERED_BYTES_READ')
    assert.equal(bytes.params.bytes === undefined, captureMode !== 'everything')
    if (captureMode === 'everything') assert.equal(Buffer.from(bytes.params.bytes, 'base64').toString(), 'body bytes')
  }
})

test('maxFileSize bounds the file, which stays valid JSON', async () => {
  const ses = fresh()
  const file = path.join(dir, 'bounded.json')
  await ses.netLog.startLogging(file, { maxFileSize: 8192 })
  for (let i = 0; i < 40; i++) await (await ses.fetch(`${url}/final?${i}`)).text()
  await ses.netLog.stopLogging()
  assert.ok(statSync(file).size <= 8192 + 64, `${statSync(file).size} bytes`)
  const log = read(file)
  assert.ok(log.events.length > 0 && log.events.length < 40 * 8, `${log.events.length} events`)
})

test('start twice, stop twice, and bad arguments', async () => {
  const ses = fresh()
  await assert.rejects(ses.netLog.stopLogging(), { message: 'No net log in progress' })
  await ses.netLog.startLogging(path.join(dir, 'twice.json'))
  await assert.rejects(ses.netLog.startLogging(path.join(dir, 'other.json')), { message: 'There is already a net log running' })
  await ses.netLog.stopLogging()
  assert.throws(() => ses.netLog.startLogging(), { name: 'TypeError', message: 'The first parameter must be a valid string' })
  assert.throws(() => ses.netLog.startLogging(''), { name: 'TypeError', message: 'The first parameter must be a valid string' })
  assert.throws(() => ses.netLog.startLogging('x.json', { captureMode: 'verbose' }), { name: 'TypeError', message: 'Invalid value for captureMode' })
  assert.throws(() => ses.netLog.startLogging('x.json', { maxFileSize: '1MB' }), { name: 'TypeError', message: 'Invalid value for maxFileSize' })
  await assert.rejects(ses.netLog.startLogging(path.join(dir, 'missing-dir', 'x.json')), { message: /Failed to create net log file/ })
  assert.throws(() => new NetLog(), TypeError)
})

test('the module-level netLog logs the default session', async () => {
  const file = path.join(dir, 'default.json')
  await netLog.startLogging(file)
  assert.equal(netLog.currentlyLogging, true)
  assert.equal(session.defaultSession.netLog.currentlyLogging, true)
  await (await session.defaultSession.fetch(`${url}/final`)).text()
  await netLog.stopLogging()
  assert.ok(named(read(file)).some((e) => e.name === 'REQUEST_ALIVE'))
})

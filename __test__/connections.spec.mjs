import assert from 'node:assert/strict'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { deferred, httpServer } from './helpers/servers.mjs'

useTempProfile(app)

let n = 0
const fresh = () => session.fromPartition(`connections-${++n}`)

// A server that counts connections and reports each socket's close.
async function countingServer (handler) {
  const state = { opened: 0, closed: [] , onClose: deferred() }
  const s = await httpServer(handler)
  s.server.on('connection', (socket) => {
    const id = ++state.opened
    socket.on('close', () => { state.closed.push(id); state.onClose.resolve(id); state.onClose = deferred() })
  })
  return { ...s, state }
}

test('closeAllConnections fails requests in flight with net::ERR_ABORTED', async () => {
  const arrived = deferred()
  const { url, state } = await countingServer((req, res) => {
    if (req.url === '/stall') return arrived.resolve()
    res.end('ok')
  })
  const ses = fresh()
  const other = fresh()
  const inFlight = ses.fetch(`${url}/stall`)
  const elsewhere = other.fetch(`${url}/fine`)
  await arrived.promise
  const closed = state.onClose.promise
  const failed = assert.rejects(inFlight, { message: 'net::ERR_ABORTED' })
  await ses.closeAllConnections()
  await failed
  await closed
  assert.equal(await (await elsewhere).text(), 'ok', 'other sessions are not touched')
  assert.equal(await (await ses.fetch(`${url}/after`)).text(), 'ok', 'the session works afterwards')
})

test('closeAllConnections closes pooled sockets; the next request opens a new one', async () => {
  const { url, state } = await countingServer((req, res) => res.end('ok'))
  const ses = fresh()
  await (await ses.fetch(url)).text()
  await (await ses.fetch(url)).text()
  assert.equal(state.opened, 1, 'keep-alive reuses the pooled socket')
  const closed = state.onClose.promise
  await ses.closeAllConnections()
  assert.equal(await closed, 1, 'the pooled socket is closed')
  await (await ses.fetch(url)).text()
  assert.equal(state.opened, 2)
})

test('closeAllConnections also ends a body being streamed', async () => {
  const sent = deferred()
  const { url } = await countingServer((req, res) => {
    res.writeHead(200, { 'content-length': '1000' })
    res.write('x'.repeat(10))
    sent.resolve()
  })
  const ses = fresh()
  const res = await ses.fetch(url)
  await sent.promise
  const reader = res.body.getReader()
  await reader.read()
  const failed = assert.rejects(reader.read(), { message: 'net::ERR_ABORTED' })
  await ses.closeAllConnections()
  await failed
})

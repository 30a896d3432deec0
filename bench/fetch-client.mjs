// One client of bench/fetch.mjs, in a process of its own, so that what one
// client leaves behind (its garbage, and the pace it sets for V8's
// collector) is not measured as another's. Loads only its own client, then
// answers each `{ url, total, concurrency, stream }` message with what a
// run measured: requests, bytes, wall time, latencies and its CPU time.
//
//   fork('fetch-client.mjs', ['electron-session' | 'undici.fetch' | 'node fetch' | 'node:http'])

import http from 'node:http'
import os from 'node:os'
import { performance } from 'node:perf_hooks'

const name = process.argv[2]

async function drain (res, onChunk) {
  const reader = res.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onChunk(value)
  }
}
// A fetch's body, whole with `arrayBuffer()` or chunk by chunk (`stream`).
const bodyOf = (res, onChunk, stream) => (stream ? drain(res, onChunk) : res.arrayBuffer().then((b) => onChunk(new Uint8Array(b))))

// Each client fetches a URL and hands its body to onChunk.
async function makeClient () {
  switch (name) {
    case 'electron-session': {
      const { app, session } = await import('../index.js')
      app.setPath('userData', os.tmpdir()) // an in-memory session below; nothing is written
      await app.whenReady()
      const ses = session.fromPartition('bench-fetch')
      return async (u, onChunk, stream) => bodyOf(await ses.fetch(u), onChunk, stream)
    }
    case 'undici.fetch': {
      const { fetch } = await import('undici')
      return async (u, onChunk, stream) => bodyOf(await fetch(u), onChunk, stream)
    }
    case 'node fetch':
      return async (u, onChunk, stream) => bodyOf(await fetch(u), onChunk, stream)
    case 'node:http': {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
      return (u, onChunk) => new Promise((resolve, reject) => {
        http.get(u, { agent }, (res) => {
          res.on('data', onChunk)
          res.on('end', resolve)
          res.on('error', reject)
        }).on('error', reject)
      })
    }
    default:
      throw new Error(`unknown client: ${name}`)
  }
}
const client = await makeClient()

async function run ({ url, total, concurrency, stream }) {
  const latencies = []
  let bytes = 0
  let next = 0
  const onChunk = (c) => { bytes += c.length }
  const worker = async () => {
    while (next < total) {
      next++
      const t = performance.now()
      await client(url, onChunk, stream)
      latencies.push(performance.now() - t)
    }
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  latencies.sort((a, b) => a - b)
  return {
    rps: total / (ms / 1000),
    mibps: bytes / 1048576 / (ms / 1000),
    ms,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
    cpuUs: (cpu.user + cpu.system) / total
  }
}

process.on('message', async (m) => {
  try {
    process.send(await run(m))
  } catch (e) {
    process.send({ error: e.message })
  }
})
process.send({ ready: true })

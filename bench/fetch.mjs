// ses.fetch against the clients a Node user would otherwise pick, on one
// loopback server in another process (see ../shared/notes/bench.md):
// 1 KiB GETs at concurrency 1 and 64, 1 MiB GETs at concurrency 8, and one
// 100 MiB body read as a stream (with curl as the near-limit reference).
// Clients run interleaved in rounds; medians of the rounds are printed with
// ratios to undici's fetch. Prints figures; never fails.

import { fork } from 'node:child_process'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

import { fetch as undiciFetch } from 'undici'

import { app, session } from '../index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

app.setPath('userData', os.tmpdir()) // an in-memory session below; nothing is written
await app.whenReady()
const ses = session.fromPartition('bench-fetch')

const server = fork(path.join(here, 'server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { ports } = await new Promise((resolve) => server.once('message', resolve))
const serverCpu = () => new Promise((resolve) => { server.once('message', (m) => resolve(m.cpuUs)); server.send('cpu') })
const url = (size) => `http://127.0.0.1:${ports[size]}/${size}`

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
function nodeHttp (u, onChunk) {
  return new Promise((resolve, reject) => {
    http.get(u, { agent }, (res) => {
      res.on('data', onChunk)
      res.on('end', resolve)
      res.on('error', reject)
    }).on('error', reject)
  })
}

async function drain (res, onChunk) {
  const reader = res.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onChunk(value)
  }
}

// Each client fetches a URL and hands the body to onChunk: whole, with
// `arrayBuffer()`, or chunk by chunk through the body stream (`stream`).
const whole = async (res, onChunk) => onChunk(new Uint8Array(await res.arrayBuffer()))
const clients = {
  'electron-session': async (u, onChunk, stream) => (stream ? drain : whole)(await ses.fetch(u), onChunk),
  'undici.fetch': async (u, onChunk, stream) => (stream ? drain : whole)(await undiciFetch(u), onChunk),
  'node fetch': async (u, onChunk, stream) => (stream ? drain : whole)(await fetch(u), onChunk),
  'node:http': nodeHttp
}

async function run (client, size, total, concurrency, stream) {
  const latencies = []
  let bytes = 0
  let next = 0
  const onChunk = (c) => { bytes += c.length }
  const worker = async () => {
    while (next < total) {
      next++
      const t = performance.now()
      await client(url(size), onChunk, stream)
      latencies.push(performance.now() - t)
    }
  }
  const cpu0 = process.cpuUsage()
  const s0 = await serverCpu()
  const t0 = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const serverShare = (await serverCpu() - s0) / 1000 / ms
  latencies.sort((a, b) => a - b)
  return {
    rps: total / (ms / 1000),
    mibps: bytes / 1048576 / (ms / 1000),
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
    cpuUs: (cpu.user + cpu.system) / total,
    serverShare
  }
}

// curl runs from a helper process (see bench/curl.mjs: spawning it from
// here would slow the next client's reads); forked now, before any timing.
const curlTimer = fork(path.join(here, 'curl.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
await new Promise((resolve) => curlTimer.once('message', resolve))
function curl (size) {
  return new Promise((resolve, reject) => {
    curlTimer.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(100 / (m.ms / 1000))))
    curlTimer.send({ url: url(size) })
  })
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const workloads = [
  { name: '1 KiB GET, concurrency 1, arrayBuffer()', size: '1k', total: 3000, concurrency: 1, metric: 'rps' },
  { name: '1 KiB GET, concurrency 64, arrayBuffer()', size: '1k', total: 20000, concurrency: 64, metric: 'rps' },
  { name: '1 MiB GET, concurrency 8, arrayBuffer()', size: '1m', total: 400, concurrency: 8, metric: 'mibps' },
  { name: '1 MiB GET, concurrency 8, read as a stream', size: '1m', total: 400, concurrency: 8, metric: 'mibps', stream: true },
  { name: '100 MiB body read as a stream', size: '100m', total: 1, concurrency: 1, metric: 'mibps', stream: true, curl: true }
]

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at start; ${ROUNDS} interleaved rounds, medians`)
// BENCH_ONLY=text runs only the workloads whose name contains it.
for (const w of workloads.filter((x) => !process.env.BENCH_ONLY || x.name.includes(process.env.BENCH_ONLY))) {
  const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]))
  if (w.curl) results.curl = []
  // Warm-up: a tenth of a round, and at least three requests, so that the
  // one-request 100 MiB stream is measured warm too (each client's first
  // long bodies also pay for memory the allocator had not handed out yet).
  for (const client of Object.values(clients)) await run(client, w.size, Math.max(3, Math.ceil(w.total / 10)), w.concurrency, w.stream)
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, client] of Object.entries(clients)) results[name].push(await run(client, w.size, w.total, w.concurrency, w.stream))
    if (w.curl) results.curl.push({ mibps: await curl(w.size) })
  }
  const peer = median(results['undici.fetch'].map((x) => x[w.metric]))
  console.log(`\n${w.name} (${w.metric === 'rps' ? 'requests/s' : 'MiB/s'}; load average ${os.loadavg()[0].toFixed(2)})`)
  for (const [name, rs] of Object.entries(results)) {
    const v = median(rs.map((x) => x[w.metric]))
    const extra = name === 'curl'
      ? ''
      : `  p50 ${median(rs.map((x) => x.p50)).toFixed(2)} ms  p99 ${median(rs.map((x) => x.p99)).toFixed(2)} ms  client CPU ${median(rs.map((x) => x.cpuUs)).toFixed(0)} µs/req  server CPU ${(median(rs.map((x) => x.serverShare)) * 100).toFixed(0)}%`
    console.log(`  ${name.padEnd(17)} ${v.toFixed(w.metric === 'rps' ? 0 : 1).padStart(9)}  ratio to undici ${(v / peer).toFixed(2)}${extra}`)
  }
  if (w.curl) {
    const ours = median(results['electron-session'].map((x) => x.mibps))
    console.log(`  electron-session / curl: ${(ours / median(results.curl.map((x) => x.mibps))).toFixed(2)}`)
  }
}
server.kill()
curlTimer.kill()
agent.destroy()

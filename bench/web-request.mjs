// What webRequest listeners cost: 1 KiB GETs at concurrency 64 from one
// session with no listener, with a listener whose filter matches nothing
// (no JavaScript runs), with one onBeforeRequest listener, and with all
// eight listeners (six of which a plain GET meets). The overhead per event
// is the extra wall time per request divided by the events it met.
// Sessions run interleaved in rounds; medians are printed. Never fails.

import { fork } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

import { app, session } from '../index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const TOTAL = 20000
const CONCURRENCY = 64

app.setPath('userData', os.tmpdir()) // in-memory sessions; nothing is written
await app.whenReady()

const server = fork(path.join(here, 'server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { ports } = await new Promise((resolve) => server.once('message', resolve))
const url = `http://127.0.0.1:${ports['1k']}/1k`

const EIGHT = ['onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived',
  'onResponseStarted', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred']
const BLOCKING = new Set(['onBeforeRequest', 'onBeforeSendHeaders', 'onHeadersReceived'])

function listen (ses, names, filter = { urls: ['<all_urls>'] }) {
  let events = 0
  for (const name of names) {
    ses.webRequest[name](filter, BLOCKING.has(name)
      ? (details, callback) => { events++; callback({}) }
      : () => { events++ })
  }
  return () => events
}

const setups = {
  'no listener': { ses: session.fromPartition('bench-wr-none'), events: () => 0 },
  'filter matches nothing': (() => {
    const ses = session.fromPartition('bench-wr-miss')
    return { ses, events: listen(ses, EIGHT, { urls: ['https://elsewhere.example/*'] }) }
  })(),
  'one onBeforeRequest': (() => {
    const ses = session.fromPartition('bench-wr-one')
    return { ses, events: listen(ses, ['onBeforeRequest']) }
  })(),
  'all eight listeners': (() => {
    const ses = session.fromPartition('bench-wr-all')
    return { ses, events: listen(ses, EIGHT) }
  })()
}

async function run ({ ses, events }, total) {
  let next = 0
  const e0 = events()
  const worker = async () => {
    while (next < total) {
      next++
      await (await ses.fetch(url)).arrayBuffer()
    }
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { rps: total / (ms / 1000), usPerReq: (ms * 1000) / total, cpuUs: (cpu.user + cpu.system) / total, eventsPerReq: (events() - e0) / total }
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; 1 KiB GETs, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds, medians`)
const results = Object.fromEntries(Object.keys(setups).map((k) => [k, []]))
for (const s of Object.values(setups)) await run(s, 2000) // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, s] of Object.entries(setups)) results[name].push(await run(s, TOTAL))
}
const base = median(results['no listener'].map((x) => x.usPerReq))
const baseCpu = median(results['no listener'].map((x) => x.cpuUs))
for (const [name, rs] of Object.entries(results)) {
  const rps = median(rs.map((x) => x.rps))
  const us = median(rs.map((x) => x.usPerReq))
  const cpu = median(rs.map((x) => x.cpuUs))
  const events = median(rs.map((x) => x.eventsPerReq))
  const perEvent = events > 0 ? `  overhead ${((us - base) / events).toFixed(1)} µs/event wall, ${((cpu - baseCpu) / events).toFixed(1)} µs/event CPU (${events.toFixed(1)} events/request)` : ''
  console.log(`  ${name.padEnd(24)} ${rps.toFixed(0).padStart(7)} requests/s  ratio ${(us === 0 ? 0 : base / us).toFixed(2)}  CPU ${cpu.toFixed(0)} µs/req${perEvent}`)
}
server.kill()

// ses.fetch against the clients a Node user would otherwise pick, on one
// loopback server in another process (see ../shared/notes/bench.md):
// 1 KiB GETs at concurrency 1 and 64, 1 MiB GETs at concurrency 8, and one
// 100 MiB body read as a stream (with curl as the near-limit reference).
// Each client runs in a process of its own; they take turns in rounds, and
// medians of the rounds are printed with ratios to undici's fetch. Prints
// figures; never fails.

import { fork } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

const server = fork(path.join(here, 'server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { ports } = await new Promise((resolve) => server.once('message', resolve))
const serverCpu = () => new Promise((resolve) => { server.once('message', (m) => resolve(m.cpuUs)); server.send('cpu') })
const url = (size) => `http://127.0.0.1:${ports[size]}/${size}`

// Every client runs in a process of its own (bench/fetch-client.mjs),
// forked now, before any timing. In one shared process, whichever client
// ran before set the pace of V8's collector for the next: after one 100 MiB
// body read with undici's or Node's fetch, mark-compacts came about four
// times as often for the rest of the process's life (about 60 against 16
// over 16 of our 100 MiB streams), each of which then took 60-65 ms
// instead of 38-40.
const names = ['electron-session', 'undici.fetch', 'node fetch', 'node:http']
const workers = {}
for (const name of names) {
  const w = fork(path.join(here, 'fetch-client.mjs'), [name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  await new Promise((resolve) => w.once('message', resolve))
  workers[name] = w
}
function ask (w, message) {
  return new Promise((resolve, reject) => {
    w.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m)))
    w.send(message)
  })
}

// One run of a client; the server's CPU share is taken around it.
async function run (name, size, total, concurrency, stream) {
  const s0 = await serverCpu()
  const r = await ask(workers[name], { url: url(size), total, concurrency, stream: stream === true })
  return { ...r, serverShare: (await serverCpu() - s0) / 1000 / r.ms }
}

// curl runs from a helper process too (see bench/curl.mjs).
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
  // One request a round is the noisiest measure: it gets more rounds.
  { name: '100 MiB body read as a stream', size: '100m', total: 1, concurrency: 1, metric: 'mibps', stream: true, curl: true, rounds: 3 * ROUNDS }
]

console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at start; ${ROUNDS} interleaved rounds (${3 * ROUNDS} for the 100 MiB stream), medians`)
// BENCH_ONLY=text runs only the workloads whose name contains it.
for (const w of workloads.filter((x) => !process.env.BENCH_ONLY || x.name.includes(process.env.BENCH_ONLY))) {
  const results = Object.fromEntries(names.map((k) => [k, []]))
  if (w.curl) results.curl = []
  // Warm-up: a tenth of a round, and at least three requests, so that the
  // one-request 100 MiB stream is measured warm too (each client's first
  // long bodies also pay for memory the allocator had not handed out yet).
  for (const name of names) await run(name, w.size, Math.max(3, Math.ceil(w.total / 10)), w.concurrency, w.stream)
  for (let r = 0; r < (w.rounds ?? ROUNDS); r++) {
    for (const name of names) results[name].push(await run(name, w.size, w.total, w.concurrency, w.stream))
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
for (const w of Object.values(workers)) w.kill()

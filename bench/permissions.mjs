// Cost of asking JavaScript from the core: a permission request answered by
// a JS handler (one round trip Rust -> JS thread -> Rust) against the same
// handler called directly from JavaScript (a reference, not a peer: nothing
// else answers Electron permission questions), and against the native default
// (no handler: no JavaScript runs). Prints rates and ratios; never fails.
//
//   npm run bench (all benchmarks) or node bench/permissions.mjs

import os from 'node:os'
import { performance } from 'node:perf_hooks'

import { app, session } from '../index.js'
import { createWebContents } from '../testing.js'

const ROUNDS = 5
const PER_ROUND = 20000
const CONCURRENCY = 64

app.setPath('userData', os.tmpdir()) // in-memory sessions only; nothing is written
await app.whenReady()

const handler = (_wc, permission, callback) => callback(permission === 'notifications')

const bare = createWebContents({ session: session.fromPartition('bench-default'), url: 'https://example.com/' })
const hooked = createWebContents({ session: session.fromPartition('bench-hook'), url: 'https://example.com/' })
hooked.session.setPermissionRequestHandler(handler)

const direct = {
  // Reference: the same handler called from JavaScript with no native hop.
  requestPermission: (permission) => new Promise((resolve) => handler(null, permission, resolve))
}

async function measure (target) {
  let next = 0
  const worker = async () => {
    while (next < PER_ROUND) {
      next++
      await target.requestPermission('notifications')
    }
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { rate: PER_ROUND / (ms / 1000), cpuUsPerOp: (cpu.user + cpu.system) / PER_ROUND }
}

const clients = { 'native default (no JS)': bare, 'JS handler via core': hooked, 'in-process JS call (ref)': direct }
const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]))
for (const target of Object.values(clients)) await measure(target) // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, target] of Object.entries(clients)) results[name].push(await measure(target))
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`permission requests, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds of ${PER_ROUND}; load average ${os.loadavg()[0].toFixed(2)}`)
const rateOf = (name) => median(results[name].map((x) => x.rate))
const native = rateOf('native default (no JS)')
for (const [name, rs] of Object.entries(results)) {
  const rate = rateOf(name)
  const cpu = median(rs.map((x) => x.cpuUsPerOp))
  console.log(`${name.padEnd(26)} ${Math.round(rate).toString().padStart(9)} req/s  ${cpu.toFixed(2).padStart(7)} µs CPU/req  ratio to native ${(rate / native).toFixed(3)}`)
}
const hopUs = (1 / rateOf('JS handler via core') - 1 / native) * 1e6
console.log(`cost of one question answered in JavaScript: ${hopUs.toFixed(2)} µs of wall time per request at concurrency ${CONCURRENCY}`)

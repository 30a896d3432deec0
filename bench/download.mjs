// A 1 GiB download from a loopback server (in its own process) with
// ses.downloadURL, against `curl -o` on the same server in the same run.
// Prints each run's throughput, the ratio to curl (target: at least 0.9)
// and this process's peak RSS (memory must stay flat: the file is never
// held in memory). Figures are approximate on a loaded machine. Never fails.
//   node bench/download.mjs        (BENCH_ROUNDS=3 for more rounds)

import { spawn, fork } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

import { app, session } from '../index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1)
const SIZE = 1024 * 1024 * 1024

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-download-'))
app.setPath('userData', dir)
await app.whenReady()
const ses = session.fromPartition('bench-download')

const server = fork(path.join(here, 'server.mjs'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const { ports } = await new Promise((resolve) => server.once('message', resolve))
const url = `http://127.0.0.1:${ports['1g']}/1g`

function curl (out) {
  return new Promise((resolve, reject) => {
    const p = spawn('curl', ['-s', '-o', out, url], { stdio: 'ignore' })
    p.on('error', reject)
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`curl exited with ${code}`))))
  })
}

function ours (out) {
  return new Promise((resolve, reject) => {
    ses.once('will-download', (event, item) => {
      item.setSavePath(out)
      item.once('done', (e, state) => (state === 'completed' ? resolve() : reject(new Error(`download ${state}`))))
    })
    ses.downloadURL(url)
  })
}

async function timed (name, run) {
  const out = path.join(dir, `${name}.bin`)
  const start = performance.now()
  await run(out)
  const seconds = (performance.now() - start) / 1000
  const size = statSync(out).size
  rmSync(out)
  if (size !== SIZE) throw new Error(`${name} wrote ${size} bytes`)
  return SIZE / seconds
}

const mib = (bps) => (bps / (1024 * 1024)).toFixed(0)
const rssBefore = process.memoryUsage().rss
const results = { curl: [], ours: [] }
try {
  for (let round = 0; round < ROUNDS; round++) {
    results.curl.push(await timed('curl', curl))
    results.ours.push(await timed('ours', ours))
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const c = median(results.curl)
  const o = median(results.ours)
  console.log(`1 GiB download, ${ROUNDS} round(s), medians:`)
  console.log(`  curl -o          ${mib(c)} MiB/s`)
  console.log(`  ses.downloadURL  ${mib(o)} MiB/s   ratio to curl ${(o / c).toFixed(2)} (target >= 0.90)`)
  const peak = process.resourceUsage().maxRSS * 1024
  console.log(`  peak RSS ${(peak / 1048576).toFixed(0)} MiB (${(rssBefore / 1048576).toFixed(0)} MiB before the first download)`)
} catch (e) {
  console.log(`download benchmark failed: ${e.message}`)
} finally {
  server.kill()
  rmSync(dir, { recursive: true, force: true })
}

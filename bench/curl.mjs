// Times `curl -o /dev/null` downloads for bench/fetch.mjs, from a process of
// its own. Spawning curl from the measuring process would fork that process:
// every page of its memory becomes copy-on-write until curl execs, and the
// next reads into buffers already in use fault on each page they write
// (about 20,000 faults, half the speed, for a 100 MiB body read right after
// a spawn). Answers each `{ url }` message with `{ ms }` or `{ error }`.

import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'

process.on('message', ({ url }) => {
  const t0 = performance.now()
  const p = spawn('curl', ['-s', '-o', '/dev/null', url])
  p.on('error', (e) => process.send({ error: e.message }))
  p.on('exit', (code) => process.send(code === 0 ? { ms: performance.now() - t0 } : { error: `curl exited ${code}` }))
})
process.send({ ready: true })

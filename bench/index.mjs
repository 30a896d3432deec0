// Runs every benchmark, one process each, one after the other.
//   npm run bench

import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
for (const name of ['fetch.mjs', 'web-request.mjs', 'protocol.mjs', 'download.mjs', 'proxy.mjs', 'cookies.mjs', 'permissions.mjs']) {
  console.log(`\n=== ${name}`)
  const r = spawnSync(process.execPath, [path.join(here, name)], { stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = r.status ?? 1
}

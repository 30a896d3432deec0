// The whole test suite: core rules (cargo test), then the addon built in
// debug mode and exercised through the public entry (node --test), which
// also runs the typings check. Exits non-zero at the first failing step.

import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

function run (cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

// `napi build` compiles for the host triple explicitly; testing the core for
// the same triple shares one target folder, so dependencies build once.
const host = spawnSync('rustc', ['-vV'], { encoding: 'utf8' }).stdout.match(/^host: (.+)$/m)[1]

run('cargo', ['test', '-p', 'electron-session-core', '--target', host])
run('npm', ['run', '--silent', 'build:debug'])
const specs = readdirSync(path.join(root, '__test__')).filter((f) => f.endsWith('.spec.mjs')).sort()
run(process.execPath, ['--test', ...specs.map((f) => path.join('__test__', f))])

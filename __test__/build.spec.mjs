// The package as built: what it links, what it contains, and its typings.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import binding from '../binding.js'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

function addonPath () {
  const name = readdirSync(root).find((f) => f.endsWith('.node'))
  assert.ok(name, 'a built .node file at the package root')
  return path.join(root, name)
}

test('the addon links nothing but the C runtime', { skip: process.platform !== 'linux' && 'ldd is Linux-only' }, () => {
  const out = execFileSync('ldd', [addonPath()], { encoding: 'utf8' })
  const libs = out.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean)
  const allowed = /^(linux-vdso\.so\.\d+|linux-gate\.so\.\d+|libc\.so\.\d+|libm\.so\.\d+|libgcc_s\.so\.\d+|libpthread\.so\.\d+|libdl\.so\.\d+|librt\.so\.\d+|\/lib\d*\/ld-linux[-\w.]*\.so\.\d+|ld-linux[-\w.]*\.so\.\d+)$/
  assert.ok(libs.length >= 2, out)
  for (const lib of libs) assert.match(lib, allowed, `unexpected dynamic library: ${lib}\n${out}`)
})

test('every native backend is compiled in and starts or fails cleanly', async () => {
  const backends = await binding._nativeBackends()
  assert.deepEqual(backends.map((b) => b.name), ['sqlite', 'rustls', 'http', 'hidapi', 'serialport', 'libusb', 'spellbook', 'btleplug'])
  for (const b of backends) {
    assert.equal(typeof b.detail, 'string')
    assert.ok(!/panicked|in time/.test(b.detail), `${b.name}: ${b.detail}`)
  }
  for (const name of ['sqlite', 'rustls', 'http', 'spellbook']) {
    const b = backends.find((x) => x.name === name)
    assert.ok(b.ok, `${name} must start without hardware: ${b.detail}`)
  }
})

test('the core crate never imports napi', () => {
  const files = readdirSync(path.join(root, 'crates/core/src'), { recursive: true }).filter((f) => f.endsWith('.rs'))
  assert.ok(files.length > 5)
  for (const f of files) {
    const text = readFileSync(path.join(root, 'crates/core/src', f), 'utf8')
    assert.doesNotMatch(text, /(^|[^a-z_])napi(_derive)?::|#\[napi/m, f)
  }
  const manifest = readFileSync(path.join(root, 'crates/core/Cargo.toml'), 'utf8')
  assert.doesNotMatch(manifest, /^napi/m, 'crates/core/Cargo.toml depends on napi')
})

test("typings: our Session and Electron's are mutually assignable for what we implement", () => {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(root, '__test__/types/tsconfig.json')], { encoding: 'utf8' })
  } catch (e) {
    assert.fail(`tsc reported errors:\n${e.stdout}${e.stderr}`)
  }
})

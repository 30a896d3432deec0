// An in-memory session writes nothing anywhere: checked in a child process
// whose every well-known folder (home, config, temp, cwd) is a fresh empty one.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { listTree, tempDir } from './helpers/profile.mjs'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

test('an in-memory session creates no file or folder anywhere', () => {
  const sandbox = tempDir()
  const dirs = Object.fromEntries(['home', 'config', 'tmp', 'cwd'].map((d) => [d, path.join(sandbox, d)]))
  for (const d of Object.values(dirs)) mkdirSync(d)
  const script = `
    const { app, session } = require(${JSON.stringify(root)})
    const { createWebContents } = require(${JSON.stringify(path.join(root, 'testing.js'))})
    const s = session.fromPartition('in-memory-only')
    s.setUserAgent('x/1', 'en')
    s.setPreloads(['/a.js'])
    s.setPermissionRequestHandler((wc, p, cb) => cb(true))
    const wc = createWebContents({ session: s, url: 'https://example.com/' })
    Promise.all([wc.requestPermission('midi'), wc.checkPermission('hid'), s.clearCodeCaches({}), app.whenReady()])
      .then(([granted]) => { if (!granted || s.getStoragePath() !== null) process.exit(2) })
  `
  execFileSync(process.execPath, ['-e', script], {
    cwd: dirs.cwd,
    env: { PATH: process.env.PATH, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, TMPDIR: dirs.tmp },
    stdio: 'inherit'
  })
  assert.deepEqual(listTree(sandbox), ['config', 'cwd', 'home', 'tmp'])
})

test('a persistent session reports its path but creates its folder only when it stores something', () => {
  const sandbox = tempDir()
  const config = path.join(sandbox, 'config')
  const script = `
    const { session } = require(${JSON.stringify(root)})
    const s = session.fromPartition('persist:later')
    console.log(s.getStoragePath())
  `
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: sandbox,
    env: { PATH: process.env.PATH, HOME: sandbox, XDG_CONFIG_HOME: config },
    encoding: 'utf8'
  })
  assert.equal(out.trim(), path.join(config, 'Electron', 'Partitions', 'later'))
  assert.deepEqual(listTree(sandbox), [])
})

// Temporary folders for tests: each is removed when its test file ends.

import { mkdtempSync, rmSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after } from 'node:test'

export function tempDir (prefix = 'electron-session-test-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

// Points app.getPath('userData') at a fresh folder, so nothing a test does
// lands in the real profile.
export function useTempProfile (app) {
  const dir = tempDir()
  app.setPath('userData', dir)
  return dir
}

// Every file and folder under `dir`, relative to it.
export function listTree (dir) {
  return readdirSync(dir, { recursive: true }).sort()
}

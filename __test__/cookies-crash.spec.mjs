// Durability under kill -9: once `cookies.flushStore()` resolves, the
// cookies survive the process being killed at any moment, and the database
// always reopens.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { tempDir } from './helpers/profile.mjs'

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'cookie-child.mjs')
const KILLS = 50
const AT_ONCE = 2

function spawnChild (args) {
  return spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
}

// Starts a writer, kills it with SIGKILL at a random moment after it has
// confirmed 1 to 4 flushes, and resolves with the last index it confirmed.
function writeAndKill (userData) {
  return new Promise((resolve, reject) => {
    const p = spawnChild(['loop', userData, 'persist:crash'])
    const wanted = 1 + Math.floor(Math.random() * 4)
    let confirmed = -1
    let lines = 0
    let stderr = ''
    let killed = false
    p.stderr.on('data', (d) => { stderr += d })
    p.on('error', reject)
    createInterface({ input: p.stdout }).on('line', (line) => {
      confirmed = Math.max(confirmed, Number(line))
      if (++lines === wanted) {
        // Somewhere in the next batch: between sets, inside a commit, or
        // during the next flush.
        setTimeout(() => { killed = true; p.kill('SIGKILL') }, Math.random() * 8)
      }
    })
    p.on('close', (code, signal) => {
      if (!killed || signal !== 'SIGKILL') return reject(new Error(`writer ended by itself (${code}, ${signal}): ${stderr}`))
      resolve(confirmed)
    })
  })
}

// Reopens the profile in a fresh process and resolves with its cookies.
function reopen (userData) {
  return new Promise((resolve, reject) => {
    const p = spawnChild(['read', userData, 'persist:crash'])
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => { stdout += d })
    p.stderr.on('data', (d) => { stderr += d })
    p.on('error', reject)
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`reader failed (${code}): ${stderr}`))
      resolve({ cookies: JSON.parse(stdout), stderr })
    })
  })
}

async function crashOnce () {
  const userData = tempDir()
  const confirmed = await writeAndKill(userData)
  assert.ok(confirmed >= 9, 'at least one flush was confirmed')
  const { cookies, stderr } = await reopen(userData)
  assert.equal(stderr, '', 'the database opened cleanly')
  const byName = new Map(cookies.map((c) => [c.name, c.value]))
  for (let i = 0; i <= confirmed; i++) {
    assert.equal(byName.get(`c${i}`), String(i), `c${i} was confirmed by flushStore before the kill (confirmed up to ${confirmed}, ${cookies.length} reloaded)`)
  }
  // What survived beyond the last flush is a prefix of what was written.
  const indexes = cookies.map((c) => Number(c.name.slice(1))).sort((a, b) => a - b)
  assert.deepEqual(indexes, indexes.map((_, i) => i), 'no gaps')
  return confirmed
}

test(`cookies confirmed by flushStore survive ${KILLS} kill -9s, and the database always reopens`, async () => {
  let done = 0
  const confirmedCounts = []
  const worker = async () => {
    while (done < KILLS) {
      done++
      confirmedCounts.push(await crashOnce())
    }
  }
  await Promise.all(Array.from({ length: AT_ONCE }, worker))
  assert.equal(confirmedCounts.length, KILLS)
})

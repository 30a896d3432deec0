// Cookie jar throughput: ses.cookies.get({ url }) and ses.cookies.set on a
// jar of 10,000 cookies over 1,000 domains, side by side with tough-cookie's
// getCookies / setCookie (MemoryCookieStore); and 10,000 sets then
// flushStore() on a persistent session (a real SQLite file in a temp
// profile). get({ url }) is measured twice: over 1,000 URLs asked for again
// and again (our answers to a URL are kept until the jar changes), and over
// URLs each asked for once. Prints rates and ratios; never fails.
//
//   npm run bench (all benchmarks) or node bench/cookies.mjs

import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'

import { CookieJar } from 'tough-cookie'

import { app, session } from '../index.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
// Rounds run first and not counted, so that both sides are measured warm (JIT).
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1)
const DOMAINS = 1000
const PER_DOMAIN = 10
const GETS = 20_000
const CONCURRENCY = 64

const profile = mkdtempSync(path.join(os.tmpdir(), 'electron-session-bench-cookies-'))
app.setPath('userData', profile)
await app.whenReady()

const expires = Math.floor(Date.now() / 1000) + 86400
const url = (d) => `https://site${d}.example/app/`
// Created and last used now, as tough-cookie's are: Electron's set leaves a
// cookie's last access unset, and Chromium's global eviction (over 3300
// cookies) would then take all but 3000, leaving the two jars unequal.
const details = (d, i) => {
  const now = Date.now() / 1000
  return { url: url(d), name: `c${i}`, value: `value-${d}-${i}`, path: '/', expirationDate: expires, creationDate: now, lastAccessDate: now }
}

async function pool (n, fn) {
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) await fn(next++)
  }))
}

async function measure (n, fn) {
  const t0 = performance.now()
  await pool(n, fn)
  return n / ((performance.now() - t0) / 1000)
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
let sizes
const lists = () => ({ ourSet: [], toughSet: [], ourGet: [], toughGet: [], ourGetOnce: [], toughGetOnce: [], flushMs: [] })
const all = lists()
for (let r = -WARMUP; r < ROUNDS; r++) {
  // Warm-up rounds (r < 0) are measured into a list that is thrown away.
  const results = r < 0 ? lists() : all
  const ses = session.fromPartition(`bench-cookies-${r}`)
  const jar = new CookieJar()
  const total = DOMAINS * PER_DOMAIN
  // Every argument is made before the clocks start, for both libraries:
  // what is timed is the jars' work.
  const toSet = Array.from({ length: total }, (_, k) => details(k % DOMAINS, Math.floor(k / DOMAINS)))
  const expiresText = new Date(expires * 1000).toUTCString()
  const lines = toSet.map((d) => `${d.name}=${d.value}; Path=/; Expires=${expiresText}`)
  const urls = Array.from({ length: DOMAINS }, (_, d) => url(d))
  // Each URL asked for once (a path of its own), so that no answer kept
  // from an earlier get can be given again.
  const once = Array.from({ length: GETS }, (_, k) => `${urls[k % DOMAINS]}${r + WARMUP}-${k}`)
  results.ourSet.push(await measure(total, (k) => ses.cookies.set(toSet[k])))
  results.toughSet.push(await measure(total, (k) => jar.setCookie(lines[k], toSet[k].url)))
  sizes = [(await ses.cookies.get({})).length, jar.serializeSync().cookies.length]
  results.ourGet.push(await measure(GETS, (k) => ses.cookies.get({ url: urls[k % DOMAINS] })))
  results.toughGet.push(await measure(GETS, (k) => jar.getCookies(urls[k % DOMAINS])))
  results.ourGetOnce.push(await measure(GETS, (k) => ses.cookies.get({ url: once[k] })))
  results.toughGetOnce.push(await measure(GETS, (k) => jar.getCookies(once[k])))

  const persistent = session.fromPartition(`persist:bench-${r}`)
  await persistent.cookies.get({}) // opens the profile's Network/Cookies first
  const t0 = performance.now()
  await pool(total, (k) => persistent.cookies.set(details(k % DOMAINS, Math.floor(k / DOMAINS))))
  await persistent.cookies.flushStore()
  results.flushMs.push(performance.now() - t0)
}

const results = all
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; jar of ${DOMAINS * PER_DOMAIN} cookies over ${DOMAINS} domains, concurrency ${CONCURRENCY}, ${WARMUP} warm-up + ${ROUNDS} rounds, medians`)
const line = (name, ours, theirs) => console.log(`  ${name.padEnd(28)} electron-session ${median(ours).toFixed(0).padStart(8)}/s  tough-cookie ${median(theirs).toFixed(0).padStart(8)}/s  ratio ${(median(ours) / median(theirs)).toFixed(2)}`)
console.log(`  cookies in each jar after the sets: electron-session ${sizes[0]}, tough-cookie ${sizes[1]}`)
line('set', results.ourSet, results.toughSet)
line('get({ url }) / getCookies', results.ourGet, results.toughGet)
line('  the same, each URL once', results.ourGetOnce, results.toughGetOnce)
console.log(`  10,000 sets + flushStore() on a persistent session: ${median(results.flushMs).toFixed(0)} ms (target < 250 ms)`)
rmSync(profile, { recursive: true, force: true })

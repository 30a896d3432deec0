import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { EventEmitter } from 'node:events'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { app, session, Cookies } from '../index.js'
import { listTree, tempDir, useTempProfile } from './helpers/profile.mjs'
import { httpServer } from './helpers/servers.mjs'

const profile = useTempProfile(app)
const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers', 'cookie-child.mjs')

let n = 0
const fresh = () => session.fromPartition(`cookies-${++n}`)
const later = () => Date.now() / 1000 + 3600
const names = (list) => list.map((c) => c.name).sort()

// `/echo` answers the Cookie header it got; `/set?c=a%3D1&c=b%3D2` sets each
// `c`; `/hop` sets a cookie and redirects to `/echo`.
const server = await httpServer((req, res) => {
  const u = new URL(req.url, 'http://x')
  if (u.pathname === '/set') {
    res.setHeader('set-cookie', u.searchParams.getAll('c'))
    return res.end('set')
  }
  if (u.pathname === '/hop') {
    res.writeHead(302, { location: '/echo', 'set-cookie': `hop=${u.searchParams.get('v') ?? '1'}` })
    return res.end()
  }
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }))
})

// Collects `changed` events; `wait(k)` resolves once k have arrived.
function recorder (cookies) {
  const events = []
  const waiters = []
  cookies.on('changed', (event, cookie, cause, removed) => {
    assert.equal(typeof event.preventDefault, 'function')
    events.push({ name: cookie.name, value: cookie.value, cause, removed })
    for (const w of waiters.splice(0)) {
      if (events.length >= w.k) w.resolve(events.slice())
      else waiters.push(w)
    }
  })
  return {
    events,
    wait: (k) => events.length >= k ? Promise.resolve(events.slice()) : new Promise((resolve) => waiters.push({ k, resolve }))
  }
}

// Runs the child helper; resolves with its stdout, stderr and exit code.
function runChild (args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => { stdout += d })
    p.stderr.on('data', (d) => { stderr += d })
    p.on('error', reject)
    p.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }))
  })
}

test('ses.cookies is one Cookies object per session, an EventEmitter', () => {
  const s = fresh()
  assert.equal(s.cookies, s.cookies)
  assert.ok(s.cookies instanceof Cookies)
  assert.ok(s.cookies instanceof EventEmitter)
  assert.notEqual(s.cookies, fresh().cookies)
  assert.throws(() => new Cookies(), { name: 'TypeError' })
})

test('set then get gives Electron\'s Cookie objects', async () => {
  const { cookies } = fresh()
  const expirationDate = Math.floor(later())
  await cookies.set({ url: 'https://example.com/', name: 'a', value: '1' })
  await cookies.set({ url: 'https://example.com/', name: 'b', value: '2', domain: 'example.com', path: '/p', secure: true, httpOnly: true, expirationDate, sameSite: 'strict' })
  const [a] = await cookies.get({ name: 'a' })
  assert.deepEqual(a, { name: 'a', value: '1', domain: 'example.com', hostOnly: true, path: '/', secure: false, httpOnly: false, session: true, sameSite: 'lax' })
  assert.equal('expirationDate' in a, false, 'session cookies have no expirationDate')
  const [b] = await cookies.get({ name: 'b' })
  assert.deepEqual(b, { name: 'b', value: '2', domain: '.example.com', hostOnly: false, path: '/p', secure: true, httpOnly: true, session: false, expirationDate, sameSite: 'strict' })
})

test('get filters by url, name, domain, path, secure, session and httpOnly', async () => {
  const { cookies } = fresh()
  const exp = later()
  await cookies.set({ url: 'https://a.example.com/', name: 'host', value: '1' })
  await cookies.set({ url: 'https://a.example.com/', name: 'dom', value: '1', domain: 'example.com', expirationDate: exp })
  await cookies.set({ url: 'https://a.example.com/deep', name: 'deep', value: '1', path: '/deep', secure: true })
  await cookies.set({ url: 'https://b.example.com/', name: 'other', value: '1', httpOnly: true, expirationDate: exp })
  await cookies.set({ url: 'https://elsewhere.org/', name: 'far', value: '1' })
  assert.deepEqual(names(await cookies.get({})), ['deep', 'dom', 'far', 'host', 'other'])
  assert.deepEqual(names(await cookies.get({ url: '' })), ['deep', 'dom', 'far', 'host', 'other'], 'an empty url means all')
  assert.deepEqual(names(await cookies.get({ url: 'https://a.example.com/' })), ['dom', 'host'])
  assert.deepEqual(names(await cookies.get({ url: 'https://a.example.com/deep/x' })), ['deep', 'dom', 'host'])
  assert.deepEqual(names(await cookies.get({ url: 'not a url' })), [])
  assert.deepEqual(names(await cookies.get({ name: 'far' })), ['far'])
  assert.deepEqual(names(await cookies.get({ domain: 'example.com' })), ['dom'], 'cookies that would be sent to example.com')
  assert.deepEqual(names(await cookies.get({ domain: 'a.example.com' })), ['deep', 'dom', 'host'])
  assert.deepEqual(names(await cookies.get({ path: '/deep' })), ['deep'])
  assert.deepEqual(names(await cookies.get({ secure: true })), ['deep'])
  assert.deepEqual(names(await cookies.get({ session: false })), ['dom', 'other'])
  assert.deepEqual(names(await cookies.get({ session: true })), ['deep', 'far', 'host'])
  assert.deepEqual(names(await cookies.get({ httpOnly: true })), ['other'])
  assert.deepEqual(names(await cookies.get({ url: 'https://b.example.com/', session: false, httpOnly: true })), ['other'])
})

test('get({ url }) asked again gives new objects that follow every change to the jar', async () => {
  const ses = fresh()
  const { cookies } = ses
  const url = `${server.url}/page`
  await cookies.set({ url, name: 'a', value: '1', expirationDate: later() })
  const ask = async () => (await cookies.get({ url })).map((c) => `${c.name}=${c.value}`)
  // The first answer is the one kept: changing it changes no later one.
  const [first] = await cookies.get({ url })
  first.value = 'mutated'
  const [again] = await cookies.get({ url })
  assert.notEqual(again, first, 'a new object each time')
  assert.equal(again.value, '1', "the caller's changes stay with the caller's object")
  assert.deepEqual(Object.keys(again), Object.keys(first))
  again.name = 'mutated too'
  assert.deepEqual(await ask(), ['a=1'], 'nor does changing a kept answer')

  // Every way the jar changes shows in the next answer.
  await cookies.set({ url, name: 'b', value: '2' })
  assert.deepEqual(await ask(), ['a=1', 'b=2'], 'set')
  await cookies.set({ url, name: 'a', value: '3', expirationDate: later() })
  assert.deepEqual(await ask(), ['b=2', 'a=3'], 'overwrite (a new creation time, so a comes last)')
  await cookies.remove(url, 'b')
  assert.deepEqual(await ask(), ['a=3'], 'remove')
  await (await ses.fetch(`${server.url}/set?c=${encodeURIComponent('net=4; Path=/')}`)).text()
  assert.deepEqual(await ask(), ['a=3', 'net=4'], 'a Set-Cookie of a response')
  await (await ses.fetch(`${server.url}/set?c=${encodeURIComponent('net=; Max-Age=0; Path=/')}`)).text()
  assert.deepEqual(await ask(), ['a=3'], 'a response deleting a cookie')

  // A cookie that expires leaves the answer, and is reported expired, with
  // nothing else changing in the jar.
  const rec = recorder(cookies)
  const brief = Date.now() / 1000 + 0.3
  await cookies.set({ url, name: 'brief', value: '5', expirationDate: brief })
  await rec.wait(1)
  assert.deepEqual(await ask(), ['a=3', 'brief=5'])
  assert.deepEqual(await ask(), ['a=3', 'brief=5'])
  while (Date.now() <= brief * 1000) await new Promise((resolve) => setTimeout(resolve, 20))
  assert.deepEqual(await ask(), ['a=3'], 'expired')
  assert.deepEqual((await rec.wait(2))[1], { name: 'brief', value: '5', cause: 'expired', removed: true })
})

test('remove deletes the cookies of that name sent to the url', async () => {
  const { cookies } = fresh()
  await cookies.set({ url: 'https://example.com/', name: 'x', value: '1' })
  await cookies.set({ url: 'https://example.com/', name: 'x', value: '2', path: '/sub' })
  await cookies.set({ url: 'https://example.com/', name: 'y', value: '1' })
  await cookies.remove('https://example.com/', 'x')
  assert.deepEqual((await cookies.get({})).map((c) => `${c.name}=${c.value}`).sort(), ['x=2', 'y=1'], '/sub is not sent to /')
  await cookies.remove('https://example.com/sub/page', 'x')
  assert.deepEqual(names(await cookies.get({})), ['y'])
  await cookies.remove('not a url', 'y')
  await cookies.remove('https://other.com/', 'y')
  assert.deepEqual(names(await cookies.get({})), ['y'])
  assert.throws(() => cookies.remove(5, 'y'), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 5' })
  assert.throws(() => cookies.remove('https://example.com/'), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from undefined' })
})

test('set rejects with Electron\'s messages', async () => {
  const { cookies } = fresh()
  const failed = (...reasons) => 'Failed to set cookie - ' + reasons.map(([m]) => m).join('') + reasons.map(([, c]) => `${c}, `).join('') + 'DO_NOT_WARN, NO_EXEMPTION'
  const invalidDomain = ['The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN']
  const invalidPrefix = ['The cookie was set with an invalid __Host- or __Secure- prefix.', 'EXCLUDE_INVALID_PREFIX']
  const cases = [
    [{ name: 'a', value: '1' }, "Missing required option 'url'"],
    [{ url: 5, name: 'a' }, "Missing required option 'url'"],
    [{ url: 'not a url', name: 'a' }, failed(invalidDomain)],
    [{ url: 'https://a.com/', domain: 'b.com', name: 'a' }, failed(invalidDomain)],
    [{ url: 'https://a.com/', name: '__Host-x', value: '1', path: '/sub', secure: true }, failed(invalidPrefix)],
    [{ url: 'https://a.com/', name: '__Host-x', value: '1', domain: 'a.com', secure: true }, failed(invalidPrefix)],
    [{ url: 'https://a.com/', name: '__Host-x', value: '1' }, failed(invalidPrefix)],
    [{ url: 'http://a.com/', name: '__Secure-x', value: '1', secure: true }, failed(invalidPrefix)],
    [{ url: 'http://a.com/', name: 's', value: '1', secure: true }, failed(['The cookie was Secure, but the URL was not allowed to access Secure cookies.', 'EXCLUDE_SECURE_ONLY'])],
    [{ url: 'https://a.com/', name: 'n', value: '1', sameSite: 'no_restriction', secure: false }, failed(['The cookie specified SameSite=None, but it was not Secure.', 'EXCLUDE_SAMESITE_NONE_INSECURE'])],
    [{ url: 'https://a.com/', name: 'a\u0001', value: '1' }, failed(['The cookie contains ASCII control characters', 'EXCLUDE_DISALLOWED_CHARACTER'])],
    [{ url: 'https://a.com/', name: '', value: '' }, failed(['The cookie contains no content or only whitespace.', 'EXCLUDE_NO_COOKIE_CONTENT'])],
    [{ url: 'ftp://a.com/', name: 'x', value: '1' }, failed(['Attempted to set a cookie from a scheme that does not support cookies.', 'EXCLUDE_NONCOOKIEABLE_SCHEME'])],
    [{ url: 'https://a.com/', name: 's', sameSite: 'bogus' }, "Failed to convert 'bogus' to an appropriate cookie same site value"]
  ]
  for (const [details, message] of cases) {
    await assert.rejects(cookies.set(details), { message }, JSON.stringify(details))
  }
  assert.deepEqual(await cookies.get({}), [], 'nothing was stored')
  assert.throws(() => cookies.set('x'), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from x' })
  assert.throws(() => cookies.get(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  // A __Host- cookie set correctly is accepted.
  await cookies.set({ url: 'https://a.com/', name: '__Host-ok', value: '1', secure: true, path: '/' })
  assert.deepEqual(names(await cookies.get({})), ['__Host-ok'])
})

test('changed reports each cause, with removed', async () => {
  const { cookies } = fresh()
  const rec = recorder(cookies)
  const url = 'https://example.com/'
  const exp = later()
  await cookies.set({ url, name: 'a', value: '1' })
  await cookies.set({ url, name: 'a', value: '2' })
  await cookies.set({ url, name: 'a', value: '2' })
  await cookies.set({ url, name: 'a', value: '2', expirationDate: exp })
  await cookies.set({ url, name: 'a', value: '3', expirationDate: Date.now() / 1000 - 60 })
  await cookies.set({ url, name: 'b', value: '1' })
  await cookies.remove(url, 'b')
  const events = await rec.wait(10)
  assert.deepEqual(events, [
    { name: 'a', value: '1', cause: 'inserted', removed: false },
    { name: 'a', value: '1', cause: 'overwrite', removed: true },
    { name: 'a', value: '2', cause: 'inserted', removed: false },
    { name: 'a', value: '2', cause: 'overwrite', removed: true },
    { name: 'a', value: '2', cause: 'inserted-no-change-overwrite', removed: false },
    { name: 'a', value: '2', cause: 'overwrite', removed: true },
    { name: 'a', value: '2', cause: 'inserted-no-value-change-overwrite', removed: false },
    { name: 'a', value: '2', cause: 'expired-overwrite', removed: true },
    { name: 'b', value: '1', cause: 'inserted', removed: false },
    { name: 'b', value: '1', cause: 'explicit', removed: true }
  ])
  assert.deepEqual(await cookies.get({}), [])
})

test('changed reports evicted cookies past the 180-per-domain limit', async () => {
  const { cookies } = fresh()
  const rec = recorder(cookies)
  for (let i = 0; i < 181; i++) await cookies.set({ url: 'https://crowded.example/', name: `c${i}`, value: '1' })
  const events = await rec.wait(181 + 31)
  const evicted = events.filter((e) => e.cause === 'evicted')
  assert.equal(evicted.length, 31, 'Chromium purges down to 150')
  assert.ok(evicted.every((e) => e.removed))
  assert.deepEqual(evicted.map((e) => e.name), Array.from({ length: 31 }, (_, i) => `c${i}`), 'the least recently used go first')
  assert.equal((await cookies.get({})).length, 150)
})

test('changed reports a cookie found expired when the jar is read', async () => {
  const { cookies } = fresh()
  const rec = recorder(cookies)
  await cookies.set({ url: 'https://example.com/', name: 'brief', value: '1', expirationDate: Date.now() / 1000 + 0.3 })
  await rec.wait(1)
  // Expiry is noticed on reading: read until it is gone.
  const deadline = Date.now() + 10_000
  while ((await cookies.get({})).length > 0) {
    assert.ok(Date.now() < deadline, 'the cookie expired')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  assert.deepEqual((await rec.wait(2))[1], { name: 'brief', value: '1', cause: 'expired', removed: true })
})

test('changed reports cookies stored from responses', async () => {
  const ses = fresh()
  const rec = recorder(ses.cookies)
  await (await ses.fetch(`${server.url}/set?c=${encodeURIComponent('short=1; Max-Age=1')}`)).text()
  assert.deepEqual(await rec.wait(1), [{ name: 'short', value: '1', cause: 'inserted', removed: false }])
  // Expire it by setting it in the past from the API: expired-overwrite.
  await ses.cookies.set({ url: server.url, name: 'short', value: '1', expirationDate: 1 })
  assert.deepEqual((await rec.wait(2))[1], { name: 'short', value: '1', cause: 'expired-overwrite', removed: true })
})

test('ses.fetch sends the jar\'s cookies for the URL', async () => {
  const ses = fresh()
  await ses.cookies.set({ url: server.url, name: 'a', value: '1' })
  await ses.cookies.set({ url: server.url, name: 'deep', value: '2', path: '/echo' })
  await ses.cookies.set({ url: server.url, name: 'elsewhere', value: '3', path: '/other' })
  await ses.cookies.set({ url: server.url, name: 'h', value: '4', httpOnly: true })
  await ses.cookies.set({ url: 'http://localhost:1/', name: 'nope', value: '5' })
  const { cookie } = await (await ses.fetch(`${server.url}/echo`)).json()
  assert.equal(cookie, 'deep=2; a=1; h=4', 'longer paths first, HttpOnly included')
  const none = await (await fresh().fetch(`${server.url}/echo`)).json()
  assert.equal(none.cookie, null)
})

test('the jar\'s cookies replace a Cookie header the caller set; without any, the caller\'s stays', async () => {
  const ses = fresh()
  let seen = await (await ses.fetch(`${server.url}/echo`, { headers: { cookie: 'mine=1' } })).json()
  assert.equal(seen.cookie, 'mine=1')
  await ses.cookies.set({ url: server.url, name: 'jar', value: '1' })
  seen = await (await ses.fetch(`${server.url}/echo`, { headers: { cookie: 'mine=1' } })).json()
  assert.equal(seen.cookie, 'jar=1')
})

test('Set-Cookie of every response is stored, redirect hops included', async () => {
  const ses = fresh()
  const res = await ses.fetch(`${server.url}/set?c=a%3D1&c=${encodeURIComponent('b=2; HttpOnly; Max-Age=600')}&c=${encodeURIComponent('bad=1; Domain=elsewhere.org')}`)
  assert.equal(await res.text(), 'set')
  const stored = await ses.cookies.get({})
  assert.deepEqual(stored.map((c) => `${c.name}=${c.value}`).sort(), ['a=1', 'b=2'], 'a cookie for another domain is refused')
  const b = stored.find((c) => c.name === 'b')
  assert.equal(b.httpOnly, true)
  assert.equal(b.session, false)
  assert.ok(Math.abs(b.expirationDate - (Date.now() / 1000 + 600)) < 30)
  const seen = await (await ses.fetch(`${server.url}/hop?v=7`)).json()
  assert.equal(seen.cookie, 'a=1; b=2; hop=7', 'the cookie set by the redirect is sent on the next hop')
  assert.deepEqual(names(await ses.cookies.get({})), ['a', 'b', 'hop'])
})

test("credentials: 'omit' neither sends nor stores cookies", async () => {
  const ses = fresh()
  await ses.cookies.set({ url: server.url, name: 'a', value: '1' })
  const seen = await (await ses.fetch(`${server.url}/hop`, { credentials: 'omit' })).json()
  assert.equal(seen.cookie, null)
  await (await ses.fetch(`${server.url}/set?c=b%3D1`, { credentials: 'omit' })).text()
  assert.deepEqual(names(await ses.cookies.get({})), ['a'])
  await (await ses.fetch(`${server.url}/set?c=b%3D1`)).text()
  assert.deepEqual(names(await ses.cookies.get({})), ['a', 'b'])
})

test('two sessions have separate jars', async () => {
  const one = fresh()
  const two = fresh()
  await one.cookies.set({ url: server.url, name: 'one', value: '1' })
  await (await two.fetch(`${server.url}/set?c=two%3D2`)).text()
  assert.deepEqual(names(await one.cookies.get({})), ['one'])
  assert.deepEqual(names(await two.cookies.get({})), ['two'])
  assert.equal((await (await two.fetch(`${server.url}/echo`)).json()).cookie, 'two=2')
})

test('an in-memory session writes nothing', async () => {
  const before = listTree(profile)
  const ses = fresh()
  await ses.cookies.set({ url: server.url, name: 'p', value: '1', expirationDate: later() })
  await (await ses.fetch(`${server.url}/set?c=${encodeURIComponent('q=1; Max-Age=600')}`)).text()
  await ses.cookies.flushStore()
  assert.deepEqual(listTree(profile), before)
})

test('a persistent session writes Network/Cookies, which a fresh process reads back without session cookies', async () => {
  const userData = tempDir()
  const written = await runChild(['write', userData, 'persist:x'])
  assert.equal(written.code, 0, written.stderr)
  assert.equal(written.stdout, 'flushed\n')
  assert.ok(existsSync(path.join(userData, 'Partitions', 'x', 'Network', 'Cookies')))
  const read = await runChild(['read', userData, 'persist:x'])
  assert.equal(read.code, 0, read.stderr)
  const jar = JSON.parse(read.stdout)
  assert.deepEqual(names(jar), ['deep', 'kept'], 'the session cookie is not persisted')
  const deep = jar.find((c) => c.name === 'deep')
  assert.deepEqual({ ...deep, expirationDate: typeof deep.expirationDate }, {
    name: 'deep', value: '2', domain: 'other.example.org', hostOnly: true, path: '/app', secure: true, httpOnly: true, session: false, expirationDate: 'number', sameSite: 'strict'
  })
  // Another partition of the same profile has its own file.
  const other = await runChild(['read', userData, 'persist:y'])
  assert.deepEqual(JSON.parse(other.stdout), [])
})

test('the persistent default session stores at the profile root', async () => {
  const userData = tempDir()
  const written = await runChild(['write', userData, ''])
  assert.equal(written.code, 0, written.stderr)
  assert.ok(existsSync(path.join(userData, 'Network', 'Cookies')))
  assert.deepEqual(names(JSON.parse((await runChild(['read', userData, ''])).stdout)), ['deep', 'kept'])
})

test('cookies not flushed yet are committed when the process exits normally', async () => {
  const userData = tempDir()
  const written = await runChild(['write-and-exit', userData, 'persist:exit'])
  assert.equal(written.code, 0, written.stderr)
  assert.deepEqual(names(JSON.parse((await runChild(['read', userData, 'persist:exit'])).stdout)), ['unflushed'])
})

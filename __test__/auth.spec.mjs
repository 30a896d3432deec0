import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { httpServer } from './helpers/servers.mjs'

useTempProfile(app)

const USER = 'alice'
const PASS = 'p@ss word'
const md5 = (s) => crypto.createHash('md5').update(s).digest('hex')

// A server demanding Basic under /basic/ and Digest (qop=auth) under /digest/;
// it records every Authorization header it receives.
const seen = []
const nonce = crypto.randomBytes(8).toString('hex')
const { url } = await httpServer((req, res) => {
  const auth = req.headers.authorization ?? null
  seen.push({ path: req.url, auth })
  if (req.url.startsWith('/basic/')) {
    const want = 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64')
    if (auth === want) return res.end(`basic ok ${req.url}`)
    res.writeHead(401, { 'www-authenticate': 'Basic realm="basic area", charset="UTF-8"' })
    return res.end('basic denied')
  }
  if (req.url.startsWith('/digest/')) {
    const p = Object.fromEntries([...(auth ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [m[1], m[2] ?? m[3]]))
    const ha1 = md5(`${p.username}:digest area:${PASS}`)
    const ha2 = md5(`${req.method}:${p.uri}`)
    const ok = auth?.startsWith('Digest ') && p.username === USER && p.uri === req.url && p.nonce === nonce &&
      p.response === md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) && p.opaque === 'op4que'
    if (ok) return res.end(`digest ok ${req.url}`)
    res.writeHead(401, { 'www-authenticate': `Digest realm="digest area", qop="auth", nonce="${nonce}", opaque="op4que", algorithm=MD5` })
    return res.end('digest denied')
  }
  res.end('open')
})
const withCreds = (path) => { const u = new URL(path, url); u.username = encodeURIComponent(USER); u.password = encodeURIComponent(PASS); return u.href }

let n = 0
const fresh = () => session.fromPartition(`auth-${++n}`)

test('without credentials the 401 is the response', async () => {
  const res = await fresh().fetch(`${url}/basic/page`)
  assert.equal(res.status, 401)
  assert.equal(await res.text(), 'basic denied')
})

test('Basic with credentials from the URL; the URL reported has none', async () => {
  const res = await fresh().fetch(withCreds('/basic/page'))
  assert.equal(res.status, 200)
  assert.equal(await res.text(), 'basic ok /basic/page')
  assert.equal(res.url, `${url}/basic/page`)
})

test('Digest with qop=auth and an opaque value', async () => {
  const res = await fresh().fetch(withCreds('/digest/doc?x=1'))
  assert.equal(res.status, 200)
  assert.equal(await res.text(), 'digest ok /digest/doc?x=1')
})

test('credentials that worked are cached: later requests authenticate pre-emptively', async () => {
  const ses = fresh()
  assert.equal((await ses.fetch(withCreds('/basic/a'))).status, 200)
  seen.length = 0
  const res = await ses.fetch(`${url}/basic/b`)
  assert.equal(res.status, 200)
  assert.equal(seen.length, 1, 'one request: no challenge round trip')
  assert.match(seen[0].auth, /^Basic /)
  // The digest realm, too (nonce count goes up).
  assert.equal((await ses.fetch(withCreds('/digest/one'))).status, 200)
  seen.length = 0
  assert.equal((await ses.fetch(`${url}/digest/two`)).status, 200)
  assert.equal(seen.length, 1)
  assert.match(seen[0].auth, /nc=00000002/)
  assert.equal((await fresh().fetch(`${url}/basic/b`)).status, 401, 'caches are per session')
})

test('clearAuthCache forgets them', async () => {
  const ses = fresh()
  assert.equal((await ses.fetch(withCreds('/basic/a'))).status, 200)
  assert.equal(await ses.clearAuthCache(), undefined)
  assert.equal((await ses.fetch(`${url}/basic/b`)).status, 401)
})

test("wrong credentials end with the 401, and credentials: 'omit' sends none", async () => {
  const u = new URL('/basic/x', url)
  u.username = 'alice'
  u.password = 'wrong'
  assert.equal((await fresh().fetch(u)).status, 401)
  seen.length = 0
  const res = await fresh().fetch(withCreds('/basic/x'), { credentials: 'omit' })
  assert.equal(res.status, 401)
  assert.equal(seen[0].auth, null)
})

test('an Authorization header set by the caller is sent as is', async () => {
  const res = await fresh().fetch(`${url}/basic/x`, { headers: { Authorization: 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64') } })
  assert.equal(res.status, 200)
})

test('allowNTLMCredentialsForDomains takes a string', () => {
  const ses = fresh()
  ses.allowNTLMCredentialsForDomains('*.example.com, intranet')
  assert.throws(() => ses.allowNTLMCredentialsForDomains(['*']), { name: 'TypeError', message: /^Error processing argument at index 0/ })
})

import assert from 'node:assert/strict'
import http2 from 'node:http2'
import https from 'node:https'
import { after, test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { testPki } from './helpers/tls.mjs'

useTempProfile(app)
const pki = testPki()
// The platform trust store, as rustls-native-certs reads it: only our test CA.
process.env.SSL_CERT_FILE = pki.caFile

async function listen (server) {
  const sockets = new Set()
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  server.on('secureConnection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  after(() => { for (const s of sockets) s.destroy(); server.close() })
  return `https://127.0.0.1:${server.address().port}`
}

const answer = (req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ httpVersion: req.httpVersion, path: req.url, tls: req.socket.getProtocol?.() ?? req.stream?.session?.socket?.getProtocol() }))
}

function httpsServer (leaf, tlsOptions = {}) {
  return listen(https.createServer({ key: leaf.key, cert: leaf.cert, ...tlsOptions }, answer))
}

let n = 0
const fresh = () => session.fromPartition(`tls-${++n}`)

test('HTTPS with a trusted CA, over HTTP/1.1', async () => {
  const url = await httpsServer(pki.good)
  const res = await fresh().fetch(`${url}/hello`)
  const seen = await res.json()
  assert.equal(seen.httpVersion, '1.1')
  assert.equal(seen.path, '/hello')
})

test('HTTP/2 is negotiated with ALPN when the server offers it', async () => {
  const url = await listen(http2.createSecureServer({ key: pki.good.key, cert: pki.good.cert, allowHTTP1: true }, answer))
  const ses = fresh()
  const seen = await (await ses.fetch(`${url}/h2`)).json()
  assert.equal(seen.httpVersion, '2.0')
  // Several requests share the connection.
  const many = await Promise.all([1, 2, 3].map(async (i) => (await ses.fetch(`${url}/h2/${i}`)).json()))
  assert.deepEqual(many.map((s) => s.path), ['/h2/1', '/h2/2', '/h2/3'])
})

test('certificate errors have Chromium names', async () => {
  const cases = [
    [pki.untrusted, 'net::ERR_CERT_AUTHORITY_INVALID'],
    [pki.expired, 'net::ERR_CERT_DATE_INVALID'],
    [pki.otherHost, 'net::ERR_CERT_COMMON_NAME_INVALID']
  ]
  for (const [leaf, message] of cases) {
    const url = await httpsServer(leaf)
    await assert.rejects(fresh().fetch(url), { message })
  }
})

test('setSSLConfig: minVersion and maxVersion, for new connections', async () => {
  const tls12 = await httpsServer(pki.good, { maxVersion: 'TLSv1.2' })
  const tls13 = await httpsServer(pki.good, { minVersion: 'TLSv1.3' })
  const ses = fresh()
  assert.equal((await (await ses.fetch(tls12)).json()).tls, 'TLSv1.2')
  assert.equal((await (await ses.fetch(tls13)).json()).tls, 'TLSv1.3')
  ses.setSSLConfig({ minVersion: 'tls1.3' })
  await assert.rejects(ses.fetch(`${tls12}/again`), { message: 'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH' })
  ses.setSSLConfig({ maxVersion: 'tls1.2' })
  await assert.rejects(ses.fetch(`${tls13}/again`), { message: 'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH' })
  assert.equal((await (await ses.fetch(tls12)).json()).tls, 'TLSv1.2')
  ses.setSSLConfig({})
  assert.equal((await (await ses.fetch(tls13)).json()).tls, 'TLSv1.3')
})

test('setSSLConfig: disabledCipherSuites removes TLS 1.2 suites', async () => {
  // The only suite this server accepts: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xC02B).
  const url = await httpsServer(pki.good, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' })
  const ses = fresh()
  assert.equal((await ses.fetch(url)).status, 200)
  ses.setSSLConfig({ disabledCipherSuites: [0xC02B] })
  await assert.rejects(ses.fetch(`${url}/x`), { message: 'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH' })
  ses.setSSLConfig({ disabledCipherSuites: [0xC02C, 0x1301] })
  assert.equal((await ses.fetch(`${url}/y`)).status, 200)
})

test('setSSLConfig rejects bad values, naming the field', () => {
  const ses = fresh()
  assert.throws(() => ses.setSSLConfig(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => ses.setSSLConfig({ minVersion: 'ssl3' }), { name: 'TypeError', message: /config\.minVersion: 'ssl3'/ })
  assert.throws(() => ses.setSSLConfig({ maxVersion: 'tls1.1' }), { name: 'TypeError', message: /config\.maxVersion: 'tls1\.1'/ })
  assert.throws(() => ses.setSSLConfig({ minVersion: 12 }), { name: 'TypeError', message: /config\.minVersion: expected a string/ })
  assert.throws(() => ses.setSSLConfig({ minVersion: 'tls1.3', maxVersion: 'tls1.2' }), { name: 'TypeError', message: /maxVersion is older than minVersion/ })
  for (const bad of ['0xC02F', [1.5], [-1], [70000], ['x']]) {
    assert.throws(() => ses.setSSLConfig({ disabledCipherSuites: bad }), { name: 'TypeError', message: /config\.disabledCipherSuites/ })
  }
})

test('setCertificateVerifyProc gets Electron\'s request and its answer decides', async () => {
  const good = await httpsServer(pki.good)
  const bad = await httpsServer(pki.untrusted)
  const ses = fresh()
  const seen = []
  ses.setCertificateVerifyProc((request, callback) => {
    seen.push(request)
    callback(request.certificate.subjectName === 'untrusted' ? 0 : -2)
  })
  assert.equal((await ses.fetch(bad)).status, 200, 'callback(0) accepts an untrusted certificate')
  await assert.rejects(ses.fetch(good), { message: 'net::ERR_FAILED' }, 'callback(-2) refuses a valid one')
  const [untrusted, valid] = seen
  assert.equal(untrusted.hostname, '127.0.0.1')
  assert.equal(untrusted.verificationResult, 'net::ERR_CERT_AUTHORITY_INVALID')
  assert.equal(untrusted.errorCode, -202)
  assert.equal(untrusted.isIssuedByKnownRoot, false)
  assert.equal(valid.verificationResult, 'net::OK')
  assert.equal(valid.errorCode, 0)
  const cert = valid.certificate
  assert.match(cert.data, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/)
  assert.equal(cert.subjectName, 'localhost')
  assert.deepEqual(cert.subject, { commonName: 'localhost', organizations: ['electron-session tests'], organizationUnits: ['servers'], locality: '', state: '', country: '' })
  assert.equal(cert.issuerName, 'Test Root CA')
  assert.match(cert.serialNumber, /^[0-9A-F]+$/)
  assert.ok(cert.validStart < Date.now() / 1000 && cert.validExpiry > Date.now() / 1000)
  assert.match(cert.fingerprint, /^sha256\/[A-Za-z0-9+/]{43}=$/)
  assert.deepEqual(valid.validatedCertificate, cert)
})

test('verify proc: -3 keeps the default verdict, other codes are net errors, Promises and throws work', async () => {
  const good = await httpsServer(pki.good)
  const bad = await httpsServer(pki.untrusted)
  let ses = fresh()
  ses.setCertificateVerifyProc((_req, callback) => callback(-3))
  assert.equal((await ses.fetch(good)).status, 200)
  await assert.rejects(ses.fetch(bad), { message: 'net::ERR_CERT_AUTHORITY_INVALID' })
  ses = fresh()
  ses.setCertificateVerifyProc(async () => -201)
  await assert.rejects(ses.fetch(good), { message: 'net::ERR_CERT_DATE_INVALID' })
  ses = fresh()
  ses.setCertificateVerifyProc(() => { throw new Error('proc failed') })
  await assert.rejects(ses.fetch(good), { message: 'net::ERR_FAILED' })
  ses.setCertificateVerifyProc(null)
  assert.equal((await ses.fetch(`${good}/after-null`)).status, 200, 'null restores the default')
  assert.throws(() => ses.setCertificateVerifyProc('x'), { name: 'TypeError', message: 'Must pass null or function' })
})

test('the ignore-certificate-errors switch accepts any certificate in sessions made after it', async () => {
  const url = await httpsServer(pki.expired)
  const before = fresh()
  app.commandLine.appendSwitch('ignore-certificate-errors')
  try {
    const ses = fresh()
    assert.equal((await ses.fetch(url)).status, 200)
    await assert.rejects(before.fetch(url), { message: 'net::ERR_CERT_DATE_INVALID' })
  } finally {
    app.commandLine.removeSwitch('ignore-certificate-errors')
  }
})

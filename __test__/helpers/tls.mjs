// A throwaway certificate authority for TLS tests, made with the openssl
// command line: a CA, leaves it signs (valid, expired, for another host), and
// a second CA nobody trusts.

import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import { tempDir } from './profile.mjs'

function openssl (dir, args) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
}

function makeCa (dir, name) {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-subj', `/O=electron-session tests/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
}

function makeLeaf (dir, ca, name, { hosts = 'DNS:localhost,IP:127.0.0.1', days = 30 } = {}) {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=electron-session tests/OU=servers/CN=${name}`])
  writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${hosts}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`)
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${name}.pem`, '-days', String(days), '-extfile', `${name}.ext`])
  return {
    key: readFileSync(path.join(dir, `${name}.key`)),
    cert: readFileSync(path.join(dir, `${name}.pem`)),
    ca: readFileSync(path.join(dir, `${ca}.pem`))
  }
}

// Makes the test PKI. `caFile` is the trusted CA, for SSL_CERT_FILE.
export function testPki () {
  const dir = tempDir('electron-session-pki-')
  makeCa(dir, 'Test Root CA')
  makeCa(dir, 'Untrusted CA')
  return {
    caFile: path.join(dir, 'Test Root CA.pem'),
    good: makeLeaf(dir, 'Test Root CA', 'localhost'),
    expired: makeLeaf(dir, 'Test Root CA', 'expired', { days: -1 }),
    otherHost: makeLeaf(dir, 'Test Root CA', 'other-host', { hosts: 'DNS:other.test' }),
    untrusted: makeLeaf(dir, 'Untrusted CA', 'untrusted')
  }
}

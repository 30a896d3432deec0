// Proxies: setProxy and resolveProxy in every fixed mode, and real traffic
// through HTTP proxies (forwarding and CONNECT tunnels), SOCKS4 and SOCKS5
// servers running on 127.0.0.1, with Chromium's fallback down the list.

import assert from 'node:assert/strict'
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { after, test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile } from './helpers/profile.mjs'
import { testPki } from './helpers/tls.mjs'

useTempProfile(app)
const pki = testPki()
process.env.SSL_CERT_FILE = pki.caFile
// Names only the proxies know: they connect every name to 127.0.0.1. SOCKS4
// carries no names, so for it our own resolver must map them.
app.commandLine.appendSwitch('host-resolver-rules', 'MAP socks4-only.test 127.0.0.1')

let n = 0
const fresh = () => session.fromPartition(`proxy-${++n}`)

// Listens on 127.0.0.1; when the file ends, closes the server and every
// socket it (or a tunnel it opened) still holds.
const open = new Set()
const track = (socket) => { open.add(socket); socket.on('close', () => open.delete(socket)) }
after(() => { for (const s of open) s.destroy() })
function listen (server) {
  server.on('connection', track)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    after(() => server.close())
    resolve(server.address().port)
  }))
}

// The origin: answers with what it saw.
const origin = http.createServer((req, res) => res.end(`origin saw ${req.method} ${req.url} host=${req.headers.host}`))
const originPort = await listen(origin)
const secureOrigin = https.createServer({ key: pki.good.key, cert: pki.good.cert }, (req, res) => res.end(`secure origin saw ${req.url}`))
const securePort = await listen(secureOrigin)

// An HTTP proxy that forwards absolute-form requests and opens CONNECT
// tunnels, to 127.0.0.1 whatever the name; `seen` records what arrived.
// `refuse` makes it answer CONNECT with that status.
async function httpProxy ({ refuse = 0, demandAuth = false, secure = false } = {}) {
  const seen = []
  const handler = (req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.rawHeaders })
    if (demandAuth) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"' })
      return res.end('credentials, please')
    }
    const target = new URL(req.url)
    const out = http.request({ agent: false, host: '127.0.0.1', port: target.port, path: target.pathname + target.search, method: req.method, headers: { host: target.host } }, (up) => {
      res.writeHead(up.statusCode, up.headers)
      up.pipe(res)
    })
    req.pipe(out)
  }
  const proxy = secure ? https.createServer({ key: pki.good.key, cert: pki.good.cert }, handler) : http.createServer(handler)
  proxy.on('connect', (req, socket, head) => {
    seen.push({ method: 'CONNECT', url: req.url, headers: req.rawHeaders })
    if (demandAuth) return socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n')
    if (refuse) return socket.end(`HTTP/1.1 ${refuse} Refused\r\nContent-Length: 0\r\n\r\n`)
    const port = Number(req.url.split(':').pop())
    const up = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      up.write(head)
      up.pipe(socket)
      socket.pipe(up)
    })
    track(up)
    up.on('error', () => socket.destroy())
    socket.on('error', () => up.destroy())
  })
  const port = await listen(proxy)
  return { port, seen }
}

// A SOCKS4/SOCKS5 server (no authentication) that records the destination
// it was asked for and connects to 127.0.0.1 on that port.
async function socksServer () {
  const seen = []
  const server = net.createServer((socket) => {
    socket.on('error', () => {})
    socket.once('readable', function greet () {
      const first = socket.read()
      if (first === null) return socket.once('readable', greet)
      if (first[0] === 4) {
        const port = first.readUInt16BE(2)
        seen.push({ version: 4, host: [...first.subarray(4, 8)].join('.'), port })
        return tunnel(socket, port, Buffer.from([0, 90, 0, 0, 0, 0, 0, 0]))
      }
      socket.write(Buffer.from([5, 0]))
      socket.once('readable', function request () {
        const req = socket.read()
        if (req === null) return socket.once('readable', request)
        let host, at
        if (req[3] === 3) { host = req.subarray(5, 5 + req[4]).toString(); at = 5 + req[4] } else { host = [...req.subarray(4, 8)].join('.'); at = 8 }
        const port = req.readUInt16BE(at)
        seen.push({ version: 5, host, port })
        tunnel(socket, port, Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]))
      })
    })
  })
  function tunnel (socket, port, reply) {
    const up = net.connect(port, '127.0.0.1', () => { socket.write(reply); up.pipe(socket); socket.pipe(up) })
    track(up)
    up.on('error', () => socket.destroy())
  }
  const port = await listen(server)
  return { port, seen }
}

// A port with nothing listening.
async function closedPort () {
  const s = net.createServer()
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address()
  await new Promise((resolve) => s.close(resolve))
  return port
}

test('resolveProxy answers in PAC form with the configuration just set', async () => {
  const ses = fresh()
  const rows = [
    [{ mode: 'direct' }, 'http://a.test/', 'DIRECT'],
    [{ proxyRules: 'http=a.test:1;https=b.test:2' }, 'http://x.test/', 'PROXY a.test:1'],
    [{ proxyRules: 'http=a.test:1;https=b.test:2' }, 'https://x.test/', 'PROXY b.test:2'],
    [{ proxyRules: 'http=a.test:1;https=b.test:2' }, 'ftp://x.test/', 'DIRECT'],
    [{ proxyRules: 'socks5://s.test, https://h.test, direct://' }, 'http://x.test/', 'SOCKS5 s.test:1080;HTTPS h.test:443;DIRECT'],
    [{ proxyRules: 'p.test:3128', proxyBypassRules: '*.intra.test' }, 'http://wiki.intra.test/', 'DIRECT'],
    [{ proxyRules: 'p.test:3128' }, 'http://localhost:8080/', 'DIRECT'],
    [{ proxyRules: 'p.test:3128', proxyBypassRules: '<-loopback>' }, 'http://localhost:8080/', 'PROXY p.test:3128'],
    [{ mode: 'fixed_servers', proxyRules: 'p.test:3128', pacScript: 'http://pac.test/p.pac' }, 'http://x.test/', 'PROXY p.test:3128']
  ]
  for (const [config, url, want] of rows) {
    await ses.setProxy(config)
    assert.equal(await ses.resolveProxy(url), want, `${JSON.stringify(config)} ${url}`)
  }
})

test('setProxy checks its argument as Electron does', async () => {
  const ses = fresh()
  await assert.rejects(ses.setProxy({ mode: 'sideways' }), { message: 'Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system' })
  assert.throws(() => ses.setProxy('p.test:80'), { name: 'TypeError' })
  assert.throws(() => ses.setProxy({ proxyRules: 42 }), { name: 'TypeError', message: 'Invalid value for config.proxyRules: expected a string' })
  assert.throws(() => ses.resolveProxy('not a url'), { name: 'TypeError', message: "Invalid URL: 'not a url'" })
})

test('plain http goes to an HTTP proxy in absolute form', async () => {
  const proxy = await httpProxy()
  const ses = fresh()
  await ses.setProxy({ proxyRules: `http=127.0.0.1:${proxy.port}` })
  const res = await ses.fetch(`http://app.test:${originPort}/page?q=1`)
  assert.equal(await res.text(), `origin saw GET /page?q=1 host=app.test:${originPort}`)
  assert.equal(proxy.seen[0].url, `http://app.test:${originPort}/page?q=1`)
  const names = proxy.seen[0].headers.filter((_, i) => i % 2 === 0)
  assert.ok(names.includes('Proxy-Connection') && !names.includes('Connection'), names.join(','))
})

test('https goes through a CONNECT tunnel, with TLS to the origin inside it', async () => {
  const proxy = await httpProxy()
  const ses = fresh()
  ses.setUserAgent('Tunnel/1.0')
  await ses.setProxy({ proxyRules: `127.0.0.1:${proxy.port}`, proxyBypassRules: '<-loopback>' })
  const res = await ses.fetch(`https://localhost:${securePort}/inside`)
  assert.equal(await res.text(), 'secure origin saw /inside')
  const connect = proxy.seen.find((s) => s.method === 'CONNECT')
  assert.equal(connect.url, `localhost:${securePort}`)
  const h = connect.headers
  assert.deepEqual([h[0], h[1], h[2], h[3], h[4], h[5]], ['Host', `localhost:${securePort}`, 'Proxy-Connection', 'keep-alive', 'User-Agent', 'Tunnel/1.0'])
})

test('an HTTPS proxy is reached over TLS, for forwarding and for tunnels', async () => {
  const proxy = await httpProxy({ secure: true })
  const ses = fresh()
  await ses.setProxy({ proxyRules: `https://localhost:${proxy.port}`, proxyBypassRules: '<-loopback>' })
  assert.equal(await ses.resolveProxy('http://x.test/'), `HTTPS localhost:${proxy.port}`)
  assert.equal(await (await ses.fetch(`http://x.test:${originPort}/plain`)).text(), `origin saw GET /plain host=x.test:${originPort}`)
  assert.equal(await (await ses.fetch(`https://localhost:${securePort}/tls-in-tls`)).text(), 'secure origin saw /tls-in-tls')
  assert.deepEqual(proxy.seen.map((s) => s.method), ['GET', 'CONNECT'])
  await ses.setProxy({ proxyRules: `https://socks4-only.test:${proxy.port}` })
  await assert.rejects(ses.fetch(`http://x.test:${originPort}/`), { message: 'net::ERR_PROXY_CERTIFICATE_INVALID' }, 'a proxy certificate for another name')
})

test('SOCKS5 resolves names at the proxy; SOCKS4 gets an address from us', async () => {
  const socks = await socksServer()
  const ses = fresh()
  await ses.setProxy({ proxyRules: `socks5://127.0.0.1:${socks.port}` })
  assert.equal(await (await ses.fetch(`http://far-away.test:${originPort}/five`)).text(), `origin saw GET /five host=far-away.test:${originPort}`)
  assert.deepEqual(socks.seen.at(-1), { version: 5, host: 'far-away.test', port: originPort })
  await ses.setProxy({ proxyRules: `socks4://127.0.0.1:${socks.port}` })
  assert.equal(await (await ses.fetch(`http://socks4-only.test:${originPort}/four`)).text(), `origin saw GET /four host=socks4-only.test:${originPort}`)
  assert.deepEqual(socks.seen.at(-1), { version: 4, host: '127.0.0.1', port: originPort })
  await ses.setProxy({ proxyRules: `socks5://127.0.0.1:${socks.port}`, proxyBypassRules: '<-loopback>' })
  assert.equal(await (await ses.fetch(`https://localhost:${securePort}/tls`)).text(), 'secure origin saw /tls')
})

test('an unreachable proxy falls back down the list and is tried last for a while', async () => {
  const dead = await closedPort()
  const proxy = await httpProxy()
  const ses = fresh()
  await ses.setProxy({ proxyRules: `http://127.0.0.1:${dead},http://127.0.0.1:${proxy.port}` })
  assert.equal(await ses.resolveProxy('http://x.test/'), `PROXY 127.0.0.1:${dead};PROXY 127.0.0.1:${proxy.port}`)
  assert.match(await (await ses.fetch(`http://x.test:${originPort}/`)).text(), /origin saw/)
  assert.equal(await ses.resolveProxy('http://x.test/'), `PROXY 127.0.0.1:${proxy.port};PROXY 127.0.0.1:${dead}`, 'the failed proxy goes last')
  await ses.setProxy({ proxyRules: `http://127.0.0.1:${dead},direct://` })
  assert.match(await (await ses.fetch(`http://127.0.0.1:${originPort}/`)).text(), /origin saw/, 'DIRECT after the dead proxy')
  await ses.setProxy({ proxyRules: `http://127.0.0.1:${dead}` })
  await assert.rejects(ses.fetch(`http://x.test:${originPort}/`), { message: 'net::ERR_PROXY_CONNECTION_FAILED' })
  await ses.setProxy({ proxyRules: `socks5://127.0.0.1:${dead}` })
  await assert.rejects(ses.fetch(`http://x.test:${originPort}/`), { message: 'net::ERR_PROXY_CONNECTION_FAILED' })
})

test('a refused tunnel fails without falling back; a 407 is the proxy\'s answer or a failed tunnel', async () => {
  const refusing = await httpProxy({ refuse: 403 })
  const good = await httpProxy()
  const ses = fresh()
  await ses.setProxy({ proxyRules: `127.0.0.1:${refusing.port},127.0.0.1:${good.port}`, proxyBypassRules: '<-loopback>' })
  await assert.rejects(ses.fetch(`https://localhost:${securePort}/`), { message: 'net::ERR_TUNNEL_CONNECTION_FAILED' })
  assert.equal(good.seen.length, 0, 'Chromium does not fall back when a proxy refuses a tunnel')
  const guarded = await httpProxy({ demandAuth: true })
  await ses.setProxy({ proxyRules: `127.0.0.1:${guarded.port}`, proxyBypassRules: '<-loopback>' })
  await assert.rejects(ses.fetch(`https://localhost:${securePort}/`), { message: 'net::ERR_TUNNEL_CONNECTION_FAILED' })
  const res = await ses.fetch(`http://x.test:${originPort}/`)
  assert.equal(res.status, 407)
  assert.equal(await res.text(), 'credentials, please')
})

test('after setProxy resolves, no request reuses a socket of the old configuration', async () => {
  const proxy = await httpProxy()
  const ses = fresh()
  await ses.setProxy({ mode: 'direct' })
  await (await ses.fetch(`http://127.0.0.1:${originPort}/before`)).text()
  await ses.setProxy({ proxyRules: `127.0.0.1:${proxy.port}`, proxyBypassRules: '<-loopback>' })
  await (await ses.fetch(`http://127.0.0.1:${originPort}/after`)).text()
  assert.deepEqual(proxy.seen.map((s) => s.url), [`http://127.0.0.1:${originPort}/after`])
})

test('system mode reads the environment, as Chromium on Linux does', async () => {
  const ses = fresh()
  process.env.http_proxy = 'http://env-proxy.test:3128'
  process.env.no_proxy = 'skip.test'
  try {
    await ses.setProxy({ mode: 'system' })
    assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY env-proxy.test:3128')
    assert.equal(await ses.resolveProxy('http://www.skip.test/'), 'DIRECT')
    process.env.http_proxy = 'http://moved.test:8080'
    assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY env-proxy.test:3128', 'read when set')
    await ses.forceReloadProxyConfig()
    assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY moved.test:8080', 'and again on forceReloadProxyConfig')
  } finally {
    delete process.env.http_proxy
    delete process.env.no_proxy
  }
})

test('the proxy-server and proxy-bypass-list switches configure new sessions', async () => {
  app.commandLine.appendSwitch('proxy-server', 'http=switch.test:81;https=switch.test:444')
  app.commandLine.appendSwitch('proxy-bypass-list', '*.bypassed.test')
  try {
    const ses = fresh()
    assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY switch.test:81')
    assert.equal(await ses.resolveProxy('https://x.test/'), 'PROXY switch.test:444')
    assert.equal(await ses.resolveProxy('http://a.bypassed.test/'), 'DIRECT')
    app.commandLine.appendSwitch('no-proxy-server')
    assert.equal(await fresh().resolveProxy('http://x.test/'), 'DIRECT', 'no-proxy-server wins')
  } finally {
    for (const s of ['proxy-server', 'proxy-bypass-list', 'no-proxy-server']) app.commandLine.removeSwitch(s)
  }
})

// A server handing out PAC scripts: `scripts[path]` is served as is and
// `fetches[path]` counts the requests for it.
const pacFiles = { scripts: {}, fetches: {}, cookies: {} }
const pacServer = http.createServer((req, res) => {
  pacFiles.fetches[req.url] = (pacFiles.fetches[req.url] ?? 0) + 1
  pacFiles.cookies[req.url] = req.headers.cookie
  const script = pacFiles.scripts[req.url]
  if (script === undefined) { res.writeHead(404); return res.end() }
  res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' })
  res.end(script)
})
const pacPort = await listen(pacServer)
const dataPac = (source) => `data:application/x-ns-proxy-autoconfig,${encodeURIComponent(source)}`

test('a PAC script decides, with the standard functions and our resolver', async () => {
  const proxy = await httpProxy()
  const ses = fresh()
  const script = `
    function FindProxyForURL(url, host) {
      if (isPlainHostName(host) || dnsDomainIs(host, '.direct.test')) return 'DIRECT';
      if (shExpMatch(url, '*/via-proxy/*')) return 'PROXY 127.0.0.1:${proxy.port}; DIRECT';
      if (dnsResolve(host) === '127.0.0.1') return 'SOCKS5 mapped.test:1080';
      return 'PROXY fallback.test:3128';
    }`
  await ses.setProxy({ pacScript: dataPac(script) })
  const rows = [
    ['http://intranet/', 'DIRECT'],
    ['http://www.direct.test/', 'DIRECT'],
    [`http://x.test:${originPort}/via-proxy/a`, `PROXY 127.0.0.1:${proxy.port};DIRECT`],
    [`http://10.9.8.7/via-proxy/a?q=1#f`, `PROXY 127.0.0.1:${proxy.port};DIRECT`],
    ['https://x.test/via-proxy/a', 'PROXY fallback.test:3128'], // https: the script sees no path
    ['https://user:pw@x.test:8443/via-proxy/a', 'PROXY fallback.test:3128'],
    ['http://socks4-only.test/', 'SOCKS5 mapped.test:1080'],
    ['http://localhost/', 'DIRECT'] // loopback never goes through a PAC script's proxies
  ]
  for (const [url, want] of rows) assert.equal(await ses.resolveProxy(url), want, url)
  assert.equal(await (await ses.fetch(`http://x.test:${originPort}/via-proxy/a`)).text(), `origin saw GET /via-proxy/a host=x.test:${originPort}`)
  assert.equal(proxy.seen.at(-1).url, `http://x.test:${originPort}/via-proxy/a`)
})

test('the PAC script is fetched once per configuration, and again on forceReloadProxyConfig', async () => {
  pacFiles.scripts['/once.pac'] = "function FindProxyForURL(u, h) { return 'PROXY one.test:1' }"
  const ses = fresh()
  await ses.cookies.set({ url: `http://127.0.0.1:${pacPort}/`, name: 'pac', value: 'fetcher' })
  await ses.setProxy({ mode: 'pac_script', pacScript: `http://127.0.0.1:${pacPort}/once.pac` })
  for (let i = 0; i < 3; i++) assert.equal(await ses.resolveProxy(`http://x${i}.test/`), 'PROXY one.test:1')
  assert.equal(pacFiles.fetches['/once.pac'], 1)
  assert.equal(pacFiles.cookies['/once.pac'], 'pac=fetcher', 'the PAC fetch sends the session\'s cookies, as Chromium\'s does')
  pacFiles.scripts['/once.pac'] = "function FindProxyForURL(u, h) { return 'PROXY two.test:2' }"
  await ses.forceReloadProxyConfig()
  assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY two.test:2')
  assert.equal(pacFiles.fetches['/once.pac'], 2)
})

test('a PAC script that fails: mandatory from setProxy, DIRECT from the command line', async () => {
  const ses = fresh()
  const hostile = [
    'while (true) {}',
    'function FindProxyForURL() { throw new Error("no") }',
    'function FindProxyForURL() { return 42 }',
    'this is not javascript',
    'function FindProxyForURL() { var a = []; for (;;) a.push(new Array(1e6)) }',
    "function FindProxyForURL() { return typeof require + typeof process + typeof fetch === 'undefinedundefinedundefined' ? 'DIRECT' : 'PROXY leak.test:1' }"
  ]
  for (const source of hostile.slice(0, 5)) {
    await ses.setProxy({ pacScript: dataPac(source) })
    await assert.rejects(ses.resolveProxy('http://x.test/'), { message: 'net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED' }, source)
  }
  await ses.setProxy({ pacScript: dataPac(hostile[5]) })
  assert.equal(await ses.resolveProxy('http://x.test/'), 'DIRECT', 'no require, process or fetch inside the engine')
  await ses.setProxy({ pacScript: `http://127.0.0.1:${pacPort}/missing.pac` })
  await assert.rejects(ses.fetch(`http://x.test:${originPort}/`), { message: 'net::ERR_MANDATORY_PROXY_CONFIGURATION_FAILED' })
  app.commandLine.appendSwitch('proxy-pac-url', dataPac('while (true) {}'))
  try {
    assert.equal(await fresh().resolveProxy('http://x.test/'), 'DIRECT', 'a PAC URL from the command line is not mandatory')
  } finally {
    app.commandLine.removeSwitch('proxy-pac-url')
  }
})

test('auto_detect finds the PAC script at http://wpad/wpad.dat', async () => {
  pacFiles.scripts['/wpad.dat'] = "function FindProxyForURL(u, h) { return 'PROXY found-by-wpad.test:8080' }"
  app.commandLine.appendSwitch('host-resolver-rules', `MAP socks4-only.test 127.0.0.1, MAP wpad 127.0.0.1:${pacPort}`)
  const ses = fresh()
  await ses.setProxy({ mode: 'auto_detect' })
  assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY found-by-wpad.test:8080')
  assert.equal(pacFiles.fetches['/wpad.dat'], 1)
})

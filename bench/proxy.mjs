// Proxy resolution: ses.resolveProxy with a realistic 50-line PAC script
// over 100,000 URLs, side by side with the npm package pac-resolver (QuickJS
// compiled to WebAssembly), and resolveProxy with fixed rules. Neither PAC
// engine resolves names here: the script only calls isInNet on IP literals,
// so no DNS traffic leaves the machine. Prints rates and ratios; never fails.
//
//   npm run bench (all benchmarks) or node bench/proxy.mjs

import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

import { createPacResolver } from 'pac-resolver'
import { QuickJS } from 'quickjs-wasi'

import { app, session } from '../index.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const URLS = 100_000
const CONCURRENCY = 64

app.setPath('userData', os.tmpdir()) // in-memory sessions only; nothing is written
await app.whenReady()

const script = `
function FindProxyForURL(url, host) {
  host = host.toLowerCase();
  var isIp = /^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host);
  if (isPlainHostName(host)) return "DIRECT";
  if (host === "localhost" || host === "127.0.0.1") return "DIRECT";
  if (isIp) {
    if (isInNet(host, "10.0.0.0", "255.0.0.0")) return "DIRECT";
    if (isInNet(host, "172.16.0.0", "255.240.0.0")) return "DIRECT";
    if (isInNet(host, "192.168.0.0", "255.255.0.0")) return "DIRECT";
    if (isInNet(host, "100.64.0.0", "255.192.0.0")) return "PROXY carrier.proxy.test:3128";
    return "PROXY ip.proxy.test:8080; DIRECT";
  }
  if (dnsDomainIs(host, ".corp.example") || dnsDomainIs(host, ".intranet.example")) {
    if (shExpMatch(host, "build*.corp.example")) return "PROXY build.proxy.test:3128";
    if (shExpMatch(url, "*/api/v2/*")) return "PROXY api.proxy.test:8080";
    return "DIRECT";
  }
  if (localHostOrDomainIs(host, "www.partner.example")) return "PROXY partner.proxy.test:8080";
  if (dnsDomainLevels(host) > 4) return "PROXY deep.proxy.test:8080";
  if (shExpMatch(host, "*.cdn.example") || shExpMatch(host, "static*.example")) {
    return "DIRECT";
  }
  if (shExpMatch(host, "*.video.example")) {
    return "PROXY video1.proxy.test:8080; PROXY video2.proxy.test:8080";
  }
  if (url.substring(0, 5) === "http:") {
    if (shExpMatch(host, "*.news.example")) return "PROXY news.proxy.test:8080";
    if (shExpMatch(url, "*.exe") || shExpMatch(url, "*.msi")) {
      return "PROXY scan.proxy.test:8080";
    }
    return "PROXY web.proxy.test:8080; DIRECT";
  }
  if (url.substring(0, 6) === "https:") {
    if (shExpMatch(host, "*.bank.example")) return "DIRECT";
    if (shExpMatch(host, "*.social.example")) {
      return "PROXY social.proxy.test:8080";
    }
    return "PROXY secure.proxy.test:8443; DIRECT";
  }
  if (url.substring(0, 4) === "ftp:") return "PROXY ftp.proxy.test:2121";
  return "DIRECT";
}
`

const hosts = ['intranet', 'build7.corp.example', 'wiki.corp.example', 'www.partner.example', 'a.b.c.d.e.example',
  'img.cdn.example', 'static3.example', 'clip.video.example', 'daily.news.example', 'www.shop.example',
  'my.bank.example', 'feed.social.example', '10.1.2.3', '192.168.7.7', '100.70.1.1', '8.8.4.4', 'localhost']
const urls = Array.from({ length: URLS }, (_, i) => {
  const host = hosts[i % hosts.length]
  const scheme = i % 3 === 0 ? 'https' : 'http'
  return `${scheme}://${host}/path/${i}${i % 7 === 0 ? '/api/v2/x' : ''}${i % 11 === 0 ? '/setup.exe' : ''}`
})

const ses = session.fromPartition('bench-pac')
await ses.setProxy({ pacScript: `data:application/x-ns-proxy-autoconfig,${encodeURIComponent(script)}` })
const fixed = session.fromPartition('bench-fixed')
await fixed.setProxy({ proxyRules: 'http=web.proxy.test:8080;https=secure.proxy.test:8443,direct://', proxyBypassRules: '*.corp.example, <local>, 10.0.0.0/8' })
const require = createRequire(import.meta.url)
const qjs = await QuickJS.create({ wasm: readFileSync(require.resolve('quickjs-wasi/quickjs.wasm')) })
const pacResolver = createPacResolver(qjs, script)

// Same answers from both engines, in PAC form (pac-resolver keeps the
// script's spacing; Chromium's form joins entries with ';'). Only http URLs
// compare: for https, Chromium (and so we) shows the script no path.
const canonical = (s) => s.split(';').map((x) => x.trim()).filter(Boolean).join(';')
for (const u of urls.slice(0, 300).filter((x) => x.startsWith('http:'))) {
  const [a, b] = [await ses.resolveProxy(u), canonical(await pacResolver(u))]
  if (a !== b) console.log(`answers differ for ${u}: ${a} vs ${b}`)
}

async function run (resolve) {
  let next = 0
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < urls.length) await resolve(urls[next++])
  }))
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { rps: urls.length / (ms / 1000), cpuUs: (cpu.user + cpu.system) / urls.length }
}

const clients = {
  'electron-session PAC': (u) => ses.resolveProxy(u),
  'pac-resolver': (u) => pacResolver(u),
  'electron-session fixed rules': (u) => fixed.resolveProxy(u)
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; ${URLS} URLs, concurrency ${CONCURRENCY}, ${ROUNDS} interleaved rounds, medians`)
const results = Object.fromEntries(Object.keys(clients).map((k) => [k, []]))
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, resolve] of Object.entries(clients)) results[name].push(await run(resolve))
}
const peer = median(results['pac-resolver'].map((x) => x.rps))
for (const [name, rs] of Object.entries(results)) {
  const rps = median(rs.map((x) => x.rps))
  console.log(`  ${name.padEnd(30)} ${rps.toFixed(0).padStart(9)} resolutions/s  ratio to pac-resolver ${(rps / peer).toFixed(2)}  CPU ${median(rs.map((x) => x.cpuUs)).toFixed(1)} µs/resolution`)
}

// The core alone, without the binding: fixed rules resolved in Rust, and
// this PAC script run by QuickJS (what the engine itself costs).
const host = spawnSync('rustc', ['-vV'], { encoding: 'utf8' }).stdout.match(/^host: (.+)$/m)[1]
for (const example of ['proxy_rules', 'pac_script']) {
  const core = spawnSync('cargo', ['run', '--release', '-q', '-p', 'electron-session-core', '--example', example, '--target', host],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' })
  console.log(`  ${(core.stdout || core.stderr).trim()}`)
}

// Loopback servers for tests; each closes when its test file ends.

import http from 'node:http'
import net from 'node:net'
import { after } from 'node:test'

// An HTTP/1.1 server on 127.0.0.1 running `handler`; resolves with its base URL.
export async function httpServer (handler) {
  const server = http.createServer(handler)
  const sockets = new Set()
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  after(() => { for (const s of sockets) s.destroy(); server.close() })
  return { server, url: `http://127.0.0.1:${server.address().port}` }
}

// Resolves with the whole body of a Node request.
export function readBody (req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

// A promise plus its resolve function.
export function deferred () {
  let resolve
  const promise = new Promise((r) => { resolve = r })
  return { promise, resolve }
}

// A TCP server on 127.0.0.1 that answers HTTP by hand, for what node:http
// would not send. `onRequest(head, socket, n)` gets each request head as it
// arrived (request line and header lines, no body: use it for requests
// without one) and the socket's number; `opened()` counts connections.
export async function rawServer (onRequest) {
  let opened = 0
  const sockets = new Set()
  const server = net.createServer((socket) => {
    const n = ++opened
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let buf = Buffer.alloc(0)
    socket.on('data', (data) => {
      buf = Buffer.concat([buf, data])
      let end
      while ((end = buf.indexOf('\r\n\r\n')) !== -1) {
        const head = buf.subarray(0, end).toString('latin1')
        buf = buf.subarray(end + 4)
        onRequest(head, socket, n)
      }
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  after(() => { for (const s of sockets) s.destroy(); server.close() })
  return { server, url: `http://127.0.0.1:${server.address().port}`, opened: () => opened }
}

// A server of one file, `data`, at every path, for download tests. Options:
// `etag` / `lastModified` (validators sent), `ranges` ('honour', 'ignore':
// always 200, 'reject': 416), `contentType`, `disposition`, and
// `plan(n, req)`, which may return for the n-th request (from 0)
// `{ holdAfter }` (send that many bytes, then wait for `release()`),
// `{ cutAfter }` (send that many bytes, then reset the connection) or
// `{ dieAfter }` (as cutAfter, and the server stops listening) or
// `{ status }` (that status, no body). `requests`
// lists each request's headers; `sent` resolves when a held response has
// sent its part.
export async function fileServer (data, options = {}) {
  const { etag, lastModified, ranges = 'honour', contentType = 'application/octet-stream', disposition, plan = () => ({}) } = options
  const requests = []
  let held = deferred()
  let release = deferred()
  const { server, url } = await httpServer((req, res) => {
    const n = requests.length
    requests.push({ url: req.url, headers: req.headers })
    const step = plan(n, req) || {}
    if (step.status) {
      res.writeHead(step.status)
      return res.end()
    }
    const headers = { 'content-type': contentType, 'accept-ranges': 'bytes' }
    if (etag) headers.etag = etag
    if (lastModified) headers['last-modified'] = lastModified
    if (disposition) headers['content-disposition'] = disposition
    const match = /^bytes=(\d+)-$/.exec(req.headers.range || '')
    let start = 0
    const ifRange = req.headers['if-range']
    const validatorOk = !ifRange || ifRange === etag || ifRange === lastModified
    if (match && ranges === 'reject') {
      res.writeHead(416, { 'content-range': `bytes */${data.length}` })
      return res.end()
    }
    if (match && ranges === 'honour' && validatorOk) {
      start = Number(match[1])
      headers['content-range'] = `bytes ${start}-${data.length - 1}/${data.length}`
    }
    headers['content-length'] = data.length - start
    res.writeHead(start > 0 ? 206 : 200, headers)
    const body = data.subarray(start)
    if (step.holdAfter !== undefined) {
      res.write(body.subarray(0, step.holdAfter), () => held.resolve())
      release.promise.then(() => res.end(body.subarray(step.holdAfter)))
    } else if (step.cutAfter !== undefined || step.dieAfter !== undefined) {
      const cut = step.cutAfter ?? step.dieAfter
      res.write(body.subarray(0, cut), () => {
        if (step.dieAfter !== undefined) server.close()
        res.socket.resetAndDestroy()
      })
    } else {
      res.end(body)
    }
  })
  return {
    url,
    server,
    requests,
    get sent () { return held.promise },
    release () { const r = release; held = deferred(); release = deferred(); r.resolve() }
  }
}

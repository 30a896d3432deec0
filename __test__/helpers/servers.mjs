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

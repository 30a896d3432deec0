// Loopback servers for tests; each closes when its test file ends.

import http from 'node:http'
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

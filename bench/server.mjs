// The benchmark's loopback server, in its own process so that the client
// process is what gets measured. Cheap on purpose: pre-serialised keep-alive
// responses on node:net, one port per body size. Prints its ports as JSON,
// and its CPU time when asked over IPC.

import net from 'node:net'

const MiB = 1024 * 1024
const sizes = { '1k': 1024, '1m': MiB, '100m': 100 * MiB, '1g': 1024 * MiB }
const block = Buffer.alloc(MiB, 'x')

function head (size) {
  return Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: ${size}\r\nconnection: keep-alive\r\n\r\n`)
}

// Whole responses of up to 1 MiB, serialised once: writing one costs the
// server a single write call and no copy.
const whole = new Map()
for (const size of Object.values(sizes)) {
  if (size <= MiB) whole.set(size, Buffer.concat([head(size), block.subarray(0, size)]))
}

// A response of `size` bytes, written as fast as the socket takes it.
function respond (socket, size, done) {
  if (whole.has(size)) {
    socket.write(whole.get(size))
    return done()
  }
  socket.write(head(size))
  let left = size
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, block.length)
      left -= n
      if (!socket.write(n === block.length ? block : block.subarray(0, n))) return socket.once('drain', pump)
    }
    done()
  }
  pump()
}

const ports = {}
for (const [name, size] of Object.entries(sizes)) {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true)
    let pending = ''
    let queued = 0
    let busy = false
    const next = () => {
      if (busy || queued === 0) return
      busy = true
      queued--
      respond(socket, size, () => { busy = false; next() })
    }
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1')
      let i
      while ((i = pending.indexOf('\r\n\r\n')) !== -1) {
        pending = pending.slice(i + 4)
        queued++
      }
      next()
    })
    socket.on('error', () => {})
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  ports[name] = server.address().port
}
process.on('message', (m) => {
  if (m === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send({ cpuUs: user + system })
  }
})
process.send({ ports })

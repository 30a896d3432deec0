// Downloads a file from a local server it starts itself, with a terminal
// progress bar fed by the item's `updated` events.
//
//   node examples/download-progress.js            (after npm run build:debug)

const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const fs = require('node:fs')
const { app, session } = require('..')

const SIZE = 64 * 1024 * 1024

// A loopback server that sends SIZE bytes slowly enough to watch
// (4 MiB every 100 ms), with an ETag so an interrupted download can resume.
function startServer () {
  const chunk = Buffer.alloc(4 * 1024 * 1024, 'x')
  const server = http.createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': SIZE,
      'content-disposition': 'attachment; filename="example.bin"',
      etag: '"example-v1"'
    })
    let sent = 0
    const timer = setInterval(() => {
      res.write(chunk)
      sent += chunk.length
      if (sent >= SIZE) { clearInterval(timer); res.end() }
    }, 100)
    res.on('close', () => clearInterval(timer))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function bar (item) {
  const width = 30
  const percent = Math.max(0, item.getPercentComplete())
  const filled = Math.round((percent / 100) * width)
  const mib = (n) => (n / 1048576).toFixed(1)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ` +
    `${mib(item.getReceivedBytes())}/${mib(item.getTotalBytes())} MiB  ${mib(item.getCurrentBytesPerSecond())} MiB/s`
}

async function main () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'download-example-'))
  app.setPath('userData', dir)
  await app.whenReady()
  const server = await startServer()
  const ses = session.fromPartition('download-example')
  ses.setDownloadPath(dir) // no setSavePath below: the name comes from Content-Disposition

  ses.on('will-download', (event, item) => {
    console.log(`downloading ${item.getFilename()} (${item.getMimeType()})`)
    item.on('updated', (event, state) => {
      if (state === 'progressing') process.stdout.write(`\r${bar(item)}${item.isPaused() ? ' (paused)' : ''}`)
    })
    item.on('done', (event, state) => {
      // An interrupted download keeps its partial file and can go on.
      if (state === 'interrupted' && item.canResume()) {
        process.stdout.write('\ninterrupted, resuming\n')
        return item.resume()
      }
      process.stdout.write(`\r${bar(item)}\n${state}: ${item.getSavePath()}\n`)
      server.close()
      fs.rmSync(dir, { recursive: true, force: true })
    })
  })
  ses.downloadURL(`http://127.0.0.1:${server.address().port}/file`)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})

// A process that starts a download and is killed in the middle of it (by
// the test, with SIGKILL). Once `atLeast` bytes are on disk it prints, as one
// JSON line, what a real app would save to recreate the download later with
// ses.createInterruptedDownload().
//
//   node download-child.mjs <userData> <url> <savePath> <atLeast>

import { app, session } from '../../index.js'

const [userData, url, savePath, atLeast] = process.argv.slice(2)
app.setPath('userData', userData)
const ses = session.defaultSession
ses.on('will-download', (event, item) => {
  item.setSavePath(savePath)
  let reported = false
  item.on('updated', () => {
    if (reported || item.getReceivedBytes() < Number(atLeast)) return
    reported = true
    process.stdout.write(JSON.stringify({
      path: item.getSavePath(),
      urlChain: item.getURLChain(),
      mimeType: item.getMimeType(),
      offset: item.getReceivedBytes(),
      length: item.getTotalBytes(),
      lastModified: item.getLastModifiedTime(),
      eTag: item.getETag(),
      startTime: item.getStartTime()
    }) + '\n')
  })
})
ses.downloadURL(url)

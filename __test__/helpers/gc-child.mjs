// A process that streams a body several times over and counts the garbage
// collections V8 ran meanwhile, so that a test can see how a long body's
// Buffers are reclaimed in a heap nothing else has touched:
//
//   node gc-child.mjs <userData> <url> <times>
//
// Prints one JSON line: `{ bytes, major, minor }`, the bytes read and the
// number of full (mark-compact) and young-generation collections.

import { PerformanceObserver, constants } from 'node:perf_hooks'

import { app, session } from '../../index.js'

const [userData, url, times] = process.argv.slice(2)
app.setPath('userData', userData)
await app.whenReady()
const ses = session.fromPartition('gc-child')

const counts = { major: 0, minor: 0 }
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++
    else if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++
  }
})
observer.observe({ entryTypes: ['gc'] })

let bytes = 0
for (let i = 0; i < Number(times); i++) {
  const res = await ses.fetch(url)
  for await (const chunk of res.body) bytes += chunk.length
}
// The observer is told of the last collections on a later turn.
await new Promise((resolve) => setImmediate(resolve))
observer.disconnect()
console.log(JSON.stringify({ bytes, ...counts }))

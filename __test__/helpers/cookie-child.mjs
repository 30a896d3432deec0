// A separate process on a profile, for the persistence and crash tests:
//   node cookie-child.mjs write <userData> <partition>  sets a persistent and a session cookie, flushes, prints "flushed"
//   node cookie-child.mjs write-and-exit <userData> <partition>  sets a persistent cookie and exits without flushing
//   node cookie-child.mjs read <userData> <partition>   prints the jar as JSON (one line)
//   node cookie-child.mjs loop <userData> <partition>   sets cookies c0, c1, … (one site each) until killed, flushing every 10,
//                                                       printing the last index each flush confirmed

import { createRequire } from 'node:module'

const { app, session } = createRequire(import.meta.url)('../../index.js')
const [mode, userData, partition] = process.argv.slice(2)
app.setPath('userData', userData)
const cookies = session.fromPartition(partition).cookies
const url = 'https://example.com/'
const expirationDate = Date.now() / 1000 + 3600

if (mode === 'write') {
  await cookies.set({ url, name: 'kept', value: 'yes', expirationDate })
  await cookies.set({ url, name: 'session-only', value: 'gone' })
  await cookies.set({ url: 'https://other.example.org/app', name: 'deep', value: '2', path: '/app', httpOnly: true, secure: true, sameSite: 'strict', expirationDate })
  await cookies.flushStore()
  process.stdout.write('flushed\n')
} else if (mode === 'write-and-exit') {
  // No flushStore: the commit at exit must save it.
  await cookies.set({ url, name: 'unflushed', value: '1', expirationDate })
} else if (mode === 'read') {
  const all = await cookies.get({})
  process.stdout.write(JSON.stringify(all) + '\n')
} else if (mode === 'loop') {
  // One site per cookie, so no per-domain eviction hides a cookie; past
  // 3000 (under the global limit) it waits to be killed.
  for (let i = 0; i < 3000; i++) {
    await cookies.set({ url: `https://site${i}.test/`, name: `c${i}`, value: String(i), expirationDate })
    if (i % 10 === 9) {
      await cookies.flushStore()
      process.stdout.write(`${i}\n`)
    }
  }
  setInterval(() => {}, 1000)
} else {
  throw new Error(`unknown mode ${mode}`)
}

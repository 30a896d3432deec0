// A process that fetches a body and does one thing with it, printing a line
// at each step, so that a test can see what keeps Node running and what
// lets a body go:
//
//   node [--expose-gc] body-child.mjs <userData> <url> wait|unread|abandon
//
// wait: reads the first chunk, then waits for the next with nothing else
// to keep the process up; prints `first`, then `second` once it arrives.
// unread: takes the response and never reads its body; prints `head`.
// abandon: reads the first chunk, drops the response and its reader, and
// collects garbage every 20 ms until a line arrives on stdin.

import os from 'node:os'

import { app, session } from '../../index.js'

const [userData, url, mode] = process.argv.slice(2)
app.setPath('userData', userData ?? os.tmpdir())
await app.whenReady()
const ses = session.fromPartition('body-child')

let res = await ses.fetch(url)
if (mode === 'unread') {
  console.log('head')
} else {
  let reader = res.body.getReader()
  await reader.read()
  console.log('first')
  if (mode === 'wait') {
    reader.read().then(() => console.log('second'))
  } else {
    reader = null
    res = null
    const timer = setInterval(() => globalThis.gc(), 20)
    process.stdin.once('data', () => clearInterval(timer))
  }
}

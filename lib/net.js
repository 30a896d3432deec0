'use strict'
// `ses.fetch` / `net.fetch`: WHATWG Request in, WHATWG Response out, with the
// whole request handled by the native pipeline (Electron's net-fetch.ts
// shape). JavaScript runs only to unpack the Request and wrap the Response.

const os = require('node:os')

function abortReason (signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

function whenAborted (signal) {
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true })
  })
}

async function fetchWithSession (ses, input, init) {
  const req = new Request(input, init)
  if (req.signal.aborted) throw abortReason(req.signal)
  const body = req.body === null ? undefined : Buffer.from(await req.arrayBuffer())
  if (req.signal.aborted) throw abortReason(req.signal)
  const task = ses._fetch({ url: req.url, method: req.method, headers: [...req.headers], body, redirect: req.redirect })
  const abort = () => task.abort()
  req.signal.addEventListener('abort', abort, { once: true })
  let head
  try {
    head = await Promise.race([task.response(), whenAborted(req.signal)])
  } catch (err) {
    req.signal.removeEventListener('abort', abort)
    throw err
  }
  const headers = new Headers()
  for (const [name, value] of head.headers) headers.append(name, value)
  const res = new Response(head.body, { status: head.status, statusText: head.statusText, headers })
  Object.defineProperties(res, {
    url: { value: head.urlList[head.urlList.length - 1], enumerable: true },
    redirected: { value: head.urlList.length > 1, enumerable: true }
  })
  return res
}

// Online when some interface other than loopback has an address, as
// Chromium's network change notifier judges it on Linux.
function isOnline () {
  return Object.values(os.networkInterfaces()).some((addrs) => addrs.some((a) => !a.internal))
}

module.exports = { fetchWithSession, isOnline }

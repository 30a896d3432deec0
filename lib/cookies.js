'use strict'
// The JS half of `Cookies`: EventEmitter behaviour and the `changed` event.

const { EventEmitter } = require('node:events')
const { Cookies } = require('../binding.js')

Object.setPrototypeOf(Cookies.prototype, EventEmitter.prototype)

// One Cookies object per session, wired to emit `changed` on the JS thread.
const bySession = new WeakMap()

function cookiesOf (ses) {
  let cookies = bySession.get(ses)
  if (cookies) return cookies
  cookies = ses._cookies
  EventEmitter.call(cookies)
  const target = cookies
  cookies._setChangeListener(({ cookie, cause, removed }) => {
    const event = { preventDefault () { event.defaultPrevented = true }, defaultPrevented: false }
    target.emit('changed', event, cookie, cause, removed)
  })
  // Changes cross into JavaScript only while someone listens.
  cookies._watchChanges(false)
  cookies.on('newListener', (name) => { if (name === 'changed') cookies._watchChanges(true) })
  cookies.on('removeListener', (name) => {
    if (name === 'changed' && cookies.listenerCount('changed') === 0) cookies._watchChanges(false)
  })
  bySession.set(ses, cookies)
  return cookies
}

module.exports = { Cookies, cookiesOf }

'use strict'
// electron-session: Electron's main-process `session` API for plain Node.js.

const app = require('./lib/app.js')
const { session, Session } = require('./lib/session.js')
const { isOnline } = require('./lib/net.js')

// `net` of the main process: requests through the default session.
const net = {
  fetch (input, init) {
    return session.defaultSession.fetch(input, init)
  },
  isOnline,
  get online () {
    return isOnline()
  }
}

module.exports = { app, session, net, Session }

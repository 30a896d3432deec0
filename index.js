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

// `netLog` of the main process: the default session's (Electron's net-log.ts).
const netLog = {
  startLogging (path, options) {
    return session.defaultSession.netLog.startLogging(path, options)
  },
  stopLogging () {
    return session.defaultSession.netLog.stopLogging()
  },
  get currentlyLogging () {
    return session.defaultSession.netLog.currentlyLogging
  }
}

const { Cookies } = require('./lib/cookies.js')
const { DownloadItem } = require('./lib/download-item.js')

module.exports = { app, session, net, netLog, Session, Cookies, DownloadItem, NetLog: require('./binding.js').NetLog }

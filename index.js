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
const { WebRequest } = require('./lib/web-request.js')
const { Protocol, moduleProtocol } = require('./lib/protocol.js')

// `protocol` of the main process: the default session's (Electron's
// protocol.ts), plus the process-wide privileged schemes.
const protocol = moduleProtocol(() => session.defaultSession.protocol)

module.exports = { app, session, net, netLog, protocol, Session, Cookies, WebRequest, Protocol, DownloadItem, NetLog: require('./binding.js').NetLog }

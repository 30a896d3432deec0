'use strict'
// electron-session: Electron's main-process `session` API for plain Node.js.

const app = require('./lib/app.js')
const { session, Session } = require('./lib/session.js')

module.exports = { app, session, Session }

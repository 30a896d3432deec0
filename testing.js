'use strict'
// electron-session/testing: what a renderer would do, for tests.

require('./index.js')
const { WebContents, createWebContents } = require('./lib/web-contents.js')

module.exports = { WebContents, createWebContents }

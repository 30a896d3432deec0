'use strict'
// `app`: the native App (paths, name, version, switches) with EventEmitter
// behaviour and readiness added, as Electron's `app` is an EventEmitter.

const { EventEmitter } = require('node:events')
const binding = require('../binding.js')

const { App } = binding
Object.setPrototypeOf(App.prototype, EventEmitter.prototype)

const app = binding._app()
// One commandLine object, like Electron's.
Object.defineProperty(app, 'commandLine', { value: app.commandLine, enumerable: true })
Object.defineProperty(App.prototype, 'name', {
  get () { return this.getName() },
  set (name) { this.setName(name) },
  configurable: true
})

// Electron becomes ready once the main script has run; here, once the module
// that first required us has finished loading.
let ready = false
const whenReady = new Promise((resolve) => {
  setImmediate(() => {
    ready = true
    app.emit('ready', { preventDefault () {} }, {})
    resolve()
  })
})

App.prototype.isReady = function isReady () { return ready }
App.prototype.whenReady = function whenReady_ () { return whenReady }

module.exports = app

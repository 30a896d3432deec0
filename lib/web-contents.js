'use strict'
// A renderer stand-in for tests: what a page would ask of its session goes
// through the same native code paths a real renderer's requests would.

const { EventEmitter } = require('node:events')
const { Session } = require('../binding.js')
const registry = require('./web-contents-registry.js')
const { downloadURL } = require('./download-item.js')

const state = new WeakMap()

class WebContents extends EventEmitter {
  constructor (token, options) {
    if (token !== state) throw new TypeError('Use createWebContents() to make a WebContents')
    super()
    state.set(this, { id: registry.add(this), session: options.session, url: options.url, destroyed: false })
  }

  get id () { return state.get(this).id }
  get session () { return state.get(this).session }
  getURL () { return state.get(this).url }
  isDestroyed () { return state.get(this).destroyed }

  destroy () {
    const s = state.get(this)
    if (s.destroyed) return
    s.destroyed = true
    registry.remove(s.id)
    this.emit('destroyed')
  }

  // The page asks for `permission`, as a renderer's permission request would.
  requestPermission (permission, details) {
    const s = live(this)
    return s.session._requestPermission(s.id, s.url, permission, details)
  }

  // Downloads `url` with this page's session: its `will-download` gets this
  // webContents as third argument.
  downloadURL (url, options) {
    const s = live(this)
    downloadURL(s.session, url, options, s.id)
  }

  // The page checks `permission`, as a renderer's permission query would.
  checkPermission (permission, details) {
    const s = live(this)
    return s.session._checkPermission(s.id, s.url, permission, details)
  }

  // The page asks whether it may use `device` of `deviceType` ('hid',
  // 'serial' or 'usb'), as `navigator.hid.getDevices()` would.
  checkDevicePermission (deviceType, device) {
    const s = live(this)
    return s.session._checkDevicePermission(s.url, deviceType, device)
  }
}

function live (wc) {
  const s = state.get(wc)
  if (s.destroyed) throw new Error('Object has been destroyed')
  return s
}

function createWebContents (options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createWebContents: options must be an object with a session')
  }
  const { session, url = 'about:blank' } = options
  if (!(session instanceof Session)) {
    throw new TypeError('createWebContents: options.session must be a Session')
  }
  if (typeof url !== 'string' || !URL.canParse(url)) {
    throw new TypeError(`createWebContents: options.url must be an absolute URL string, got ${String(url)}`)
  }
  return new WebContents(state, { session, url: new URL(url).href })
}

module.exports = { WebContents, createWebContents }

'use strict'
// The JS half of `DownloadItem`: EventEmitter behaviour, one wrapper per
// item, the `updated` / `done` events, and the bits Electron keeps in JS
// (`savePath`, the stored save-dialog options). `wireDownloads` connects a
// session: it emits `will-download` when the core announces an item.

const { EventEmitter } = require('node:events')
const { DownloadItem } = require('../binding.js')
const webContentsRegistry = require('./web-contents-registry.js')

Object.setPrototypeOf(DownloadItem.prototype, EventEmitter.prototype)

// Items that may still send events, by id. Completed and cancelled items
// leave it after their `done`; interrupted ones stay (they can be resumed).
const live = new Map()
const dialogOptions = new WeakMap()

function makeEvent () {
  const event = {
    defaultPrevented: false,
    preventDefault () { event.defaultPrevented = true }
  }
  return event
}

function itemOf (ses, id) {
  let item = live.get(id)
  if (item) return item
  item = ses._downloadItem(id)
  if (!item) return null
  EventEmitter.call(item)
  live.set(id, item)
  return item
}

// Emits a native event on its item: the session's listener, also given to
// each transfer (which holds it strongly, keeping Node running meanwhile).
function onEvent ({ id, name, state }) {
  const item = live.get(id)
  if (item) emitOn(item, { name, state })
}

// Emits an event on the item; completed and cancelled items are forgotten.
function emitOn (item, { name, state }) {
  if (name === 'done' && state !== 'interrupted') live.delete(item._id)
  item.emit(name, makeEvent(), state)
}

// These emit what they cause (`updated`, or `done` for cancel) before returning.
DownloadItem.prototype.resume = function resume () {
  if (!live.has(this._id)) live.set(this._id, this)
  for (const e of this._resume(onEvent)) emitOn(this, e)
}

DownloadItem.prototype.pause = function pause () {
  for (const e of this._pause()) emitOn(this, e)
}

DownloadItem.prototype.cancel = function cancel () {
  for (const e of this._cancel()) emitOn(this, e)
}

DownloadItem.prototype.setSaveDialogOptions = function setSaveDialogOptions (options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('Error processing argument at index 0, conversion failure from ' + String(options))
  }
  dialogOptions.set(this, { ...options })
}

DownloadItem.prototype.getSaveDialogOptions = function getSaveDialogOptions () {
  return { ...(dialogOptions.get(this) || {}) }
}

// Downloads started here have no initiating page.
DownloadItem.prototype.getInitiatorOrigin = function getInitiatorOrigin () {
  return ''
}

Object.defineProperty(DownloadItem.prototype, 'savePath', {
  get () { return this.getSavePath() },
  set (path) { this.setSavePath(path) },
  enumerable: true,
  configurable: true
})

function wireDownloads (ses) {
  ses._setDownloadListener(onEvent)
  ses._setWillDownloadHandler(({ id, webContentsId }) => {
    const item = itemOf(ses, id)
    const event = makeEvent()
    const wc = webContentsId == null ? null : webContentsRegistry.fromId(webContentsId)
    try {
      if (item) ses.emit('will-download', event, item, wc)
    } catch (err) {
      // A throwing listener does not stop the download; report it as Node would.
      process.nextTick(() => { throw err })
    }
    return Promise.resolve(event.defaultPrevented)
  })
}

function downloadURL (ses, url, options, webContentsId) {
  ses._downloadURL(url, options, webContentsId, onEvent)
}

function createInterruptedDownload (ses, options) {
  ses._createInterruptedDownload(options, onEvent)
}

module.exports = { DownloadItem, wireDownloads, downloadURL, createInterruptedDownload }

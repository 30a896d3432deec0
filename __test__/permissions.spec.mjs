import assert from 'node:assert/strict'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { createWebContents, WebContents } from '../testing.js'
import { useTempProfile } from './helpers/profile.mjs'

useTempProfile(app)

let n = 0
function page (url = 'https://example.com/app/index.html') {
  const ses = session.fromPartition(`permissions-${++n}`)
  return { ses, wc: createWebContents({ session: ses, url }) }
}

test('the stand-in has an id, a session and a URL', () => {
  const { ses, wc } = page('https://example.com/x')
  const other = createWebContents({ session: ses })
  assert.ok(wc instanceof WebContents)
  assert.ok(Number.isInteger(wc.id) && wc.id > 0)
  assert.ok(other.id > wc.id)
  assert.equal(wc.session, ses)
  assert.equal(wc.getURL(), 'https://example.com/x')
  assert.equal(other.getURL(), 'about:blank')
  assert.throws(() => new WebContents(), TypeError)
  assert.throws(() => createWebContents(), { name: 'TypeError', message: /options must be an object/ })
  assert.throws(() => createWebContents({ session: {} }), { name: 'TypeError', message: /options.session must be a Session/ })
  assert.throws(() => createWebContents({ session: ses, url: 'not a url' }), { name: 'TypeError', message: /options.url/ })
})

test('without handlers: requests and checks are granted, devices are not', async () => {
  const { wc } = page()
  assert.equal(await wc.requestPermission('notifications'), true)
  assert.equal(await wc.checkPermission('geolocation'), true)
  assert.equal(await wc.checkDevicePermission('hid', { vendorId: 1, productId: 2, serialNumber: 'A' }), false)
})

test('request handler: Electron arguments and the callback style', async () => {
  const { ses, wc } = page()
  const calls = []
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    calls.push({ webContents, permission, details })
    callback(permission === 'geolocation')
  })
  assert.equal(await wc.requestPermission('geolocation'), true)
  assert.equal(await wc.requestPermission('media', { mediaTypes: ['video'], securityOrigin: 'https://example.com' }), false)
  assert.equal(calls[0].webContents, wc)
  assert.equal(calls[0].permission, 'geolocation')
  assert.deepEqual(calls[0].details, { requestingUrl: 'https://example.com/app/index.html', isMainFrame: true })
  assert.deepEqual(calls[1].details, { mediaTypes: ['video'], securityOrigin: 'https://example.com', requestingUrl: 'https://example.com/app/index.html', isMainFrame: true })
})

test('request handler: a callback called later (after an await) answers', async () => {
  const { ses, wc } = page()
  ses.setPermissionRequestHandler(async (_wc, _p, callback) => {
    await new Promise((resolve) => setImmediate(resolve))
    callback(true)
  })
  assert.equal(await wc.requestPermission('midi'), true)
})

test('request handler: a returned value or Promise answers', async () => {
  const { ses, wc } = page()
  ses.setPermissionRequestHandler((_wc, permission) => permission === 'midi')
  assert.equal(await wc.requestPermission('midi'), true)
  assert.equal(await wc.requestPermission('midiSysex'), false)
  ses.setPermissionRequestHandler(async (_wc, permission) => permission === 'fullscreen')
  assert.equal(await wc.requestPermission('fullscreen'), true)
  assert.equal(await wc.requestPermission('pointerLock'), false)
})

test('request handler: the first answer wins', async () => {
  const { ses, wc } = page()
  ses.setPermissionRequestHandler((_wc, _p, callback) => { callback(false); callback(true); return true })
  assert.equal(await wc.requestPermission('midi'), false)
})

test('request handler: a throw or a rejection is reported to the requester as is', async () => {
  const { ses, wc } = page()
  const thrown = new RangeError('handler failed')
  ses.setPermissionRequestHandler(() => { throw thrown })
  await assert.rejects(wc.requestPermission('midi'), (e) => e === thrown)
  ses.setPermissionRequestHandler(async () => { throw new Error('async failure') })
  await assert.rejects(wc.requestPermission('midi'), { message: 'async failure' })
})

test('request handler: null restores the default and ends pending requests denied', async () => {
  const { ses, wc } = page()
  let asked
  const asking = new Promise((resolve) => { asked = resolve })
  ses.setPermissionRequestHandler((_wc, permission) => { asked(permission) }) // never answers
  const pending = wc.requestPermission('notifications')
  assert.equal(await asking, 'notifications')
  ses.setPermissionRequestHandler(null)
  assert.equal(await pending, false)
  assert.equal(await wc.requestPermission('notifications'), true)
})

test('a handler that never answers blocks no other request', async () => {
  const { ses, wc } = page()
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    if (permission !== 'notifications') callback(true)
  })
  const stuck = wc.requestPermission('notifications')
  let settled = false
  stuck.then(() => { settled = true }, () => { settled = true })
  assert.equal(await wc.requestPermission('geolocation'), true)
  assert.equal(await wc.checkPermission('geolocation'), true)
  assert.equal(settled, false)
  ses.setPermissionRequestHandler(null)
  assert.equal(await stuck, false)
})

test('check handler: Electron arguments, value and Promise answers', async () => {
  const { ses, wc } = page('https://sub.example.com:8443/frame?x=1')
  const calls = []
  ses.setPermissionCheckHandler((webContents, permission, requestingOrigin, details) => {
    calls.push({ webContents, permission, requestingOrigin, details })
    return permission === 'hid'
  })
  assert.equal(await wc.checkPermission('hid'), true)
  assert.equal(await wc.checkPermission('serial'), false)
  assert.equal(calls[0].webContents, wc)
  assert.equal(calls[0].requestingOrigin, 'https://sub.example.com:8443/')
  assert.deepEqual(calls[0].details, {
    embeddingOrigin: 'https://sub.example.com:8443/',
    requestingUrl: 'https://sub.example.com:8443/frame?x=1',
    isMainFrame: true
  })
  ses.setPermissionCheckHandler(async (_wc, permission, _origin, details) => permission === 'media' && details.mediaType === 'video')
  assert.equal(await wc.checkPermission('media', { mediaType: 'video' }), true)
  assert.equal(await wc.checkPermission('media', { mediaType: 'audio' }), false)
  ses.setPermissionCheckHandler(() => undefined)
  assert.equal(await wc.checkPermission('media'), false, 'undefined reads as false')
})

test('check handler: a throw is reported; null restores the default', async () => {
  const { ses, wc } = page()
  ses.setPermissionCheckHandler(() => { throw new TypeError('bad check') })
  await assert.rejects(wc.checkPermission('usb'), { name: 'TypeError', message: 'bad check' })
  ses.setPermissionCheckHandler(null)
  assert.equal(await wc.checkPermission('usb'), true)
})

test('device permission handler: details, answers, errors and null', async () => {
  const { ses, wc } = page('https://devices.example:444/page')
  const seen = []
  ses.setDevicePermissionHandler((details) => {
    seen.push(details)
    return details.device.vendorId === 0x2341
  })
  const device = { deviceId: 'd1', name: 'Board', vendorId: 0x2341, productId: 0x43, serialNumber: 'S1', collections: [] }
  assert.equal(await wc.checkDevicePermission('hid', device), true)
  assert.equal(await wc.checkDevicePermission('usb', { ...device, vendorId: 1 }), false)
  assert.deepEqual(seen[0], { deviceType: 'hid', origin: 'https://devices.example:444', device })
  ses.setDevicePermissionHandler(async () => true)
  assert.equal(await wc.checkDevicePermission('serial', { portId: 'p', portName: 'ttyS0' }), true)
  ses.setDevicePermissionHandler(() => Promise.reject(new Error('no devices today')))
  await assert.rejects(wc.checkDevicePermission('usb', device), { message: 'no devices today' })
  ses.setDevicePermissionHandler(null)
  assert.equal(await wc.checkDevicePermission('hid', device), false, 'default: only devices granted by selection')
})

test('handlers are per session', async () => {
  const a = page()
  const b = page()
  a.ses.setPermissionRequestHandler((_wc, _p, cb) => cb(false))
  assert.equal(await a.wc.requestPermission('midi'), false)
  assert.equal(await b.wc.requestPermission('midi'), true)
})

test('bad handler and permission arguments', async () => {
  const { ses, wc } = page()
  for (const setter of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler']) {
    for (const bad of [undefined, 1, 'fn', {}]) {
      assert.throws(() => ses[setter](bad), { name: 'TypeError', message: 'Must pass null or function' }, `${setter}(${String(bad)})`)
    }
  }
  assert.throws(() => wc.requestPermission('camera'), { name: 'TypeError', message: /^Invalid permission: 'camera'/ })
  assert.throws(() => wc.checkPermission(1), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 1' })
  assert.throws(() => wc.requestPermission('midi', 'details'), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from details' })
  assert.throws(() => wc.checkDevicePermission('bluetooth', {}), { name: 'TypeError', message: /^Invalid deviceType: 'bluetooth'/ })
  assert.throws(() => wc.checkDevicePermission('hid', null), { name: 'TypeError' })
  wc.destroy()
  assert.equal(wc.isDestroyed(), true)
  assert.throws(() => wc.requestPermission('midi'), { message: 'Object has been destroyed' })
})

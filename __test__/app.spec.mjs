import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'

import { app } from '../index.js'
import { tempDir } from './helpers/profile.mjs'

// Before anything changes them: the defaults.
const home = os.homedir()
const config = process.env.XDG_CONFIG_HOME || path.join(home, '.config')
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)))

test('app is not ready at once, then emits ready and resolves whenReady', async () => {
  assert.equal(app.isReady(), false)
  const readyEvent = new Promise((resolve) => app.once('ready', (...args) => resolve(args)))
  await app.whenReady()
  assert.equal(app.isReady(), true)
  const [event, launchInfo] = await readyEvent
  assert.equal(typeof event.preventDefault, 'function')
  assert.deepEqual(launchInfo, {})
  await app.whenReady() // resolves again once ready
})

test('app is an EventEmitter', () => {
  assert.ok(app instanceof EventEmitter)
})

test('name and version come from the nearest package.json', () => {
  assert.equal(app.getName(), pkg.productName ?? pkg.name)
  assert.equal(app.name, app.getName())
  assert.equal(app.getVersion(), pkg.version)
})

test('default paths follow XDG and the app name', () => {
  assert.equal(app.getPath('home'), home)
  assert.equal(app.getPath('appData'), config)
  assert.equal(app.getPath('userData'), path.join(config, app.getName()))
  assert.equal(app.getPath('sessionData'), app.getPath('userData'))
  assert.equal(app.getPath('temp'), process.env.TMPDIR || '/tmp')
  assert.ok(path.isAbsolute(app.getPath('downloads')))
})

test('setPath overrides a path; derived paths follow', () => {
  const root = tempDir()
  app.setPath('appData', root)
  assert.equal(app.getPath('userData'), path.join(root, app.getName()))
  const ud = path.join(root, 'ud')
  app.setPath('userData', ud)
  assert.equal(app.getPath('userData'), ud)
  assert.equal(app.getPath('sessionData'), ud)
  app.setPath('sessionData', path.join(root, 'sd'))
  assert.equal(app.getPath('sessionData'), path.join(root, 'sd'))
  app.setPath('downloads', path.join(root, 'dl'))
  assert.equal(app.getPath('downloads'), path.join(root, 'dl'))
})

test('setName renames the app', () => {
  const before = app.getName()
  app.setName('Renamed App')
  assert.equal(app.getName(), 'Renamed App')
  app.name = before
  assert.equal(app.getName(), before)
})

test('bad path names and arguments are errors naming them', () => {
  assert.throws(() => app.getPath('nope'), { name: 'Error', message: "Failed to get 'nope' path" })
  assert.throws(() => app.setPath('nope', '/x'), { name: 'Error', message: 'Failed to set path' })
  assert.throws(() => app.setPath('userData', 'relative'), { name: 'Error', message: 'Path must be absolute: relative' })
  assert.throws(() => app.getPath(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => app.setPath('userData', null), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from null' })
  assert.throws(() => app.setName(3), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 3' })
})

test('commandLine stores switches and arguments', () => {
  const cl = app.commandLine
  assert.equal(app.commandLine, cl)
  assert.equal(cl.hasSwitch('disable-http-cache'), false)
  assert.equal(cl.getSwitchValue('disable-http-cache'), '')
  cl.appendSwitch('disable-http-cache')
  cl.appendSwitch('host-resolver-rules', 'MAP * 127.0.0.1')
  assert.equal(cl.hasSwitch('disable-http-cache'), true)
  assert.equal(cl.getSwitchValue('host-resolver-rules'), 'MAP * 127.0.0.1')
  cl.appendArgument('--looks-like-a-switch')
  assert.equal(cl.hasSwitch('looks-like-a-switch'), false)
  cl.removeSwitch('host-resolver-rules')
  assert.equal(cl.hasSwitch('host-resolver-rules'), false)
  cl.removeSwitch('disable-http-cache')
  assert.throws(() => cl.appendSwitch(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => cl.appendSwitch('x', 1), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from 1' })
  assert.throws(() => cl.hasSwitch({}), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from #<Object>' })
  assert.throws(() => cl.appendArgument(null), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from null' })
  assert.throws(() => cl.getSwitchValue(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => cl.removeSwitch(false), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from false' })
})

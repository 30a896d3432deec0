import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { existsSync, mkdirSync, writeFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

import { app, session, Session } from '../index.js'
import { tempDir, useTempProfile } from './helpers/profile.mjs'

const profile = useTempProfile(app)

test('fromPartition returns the same object for the same string', () => {
  const a = session.fromPartition('persist:same')
  assert.equal(session.fromPartition('persist:same'), a)
  assert.equal(session.fromPartition('same'), session.fromPartition('same'))
  assert.notEqual(session.fromPartition('same'), a, "'same' and 'persist:same' differ")
})

test("'' and 'persist:' are the default session", () => {
  assert.equal(session.fromPartition(''), session.defaultSession)
  assert.equal(session.fromPartition('persist:'), session.defaultSession)
  assert.equal(session.defaultSession, session.defaultSession)
})

test('persist: sessions are persistent and stored under Partitions/ with an escaped name', () => {
  const s = session.fromPartition('persist:My Work')
  assert.equal(s.isPersistent(), true)
  assert.equal(s.getStoragePath(), path.join(profile, 'Partitions', 'my%20work'))
  assert.equal(s.storagePath, s.getStoragePath())
})

test('other partitions are in memory, with no storage path', () => {
  const s = session.fromPartition('scratch')
  assert.equal(s.isPersistent(), false)
  assert.equal(s.getStoragePath(), null)
  assert.equal(s.storagePath, null)
})

test('the default session is stored at sessionData', () => {
  assert.equal(session.defaultSession.isPersistent(), true)
  assert.equal(session.defaultSession.getStoragePath(), app.getPath('sessionData'))
  assert.equal(app.getPath('sessionData'), profile)
})

test('fromPath stores at the given absolute path and keeps identity', () => {
  const dir = path.join(tempDir(), 'custom profile')
  const s = session.fromPath(dir)
  assert.equal(s.getStoragePath(), dir)
  assert.equal(s.isPersistent(), true)
  assert.equal(session.fromPath(dir), s)
  assert.notEqual(s, session.defaultSession)
})

test('fromPath rejects empty and relative paths with Electron\'s messages', () => {
  assert.throws(() => session.fromPath(''), { name: 'TypeError', message: 'An empty path was specified' })
  assert.throws(() => session.fromPath('relative/dir'), { name: 'TypeError', message: 'An absolute path was not provided' })
})

test('bad partition and options arguments throw TypeErrors naming the argument', () => {
  for (const bad of [undefined, null, 42, {}, ['persist:x']]) {
    assert.throws(() => session.fromPartition(bad), { name: 'TypeError', message: /^Error processing argument at index 0, conversion failure from / })
  }
  assert.throws(() => session.fromPartition(42), { message: 'Error processing argument at index 0, conversion failure from 42' })
  assert.throws(() => session.fromPartition('x', 'cache'), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from cache' })
  assert.throws(() => session.fromPartition('x', { cache: 'no' }), { name: 'TypeError', message: 'Invalid value for options.cache: expected a boolean' })
  assert.throws(() => session.fromPath(7), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 7' })
  assert.throws(() => session.fromPartition('persist:../../escape'), { name: 'TypeError', message: /does not name a folder inside Partitions/ })
})

test('options.cache is accepted', () => {
  assert.ok(session.fromPartition('cache-off', { cache: false }) instanceof Session)
  assert.ok(session.fromPartition('cache-on', { cache: true }) instanceof Session)
})

test('Session cannot be constructed with new', () => {
  assert.throws(() => new Session(), { message: "Session objects cannot be created with 'new'" })
})

test('Session is an EventEmitter: on, once, emit, removeListener, instanceof', () => {
  const s = session.fromPartition('events')
  assert.ok(s instanceof EventEmitter)
  assert.ok(s instanceof Session)
  const seen = []
  const onAny = (v) => seen.push(['on', v])
  s.on('custom', onAny)
  s.once('custom', (v) => seen.push(['once', v]))
  assert.equal(s.emit('custom', 1), true)
  s.emit('custom', 2)
  s.removeListener('custom', onAny)
  assert.equal(s.emit('custom', 3), false)
  assert.deepEqual(seen, [['on', 1], ['once', 1], ['on', 2]])
  assert.equal(s.listenerCount('custom'), 0)
  // Events stay per session.
  session.fromPartition('events-other').on('custom', () => assert.fail('wrong session'))
  s.emit('custom', 4)
})

test('app emits session-created once per new session, with the session', () => {
  const created = []
  const listener = (s) => created.push(s)
  app.on('session-created', listener)
  const a = session.fromPartition('created-a')
  session.fromPartition('created-a')
  const b = session.fromPath(path.join(tempDir(), 'p'))
  app.removeListener('session-created', listener)
  assert.deepEqual(created, [a, b])
})

test('user agent: Electron-style default, then overridable', () => {
  const s = session.fromPartition('ua')
  const ua = s.getUserAgent()
  assert.match(ua, /^Mozilla\/5\.0 \(.+\) AppleWebKit\/537\.36 \(KHTML, like Gecko\) .*Chrome\/[\d.]+ Electron\/[\d.]+ Safari\/537\.36$/)
  assert.ok(ua.includes(` ${app.getName().replaceAll(' ', '')}/${app.getVersion()} `), ua)
  s.setUserAgent('MyAgent/1.0', 'fr-FR,fr')
  assert.equal(s.getUserAgent(), 'MyAgent/1.0')
  s.setUserAgent('MyAgent/2.0')
  assert.equal(s.getUserAgent(), 'MyAgent/2.0')
  assert.equal(session.fromPartition('ua-other').getUserAgent(), ua, 'other sessions keep theirs')
  assert.throws(() => s.setUserAgent(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
  assert.throws(() => s.setUserAgent('x', 5), { name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from 5' })
})

test('preloads: absolute paths only', () => {
  const s = session.fromPartition('preloads')
  assert.deepEqual(s.getPreloads(), [])
  s.setPreloads(['/srv/a.js', '/srv/b.js'])
  assert.deepEqual(s.getPreloads(), ['/srv/a.js', '/srv/b.js'])
  assert.throws(() => s.setPreloads(['/srv/c.js', 'relative.js']), { name: 'TypeError', message: /'relative\.js' is not an absolute path/ })
  assert.deepEqual(s.getPreloads(), ['/srv/a.js', '/srv/b.js'], 'a refused list changes nothing')
  assert.throws(() => s.setPreloads('/srv/a.js'), { name: 'TypeError', message: /^Error processing argument at index 0/ })
  assert.throws(() => s.setPreloads([1]), { name: 'TypeError', message: /^Error processing argument at index 0/ })
})

test('code cache: setCodeCachePath creates the folder, clearCodeCaches empties it', async () => {
  const s = session.fromPartition('persist:code-cache')
  const dir = path.join(tempDir(), 'cc')
  s.setCodeCachePath(dir)
  assert.ok(existsSync(dir))
  mkdirSync(path.join(dir, 'js'), { recursive: true })
  writeFileSync(path.join(dir, 'js', 'entry_0'), 'x')
  await s.clearCodeCaches({})
  assert.deepEqual(readdirSync(dir), [])
  writeFileSync(path.join(dir, 'entry_1'), 'x')
  await s.clearCodeCaches({ urls: ['https://example.com/app.js'] })
  assert.deepEqual(readdirSync(dir), [])
  assert.throws(() => s.setCodeCachePath('relative'), { name: 'TypeError', message: 'Absolute path must be provided to store code cache.' })
  assert.throws(() => s.setCodeCachePath(5), { name: 'TypeError', message: 'Absolute path must be provided to store code cache.' })
  assert.throws(() => s.clearCodeCaches({ urls: ['not a url'] }), { name: 'TypeError', message: "Invalid URL in options.urls: 'not a url'" })
  assert.throws(() => s.clearCodeCaches({ urls: 'x' }), { name: 'TypeError' })
})

test('session objects expose no later-issue properties as fakes', () => {
  const s = session.fromPartition('no-fakes')
  assert.equal('cookies' in s, true, 'cookies is implemented')
  assert.equal('webRequest' in s, true, 'webRequest is implemented')
  assert.equal('protocol' in s, true, 'protocol is implemented')
  for (const prop of ['serviceWorkers', 'extensions']) {
    assert.equal(prop in s, false, prop)
  }
})

test('registerPreloadScript / unregisterPreloadScript / getPreloadScripts, alongside setPreloads', () => {
  const s = session.fromPartition('preload-scripts')
  const id = s.registerPreloadScript({ type: 'frame', filePath: '/srv/frame.js' })
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.equal(s.registerPreloadScript({ type: 'service-worker', id: 'sw', filePath: '/srv/sw.js', matches: ['https://*/*'], matchOriginAsFallback: true }), 'sw')
  s.setPreloads(['/srv/legacy.js'])
  assert.deepEqual(s.getPreloads(), ['/srv/frame.js', '/srv/legacy.js'], 'getPreloads lists every frame script')
  const scripts = s.getPreloadScripts()
  assert.deepEqual(scripts.slice(0, 2), [
    { type: 'frame', id, filePath: '/srv/frame.js' },
    { type: 'service-worker', id: 'sw', filePath: '/srv/sw.js', matches: ['https://*/*'], matchOriginAsFallback: true }
  ])
  assert.equal(scripts[2].filePath, '/srv/legacy.js')
  s.setPreloads([])
  assert.deepEqual(s.getPreloads(), ['/srv/frame.js'], 'setPreloads replaces only its own scripts')
  s.unregisterPreloadScript(id)
  assert.deepEqual(s.getPreloadScripts().map((x) => x.id), ['sw'])
  assert.throws(() => s.unregisterPreloadScript(id), { name: 'Error', message: `Cannot unregister preload script with non-existing ID '${id}'` })
  assert.throws(() => s.registerPreloadScript({ type: 'frame', id: 'sw', filePath: '/x.js' }), { name: 'Error', message: "Cannot register preload script with existing ID 'sw'" })
  assert.throws(() => s.registerPreloadScript({ type: 'frame', filePath: 'relative.js' }), { name: 'Error', message: 'Preload script must have absolute path: relative.js' })
  assert.throws(() => s.registerPreloadScript({ type: 'worker', filePath: '/x.js' }), { name: 'TypeError', message: /Invalid preload script type: 'worker'/ })
  assert.throws(() => s.registerPreloadScript({ type: 'frame' }), { name: 'TypeError', message: 'Invalid value for script.filePath: expected a string' })
  assert.throws(() => s.registerPreloadScript({ type: 'frame', filePath: '/x.js', matches: 'https://*/*' }), { name: 'TypeError', message: /script\.matches/ })
  assert.throws(() => s.registerPreloadScript('/x.js'), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from /x.js' })
  assert.throws(() => s.unregisterPreloadScript(), { name: 'TypeError' })
})

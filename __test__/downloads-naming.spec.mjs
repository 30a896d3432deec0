// File names of downloads without a save path: what Chromium's
// GenerateFileName gives on Linux (Content-Disposition first, with its
// RFC 5987/2231 and RFC 2047 encodings, then the URL, then an extension from
// the MIME type, default name `download`), made unique as Chromium does.

import assert from 'node:assert/strict'
import { once } from 'node:events'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'

import { app, session } from '../index.js'
import { useTempProfile, tempDir } from './helpers/profile.mjs'
import { httpServer } from './helpers/servers.mjs'

useTempProfile(app)

// Answers `/…?cd=<Content-Disposition>&ct=<Content-Type>` with a small body.
const server = await httpServer((req, res) => {
  const q = new URL(req.url, 'http://x').searchParams
  const headers = { 'content-type': q.get('ct') || 'application/octet-stream' }
  if (q.has('cd')) headers['content-disposition'] = q.get('cd')
  res.writeHead(200, headers)
  res.end('body')
})

let n = 0
// Downloads `pathname` with those headers into `dir`; resolves with the
// name getFilename() gave in will-download and the file's name on disk.
async function download (dir, pathname, cd, ct) {
  const ses = session.fromPartition(`naming-${++n}`)
  ses.setDownloadPath(dir)
  const url = new URL(pathname, server.url)
  if (cd !== undefined) url.searchParams.set('cd', cd)
  if (ct !== undefined) url.searchParams.set('ct', ct)
  const [, item] = await new Promise((resolve) => {
    ses.once('will-download', (...args) => resolve(args))
    ses.downloadURL(url.href)
  })
  const reported = item.getFilename()
  const [, state] = await once(item, 'done')
  assert.equal(state, 'completed')
  return { reported, saved: path.basename(item.getSavePath()) }
}

const cases = [
  // [url path, Content-Disposition, Content-Type, expected name]
  ['/x', 'attachment; filename="report.pdf"', 'application/pdf', 'report.pdf'],
  ['/x', "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt", 'text/plain', '€ rates.txt'],
  ['/x', "attachment; filename=\"a.txt\"; filename*=UTF-8''b.txt", 'text/plain', 'b.txt'],
  ['/x', 'attachment; filename="=?UTF-8?B?w6nDqC50eHQ=?="', 'text/plain', 'éè.txt'],
  ['/x', 'attachment; filename="%E2%82%AC.txt"', 'text/plain', '€.txt'],
  ['/x', 'inline; filename="shown.txt"', 'text/plain', 'shown.txt'],
  ['/x', 'attachment; filename="dir1/dir2/f.txt"', 'text/plain', 'dir1_dir2_f.txt'],
  ['/x', 'attachment; filename=my-cat', 'image/jpeg', 'my-cat'],
  ['/dir/photo.jpg', undefined, 'image/jpeg', 'photo.jpg'],
  ['/a%20b.txt', undefined, 'text/plain', 'a b.txt'],
  ['/archive', undefined, 'application/zip', 'archive.zip'],
  ['/', undefined, 'application/pdf', 'download.pdf'],
  ['/', undefined, 'application/octet-stream', 'download']
]

test('names follow Chromium GenerateFileName (Linux)', async () => {
  for (const [pathname, cd, ct, expected] of cases) {
    const dir = tempDir()
    const { reported, saved } = await download(dir, pathname, cd, ct)
    assert.equal(saved, expected, `saved name for ${pathname} cd=${cd} ct=${ct}`)
    assert.equal(reported, expected, `getFilename() for ${pathname} cd=${cd} ct=${ct}`)
  }
})

test('names already taken become "name (1).ext" … as Chromium uniquifies them', async () => {
  const dir = tempDir()
  const saved = []
  for (let i = 0; i < 3; i++) saved.push((await download(dir, '/u.txt', undefined, 'text/plain')).saved)
  for (let i = 0; i < 2; i++) saved.push((await download(dir, '/pkg.tar.gz', undefined, 'application/gzip')).saved)
  assert.deepEqual(saved, ['u.txt', 'u (1).txt', 'u (2).txt', 'pkg.tar.gz', 'pkg (1).tar.gz'])
  assert.deepEqual(readdirSync(dir).sort(), ['pkg (1).tar.gz', 'pkg.tar.gz', 'u (1).txt', 'u (2).txt', 'u.txt'])
})

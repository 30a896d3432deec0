// Creates a persistent session, shows where it keeps its data and what it
// sends as User-Agent, and answers a page's permission request.
//
//   npm run example

const { app, session } = require('..')
const { createWebContents } = require('../testing')

async function main () {
  await app.whenReady()

  const ses = session.fromPartition('persist:example')
  console.log('persistent:  ', ses.isPersistent())
  console.log('storage path:', ses.getStoragePath())
  console.log('user agent:  ', ses.getUserAgent())

  // Deny everything but notifications, Electron-style.
  ses.setPermissionRequestHandler((webContents, permission, callback) => {
    console.log(`page ${webContents.getURL()} asks for ${permission}`)
    callback(permission === 'notifications')
  })
  const page = createWebContents({ session: ses, url: 'https://example.com/' })
  console.log('notifications granted:', await page.requestPermission('notifications'))
  console.log('geolocation granted:  ', await page.requestPermission('geolocation'))
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})

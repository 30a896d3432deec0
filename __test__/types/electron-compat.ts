// Our Session and Electron's must be assignable to each other for every
// member we implement, so code typed against either compiles with the other.

import type { Session, App, CommandLine, Cookies, Protocol } from '../../index'
import { session, app, net, netLog, protocol } from '../../index'
import { createWebContents } from '../../testing'

type SessionMembers =
  | 'isPersistent' | 'getStoragePath' | 'storagePath' | 'setUserAgent' | 'getUserAgent'
  | 'setPreloads' | 'getPreloads' | 'setCodeCachePath' | 'clearCodeCaches' | 'fetch'
  | 'setSSLConfig' | 'setCertificateVerifyProc' | 'closeAllConnections' | 'preconnect'
  | 'enableNetworkEmulation' | 'disableNetworkEmulation' | 'resolveHost' | 'clearHostResolverCache'
  | 'clearAuthCache' | 'allowNTLMCredentialsForDomains' | 'netLog' | 'cookies' | 'webRequest'
  | 'registerPreloadScript' | 'unregisterPreloadScript' | 'getPreloadScripts'
  | 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  | 'emit' | 'listenerCount' | 'listeners'
  | 'downloadURL' | 'createInterruptedDownload' | 'setDownloadPath'

declare const ours: Session
declare const theirs: Electron.Session
export const oursAsTheirs: Pick<Electron.Session, SessionMembers> = ours
export const theirsAsOurs: Pick<Session, SessionMembers> = theirs

type AppMembers = 'getPath' | 'setPath' | 'getName' | 'setName' | 'name' | 'getVersion' | 'isReady' | 'whenReady' | 'commandLine'
declare const ourApp: App
declare const theirApp: Electron.App
export const appAsTheirs: Pick<Electron.App, AppMembers> = ourApp
export const theirAppAsOurs: Pick<App, AppMembers> = theirApp

declare const ourCommandLine: CommandLine
declare const theirCommandLine: Electron.CommandLine
export const cl1: Electron.CommandLine = ourCommandLine
export const cl2: CommandLine = theirCommandLine

// EventEmitter methods return `this`, so each side's Session is an EventEmitter
// rather than the other's full class.
export const emitter: NodeJS.EventEmitter = ours

// The module functions take Electron's arguments and give the implemented members.
type Implemented = Pick<Electron.Session, SessionMembers>
export const fromPartition: (partition: string, options?: Electron.FromPartitionOptions) => Implemented = session.fromPartition
export const fromPath: (path: string, options?: Electron.FromPathOptions) => Implemented = session.fromPath
export const defaultSession: Implemented = session.defaultSession

// Handlers written against Electron's types are accepted, and ours are accepted by Electron.
theirs.setPermissionRequestHandler((wc, permission, callback, details) => {
  callback(permission === 'notifications' && details.isMainFrame && wc.id > 0)
})
ours.setPermissionRequestHandler((wc, permission, callback, details) => {
  callback(permission === 'notifications' && details.requestingUrl.length > 0 && wc.getURL() !== '')
})
ours.setPermissionCheckHandler(async (_wc, permission, origin) => permission === 'hid' && origin.startsWith('https:'))
ours.setDevicePermissionHandler((details) => details.deviceType === 'serial' && details.device.serialNumber === 'A1')
ours.setPermissionRequestHandler(null)
theirs.setCertificateVerifyProc((request, callback) => callback(request.hostname === 'example.com' ? 0 : -3))
ours.setCertificateVerifyProc((request) => (request.certificate.issuerName === 'Test CA' ? 0 : -2))
ours.setSSLConfig({ minVersion: 'tls1.2', disabledCipherSuites: [0xC02F] })

const wc = createWebContents({ session: ours, url: 'https://example.com/' })
export const granted: Promise<boolean> = wc.requestPermission('geolocation', { })
app.on('session-created', (s) => s.getUserAgent())

// Cookies: Electron's and ours are assignable to each other, listeners included.
export const cookiesAsTheirs: Electron.Cookies = ours.cookies
export const theirCookiesAsOurs: Cookies = theirs.cookies
ours.cookies.on('changed', (event, cookie, cause, removed) => {
  if (cause === 'explicit' && removed && cookie.sameSite !== 'lax') event.preventDefault()
})
export const got: Promise<Electron.Cookie[]> = ours.cookies.get({ url: 'https://example.com', session: false })
export const set: Promise<void> = ours.cookies.set({ url: 'https://example.com', name: 'a', sameSite: 'no_restriction', secure: true })

export const netLogAsTheirs: Pick<Electron.NetLog, 'startLogging' | 'stopLogging' | 'currentlyLogging'> = netLog
declare const theirNetLog: Electron.NetLog
export const theirNetLogAsOurs: typeof netLog = theirNetLog

type NetMembers = 'fetch' | 'isOnline' | 'online'
export const netAsTheirs: Pick<Electron.Net, NetMembers> = net
declare const theirNet: Electron.Net
export const theirNetAsOurs: Pick<typeof net, NetMembers> = theirNet

// Protocol: every member we implement as Electron's; the module-level
// protocol as Electron's.
type ProtocolMembers =
  | 'handle' | 'unhandle' | 'isProtocolHandled'
  | 'registerStringProtocol' | 'registerBufferProtocol' | 'registerFileProtocol' | 'registerHttpProtocol' | 'registerStreamProtocol'
  | 'interceptStringProtocol' | 'interceptBufferProtocol' | 'interceptFileProtocol' | 'interceptHttpProtocol' | 'interceptStreamProtocol'
  | 'unregisterProtocol' | 'uninterceptProtocol' | 'isProtocolRegistered' | 'isProtocolIntercepted'
export const protocolAsTheirs: Pick<Electron.Protocol, ProtocolMembers> = ours.protocol
// Electron's Protocol as ours: the legacy register/intercept methods are left
// out, as their callbacks' `session` field is typed loosely on our side.
type ProtocolCoreMembers = 'handle' | 'unhandle' | 'isProtocolHandled' | 'unregisterProtocol' | 'uninterceptProtocol' | 'isProtocolRegistered' | 'isProtocolIntercepted'
export const theirProtocolAsOurs: Pick<Protocol, ProtocolCoreMembers> = theirs.protocol
export const moduleProtocolAsTheirs: Pick<Electron.Protocol, ProtocolMembers | 'registerSchemesAsPrivileged'> = protocol
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true } }])
ours.protocol.handle('app', async (req) => new Response(req.url))
ours.protocol.registerFileProtocol('f', (req, cb) => cb({ path: req.url, headers: { 'x-a': ['1', '2'] } }))
// DownloadItem: every member of Electron's, both ways; will-download listeners typed either way.
import type { DownloadItem } from '../../index'
type DownloadItemMembers =
  | 'setSavePath' | 'getSavePath' | 'savePath' | 'setSaveDialogOptions' | 'getSaveDialogOptions'
  | 'pause' | 'isPaused' | 'resume' | 'canResume' | 'cancel' | 'getURL' | 'getMimeType' | 'hasUserGesture'
  | 'getFilename' | 'getInitiatorOrigin' | 'getCurrentBytesPerSecond' | 'getTotalBytes' | 'getReceivedBytes'
  | 'getPercentComplete' | 'getContentDisposition' | 'getState' | 'getURLChain' | 'getLastModifiedTime'
  | 'getETag' | 'getStartTime' | 'getEndTime'
declare const ourItem: DownloadItem
declare const theirItem: Electron.DownloadItem
export const itemAsTheirs: Pick<Electron.DownloadItem, DownloadItemMembers> = ourItem
export const theirItemAsOurs: Pick<DownloadItem, DownloadItemMembers> = theirItem
ours.on('will-download', (event, item, webContents) => {
  item.setSavePath('/tmp/x')
  item.on('done', (_e, state) => { if (state === 'interrupted' && item.canResume()) item.resume() })
  item.on('updated', (_e, state) => state === 'progressing' && webContents?.id)
  if (item.getTotalBytes() > 1e9) event.preventDefault()
})
ours.createInterruptedDownload({ path: '/tmp/x', urlChain: ['https://example.com/x'], offset: 1, length: 2, eTag: '"e"' })
ours.downloadURL('https://example.com/x', { headers: { 'X-A': 'b' } })
wc.downloadURL('https://example.com/y')

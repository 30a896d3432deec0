// Type definitions for electron-session: Electron's main-process `session`
// API for plain Node.js. Written to be assignable to and from Electron's own
// types for every member implemented here (checked by __test__/types/).

import { EventEmitter } from 'node:events'

/** Every permission name a handler can be asked about. */
export type PermissionName =
  | 'ar' | 'automatic-fullscreen' | 'background-fetch' | 'background-sync' | 'captured-surface-control'
  | 'clipboard-read' | 'clipboard-sanitized-write' | 'deprecated-sync-clipboard-read' | 'display-capture'
  | 'fileSystem' | 'fullscreen' | 'geolocation' | 'geolocation-approximate' | 'hand-tracking' | 'hid'
  | 'idle-detection' | 'keyboardLock' | 'local-fonts' | 'local-network' | 'local-network-access'
  | 'loopback-network' | 'media' | 'mediaKeySystem' | 'midi' | 'midiSysex' | 'nfc' | 'notifications'
  | 'openExternal' | 'payment-handler' | 'periodic-background-sync' | 'persistent-storage' | 'pointerLock'
  | 'screen-wake-lock' | 'sensors' | 'serial' | 'smart-card' | 'speaker-selection' | 'storage-access'
  | 'system-wake-lock' | 'top-level-storage-access' | 'usb' | 'vr' | 'web-app-installation' | 'web-printing'
  | 'window-management' | 'unknown'

/** What every permission request tells its handler about the frame asking. */
export interface PermissionRequest {
  /** The URL the requesting frame last loaded. */
  requestingUrl: string
  /** True when the main frame (not an iframe) is asking. */
  isMainFrame: boolean
}

export interface FilesystemPermissionRequest extends PermissionRequest {
  filePath?: string
  isDirectory?: boolean
  fileAccessType?: 'writable' | 'readable'
}

export interface MediaAccessPermissionRequest extends PermissionRequest {
  securityOrigin?: string
  mediaTypes?: Array<'video' | 'audio'>
}

export interface OpenExternalPermissionRequest extends PermissionRequest {
  externalURL?: string
}

/** What a permission check tells its handler; some fields only for some permissions. */
export interface PermissionCheckHandlerHandlerDetails {
  /** Origin of the top frame, as a URL with a trailing slash. */
  embeddingOrigin?: string
  securityOrigin?: string
  mediaType?: 'video' | 'audio' | 'unknown'
  /** The URL the checking frame last loaded. */
  requestingUrl?: string
  isMainFrame: boolean
  filePath?: string
  isDirectory?: boolean
  fileAccessType?: 'writable' | 'readable'
}

/** A HID device, as a page sees it. */
export interface HIDDevice {
  deviceId: string
  name: string
  vendorId: number
  productId: number
  serialNumber?: string
  guid?: string
  /** Report descriptors' top-level collections. */
  collections: any[]
}

/** A serial port, as a page sees it; USB ids are hexadecimal strings. */
export interface SerialPort {
  portId: string
  portName: string
  displayName?: string
  vendorId?: string
  productId?: string
  serialNumber?: string
  usbDriverName?: string
  deviceInstanceId?: string
}

/** A USB device, as a page sees it. */
export interface USBDevice {
  deviceId: string
  vendorId: number
  productId: number
  deviceClass: number
  deviceSubclass: number
  deviceProtocol: number
  deviceVersionMajor: number
  deviceVersionMinor: number
  deviceVersionSubminor: number
  usbVersionMajor: number
  usbVersionMinor: number
  usbVersionSubminor: number
  manufacturerName?: string
  productName?: string
  serialNumber?: string
  configuration?: any
  configurations: any[]
}

export interface DevicePermissionHandlerHandlerDetails {
  deviceType: 'hid' | 'serial' | 'usb'
  /** The checking page's origin, e.g. `https://example.com`. */
  origin: string
  device: HIDDevice | SerialPort | USBDevice
}

/**
 * The page a handler is asked about. At run time it is a `WebContents` from
 * `electron-session/testing` (`id`, `session`, `getURL()`, …). Typed loosely
 * so that handlers written against Electron's `WebContents` fit unchanged.
 */
export type HandlerWebContents = any

export interface FromPartitionOptions {
  /** Enables the HTTP cache. Default is `true`, or `false` with the `disable-http-cache` switch. */
  cache: boolean
}

export interface FromPathOptions {
  /** Enables the HTTP cache. Default is `true`, or `false` with the `disable-http-cache` switch. */
  cache: boolean
}

/** What `registerPreloadScript` takes. */
export interface PreloadScriptRegistration {
  /** Where the script runs. */
  type: 'frame' | 'service-worker'
  /** Absolute path of the script. */
  filePath: string
  /** Default: a random UUID. */
  id?: string
  matches?: string[]
  excludeMatches?: string[]
  includeGlobs?: string[]
  excludeGlobs?: string[]
  matchOriginAsFallback?: boolean
}

/** A registered preload script. */
export interface PreloadScript extends PreloadScriptRegistration {
  id: string
}

/** `ses.setSSLConfig(config)`. */
export interface SSLConfig {
  /** Oldest TLS version to accept. Default is `tls1`; TLS 1.2 is the oldest spoken here. */
  minVersion?: 'tls1' | 'tls1.1' | 'tls1.2' | 'tls1.3'
  /** Newest TLS version to accept. Default is `tls1.3`. */
  maxVersion?: 'tls1.2' | 'tls1.3'
  /** IANA ids (e.g. `0xC02F`) of TLS 1.2 cipher suites never to use; TLS 1.3 suites cannot be disabled. */
  disabledCipherSuites?: number[]
}

/** A name in a certificate. */
export interface CertificatePrincipal {
  commonName: string
  organizations: string[]
  organizationUnits: string[]
  locality: string
  state: string
  country: string
}

/** A server certificate. */
export interface Certificate {
  /** PEM. */
  data: string
  issuer: CertificatePrincipal
  /** The issuer's common name. */
  issuerName: string
  /** The next certificate of the chain (absent when self-signed or not sent). */
  issuerCert: Certificate
  subject: CertificatePrincipal
  subjectName: string
  /** Upper-case hex. */
  serialNumber: string
  /** Seconds since the epoch. */
  validStart: number
  validExpiry: number
  /** `sha256/` and the base64 SHA-256 of the certificate. */
  fingerprint: string
}

/** What a certificate verify procedure is asked. */
export interface CertificateVerifyRequest {
  hostname: string
  certificate: Certificate
  validatedCertificate: Certificate
  isIssuedByKnownRoot: boolean
  /** The session's own verdict: `net::OK` or a `net::ERR_CERT_*` name. */
  verificationResult: string
  /** 0, or the negative code of `verificationResult`. */
  errorCode: number
}

/** `ses.resolveHost(host, options)`. */
export interface ResolveHostOptions {
  /** Only IPv4 (`A`) or only IPv6 (`AAAA`) answers. Default: both. */
  queryType?: 'A' | 'AAAA'
  /** `localOnly` answers from literals, `localhost` names and the cache only; the others use the system resolver. */
  source?: 'any' | 'system' | 'dns' | 'mdns' | 'localOnly'
  /** Whether the session's host cache may answer. Default is `allowed`. */
  cacheUsage?: 'allowed' | 'staleAllowed' | 'disallowed'
  /** Accepted for compatibility; there is no DNS-over-HTTPS here. */
  secureDnsPolicy?: 'allow' | 'disable'
}

export interface ResolvedEndpoint {
  address: string
  family: 'ipv4' | 'ipv6' | 'unspec'
}

export interface ResolvedHost {
  endpoints: ResolvedEndpoint[]
}

/** `ses.enableNetworkEmulation(options)`. */
export interface PreconnectOptions {
  /** The origin to connect to is this URL's. */
  url: string
  /** How many sockets to open, 1 to 6. Default is 1. */
  numSockets?: number
}

export interface EnableNetworkEmulationOptions {
  /** Fail network requests with `net::ERR_INTERNET_DISCONNECTED`. Default is `false`. */
  offline?: boolean
  /** Milliseconds added before each response. Default is 0. */
  latency?: number
  /** Bytes per second received, shared by the session's requests; 0 (the default) is unlimited. */
  downloadThroughput?: number
  /** Bytes per second sent, shared by the session's requests; 0 (the default) is unlimited. */
  uploadThroughput?: number
}

export interface ClearCodeCachesOptions {
  /** URLs whose cached code to drop; the whole cache is emptied in any case (see README). */
  urls?: string[]
}

export interface NetLogStartOptions {
  /**
   * `default` records metadata, with cookie and credential header values
   * stripped; `includeSensitive` keeps them; `everything` adds body bytes.
   */
  captureMode?: 'default' | 'includeSensitive' | 'everything'
  /** Bytes after which recording stops (the file stays valid). Default: unlimited. */
  maxFileSize?: number
}

/** A session's NetLog: its network events as a Chrome NetLog JSON file. */
export declare class NetLog {
  private constructor()
  /** Starts recording to `path`; resolves once the file is created. */
  startLogging(path: string, options?: NetLogStartOptions): Promise<void>
  /** Finishes the file; resolves once it is on disk. */
  stopLogging(): Promise<void>
  /** True while events are recorded (false once `maxFileSize` is reached). */
  readonly currentlyLogging: boolean
}

/** Electron's `Cookie` object. `expirationDate` is absent for session cookies. */
export interface Cookie {
  name: string
  value: string
  /** The host for a host-only cookie, else `.` and the domain. */
  domain?: string
  hostOnly?: boolean
  path?: string
  secure?: boolean
  httpOnly?: boolean
  session?: boolean
  /** Seconds since the Unix epoch. */
  expirationDate?: number
  sameSite: 'unspecified' | 'no_restriction' | 'lax' | 'strict'
}

/** `cookies.get`'s filter; every field is optional. */
export interface CookiesGetFilter {
  /** Only cookies that would be sent to this URL; empty means all. */
  url?: string
  name?: string
  /** Only cookies that would be sent to this host (its own or a parent domain's). */
  domain?: string
  path?: string
  secure?: boolean
  /** `true`: session cookies only; `false`: persistent only. */
  session?: boolean
  httpOnly?: boolean
}

/** `cookies.set`'s details. */
export interface CookiesSetDetails {
  url: string
  name?: string
  value?: string
  domain?: string
  path?: string
  /** Default: true for `sameSite: 'no_restriction'`, else false. */
  secure?: boolean
  httpOnly?: boolean
  /** Seconds since the Unix epoch; without it the cookie is a session cookie. */
  expirationDate?: number
  /** Default is `lax`. */
  sameSite?: 'unspecified' | 'no_restriction' | 'lax' | 'strict'
}

export type CookieChangeCause =
  | 'inserted' | 'inserted-no-change-overwrite' | 'inserted-no-value-change-overwrite'
  | 'explicit' | 'overwrite' | 'expired' | 'evicted' | 'expired-overwrite'

export interface CookieChangedEvent {
  preventDefault: () => void
  readonly defaultPrevented: boolean
}

type CookieChangedListener = (event: CookieChangedEvent, cookie: Cookie, cause: CookieChangeCause, removed: boolean) => void

/**
 * A session's cookie jar (`ses.cookies`): Chromium's matching rules; for a
 * persistent session, stored in `Network/Cookies` (Chromium's schema).
 */
export declare class Cookies extends EventEmitter {
  private constructor()
  /** Resolves the cookies matching `filter`. */
  get(filter: CookiesGetFilter): Promise<Cookie[]>
  /** Sets a cookie; rejects with `Failed to set cookie - <reason>` when it is refused. */
  set(details: CookiesSetDetails): Promise<void>
  /** Removes the cookies named `name` that would be sent to `url`. */
  remove(url: string, name: string): Promise<void>
  /** Resolves once every change so far is committed to disk. */
  flushStore(): Promise<void>
  on(event: 'changed', listener: CookieChangedListener): this
  off(event: 'changed', listener: CookieChangedListener): this
  once(event: 'changed', listener: CookieChangedListener): this
  addListener(event: 'changed', listener: CookieChangedListener): this
  removeListener(event: 'changed', listener: CookieChangedListener): this
}

/** Which requests a webRequest listener hears (Electron's `WebRequestFilter`). */
export interface WebRequestFilter {
  /** Chromium URL match patterns (`<all_urls>`, `*://*.example.com/*`, …). */
  urls: string[]
  /** Patterns whose requests are left out even when `urls` matches. */
  excludeUrls?: string[]
  /** Resource types to hear; all when absent. */
  types?: Array<'mainFrame' | 'subFrame' | 'stylesheet' | 'script' | 'image' | 'font' | 'object' | 'xhr' | 'ping' | 'cspReport' | 'media' | 'webSocket'>
}

/** One element of a request body. */
export interface UploadData {
  /** `rawData` for bytes. */
  type?: 'rawData'
  bytes: Buffer
  file?: string
  blobUUID?: string
}

/** What every webRequest event says about its request. */
export interface WebRequestDetails {
  id: number
  url: string
  method: string
  webContentsId?: number
  resourceType: 'mainFrame' | 'subFrame' | 'stylesheet' | 'script' | 'image' | 'font' | 'object' | 'xhr' | 'ping' | 'cspReport' | 'media' | 'webSocket' | 'other'
  referrer: string
  /** Milliseconds since the Unix epoch. */
  timestamp: number
}

export interface OnBeforeRequestListenerDetails extends WebRequestDetails {
  /** Typed as always present, as Electron's is; absent for a request with no body. */
  uploadData: UploadData[]
}
export interface OnBeforeSendHeadersListenerDetails extends WebRequestDetails {
  uploadData?: UploadData[]
  requestHeaders: Record<string, string>
}
export interface OnSendHeadersListenerDetails extends WebRequestDetails {
  requestHeaders: Record<string, string>
}
export interface OnHeadersReceivedListenerDetails extends WebRequestDetails {
  statusLine: string
  statusCode: number
  /** Names as the server wrote them; repeated headers gathered in one list. */
  responseHeaders?: Record<string, string[]>
  fromCache?: boolean
}
export interface OnResponseStartedListenerDetails extends WebRequestDetails {
  responseHeaders?: Record<string, string[]>
  fromCache: boolean
  statusCode: number
  statusLine: string
}
export interface OnBeforeRedirectListenerDetails extends WebRequestDetails {
  redirectURL: string
  statusCode: number
  statusLine: string
  ip?: string
  fromCache: boolean
  responseHeaders?: Record<string, string[]>
}
export interface OnCompletedListenerDetails extends WebRequestDetails {
  responseHeaders?: Record<string, string[]>
  fromCache: boolean
  statusCode: number
  statusLine: string
  /** `net::OK`. */
  error: string
}
export interface OnErrorOccurredListenerDetails extends WebRequestDetails {
  fromCache: boolean
  /** The net error, as `net::ERR_CONNECTION_REFUSED`. */
  error: string
}

export interface CallbackResponse {
  cancel?: boolean
  /** Sends the request here instead (an internal 307). */
  redirectURL?: string
}
export interface BeforeSendResponse {
  cancel?: boolean
  /** The headers to send instead. */
  requestHeaders?: Record<string, string | string[]>
}
export interface HeadersReceivedResponse {
  cancel?: boolean
  /** The headers the response is taken to have. */
  responseHeaders?: Record<string, string | string[]>
  /** Used with `responseHeaders`: `HTTP/1.1 404 Not Found`. */
  statusLine?: string
}

type Listener<D> = ((details: D) => void) | null
type Blocking<D, R> = ((details: D, callback: (response: R) => void) => void) | null

/**
 * A session's request listeners (`ses.webRequest`). Each event keeps only
 * the last listener set; `null` removes it. A request no filter matches
 * never calls JavaScript.
 */
export declare class WebRequest {
  private constructor()
  onBeforeRequest(filter: WebRequestFilter, listener: Blocking<OnBeforeRequestListenerDetails, CallbackResponse>): void
  onBeforeRequest(listener: Blocking<OnBeforeRequestListenerDetails, CallbackResponse>): void
  onBeforeSendHeaders(filter: WebRequestFilter, listener: Blocking<OnBeforeSendHeadersListenerDetails, BeforeSendResponse>): void
  onBeforeSendHeaders(listener: Blocking<OnBeforeSendHeadersListenerDetails, BeforeSendResponse>): void
  onSendHeaders(filter: WebRequestFilter, listener: Listener<OnSendHeadersListenerDetails>): void
  onSendHeaders(listener: Listener<OnSendHeadersListenerDetails>): void
  onHeadersReceived(filter: WebRequestFilter, listener: Blocking<OnHeadersReceivedListenerDetails, HeadersReceivedResponse>): void
  onHeadersReceived(listener: Blocking<OnHeadersReceivedListenerDetails, HeadersReceivedResponse>): void
  onResponseStarted(filter: WebRequestFilter, listener: Listener<OnResponseStartedListenerDetails>): void
  onResponseStarted(listener: Listener<OnResponseStartedListenerDetails>): void
  onBeforeRedirect(filter: WebRequestFilter, listener: Listener<OnBeforeRedirectListenerDetails>): void
  onBeforeRedirect(listener: Listener<OnBeforeRedirectListenerDetails>): void
  onCompleted(filter: WebRequestFilter, listener: Listener<OnCompletedListenerDetails>): void
  onCompleted(listener: Listener<OnCompletedListenerDetails>): void
  onErrorOccurred(filter: WebRequestFilter, listener: Listener<OnErrorOccurredListenerDetails>): void
  onErrorOccurred(listener: Listener<OnErrorOccurredListenerDetails>): void
}

/** `ProtocolRequest`: what a legacy protocol handler is asked. */
export interface ProtocolRequest {
  url: string
  referrer: string
  method: string
  /** Repeated headers are joined with `, `. */
  headers: Record<string, string>
  /** The request body, as one `rawData` element. */
  uploadData?: UploadData[]
}

/** `ProtocolResponseUploadData`: the body of a `{ url }` answer. */
export interface ProtocolResponseUploadData {
  contentType: string
  data: string | Buffer
}

/** `ProtocolResponse`: what a legacy protocol handler may answer with. */
export interface ProtocolResponse {
  /** Fail the request with this net error number (`-6` is `net::ERR_FILE_NOT_FOUND`). */
  error?: number
  /** Default is 200. */
  statusCode?: number
  /** Default is `"utf-8"`. */
  charset?: string
  /** Sent as `content-type` unless `headers` has one. */
  mimeType?: string
  headers?: Record<string, string | string[]>
  data?: Buffer | string | NodeJS.ReadableStream
  /** File protocols: the absolute path of the file to send. */
  path?: string
  /** HTTP protocols: the URL to fetch and pipe through. */
  url?: string
  referrer?: string
  method?: string
  /**
   * HTTP protocols: the `Session` to fetch `url` with (`null`: a fresh one);
   * default is the handling session. Typed loosely so Electron's own
   * `ProtocolResponse` objects are accepted too.
   */
  session?: object | null
  uploadData?: ProtocolResponseUploadData
}

/** `CustomScheme`: a scheme and the privileges `registerSchemesAsPrivileged` gives it. */
export interface CustomScheme {
  scheme: string
  privileges?: {
    standard?: boolean
    secure?: boolean
    bypassCSP?: boolean
    allowServiceWorkers?: boolean
    supportFetchAPI?: boolean
    corsEnabled?: boolean
    stream?: boolean
    codeCache?: boolean
    allowExtensions?: boolean
  }
}

type ProtocolCallback<R> = (request: ProtocolRequest, callback: (response: R) => void) => void

/**
 * A session's custom schemes and interceptors (`ses.protocol`; the
 * module-level `protocol` is the default session's). Handlers answer
 * requests made with `ses.fetch` / `net.fetch`.
 */
export declare class Protocol {
  private constructor()
  /**
   * Answers requests to `scheme` with `handler`'s Response. `http`, `https`
   * and `file` are intercepted; other schemes are registered.
   * Throws when `scheme` is already handled.
   */
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void
  /** Removes a `handle` handler; throws when `scheme` has none. */
  unhandle(scheme: string): void
  isProtocolHandled(scheme: string): boolean
  /** @deprecated Use `handle`. */
  registerStringProtocol(scheme: string, handler: ProtocolCallback<string | ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  registerBufferProtocol(scheme: string, handler: ProtocolCallback<Buffer | ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  registerFileProtocol(scheme: string, handler: ProtocolCallback<string | ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  registerHttpProtocol(scheme: string, handler: ProtocolCallback<ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  registerStreamProtocol(scheme: string, handler: ProtocolCallback<NodeJS.ReadableStream | ProtocolResponse>): boolean
  /** @deprecated Use `unhandle`. */
  unregisterProtocol(scheme: string): boolean
  /** @deprecated Use `isProtocolHandled`. */
  isProtocolRegistered(scheme: string): boolean
  /** @deprecated Use `handle`. */
  interceptStringProtocol(scheme: string, handler: ProtocolCallback<string | ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  interceptBufferProtocol(scheme: string, handler: ProtocolCallback<Buffer | ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  interceptFileProtocol(scheme: string, handler: ProtocolCallback<string | ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  interceptHttpProtocol(scheme: string, handler: ProtocolCallback<ProtocolResponse>): boolean
  /** @deprecated Use `handle`. */
  interceptStreamProtocol(scheme: string, handler: ProtocolCallback<NodeJS.ReadableStream | ProtocolResponse>): boolean
  /** @deprecated Use `unhandle`. */
  uninterceptProtocol(scheme: string): boolean
  /** @deprecated Use `isProtocolHandled`. */
  isProtocolIntercepted(scheme: string): boolean
}

export interface DownloadItemEvent {
  preventDefault: () => void
  readonly defaultPrevented: boolean
}

/** What `dialog.showSaveDialog` would take; stored only (there is no dialog). */
export interface SaveDialogOptions {
  title?: string
  defaultPath?: string
  buttonLabel?: string
  filters?: Array<{ name: string, extensions: string[] }>
  message?: string
  nameFieldLabel?: string
  showsTagField?: boolean
  properties?: Array<'showHiddenFiles' | 'createDirectory' | 'treatPackageAsDirectory' | 'showOverwriteConfirmation' | 'dontAddToRecent'>
  securityScopedBookmarks?: boolean
}

type DownloadDoneListener = (event: DownloadItemEvent, state: 'completed' | 'cancelled' | 'interrupted') => void
type DownloadUpdatedListener = (event: DownloadItemEvent, state: 'progressing' | 'interrupted') => void

/**
 * One download, announced by the session's `will-download` event. Bytes go
 * to `<savePath>.crdownload` and the file is renamed into place when
 * complete; an interruption keeps the partial file for `resume()`.
 */
export declare class DownloadItem extends EventEmitter {
  private constructor()
  /** Every 500 ms while bytes flow, and on pause, resume and interruption. */
  on(event: 'updated', listener: DownloadUpdatedListener): this
  off(event: 'updated', listener: DownloadUpdatedListener): this
  once(event: 'updated', listener: DownloadUpdatedListener): this
  addListener(event: 'updated', listener: DownloadUpdatedListener): this
  removeListener(event: 'updated', listener: DownloadUpdatedListener): this
  /**
   * Once each time the download stops: completed, cancelled or interrupted
   * (resumable or not). A resumed item sends it again when it stops again.
   */
  on(event: 'done', listener: DownloadDoneListener): this
  off(event: 'done', listener: DownloadDoneListener): this
  once(event: 'done', listener: DownloadDoneListener): this
  addListener(event: 'done', listener: DownloadDoneListener): this
  removeListener(event: 'done', listener: DownloadDoneListener): this
  /** Where the file goes; honoured only from a `will-download` listener. Missing folders are created. */
  setSavePath(path: string): void
  /** The path set by `setSavePath`, or the one chosen for it; `''` until decided. */
  getSavePath(): string
  /** Same as `getSavePath()` / `setSavePath()`. */
  savePath: string
  /** Stored for `getSaveDialogOptions`; no dialog is ever shown. */
  setSaveDialogOptions(options: SaveDialogOptions): void
  getSaveDialogOptions(): SaveDialogOptions
  /** Stops reading (the connection stays open); emits `updated` before returning. */
  pause(): void
  isPaused(): boolean
  /**
   * Continues a paused download, or an interrupted one: from where it stopped
   * (`Range` + `If-Range` with the ETag, else Last-Modified) when the server
   * allows, from the start otherwise.
   */
  resume(): void
  /** True when paused, or interrupted for a reason that allows resuming. */
  canResume(): boolean
  /** Stops and deletes the partial file; emits `done` (`cancelled`) before returning. */
  cancel(): void
  /** The final URL (after redirects). */
  getURL(): string
  getMimeType(): string
  /** Always false: no download here starts from a user gesture. */
  hasUserGesture(): boolean
  /** The name Chromium generates from Content-Disposition, the URL and the MIME type. */
  getFilename(): string
  /** Always `''`: downloads started here have no initiating page origin. */
  getInitiatorOrigin(): string
  /** Over the last few seconds; 0 unless bytes are flowing. */
  getCurrentBytesPerSecond(): number
  /** 0 when unknown (no Content-Length, or a content-encoded body). */
  getTotalBytes(): number
  /** Bytes written to disk so far. */
  getReceivedBytes(): number
  /** Rounded down; -1 when the size is unknown. */
  getPercentComplete(): number
  getContentDisposition(): string
  getState(): 'progressing' | 'completed' | 'cancelled' | 'interrupted'
  /** Every URL the download visited, redirects included. */
  getURLChain(): string[]
  getLastModifiedTime(): string
  getETag(): string
  /** Seconds since the Unix epoch. */
  getStartTime(): number
  /** Seconds since the Unix epoch; 0 while not stopped. */
  getEndTime(): number
}

export interface DownloadURLOptions {
  /** Extra request headers. */
  headers?: Record<string, string>
}

export interface CreateInterruptedDownloadOptions {
  /** The save path; the partial data is read from `<path>.crdownload`, else from `path`. */
  path: string
  urlChain: string[]
  mimeType?: string
  /** Bytes already on disk. */
  offset: number
  /** Total size of the file. */
  length: number
  lastModified?: string
  eTag?: string
  /** Seconds since the Unix epoch. */
  startTime?: number
}

type WillDownloadListener = (event: DownloadItemEvent, item: DownloadItem, webContents: HandlerWebContents | null) => void

/**
 * One browsing profile: its storage, settings and handlers. Obtained from
 * `session.fromPartition`, `session.fromPath` or `session.defaultSession`;
 * `new Session()` throws.
 */
export declare class Session extends EventEmitter {
  private constructor()
  /**
   * A download has started (its response head has arrived, or its request
   * failed). Call `event.preventDefault()` to cancel it, `item.setSavePath()`
   * (synchronously) to choose where it goes.
   */
  on(event: 'will-download', listener: WillDownloadListener): this
  off(event: 'will-download', listener: WillDownloadListener): this
  once(event: 'will-download', listener: WillDownloadListener): this
  addListener(event: 'will-download', listener: WillDownloadListener): this
  removeListener(event: 'will-download', listener: WillDownloadListener): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  off(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  addListener(event: string | symbol, listener: (...args: any[]) => void): this
  removeListener(event: string | symbol, listener: (...args: any[]) => void): this
  /**
   * Downloads `url` with this session (cookies, proxy, network emulation
   * apply); `will-download` follows. Throws a TypeError for a bad argument.
   */
  downloadURL(url: string, options?: DownloadURLOptions): void
  /** Recreates a download interrupted in an earlier run; `will-download` announces it. */
  createInterruptedDownload(options: CreateInterruptedDownloadOptions): void
  /** The folder downloads go to when no listener sets a save path. Default is `app.getPath('downloads')`. */
  setDownloadPath(path: string): void
  /** This session's NetLog. */
  readonly netLog: NetLog
  /** This session's cookies (the same object every time). */
  readonly cookies: Cookies
  /** This session's webRequest listeners (the same object every time). */
  readonly webRequest: WebRequest
  /** This session's protocol handlers (the same object every time). */
  readonly protocol: Protocol
  /** True when this session keeps its data on disk. */
  isPersistent(): boolean
  /** The folder this session keeps its data in, or `null` for an in-memory session. */
  getStoragePath(): string | null
  /** Same as `getStoragePath()`. */
  readonly storagePath: string | null
  /**
   * Sets the User-Agent, and optionally the comma-separated language list
   * (`"en-US,fr"`) sent as Accept-Language, for requests started afterwards.
   */
  setUserAgent(userAgent: string, acceptLanguages?: string): void
  /** The User-Agent this session sends; by default Electron's, naming this app. */
  getUserAgent(): string
  /**
   * Sets the preload scripts run in every page of this session (absolute
   * paths), replacing the ones set before by `setPreloads`. Deprecated in
   * Electron in favour of `registerPreloadScript`.
   */
  setPreloads(preloads: string[]): void
  /** The paths of every frame preload script, however registered. */
  getPreloads(): string[]
  /** Registers a preload script; returns its id. Throws for a duplicate id or a relative path. */
  registerPreloadScript(script: PreloadScriptRegistration): string
  /** Throws for an unknown id. */
  unregisterPreloadScript(id: string): void
  /** Every registered script, in registration order. */
  getPreloadScripts(): PreloadScript[]
  /** Moves the V8 code cache to `path` (absolute; created when missing). */
  setCodeCachePath(path: string): void
  /** Empties the code cache folder. */
  clearCodeCaches(options: ClearCodeCachesOptions): Promise<void>
  /**
   * Fetches `input` through this session: its user agent and languages, its
   * own connections. Redirects are followed hop by hop by the session;
   * `redirect: 'error'` and `'manual'` reject as Electron's do. Network
   * failures reject with an `Error` whose message is Chromium's error name
   * (`net::ERR_CONNECTION_REFUSED`, …). `data:` and `file:` URLs work too.
   */
  fetch(input: string | URL | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response>
  /**
   * Resolves `host` as this session's requests would: `host-resolver-rules`,
   * the session's host cache, then the system resolver. Rejects with
   * `net::ERR_NAME_NOT_RESOLVED` (or `net::ERR_DNS_CACHE_MISS` for a
   * `localOnly` miss).
   */
  resolveHost(host: string, options?: ResolveHostOptions): Promise<ResolvedHost>
  /** Empties this session's host cache. */
  clearHostResolverCache(): Promise<void>
  /** Forgets the credentials that answered this session's HTTP auth challenges. */
  clearAuthCache(): Promise<void>
  /**
   * Stores the servers (comma-separated) allowed to get NTLM/Negotiate
   * credentials. NTLM and Negotiate themselves are not available here.
   */
  allowNTLMCredentialsForDomains(domains: string): void
  /** Emulates network conditions for requests started from now on. */
  enableNetworkEmulation(options: EnableNetworkEmulationOptions): void
  /** Stops emulating network conditions. */
  disableNetworkEmulation(): void
  /**
   * Fails every request of this session still in flight (`net::ERR_ABORTED`)
   * and closes its pooled sockets; later requests open new connections.
   */
  closeAllConnections(): Promise<void>
  /**
   * Opens `numSockets` (1 to 6, default 1) sockets to the origin of
   * `options.url`, kept idle for the requests that follow. Returns at once;
   * connection failures are silent.
   */
  preconnect(options: PreconnectOptions): void
  /**
   * TLS settings for connections opened from now on (pooled connections
   * keep theirs).
   */
  setSSLConfig(config: SSLConfig): void
  /**
   * Decides on server certificates. `proc` calls `callback(0)` to accept,
   * `callback(-2)` to refuse, `callback(-3)` to keep the session's own
   * verdict, or passes another net error code; it may also return the number
   * or a Promise of it. Answers are cached per host and certificate. `null`
   * restores the default verification.
   */
  setCertificateVerifyProc(
    proc: ((request: CertificateVerifyRequest, callback: (verificationResult: number) => void) => void | number | Promise<number | void>) | null
  ): void
  /**
   * Answers pages' permission requests. The handler may call `callback(granted)`,
   * return a boolean, or return a Promise of one; a throw or rejection fails the
   * request. `null` restores the default: everything is granted.
   */
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: HandlerWebContents,
          permission: PermissionName,
          callback: (permissionGranted: boolean) => void,
          details: PermissionRequest | FilesystemPermissionRequest | MediaAccessPermissionRequest | OpenExternalPermissionRequest
        ) => void | boolean | Promise<boolean | void>)
      | null
  ): void
  /**
   * Answers pages' permission checks with a boolean (or a Promise of one).
   * `null` restores the default: every check passes.
   */
  setPermissionCheckHandler(
    handler:
      | ((
          webContents: HandlerWebContents | null,
          permission: PermissionName,
          requestingOrigin: string,
          details: PermissionCheckHandlerHandlerDetails
        ) => boolean | Promise<boolean>)
      | null
  ): void
  /**
   * Decides whether a page may use a device. `null` restores the default: only
   * devices granted through device selection are permitted.
   */
  setDevicePermissionHandler(
    handler: ((details: DevicePermissionHandlerHandlerDetails) => boolean | Promise<boolean>) | null
  ): void
}

export interface CommandLine {
  /** Adds a switch (name without dashes), with an optional value. */
  appendSwitch(the_switch: string, value?: string): void
  /** Adds a plain argument. */
  appendArgument(value: string): void
  hasSwitch(the_switch: string): boolean
  /** The switch's value; `''` when absent or valueless. */
  getSwitchValue(the_switch: string): string
  removeSwitch(the_switch: string): void
}

export type AppPathName =
  | 'home' | 'appData' | 'userData' | 'sessionData' | 'temp' | 'downloads' | 'desktop'
  | 'documents' | 'music' | 'pictures' | 'videos' | 'logs' | 'crashDumps'

export interface App extends EventEmitter {
  /** Emitted once, asynchronously after the first `require`. */
  on(event: 'ready', listener: (event: { preventDefault(): void }, launchInfo: Record<string, any>) => void): this
  /** Emitted for every new session. */
  on(event: 'session-created', listener: (session: Session) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: 'ready', listener: (event: { preventDefault(): void }, launchInfo: Record<string, any>) => void): this
  once(event: 'session-created', listener: (session: Session) => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  /** A well-known folder; throws for an unknown name. */
  getPath(name: AppPathName): string
  /** Overrides a well-known folder; `path` must be absolute. */
  setPath(name: AppPathName, path: string): void
  /** `productName` (else `name`) of the nearest package.json, else `Electron`. */
  getName(): string
  setName(name: string): void
  name: string
  /** `version` of the nearest package.json, else the Electron version followed. */
  getVersion(): string
  isReady(): boolean
  whenReady(): Promise<void>
  readonly commandLine: CommandLine
}

export declare const app: App

/** The default session's NetLog. */
export declare const netLog: {
  startLogging(path: string, options?: NetLogStartOptions): Promise<void>
  stopLogging(): Promise<void>
  readonly currentlyLogging: boolean
}

export declare const net: {
  /** `fetch` through the default session; see `Session.fetch`. */
  fetch(input: string | URL | Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response>
  /** True when some network interface other than loopback is up. */
  isOnline(): boolean
  /** Same as `isOnline()`. */
  readonly online: boolean
}

/**
 * The default session's `Protocol`, plus the process-wide privileged
 * schemes.
 */
export declare const protocol: Pick<Protocol, keyof Protocol> & {
  /**
   * Gives `customSchemes` their privileges, for the whole process. Only
   * before the app is ready: throws afterwards.
   */
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void
  /** The custom schemes registered as `standard`. */
  getStandardSchemes(): string[]
}

export declare const session: {
  /**
   * The session of `partition`: `persist:NAME` is stored on disk, `''` is the
   * default session, anything else lives in memory. The same string always
   * gives the same object.
   */
  fromPartition(partition: string, options?: FromPartitionOptions): Session
  /** The session stored at the absolute `path`. */
  fromPath(path: string, options?: FromPathOptions): Session
  /** The app's default session, stored at `app.getPath('sessionData')`. */
  readonly defaultSession: Session
}

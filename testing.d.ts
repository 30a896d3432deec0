// Type definitions for electron-session/testing: a renderer stand-in.

import { EventEmitter } from 'node:events'
import type { Session, PermissionName } from './index'

export interface CreateWebContentsOptions {
  /** The session the page belongs to. */
  session: Session
  /** The page's URL. Default is `about:blank`. */
  url?: string
}

/**
 * What a renderer would be to its session: requests it makes go through the
 * same native paths a real page's would. Ids are unique and start at 1.
 */
export declare class WebContents extends EventEmitter {
  private constructor()
  readonly id: number
  readonly session: Session
  getURL(): string
  isDestroyed(): boolean
  /** Forgets this page; later calls throw. Emits `destroyed`. */
  destroy(): void
  /**
   * Requests `permission` as the page would; resolves with the handler's
   * decision (granted when no handler is set), rejects with what the handler threw.
   */
  requestPermission(permission: PermissionName, details?: Record<string, unknown>): Promise<boolean>
  /** Checks `permission` as the page would; resolves with the check handler's answer. */
  checkPermission(permission: PermissionName, details?: Record<string, unknown>): Promise<boolean>
  /** Downloads `url` with the page's session; its `will-download` gets this webContents. */
  downloadURL(url: string, options?: { headers?: Record<string, string> }): void
  /** Asks whether the page may use `device`, as `navigator.hid.getDevices()` would. */
  checkDevicePermission(deviceType: 'hid' | 'serial' | 'usb', device: Record<string, unknown>): Promise<boolean>
}

export declare function createWebContents(options: CreateWebContentsOptions): WebContents

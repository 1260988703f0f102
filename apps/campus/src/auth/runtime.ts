/**
 * What the sign-in layer needs at run time, built once per process and hung on `CampusDeps` as
 * `deps.auth`.
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import type { CampusLogger } from '../logger.js'
import { type TrustedProxies, trustProxies } from '../web/client-ip.js'
import { type BackgroundTasks, createBackgroundTasks } from './background.js'
import type { CookieSecurePolicy } from './cookie.js'
import { type AuthLimits, createAuthLimits } from './limits.js'
import { createSessionStore, type SessionStore } from './sessions.js'

/** The sign-in layer's parts. */
export interface AuthRuntime {
  readonly sessions: SessionStore
  readonly limits: AuthLimits
  readonly cookieSecure: CookieSecurePolicy
  /** Origin for links in mail; undefined → the request's own origin. */
  readonly publicUrl: string | undefined
  readonly trustedProxies: TrustedProxies
  /** How long a magic link stays redeemable (ms). */
  readonly magicLinkTtlMs: number
  /** How long an invitation stays redeemable (ms). */
  readonly invitationTtlMs: number
  /** Work started by requests and not awaited (magic-link mail). */
  readonly background: BackgroundTasks
}

/** Options of {@link createAuthRuntime}; every field but the first three has a default. */
export interface AuthRuntimeOptions {
  db: Database
  satchel: Satchel
  logger: CampusLogger
  /** @default 7 days */
  sessionTtlMs?: number
  /** @default 5 minutes */
  sessionIndexTtlMs?: number
  /** @default 'auto' */
  cookieSecure?: CookieSecurePolicy
  publicUrl?: string | undefined
  /** @default [] (the socket peer is the client) */
  trustedProxies?: readonly string[]
  /** @default 15 minutes */
  magicLinkTtlMs?: number
  /** @default 7 days */
  invitationTtlMs?: number
}

const MINUTE = 60_000
const DAY = 86_400_000

/** Builds the sign-in layer. */
export function createAuthRuntime(options: AuthRuntimeOptions): AuthRuntime {
  return {
    sessions: createSessionStore({
      db: options.db,
      satchel: options.satchel,
      logger: options.logger,
      ttlMs: options.sessionTtlMs ?? 7 * DAY,
      indexTtlMs: options.sessionIndexTtlMs ?? 5 * MINUTE,
    }),
    limits: createAuthLimits(options.satchel),
    cookieSecure: options.cookieSecure ?? 'auto',
    publicUrl: options.publicUrl,
    trustedProxies: trustProxies(options.trustedProxies ?? []),
    magicLinkTtlMs: options.magicLinkTtlMs ?? 15 * MINUTE,
    invitationTtlMs: options.invitationTtlMs ?? 7 * DAY,
    background: createBackgroundTasks(options.logger),
  }
}

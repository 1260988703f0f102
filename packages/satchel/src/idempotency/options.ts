import { z } from 'zod'
import type { Duration } from '../core/duration.js'
import { InvalidOptionError } from '../core/errors.js'
import {
  callback,
  durationMs,
  integer,
  MAX_TIMER_MS,
  MAX_TTL_MS,
  oneOf,
  optionsObject,
  resolveWith,
} from '../core/option-schema.js'
import { DEFAULT_REPLAY_HEADERS, defaultStoreStatus, NEVER_REPLAYED } from './stored-response.js'

/**
 * Options of `satchel.idempotency(options)`.
 * @example satchel.idempotency({ ttl: '24h', lease: '30s', onStoreDown: 'proceed' })
 */
export interface IdempotencyOptions {
  /**
   * How long a completed response is replayed.
   * @default '24h'
   */
  ttl?: Duration
  /**
   * How long a pending record protects its owner. A retry after the lease has expired (the
   * owner crashed, or its handler outran the lease without `extend()`) takes the record over
   * and runs the handler. The pending key itself expires after two leases.
   * @default '30s'
   */
  lease?: Duration
  /**
   * What `begin` answers when Redis is down, slow or absent (memory-only): `'proceed'` (the
   * best effort: run the handler without a record) or `'reject'` (the HTTP middleware
   * answers 503).
   * @default 'proceed'
   */
  onStoreDown?: 'proceed' | 'reject'
  /**
   * Largest body stored for replay. A larger response is still returned (streamed, never held
   * whole); its record is completed without a body, so a duplicate gets `not-replayable` (HTTP
   * 410) instead of a second run.
   * @default 1048576 (1 MiB)
   */
  maxBodyBytes?: number
  /**
   * Response headers stored and replayed (case-insensitive). `Set-Cookie`, credentials and
   * framing headers are refused here.
   * @default DEFAULT_REPLAY_HEADERS (content-type, content-encoding, content-language,
   *   content-disposition, content-location, location, etag, last-modified, link, cache-control)
   */
  replayHeaders?: readonly string[]
  /**
   * Which statuses are stored; for the others the record is removed so a retry runs again.
   * @default defaultStoreStatus (everything below 500 except 408, 409, 425, 429)
   */
  storeStatus?: (status: number) => boolean
}

/**
 * Options with defaults applied and durations in ms.
 * @example idem.options.leaseMs // 30000
 */
export interface ResolvedIdempotencyOptions {
  ttlMs: number
  leaseMs: number
  onStoreDown: 'proceed' | 'reject'
  maxBodyBytes: number
  replayHeaders: ReadonlySet<string>
  storeStatus: (status: number) => boolean
}

/** Bounds of the idempotency options (see the options table in the package README). */
export const IDEMPOTENCY_LIMITS = {
  ttlMs: { min: 1, max: MAX_TTL_MS },
  /** The lease arms the owner's extend timers. */
  leaseMs: { min: 1, max: MAX_TIMER_MS },
  /** Redis's own limit on one string value. */
  maxBodyBytes: { min: 0, max: 512 * 1024 * 1024 },
} as const

const L = IDEMPOTENCY_LIMITS

const schema = optionsObject({
  ttl: durationMs(L.ttlMs.min, L.ttlMs.max).default(86_400_000),
  lease: durationMs(L.leaseMs.min, L.leaseMs.max).default(30_000),
  onStoreDown: oneOf(['proceed', 'reject']).default('proceed'),
  maxBodyBytes: integer(L.maxBodyBytes.min, L.maxBodyBytes.max).default(1024 * 1024),
  replayHeaders: z
    .array(z.string({ error: 'expected a header name' }).min(1), {
      error: 'expected an array of header names',
    })
    .optional(),
  storeStatus: callback<(status: number) => boolean>().optional(),
})

/**
 * Applies defaults and validates, once, at creation.
 * @throws InvalidOptionError naming the field (`idempotency.ttl`...).
 * @example resolveIdempotencyOptions({ ttl: '1h' }).ttlMs // 3600000
 */
export function resolveIdempotencyOptions(options: IdempotencyOptions): ResolvedIdempotencyOptions {
  const o = resolveWith(schema, options ?? {}, 'idempotency')
  const replayHeaders = new Set((o.replayHeaders ?? DEFAULT_REPLAY_HEADERS).map(lower))
  for (const name of replayHeaders) {
    if (NEVER_REPLAYED.has(name)) {
      throw new InvalidOptionError(
        'idempotency.replayHeaders',
        `"${name}" belongs to one response and is never replayed`,
      )
    }
  }
  return {
    ttlMs: o.ttl,
    leaseMs: o.lease,
    onStoreDown: o.onStoreDown,
    maxBodyBytes: o.maxBodyBytes,
    replayHeaders,
    storeStatus: o.storeStatus ?? defaultStoreStatus,
  }
}

function lower(name: string): string {
  return name.toLowerCase()
}

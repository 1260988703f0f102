/**
 * Typed errors with stable codes. Callers branch on `error.code`, never on the message.
 *
 * Expected outcomes (a cache miss, a rate-limit rejection, a malformed payload) are result
 * objects with a `reason`, not exceptions; these classes are for what a caller must handle.
 *
 * @example
 * ```ts
 * import { errors } from 'satchel'
 * try { await satchel.redis.exec('get', (r) => r.get(key)) }
 * catch (e) { if (e instanceof errors.E_REDIS_UNAVAILABLE) useDatabase() }
 * ```
 */
export class SatchelError extends Error {
  /** Stable machine-readable code, e.g. `E_REDIS_UNAVAILABLE`: switch on it exhaustively. */
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** An option passed to `createSatchel` (or a primitive) is invalid; `field` names it. */
export class InvalidOptionError extends SatchelError {
  static readonly code = 'E_INVALID_OPTION'
  readonly field: string
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(InvalidOptionError.code, `Invalid satchel option "${field}": ${message}`, options)
    this.field = field
  }
}

/** `SATCHEL_FLAGS` or `options.flags` names a capability that does not exist. */
export class UnknownFlagError extends SatchelError {
  static readonly code = 'E_UNKNOWN_FLAG'
  readonly flag: string
  readonly validFlags: readonly string[]
  constructor(flag: string, validFlags: readonly string[]) {
    super(
      UnknownFlagError.code,
      `Unknown satchel flag "${flag}". Valid flags: ${validFlags.join(', ')} (or "all", "none", "-name" to disable one).`,
    )
    this.flag = flag
    this.validFlags = validFlags
  }
}

/** A key could not be built: missing organisation id, empty part, or a bad prefix. */
export class InvalidKeyError extends SatchelError {
  static readonly code = 'E_INVALID_KEY'
  constructor(message: string) {
    super(InvalidKeyError.code, message)
  }
}

/** Why Redis could not answer. */
export type UnavailableReason =
  /** The command did not settle within `timeouts.commandMs`. */
  | 'timeout'
  /** The circuit breaker is open: Redis was not asked. */
  | 'circuit-open'
  /** No connection (refused, reset, reconnecting, or not connected within `connectMs`). */
  | 'disconnected'
  /** satchel was configured without Redis (memory-only). */
  | 'memory-only'
  /** `close()` has been called. */
  | 'closed'

/**
 * Redis could not answer in time. Every primitive's fail-open path catches exactly this; locks
 * surface it so callers can tell "Redis is down" from "someone else holds the lock".
 */
export class RedisUnavailableError extends SatchelError {
  static readonly code = 'E_REDIS_UNAVAILABLE'
  readonly reason: UnavailableReason
  constructor(reason: UnavailableReason, message: string, options?: { cause?: unknown }) {
    super(RedisUnavailableError.code, message, options)
    this.reason = reason
  }
}

/** Redis refused the credentials (WRONGPASS / NOAUTH). Fix the URL or ACL user; retrying won't help. */
export class RedisAuthError extends SatchelError {
  static readonly code = 'E_REDIS_AUTH'
  constructor(message: string, options?: { cause?: unknown }) {
    super(RedisAuthError.code, message, options)
  }
}

/**
 * Redis answered with an error reply (WRONGTYPE, a script error, ...). Redis is up, so this does
 * not count against the circuit breaker.
 */
export class RedisCommandError extends SatchelError {
  static readonly code = 'E_REDIS_COMMAND'
  readonly command: string
  constructor(command: string, options: { cause: unknown }) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super(RedisCommandError.code, `Redis rejected ${command}: ${detail}`, options)
    this.command = command
  }
}

/** The value could not be encoded (for example a function or a symbol inside it). */
export class EncodeError extends SatchelError {
  static readonly code = 'E_ENCODE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(EncodeError.code, message, options)
  }
}

/** A cache factory did not settle within `timeout.hard` and no stale value existed to serve. */
export class FactoryTimeoutError extends SatchelError {
  static readonly code = 'E_FACTORY_TIMEOUT'
  readonly key: string
  readonly timeoutMs: number
  constructor(key: string, timeoutMs: number) {
    super(FactoryTimeoutError.code, `Factory for "${key}" did not finish within ${timeoutMs} ms`)
    this.key = key
    this.timeoutMs = timeoutMs
  }
}

/** A cache factory threw and no stale value within grace existed; `cause` is the factory's error. */
export class FactoryError extends SatchelError {
  static readonly code = 'E_FACTORY_ERROR'
  readonly key: string
  constructor(key: string, options: { cause: unknown }) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause)
    super(FactoryError.code, `Factory for "${key}" failed: ${detail}`, options)
    this.key = key
  }
}

/** Another holder has the lock and the retries ran out (Redis itself answered). */
export class LockContendedError extends SatchelError {
  static readonly code = 'E_LOCK_CONTENDED'
  readonly resource: string
  readonly attempts: number
  constructor(resource: string, attempts: number) {
    super(
      LockContendedError.code,
      `Lock "${resource}" is held by another owner (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
    )
    this.resource = resource
    this.attempts = attempts
  }
}

/** A held lock expired or was taken over before it could be extended: stop the critical section. */
export class LockLostError extends SatchelError {
  static readonly code = 'E_LOCK_LOST'
  readonly resource: string
  constructor(resource: string, options?: { cause?: unknown }) {
    super(LockLostError.code, `Lock "${resource}" was lost before it could be extended`, options)
    this.resource = resource
  }
}

/**
 * Every satchel error class by its stable code, so callers can `instanceof` without importing
 * each class: `e instanceof errors.E_REDIS_UNAVAILABLE`.
 */
export const errors = {
  E_INVALID_OPTION: InvalidOptionError,
  E_UNKNOWN_FLAG: UnknownFlagError,
  E_INVALID_KEY: InvalidKeyError,
  E_REDIS_UNAVAILABLE: RedisUnavailableError,
  E_REDIS_AUTH: RedisAuthError,
  E_REDIS_COMMAND: RedisCommandError,
  E_ENCODE: EncodeError,
  E_FACTORY_TIMEOUT: FactoryTimeoutError,
  E_FACTORY_ERROR: FactoryError,
  E_LOCK_CONTENDED: LockContendedError,
  E_LOCK_LOST: LockLostError,
} as const satisfies Record<
  Exclude<ErrorCode, 'E_REDIS_SERVER'>,
  abstract new (
    ...args: never[]
  ) => SatchelError
>

/**
 * Every stable satchel error code: those of the {@link errors} map, plus `E_REDIS_SERVER`, thrown
 * only by `satchel/testing` when a test server cannot be started.
 */
export type ErrorCode =
  | 'E_INVALID_OPTION'
  | 'E_UNKNOWN_FLAG'
  | 'E_INVALID_KEY'
  | 'E_REDIS_UNAVAILABLE'
  | 'E_REDIS_AUTH'
  | 'E_REDIS_COMMAND'
  | 'E_ENCODE'
  | 'E_FACTORY_TIMEOUT'
  | 'E_FACTORY_ERROR'
  | 'E_LOCK_CONTENDED'
  | 'E_LOCK_LOST'
  | 'E_REDIS_SERVER'

import { SatchelError } from '../core/errors.js'

/**
 * A test Redis server or cluster could not be started, restarted or formed.
 *
 * `logTail` carries the last lines the server wrote (its log file and stderr), because the
 * reason a `redis-server` refuses to start — a bad argument, a port in use, a TLS file it cannot
 * read — is only ever reported there.
 *
 * @example
 * ```ts
 * import { RedisServerError, startRedis } from 'satchel/testing'
 * try {
 *   await startRedis({ args: ['--no-such-option', 'yes'] })
 * } catch (error) {
 *   if (error instanceof RedisServerError) console.error(error.logTail)
 * }
 * ```
 */
export class RedisServerError extends SatchelError {
  static readonly code = 'E_REDIS_SERVER'
  /** The last lines of the server's log and stderr, when there was a server to ask. */
  readonly logTail: string | undefined

  constructor(message: string, options?: { cause?: unknown; logTail?: string }) {
    const tail = options?.logTail?.trim()
    super(
      RedisServerError.code,
      tail ? `${message}\n--- redis-server log (tail) ---\n${tail}` : message,
      options,
    )
    this.logTail = tail || undefined
  }
}

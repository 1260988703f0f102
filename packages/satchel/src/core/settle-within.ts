import { RedisUnavailableError } from './errors.js'

/**
 * Bounds one promise by a timer: the result settles like `promise` if that happens within `ms`,
 * else it rejects with `onTimeout()`. The timer is always cleared and a late settlement (or a
 * late rejection) of `promise` is ignored, so it can never surface as an unhandled rejection.
 *
 * This is satchel's one timeout helper for promises the gateway's shared deadline list cannot
 * bound: a subscriber connection's own commands, a rate limiter's per-limiter `timeoutMs`,
 * `close()`'s QUIT, a caller joining another caller's cache load. Commands sent through the
 * gateway need no timer of their own (see `deadlines.ts`).
 *
 * @param ms - the bound in milliseconds.
 * @param onTimeout - builds the rejection; called at most once, when the timer fires (it may
 *   also count the timeout). Default: `E_REDIS_UNAVAILABLE` with reason `timeout`.
 * @example
 * ```ts
 * const pong = await settleWithin(subscriber.ping(), 1000)
 * const value = await settleWithin(load, hardMs, () => new FactoryTimeoutError(key, hardMs))
 * ```
 */
export function settleWithin<T>(
  promise: PromiseLike<T>,
  ms: number,
  onTimeout: () => Error = () => new RedisUnavailableError('timeout', `no answer within ${ms} ms`),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

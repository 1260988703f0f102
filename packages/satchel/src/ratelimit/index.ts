// Placeholder: replaced by the ratelimit implementation.
import type { SatchelContext } from '../core/context.js'

export interface RateLimiterOptions {
  readonly placeholder?: never
}
export interface RateLimiter {
  readonly placeholder?: never
}
export function createRateLimiter(_ctx: SatchelContext, _options: RateLimiterOptions): RateLimiter {
  throw new Error('ratelimit: not implemented')
}

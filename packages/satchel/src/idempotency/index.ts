// Placeholder: replaced by the idempotency implementation.
import type { SatchelContext } from '../core/context.js'

export interface IdempotencyOptions {
  readonly placeholder?: never
}
export interface Idempotency {
  readonly placeholder?: never
}
export function createIdempotency(_ctx: SatchelContext, _options: IdempotencyOptions): Idempotency {
  throw new Error('idempotency: not implemented')
}

// Placeholder: replaced by the session implementation.
import type { SatchelContext } from '../core/context.js'

export interface SessionIndexOptions<S> {
  readonly placeholder?: never
}
export interface SessionIndex<S> {
  readonly placeholder?: never
}
export function createSessionIndex<S>(
  _ctx: SatchelContext,
  _options: SessionIndexOptions<S>,
): SessionIndex<S> {
  throw new Error('session: not implemented')
}

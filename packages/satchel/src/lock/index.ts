// Placeholder: replaced by the lock implementation.
import type { SatchelContext } from '../core/context.js'

export interface LocksOptions {
  readonly placeholder?: never
}
export interface Locks {
  readonly placeholder?: never
}
export function createLocks(_ctx: SatchelContext, _options: LocksOptions): Locks {
  throw new Error('lock: not implemented')
}

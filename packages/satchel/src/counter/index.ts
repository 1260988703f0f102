// Placeholder: replaced by the counter implementation.
import type { SatchelContext } from '../core/context.js'

export interface CounterOptions {
  readonly placeholder?: never
}
export interface Counter {
  readonly placeholder?: never
}
export function createCounter(_ctx: SatchelContext, _options: CounterOptions): Counter {
  throw new Error('counter: not implemented')
}

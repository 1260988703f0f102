// Placeholder: replaced by the cache implementation.
import type { SatchelContext } from '../core/context.js'

export interface CacheOptions {
  readonly placeholder?: never
}
export interface Cache {
  readonly placeholder?: never
}
export function createCache(_ctx: SatchelContext, _options: CacheOptions): Cache {
  throw new Error('cache: not implemented')
}

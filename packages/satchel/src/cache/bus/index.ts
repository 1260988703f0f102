// Placeholder: replaced by the bus implementation. Until then, a bus that carries nothing.
import type { SatchelContext } from '../../core/context.js'
import type { BusMessage, CacheBus } from '../types.js'

/** Options of the cache bus. */
export interface CacheBusOptions {
  /** Channel name (full, already prefixed). */
  channel: string
}

/** Creates the cross-instance L1 invalidation bus. */
export function createCacheBus(_ctx: SatchelContext, _options: CacheBusOptions): CacheBus {
  return {
    publish: (_message: BusMessage) => {},
    onMessage: () => () => {},
    onResync: () => () => {},
    stats: () => ({ published: 0, received: 0, ignoredOwn: 0, resyncs: 0 }),
    close: async () => {},
  }
}

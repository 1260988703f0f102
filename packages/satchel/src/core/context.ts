import type { Codec } from './codec.js'
import type { SatchelEvents } from './events.js'
import type { Flags } from './flags.js'
import type { KeyBuilder } from './keys.js'
import type { Logger } from './logger.js'
import type { ResolvedCoreOptions } from './options.js'
import type { RedisGateway } from './redis-gateway.js'
import type { ValueStore } from './value-store.js'

/**
 * What every primitive (cache, rate limiter, locks, idempotency, session index, counter) is
 * built from: one gateway, one key builder, one codec, one event bus per satchel instance.
 * Internal: users reach primitives through `createSatchel`.
 */
export interface SatchelContext {
  readonly gateway: RedisGateway
  readonly keys: KeyBuilder
  readonly codec: Codec
  readonly values: ValueStore
  readonly events: SatchelEvents
  readonly logger: Logger
  readonly flags: Flags
  readonly options: Readonly<ResolvedCoreOptions>
  /**
   * Registers cleanup (timers, subscriber connections) that `satchel.close()` runs before the
   * gateway closes. Cleanups run in reverse registration order and must not throw.
   */
  onClose(cleanup: () => void | Promise<void>): void
}

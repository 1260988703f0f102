/**
 * satchel — Redis caching and coordination for TypeScript services.
 *
 * Redis is an accelerator, never the authority: every command is bounded, a circuit breaker
 * stops paying timeouts while Redis is down, and every primitive has a documented fallback.
 *
 * @packageDocumentation
 */
export type { BreakerSnapshot } from './core/breaker.js'
export type { ClientHandle, RedisClient } from './core/client-factory.js'
export {
  type Codec,
  type CodecOptions,
  createCodec,
  type DecodeResult,
} from './core/codec.js'
export { type Duration, parseDuration } from './core/duration.js'
export {
  EncodeError,
  type ErrorCode,
  errors,
  InvalidKeyError,
  InvalidOptionError,
  RedisAuthError,
  RedisCommandError,
  RedisUnavailableError,
  SatchelError,
  type UnavailableReason,
  UnknownFlagError,
} from './core/errors.js'
export type {
  BreakerState,
  ConnectionStatus,
  SatchelEventMap,
  SatchelEventName,
  SatchelEvents,
} from './core/events.js'
export { FLAG_NAMES, type FlagName, Flags, type FlagsInput, parseFlags } from './core/flags.js'
export type { HealthReport } from './core/health.js'
export type { LatencySummary } from './core/histogram.js'
export {
  createKeyBuilder,
  escapeGlob,
  escapeKeyPart,
  type GlobalKeys,
  type KeyBuilder,
  type KeyBuilderOptions,
  type KeyPart,
  type OrgKeys,
  type SlotKeys,
} from './core/keys.js'
export { type Logger, silentLogger } from './core/logger.js'
export {
  createQueryNormalizer,
  type NormalizeQueryOptions,
  normalizeQuery,
  type QueryInput,
  type QueryNormalizer,
} from './core/normalize-query.js'
export type { ClusterInput, RedisInput, SatchelOptions } from './core/options.js'
export type { RedisGateway, RedisPathStats } from './core/redis-gateway.js'
export {
  type CreateSatchelOptions,
  createSatchel,
  type Satchel,
  type SatchelStats,
} from './core/satchel.js'
export type { ReadResult, ValueStore, ValueStoreStats, WriteResult } from './core/value-store.js'

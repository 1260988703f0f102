/**
 * satchel — Redis caching and coordination for TypeScript services.
 *
 * Redis is an accelerator, never the authority: every command is bounded, a circuit breaker
 * stops paying timeouts while Redis is down, and every primitive has a documented fallback.
 *
 * This entry exports what a user calls: `createSatchel` (every capability is reached through the
 * instance it returns), the helpers that take a cache or nothing at all, the typed errors, and
 * the types of public signatures. Internal factories that need the instance's context are not
 * exported.
 *
 * @packageDocumentation
 */

export {
  Cached,
  type CachedOptions,
  type CacheOptionsInput,
  type CacheSource,
  createInvalidator,
  type InvalidationResult,
  type InvalidationRules,
  type InvalidationTargets,
  type Invalidator,
  type LoadingCache,
  type ParamCacheOptions,
  TTL,
  type TtlPreset,
  withCache,
  withCacheParam,
} from './cache/helpers/index.js'
export type {
  Cache,
  CacheBusStats,
  CacheCallOptions,
  CacheEntryInput,
  CacheNamespaceStats,
  CacheOptions,
  Factory,
  FactoryContext,
  LockMode as CacheLockMode,
  NamespaceOptions,
  WarmEntry,
  WarmProgress,
} from './cache/index.js'
export {
  DEFAULT_WARM_CONCURRENCY,
  type WarmOptions,
  type WarmResult,
  warmCache,
} from './cache/warm.js'
export type { BreakerSnapshot } from './core/breaker.js'
export type { RedisClient } from './core/client-factory.js'
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
  FactoryError,
  FactoryTimeoutError,
  InvalidKeyError,
  InvalidOptionError,
  LockContendedError,
  LockLostError,
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
export type { ReadResult, ValueStore, ValueStoreStats, WriteResult } from './core/value-store.js'
export type {
  AdjustResult,
  Counter,
  CounterOptions,
  CounterStats,
  ReconcileResult,
} from './counter/index.js'
export {
  type BeginRequest,
  type BeginResult,
  type CompleteResult,
  canonicalJson,
  DEFAULT_REPLAY_HEADERS,
  defaultStoreStatus,
  type Idempotency,
  type IdempotencyOptions,
  invalidKeyReason,
  type LeaseResult,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  NEVER_REPLAYED,
  type NewRecord,
  type RecordScope,
  type ResponseToStore,
  requestFingerprint,
  type StoredResponse,
} from './idempotency/index.js'
export type {
  AcquireOptions,
  Lock,
  LockMode,
  LockStats,
  Locks,
  LocksOptions,
  RetryOptions,
  UsingOptions,
} from './lock/index.js'
export {
  ALGORITHMS,
  emailIdentifier,
  type FailurePolicy,
  identifiers,
  ipIdentifier,
  type LimitOptions,
  type LimitReason,
  type LimitResult,
  LocalLimiter,
  orgIdentifier,
  type RateLimitAlgorithm,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimiterStats,
  type ResolvedRateLimiterOptions,
  usernameIdentifier,
} from './ratelimit/index.js'
export {
  type CreateSatchelOptions,
  createSatchel,
  type Satchel,
  type SatchelStats,
} from './satchel.js'
export { RequestScope, requestScope } from './scope/index.js'
export {
  type InvalidationResult as SessionInvalidationResult,
  type SessionIndex,
  type SessionIndexOptions,
  type SessionIndexStats,
  type SessionSchema,
  tokenHash,
} from './session/index.js'

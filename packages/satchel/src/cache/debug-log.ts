/**
 * The optional per-operation debug line, in the common format: `[Cache] GET key: HIT (1.23ms)`.
 * Off by default; when off, callers skip the clock reads entirely.
 *
 * @module
 */
import type { Logger } from '../core/logger.js'

/** Outcome words of the debug line. */
export type DebugOutcome = 'HIT' | 'HIT-L2' | 'MISS' | 'STALE' | 'SET' | 'DEL' | 'ERROR'

/** One debug line's words. */
export interface DebugFields {
  readonly op: string
  readonly key: string
  readonly outcome: DebugOutcome
}

/** Logs one debug line, timed from `startedAt` (`performance.now()`). */
export function debugLine(logger: Logger, fields: DebugFields, startedAt: number): void {
  const { op, key, outcome } = fields
  const ms = performance.now() - startedAt
  logger.debug({ op, key, outcome, ms }, `[Cache] ${op} ${key}: ${outcome} (${ms.toFixed(2)}ms)`)
}

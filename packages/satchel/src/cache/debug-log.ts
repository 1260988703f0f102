/**
 * The optional per-operation debug line, in the seeds' format: `[Cache] GET key: HIT (1.23ms)`.
 * Off by default; when off, callers skip the clock reads entirely.
 *
 * @module
 */
import type { Logger } from '../core/logger.js'

/** Outcome words of the debug line. */
export type DebugOutcome = 'HIT' | 'HIT-L2' | 'MISS' | 'STALE' | 'SET' | 'DEL' | 'ERROR'

/** Logs one debug line. */
export function debugLine(
  logger: Logger,
  op: string,
  key: string,
  outcome: DebugOutcome,
  startedAt: number,
): void {
  const ms = performance.now() - startedAt
  logger.debug({ op, key, outcome, ms }, `[Cache] ${op} ${key}: ${outcome} (${ms.toFixed(2)}ms)`)
}

/**
 * Metrics of satchel's coordination primitives as campus uses them, from satchel's events and
 * from the primitives' own stats at scrape time: lock contention, idempotency outcomes (replays
 * among them), rate-limiter fallbacks, Redis errors by operation, session-index reads by
 * source (its hit rate) and pending counters. Names are listed in docs/operations.md.
 *
 * @module
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Satchel, SessionIndex } from 'satchel'

/** Handles of the coordination metrics. */
export interface CoordinationMetrics {
  /**
   * Reports a session index's reads at scrape time (`campus_session_index_reads_total{source}`
   * and `campus_session_index_hit_ratio`). Call once per index.
   */
  watchSessionIndex(index: Pick<SessionIndex<unknown>, 'stats'>): void
  /** Stops listening to satchel's events. */
  detach(): void
}

/**
 * The family of a lock resource (`login-link-request:<id>` → `login-link-request`): ids would
 * make the label unbounded.
 */
export function resourceFamily(resource: string): string {
  const family = resource.split(':', 1)[0] ?? ''
  return /^[a-z][a-z0-9_-]{0,40}$/i.test(family) ? family : 'other'
}

/** Redis operation names are code constants (`cache.get`); anything else is grouped. */
function operationLabel(operation: string): string {
  return /^[a-z0-9_.:-]{1,64}$/i.test(operation) ? operation : 'other'
}

/** Registers the coordination metrics and starts listening to `satchel`'s events. */
export function createCoordinationMetrics(
  registry: Registry,
  satchel: Satchel,
): CoordinationMetrics {
  const lockContended = new Counter({
    name: 'campus_lock_contended_total',
    help: 'Lock acquisitions that gave up because another owner held the lock, by resource family.',
    labelNames: ['family'] as const,
    registers: [registry],
  })
  const lockAcquired = new Counter({
    name: 'campus_lock_acquired_total',
    help: 'Locks acquired, by resource family and mode (redis, or local with the locking flag off).',
    labelNames: ['family', 'mode'] as const,
    registers: [registry],
  })
  const lockLost = new Counter({
    name: 'campus_lock_lost_total',
    help: 'Locks lost while their holder worked (taken over or not extendable), by resource family.',
    labelNames: ['family'] as const,
    registers: [registry],
  })
  const idempotency = new Counter({
    name: 'campus_idempotency_outcomes_total',
    help: 'Idempotency-Key outcomes (new, taken-over, replay, in-flight, mismatch, invalid-key, bypass, store-down) and why for bypass and store-down (flag-off, or an error code).',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  })
  const rateLimitFallbacks = new Counter({
    name: 'campus_rate_limit_fallbacks_total',
    help: 'Rate-limit decisions taken by the failure policy because Redis did not answer, by limiter and decision.',
    labelNames: ['limiter', 'decision'] as const,
    registers: [registry],
  })
  const redisErrors = new Counter({
    name: 'campus_redis_errors_total',
    help: 'Redis operations that failed or timed out (their fallback answered), by operation and reason.',
    labelNames: ['operation', 'reason'] as const,
    registers: [registry],
  })
  const counterDrift = new Counter({
    name: 'campus_counter_drift_total',
    help: 'Counter recounts that found the cached value off from the database, by counter name.',
    labelNames: ['counter'] as const,
    registers: [registry],
  })

  const indexes: Pick<SessionIndex<unknown>, 'stats'>[] = []
  // The index keeps its own running totals; at each scrape the counter catches up by the
  // difference, so the metric stays a true counter.
  const reported = { hit: 0, miss: 0, fallback: 0 }
  new Counter({
    name: 'campus_session_index_reads_total',
    help: 'Session lookups by where they were answered: hit (Redis copy), miss (database, Redis up), fallback (database, Redis down).',
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      const sum = { hit: 0, miss: 0, fallback: 0 }
      for (const index of indexes) {
        const s = index.stats()
        sum.hit += s.hits
        sum.miss += s.misses
        sum.fallback += s.fallbacks
      }
      for (const source of ['hit', 'miss', 'fallback'] as const) {
        const delta = sum[source] - reported[source]
        this.inc({ source }, Math.max(0, delta))
        reported[source] = Math.max(reported[source], sum[source])
      }
    },
  })
  new Gauge({
    name: 'campus_session_index_hit_ratio',
    help: 'Share of session lookups answered from the Redis index since start (0 before the first lookup).',
    registers: [registry],
    collect() {
      let hits = 0
      let total = 0
      for (const index of indexes) {
        const s = index.stats()
        hits += s.hits
        total += s.hits + s.misses + s.fallbacks
      }
      this.set(total === 0 ? 0 : hits / total)
    },
  })

  const off = [
    satchel.events.on('lock:contended', ({ resource }) =>
      lockContended.inc({ family: resourceFamily(resource) }),
    ),
    satchel.events.on('lock:acquired', ({ resource, mode }) =>
      lockAcquired.inc({ family: resourceFamily(resource), mode }),
    ),
    satchel.events.on('lock:lost', ({ resource }) =>
      lockLost.inc({ family: resourceFamily(resource) }),
    ),
    satchel.events.on('idempotency:outcome', ({ outcome, reason }) =>
      idempotency.inc({ outcome, reason: reason === undefined ? 'none' : operationLabel(reason) }),
    ),
    satchel.events.on('ratelimit:fallback', ({ limiter, success }) =>
      rateLimitFallbacks.inc({ limiter, decision: success ? 'allow' : 'deny' }),
    ),
    satchel.events.on('redis:error', ({ operation, reason }) =>
      redisErrors.inc({ operation: operationLabel(operation), reason: operationLabel(reason) }),
    ),
    satchel.events.on('counter:drift', ({ name }) => counterDrift.inc({ counter: name })),
  ]
  return {
    watchSessionIndex(index) {
      indexes.push(index)
    },
    detach() {
      for (const stop of off) stop()
    },
  }
}

/**
 * The operations metrics campus adds to `/metrics` beside satchel's own collector: per-route
 * HTTP metrics (`request-metrics.ts`) and the coordination primitives' metrics
 * (`coordination-metrics.ts`).
 *
 * @module
 */
import type { Registry } from 'prom-client'
import type { Satchel } from 'satchel'
import { type CoordinationMetrics, createCoordinationMetrics } from './coordination-metrics.js'
import { createRequestMetrics, type RequestMetrics } from './request-metrics.js'

/** Handles of every campus operations metric. */
export interface OpsMetrics {
  requests: RequestMetrics
  coordination: CoordinationMetrics
  /** Stops listening to satchel's events (tests that close a campus call it). */
  detach(): void
}

/** Registers the operations metrics on `registry`. */
export function createOpsMetrics(registry: Registry, satchel: Satchel): OpsMetrics {
  const coordination = createCoordinationMetrics(registry, satchel)
  return {
    requests: createRequestMetrics(registry),
    coordination,
    detach: () => coordination.detach(),
  }
}

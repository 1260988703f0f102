/**
 * `/metrics`: campus's own metrics (`deps.registry`: bundle fetches, bundle bytes, Redis bytes
 * per route), satchel's (read from `satchel.stats()` at scrape time) and the process defaults,
 * all on one registry so one scrape sees everything.
 *
 * @module
 */
import { collectDefaultMetrics, type Registry } from 'prom-client'
import type { Satchel } from 'satchel'
import { createPrometheusCollector } from 'satchel/prometheus'

// createApp may be called twice with the same deps (tests do); registering a metric name twice
// on one registry throws, so each registry gets the collectors once.
const prepared = new WeakSet<Registry>()

/** Registers satchel's collector and the default process metrics on `registry`, once. */
export function prepareMetrics(registry: Registry, satchel: Satchel): void {
  if (prepared.has(registry)) return
  prepared.add(registry)
  createPrometheusCollector(satchel, { registry })
  collectDefaultMetrics({ register: registry })
}

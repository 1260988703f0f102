/**
 * The cache dashboard: hit rate, Redis read latency and Redis errors over the last hour (this
 * instance's samples), breaker state, keys by family and course bundle sizes, as server-drawn
 * SVG charts with the numbers beside them.
 *
 * @module
 */
import type { HealthReport, SatchelStats } from 'satchel'
import type { AdminAccess } from '../access.js'
import { type Bar, BarChart, LineChart } from '../cache/charts.js'
import type { StatsSample } from '../cache/history.js'
import type { KeyFamilies } from '../cache/key-families.js'
import { AdminFrame } from './frame.js'

/** Data of {@link CachePage}. */
export interface CachePageData {
  access: AdminAccess
  stats: SatchelStats
  health: HealthReport
  samples: readonly StatsSample[]
  families: KeyFamilies
  bundleSizes: readonly Bar[]
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`
const ms = (n: number) => `${Math.round(n * 100) / 100} ms`

/** The dashboard. */
export function CachePage({ data }: { data: CachePageData }) {
  const { stats, health, samples } = data
  return (
    <AdminFrame title="Cache" access={data.access} current="/admin/cache">
      <ul class="stats">
        <li>
          Hit rate <strong data-stat="hit-rate">{pct(stats.hitRate)}</strong>
        </li>
        <li>
          Hits / misses{' '}
          <strong>
            {String(stats.hits)} / {String(stats.misses)}
          </strong>
        </li>
        <li>
          Redis read p50 / p99{' '}
          <strong>
            {ms(stats.l2.latency.p50)} / {ms(stats.l2.latency.p99)}
          </strong>
        </li>
        <li>
          Redis errors <strong data-stat="redis-errors">{String(stats.redis.failures)}</strong>
        </li>
        <li>
          Breaker{' '}
          <strong data-stat="breaker">{stats.breaker?.state ?? 'none (memory-only)'}</strong>
        </li>
        <li>
          Status <strong data-stat="health">{health.status}</strong>
        </li>
        <li>
          L1 entries <strong>{String(stats.l1.entries)}</strong>
        </li>
      </ul>
      <h2>Last hour (this instance)</h2>
      <LineChart
        title="Hit rate"
        yMax={100}
        yUnit="%"
        series={[
          {
            name: 'hit rate',
            color: '#0a5bd3',
            points: samples.map((s) => [s.at, s.hitRate === null ? null : s.hitRate * 100]),
          },
        ]}
      />
      <LineChart
        title="Redis read latency"
        yUnit=" ms"
        series={[
          { name: 'p50', color: '#0a5bd3', points: samples.map((s) => [s.at, s.latencyP50]) },
          { name: 'p99', color: '#b42318', points: samples.map((s) => [s.at, s.latencyP99]) },
        ]}
      />
      <LineChart
        title="Redis errors per sample"
        series={[
          { name: 'errors', color: '#b42318', points: samples.map((s) => [s.at, s.redisErrors]) },
        ]}
      />
      <h2>Keys by family</h2>
      {data.families.unavailable ? (
        <p class="notice error">No key counts: {data.families.unavailable}</p>
      ) : (
        <>
          <BarChart
            title="Keys in Redis by family"
            bars={data.families.families.map((f) => ({ label: f.family, value: f.keys }))}
          />
          {data.families.partial ? (
            <p class="meta">
              A sample: the walk stopped after {String(data.families.scanned)} keys.
            </p>
          ) : null}
        </>
      )}
      <h2>Course bundle sizes</h2>
      <BarChart title="Course bundles built, by encoded size" bars={data.bundleSizes} />
    </AdminFrame>
  )
}

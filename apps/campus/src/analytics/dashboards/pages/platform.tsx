/**
 * The platform operator's view: organisations, recent import runs, and the live cache figures
 * (the same ones `/api/v1/cache` reports) with Redis health.
 *
 * @module
 */
import type { CacheMetrics } from '../../../ops/cache-metrics.js'
import type { PageViewer } from '../../../practice/viewer.js'
import type { PlatformDashboard } from '../repositories/platform.js'
import { DashboardFrame } from './frame.js'

/** The platform data plus the live cache figures. */
export type PlatformView = PlatformDashboard & {
  cache: CacheMetrics['redis'] & {
    dashboards: { hits: number; misses: number; hitRate: number }
  }
}

/** The platform dashboard page. */
export function PlatformDashboardPage(props: { data: PlatformView; viewer: PageViewer }) {
  const { data } = props
  const { cache } = data
  return (
    <DashboardFrame title="Platform dashboard" viewer={props.viewer} computedAt={data.computedAt}>
      <h2>Cache and Redis</h2>
      <ul class="cards" aria-label="Cache">
        <li class="card" data-testid="redis">
          Redis: <strong>{cache.health.connected ? 'up' : 'down'}</strong> ({cache.health.status}
          {cache.health.latency === null ? '' : `, ${cache.health.latency} ms`})
        </li>
        <li class="card">
          Cache hit rate <strong>{cache.hitRate}%</strong> ({cache.hits} hits, {cache.misses}{' '}
          misses, {cache.errors} Redis errors)
        </li>
        <li class="card">
          Dashboards hit rate{' '}
          <strong>{Math.round(cache.dashboards.hitRate * 10_000) / 100}%</strong>
        </li>
      </ul>
      <p>
        <a href="/admin/cache">Cache details</a> · <a href="/admin/imports">Imports</a>
      </p>
      <h2>Recent imports</h2>
      {data.runs.length === 0 ? (
        <p>No import yet.</p>
      ) : (
        <table class="attempts" aria-label="Recent imports">
          <thead>
            <tr>
              <th>Started</th>
              <th>Source</th>
              <th>Organisation</th>
              <th>Status</th>
              <th>Rows (new / updated / rejected)</th>
            </tr>
          </thead>
          <tbody>
            {data.runs.map((r) => (
              <tr>
                <td>
                  <time datetime={r.startedAt}>{r.startedAt.slice(0, 16).replace('T', ' ')}</time>
                </td>
                <td>{r.source}</td>
                <td>{r.orgId ?? 'several'}</td>
                <td class={r.status === 'failed' ? 'wrong' : ''}>{r.status}</td>
                <td>
                  {r.rowsInserted} / {r.rowsUpdated} / {r.rowsRejected}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Organisations ({data.orgTotal})</h2>
      <table class="attempts" aria-label="Organisations">
        <thead>
          <tr>
            <th>Name</th>
            <th>Type</th>
            <th>Students</th>
            <th>Classes</th>
          </tr>
        </thead>
        <tbody>
          {data.orgs.map((o) => (
            <tr>
              <td>{o.name}</td>
              <td>{o.type}</td>
              <td>{o.students}</td>
              <td>{o.classes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </DashboardFrame>
  )
}

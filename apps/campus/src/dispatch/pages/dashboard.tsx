/**
 * The tenant dashboard: registrations, completions, pass rate and time spent, in total, by
 * dispatched course and per day over the last 30 days, drawn as server-side SVG (the shared
 * admin charts). The numbers come from the cache (1 minute per tenant) and say when they were
 * computed.
 *
 * @module
 */
import type { AdminAccess } from '../../admin-area/access.js'
import { BarChart, LineChart } from '../../admin-area/cache/charts.js'
import { AdminFrame } from '../../admin-area/pages/frame.js'
import type { DashboardStats } from '../stats.js'
import type { TenantView } from '../types.js'

/** Data of {@link DashboardPage}. */
export interface DashboardPageData {
  access: AdminAccess
  orgId: string
  tenant: TenantView
  stats: DashboardStats
}

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10} %`
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  return h > 0 ? `${h} h ${m} min` : `${m} min`
}

/** The page. */
export function DashboardPage({ data }: { data: DashboardPageData }) {
  const { totals, byCourse, overTime } = data.stats
  const q = `?orgId=${encodeURIComponent(data.orgId)}`
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`)
  return (
    <AdminFrame
      title={`Dashboard: ${data.tenant.name}`}
      access={data.access}
      current="/admin/tenants"
    >
      <p>
        <a href={`/admin/tenants/${data.tenant.id}${q}`}>Tenant settings and dispatches</a> ·
        computed {data.stats.computedAt.toISOString()}
      </p>
      <ul class="stats">
        <li>
          Registrations <strong data-stat="registrations">{totals.registrations}</strong>
        </li>
        <li>
          Completions <strong data-stat="completions">{totals.completions}</strong>
        </li>
        <li>
          Pass rate <strong data-stat="pass-rate">{percent(totals.passRate)}</strong>
        </li>
        <li>
          Time spent <strong data-stat="time">{duration(totals.totalSeconds)}</strong>
        </li>
      </ul>
      <LineChart
        title="Registrations and completions per day (UTC, last 30 days)"
        series={[
          {
            name: 'registrations',
            color: '#0a5bd3',
            points: overTime.map((d) => [day(d.day), d.registrations] as const),
          },
          {
            name: 'completions',
            color: '#1a7f37',
            points: overTime.map((d) => [day(d.day), d.completions] as const),
          },
        ]}
      />
      <BarChart
        title="Registrations by course"
        bars={byCourse.map((c) => ({ label: c.title, value: c.registrations }))}
      />
      <table class="admin">
        <thead>
          <tr>
            <th scope="col">Course</th>
            <th scope="col">Registrations</th>
            <th scope="col">Completions</th>
            <th scope="col">Pass rate</th>
            <th scope="col">Time spent</th>
          </tr>
        </thead>
        <tbody>
          {byCourse.map((c) => (
            <tr data-dispatch-id={c.dispatchId}>
              <td>{c.title}</td>
              <td>{c.registrations}</td>
              <td>{c.completions}</td>
              <td>{percent(c.passRate)}</td>
              <td>{duration(c.totalSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminFrame>
  )
}

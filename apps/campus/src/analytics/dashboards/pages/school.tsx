/**
 * The school administrator's view: counts, pending login-link requests, usage charts, grade
 * levels and imported figures.
 *
 * @module
 */
import { BarChart, LineChart } from '../../../admin-area/cache/charts.js'
import type { PageViewer } from '../../../practice/viewer.js'
import type { SchoolDashboard } from '../repositories/school.js'
import { DashboardFrame, percent } from './frame.js'

/** The administrator's data plus the pending count (a separate cache entry). */
export type SchoolView = SchoolDashboard & { pendingLoginLinks: number }

/** The administrator dashboard page. */
export function SchoolDashboardPage(props: {
  data: SchoolView
  viewer: PageViewer
  operator: boolean
}) {
  const { data } = props
  const usage = data.usage
  return (
    <DashboardFrame title="School dashboard" viewer={props.viewer} computedAt={data.computedAt}>
      {props.operator ? (
        <p>
          <a href="/dashboard/platform">Platform dashboard</a> (every organisation)
        </p>
      ) : null}
      <ul class="cards" aria-label="Totals">
        <li class="card">
          <strong>{data.counts.classes}</strong> classes
        </li>
        <li class="card">
          <strong>{data.counts.students}</strong> students · <strong>{data.counts.teachers}</strong>{' '}
          teachers
        </li>
        <li class="card">
          <strong>{usage.activeLearners7d}</strong> active learners (7 days),{' '}
          <strong>{usage.activeLearners28d}</strong> (28 days)
        </li>
        <li class="card" data-testid="pending">
          <strong>{data.pendingLoginLinks}</strong> pending login-link requests ·{' '}
          <a href="/admin/login-link-requests">review in Admin</a>
        </li>
      </ul>
      <h2>Usage</h2>
      {usage.latestDay === null ? (
        <p>No practice recorded yet.</p>
      ) : (
        <>
          <p class="meta">
            The {usage.daily.length} days up to the latest attempt ({usage.latestDay}).
          </p>
          <LineChart
            title="Attempts per day"
            series={[
              {
                name: 'attempts',
                color: '#0a5bd3',
                points: usage.daily.map((d) => [Date.parse(d.day), d.attempts] as const),
              },
            ]}
          />
          <BarChart
            title="Attempts per week"
            bars={usage.weekly.map((w) => ({ label: `week of ${w.weekStart}`, value: w.attempts }))}
          />
        </>
      )}
      <h2>Grade levels</h2>
      <table class="attempts" aria-label="Grade levels">
        <thead>
          <tr>
            <th>Grade</th>
            <th>Students</th>
            <th>Attempts</th>
            <th>Mean score</th>
          </tr>
        </thead>
        <tbody>
          {data.grades.map((g) => (
            <tr>
              <td>
                {g.grade ? (
                  <>
                    {g.grade}{' '}
                    <span class="meta">
                      (<a href={`/reports/grades/${encodeURIComponent(g.grade)}`}>report</a> ·{' '}
                      <a href={`/cohorts?scope=grade&id=${encodeURIComponent(g.grade)}&score=quiz`}>
                        distribution
                      </a>
                      )
                    </span>
                  </>
                ) : (
                  '–'
                )}
              </td>
              <td>{g.students}</td>
              <td>{g.attempts}</td>
              <td>{percent(g.meanScore)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Imported data</h2>
      {data.ixl.length === 0 ? (
        <p>No IXL diagnostic imported.</p>
      ) : (
        <BarChart
          title="IXL diagnostic: mean level per period"
          bars={data.ixl.map((i) => ({ label: `${i.subject} · ${i.period}`, value: i.meanLevel }))}
        />
      )}
      <p>
        Toddle attendance:{' '}
        {data.attendance.presentShare === null
          ? 'none imported'
          : `${Math.round(data.attendance.presentShare * 1000) / 10}% present or late over ${data.attendance.marks} marks`}
      </p>
    </DashboardFrame>
  )
}

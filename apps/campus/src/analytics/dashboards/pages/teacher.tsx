/**
 * The teacher's view: their classes, who is behind (and why), and the hardest items.
 *
 * @module
 */
import { BarChart } from '../../../admin-area/cache/charts.js'
import type { PageViewer } from '../../../practice/viewer.js'
import { LOW_SCORE_PERCENT, PROGRESS_SHARE, RECENT_ATTEMPTS } from '../behind.js'
import type { TeacherDashboard } from '../repositories/teacher.js'
import { DashboardFrame, percent } from './frame.js'

const REASONS = {
  'low-recent-scores': 'low recent scores',
  'progress-below-class': 'progress below class',
} as const

/** The teacher dashboard page. */
export function TeacherDashboardPage(props: { data: TeacherDashboard; viewer: PageViewer }) {
  const { data } = props
  return (
    <DashboardFrame title="My classes" viewer={props.viewer} computedAt={data.computedAt}>
      {data.classes.length === 0 ? (
        <p>You do not teach any class yet.</p>
      ) : (
        <table class="attempts" aria-label="My classes">
          <thead>
            <tr>
              <th>Class</th>
              <th>Students</th>
              <th>Attempts</th>
              <th>Mean score</th>
              <th>Behind</th>
            </tr>
          </thead>
          <tbody>
            {data.classes.map((c) => (
              <tr>
                <td>
                  {c.classTitle}{' '}
                  <span class="meta">
                    (<a href={`/reports/classes/${encodeURIComponent(c.classId)}`}>report</a> ·{' '}
                    <a href={`/cohorts?scope=class&id=${encodeURIComponent(c.classId)}&score=quiz`}>
                      distribution
                    </a>
                    )
                  </span>
                </td>
                <td>{c.students}</td>
                <td>{c.attempts}</td>
                <td>{percent(c.meanScore)}</td>
                <td>{c.behind}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Who is behind</h2>
      <p class="meta">
        Mean of the last {RECENT_ATTEMPTS} attempts below {LOW_SCORE_PERCENT}%, or fewer practice
        resources passed than {PROGRESS_SHARE * 100}% of the class median.
      </p>
      {data.behind.length === 0 ? (
        <p>Nobody is behind.</p>
      ) : (
        <table class="attempts" aria-label="Who is behind">
          <thead>
            <tr>
              <th>Learner</th>
              <th>Class</th>
              <th>Recent mean</th>
              <th>Passed (class median)</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {data.behind.map((b) => (
              <tr>
                <td>{b.name}</td>
                <td>{b.classTitle}</td>
                <td>{percent(b.recentMean)}</td>
                <td>
                  {b.passed} ({b.classMedianPassed})
                </td>
                <td>{b.reasons.map((r) => REASONS[r]).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Hardest items</h2>
      {data.items.length === 0 ? (
        <p>Not enough responses yet.</p>
      ) : (
        <BarChart
          title="Share correct per item (hardest first)"
          unit="%"
          bars={data.items.map((i) => ({
            label: `${i.resourceTitle} · ${i.itemTitle}`,
            value: Math.round(i.shareCorrect * 100),
          }))}
        />
      )}
    </DashboardFrame>
  )
}

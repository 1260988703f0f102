/**
 * The student's view: totals, one card per class with progress, and the latest attempts.
 *
 * @module
 */
import { BarChart } from '../../../admin-area/cache/charts.js'
import type { PageViewer } from '../../../practice/viewer.js'
import type { StudentDashboard } from '../repositories/student.js'
import { DashboardFrame, percent } from './frame.js'

/** The student dashboard page. */
export function StudentDashboardPage(props: { data: StudentDashboard; viewer: PageViewer }) {
  const { data } = props
  return (
    <DashboardFrame title="My dashboard" viewer={props.viewer} computedAt={data.computedAt}>
      <ul class="cards" aria-label="Totals">
        <li class="card" data-testid="xp">
          <strong>{data.totals.xp}</strong> XP
        </li>
        <li class="card">
          <strong>{data.totals.attempts}</strong> attempts
        </li>
        <li class="card">
          <strong>{data.totals.passed}</strong> practice resources passed
        </li>
      </ul>
      <h2>My courses</h2>
      {data.courses.length === 0 ? (
        <p>You are not enrolled in any class yet.</p>
      ) : (
        <>
          <table class="attempts" aria-label="My courses">
            <thead>
              <tr>
                <th>Course</th>
                <th>Class</th>
                <th>Progress</th>
                <th>XP</th>
                <th>Mean score</th>
              </tr>
            </thead>
            <tbody>
              {data.courses.map((c) => (
                <tr>
                  <td>{c.courseTitle}</td>
                  <td>{c.classTitle}</td>
                  <td>
                    {c.practicePassed} / {c.practiceTotal}
                  </td>
                  <td>{c.xp}</td>
                  <td>{percent(c.meanScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <BarChart
            title="Progress per course (% of practice passed)"
            unit="%"
            bars={data.courses.map((c) => ({
              label: c.courseTitle,
              value:
                c.practiceTotal === 0 ? 0 : Math.round((c.practicePassed / c.practiceTotal) * 100),
            }))}
          />
        </>
      )}
      <h2>Recent attempts</h2>
      {data.recent.length === 0 ? (
        <p>No attempts yet.</p>
      ) : (
        <table class="attempts" aria-label="Recent attempts">
          <thead>
            <tr>
              <th>When</th>
              <th>Practice</th>
              <th>Course</th>
              <th>Score</th>
            </tr>
          </thead>
          <tbody>
            {data.recent.map((a) => (
              <tr>
                <td>
                  <time datetime={a.submittedAt}>{a.submittedAt.slice(0, 10)}</time>
                </td>
                <td>
                  <a href={`/me/attempts/${a.id}`}>{a.resourceTitle}</a>
                </td>
                <td>{a.courseTitle}</td>
                <td class={a.passed ? 'right' : 'wrong'}>{a.scorePercent}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </DashboardFrame>
  )
}

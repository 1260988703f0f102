/**
 * The report pages: a dimension form (plain GET, no JavaScript), the numbers as tables, and a
 * CSV download link carrying the same dimensions.
 *
 * @module
 */
import type { PageViewer } from '../../practice/viewer.js'
import { Layout } from '../../web/layout.js'
import type { ClassReport } from './class-report.js'
import type { Dimension, DimensionSession } from './dimension.js'
import type { GradeReport } from './grade-report.js'
import type { GroupSummary } from './summary.js'

/** The sessions offered in the dimension form. */
export interface SessionChoices {
  readonly years: readonly DimensionSession[]
  readonly terms: readonly DimensionSession[]
}

function show(value: number | null, suffix = ''): string {
  return value === null ? '–' : `${value}${suffix}`
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)} %`
}

function query(dimension: Dimension, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra)
  if (dimension.term) params.set('term', dimension.term.id)
  if (dimension.year) params.set('year', dimension.year.id)
  const text = params.toString()
  return text ? `?${text}` : ''
}

function DimensionForm({ dimension, choices }: { dimension: Dimension; choices: SessionChoices }) {
  return (
    <form method="get" class="dimensions">
      <label>
        School year{' '}
        <select name="year">
          <option value="">All</option>
          {choices.years.map((s) => (
            <option value={s.id} selected={dimension.year?.id === s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Term{' '}
        <select name="term">
          <option value="">All</option>
          {choices.terms.map((s) => (
            <option value={s.id} selected={dimension.term?.id === s.id}>
              {s.title}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit">Show</button>
    </form>
  )
}

function Totals({ totals }: { totals: GroupSummary }) {
  return (
    <ul class="plain">
      <li>Learners: {totals.learners}</li>
      <li>Practice attempts: {totals.attempts}</li>
      <li>Mean score: {show(totals.meanScore, ' %')}</li>
      <li>Attendance: {percent(totals.attendanceRate)}</li>
      {Object.entries(totals.ixlGrowth).map(([subject, growth]) => (
        <li>
          IXL growth ({subject}): {growth}
        </li>
      ))}
    </ul>
  )
}

/** `/reports/classes/:id`. */
export function ClassReportPage(props: {
  viewer: PageViewer
  report: ClassReport
  choices: SessionChoices
}) {
  const { report } = props
  const csv = `/reports/classes/${encodeURIComponent(report.class.id)}${query(report.dimension, { format: 'csv' })}`
  return (
    <Layout
      title={`Report: ${report.class.title}`}
      viewer={props.viewer}
      breadcrumbs={[{ label: 'Reports' }, { label: report.class.title }]}
    >
      <h1>{report.class.title}</h1>
      <p class="meta">
        {report.class.courseTitle}
        {report.class.code ? ` · ${report.class.code}` : ''} · figures of{' '}
        {new Date(report.generatedAt).toUTCString()}
      </p>
      <DimensionForm dimension={report.dimension} choices={props.choices} />
      <p>
        <a href={csv} download>
          Download CSV
        </a>
      </p>
      <h2>Class</h2>
      <Totals totals={report.totals} />
      <h2>Learners</h2>
      <table class="attempts">
        <thead>
          <tr>
            <th scope="col">Learner</th>
            <th scope="col">Attempts</th>
            <th scope="col">Mean</th>
            <th scope="col">Best</th>
            <th scope="col">IXL (first → latest)</th>
            <th scope="col">Term grades</th>
            <th scope="col">Attendance</th>
          </tr>
        </thead>
        <tbody>
          {report.learners.map((l) => (
            <tr>
              <th scope="row">{l.name}</th>
              <td>{l.attempts}</td>
              <td>{show(l.meanScore, ' %')}</td>
              <td>{show(l.bestScore, ' %')}</td>
              <td>
                {l.ixl
                  .map(
                    (g) =>
                      `${g.subject} ${g.first} → ${g.latest} (${g.growth >= 0 ? '+' : ''}${g.growth})`,
                  )
                  .join('; ') || '–'}
              </td>
              <td>
                {l.termGrades.map((g) => `${g.period}: ${g.grade ?? show(g.score)}`).join('; ') ||
                  '–'}
              </td>
              <td>
                {percent(l.attendance.rate)} ({l.attendance.present} present, {l.attendance.absent}{' '}
                absent, {l.attendance.late} late, {l.attendance.excused} excused)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

/** `/reports/grades/:grade`. */
export function GradeReportPage(props: {
  viewer: PageViewer
  report: GradeReport
  choices: SessionChoices
}) {
  const { report } = props
  const csv = `/reports/grades/${encodeURIComponent(report.grade)}${query(report.dimension, { format: 'csv' })}`
  return (
    <Layout
      title={`Grade ${report.grade} report`}
      viewer={props.viewer}
      breadcrumbs={[{ label: 'Reports' }, { label: `Grade ${report.grade}` }]}
    >
      <h1>Grade {report.grade}</h1>
      <p class="meta">
        Classes of fewer than {report.minN} learners show their size only (and, where one class
        alone would be hidden, the next smallest too).
      </p>
      <DimensionForm dimension={report.dimension} choices={props.choices} />
      <p>
        <a href={csv} download>
          Download CSV
        </a>
      </p>
      {report.totals ? (
        <Totals totals={report.totals} />
      ) : (
        <p>
          {report.classes.length === 0
            ? 'No classes list this grade.'
            : `Totals hidden (fewer than ${report.minN} learners).`}
        </p>
      )}
      <table class="attempts">
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Learners</th>
            <th scope="col">Attempts</th>
            <th scope="col">Mean score</th>
            <th scope="col">Attendance</th>
            <th scope="col">IXL growth</th>
          </tr>
        </thead>
        <tbody>
          {report.classes.map((c) => (
            <tr>
              <th scope="row">
                <a href={`/reports/classes/${encodeURIComponent(c.id)}`}>{c.title}</a>
              </th>
              <td>{c.learners}</td>
              {c.summary ? (
                <>
                  <td>{c.summary.attempts}</td>
                  <td>{show(c.summary.meanScore, ' %')}</td>
                  <td>{percent(c.summary.attendanceRate)}</td>
                  <td>
                    {Object.entries(c.summary.ixlGrowth)
                      .map(([s, g]) => `${s} ${g}`)
                      .join('; ') || '–'}
                  </td>
                </>
              ) : (
                <td colspan={4}>
                  {c.suppressed === 'small'
                    ? `Hidden (fewer than ${report.minN} learners)`
                    : 'Hidden (so that a smaller class cannot be worked out)'}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}

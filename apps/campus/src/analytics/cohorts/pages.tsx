/**
 * The cohort pages: one cohort (`/cohorts`), two side by side (`/cohorts/compare`) and the
 * error page of both. Server-rendered, readable without client JavaScript: charts are SVG with a
 * data-table fallback, filters a plain GET form.
 *
 * @module
 */
import type { Child } from 'hono/jsx'
import type { PageViewer } from '../../practice/viewer.js'
import { Layout } from '../../web/layout.js'
import type { FieldProblem } from '../../web/problem-error.js'
import type { Comparison } from './compare.js'
import { cohortQueryString, fmt, fmtP, scoreDefinition, scoreLabel } from './format.js'
import { GroupTable, PercentileTable, SummaryTable, ValiditySection } from './page-parts.js'
import { BREAKDOWNS, PICKS, SCORES, SUBJECTS } from './params.js'
import type { CohortReport } from './report.js'

const CRUMBS = [{ label: 'Cohorts' }]

/** The filter form (GET, so a report is a bookmarkable URL). */
function FilterForm({ report }: { report: CohortReport }) {
  const q = report.scores
  return (
    <form method="get" action="/cohorts" class="filters">
      <input type="hidden" name="scope" value={report.cohort.scope} />
      <input type="hidden" name="id" value={report.cohort.id} />
      <fieldset>
        <legend>Scores</legend>
        <label>
          Source{' '}
          <select name="score">
            {SCORES.map((s) => (
              <option value={s} selected={s === q.score}>
                {s}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Which score counts (quiz, toddle){' '}
          <select name="pick">
            <option value="">latest</option>
            {PICKS.filter((p) => p !== 'latest').map((p) => (
              <option value={p} selected={q.score !== 'ixl' && p === q.pick}>
                {p}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Subject (ixl){' '}
          <select name="subject">
            <option value="">–</option>
            {SUBJECTS.map((s) => (
              <option value={s} selected={s === q.subject}>
                {s}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Course <input name="course" value={q.course ?? ''} maxlength={128} size={14} />
        </label>{' '}
        <label>
          Period <input name="period" value={q.period ?? ''} maxlength={64} size={12} />
        </label>{' '}
        <label>
          Break down by{' '}
          <select name="by">
            <option value="">default</option>
            {BREAKDOWNS.filter((b) => b !== report.cohort.scope).map((b) => (
              <option value={b} selected={b === report.by}>
                {b}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">Show</button>
      </fieldset>
    </form>
  )
}

/** The body of one cohort: its state, or its validity statement, figures, charts and tables. */
export function CohortBody({ report, charts }: { report: CohortReport; charts: Child }) {
  if (report.state !== 'ok' || report.stats === null) {
    return (
      <>
        <p class="notice" role="status" data-state={report.state}>
          {report.message}
        </p>
        {report.state !== 'suppressed' && report.missing !== null && report.missing > 0 ? (
          <p class="meta">{report.missing} learners have no numeric score and are left out.</p>
        ) : null}
        <GroupTable report={report} />
      </>
    )
  }
  const stats = report.stats
  return (
    <>
      <ValiditySection stats={stats} />
      {report.missing !== null && report.missing > 0 ? (
        <p class="meta">
          {report.missing} learners have no numeric score (blank or not a number) and are left out.
        </p>
      ) : null}
      <SummaryTable stats={stats} />
      <section aria-labelledby="charts" class="charts" data-state="ok">
        <h2 id="charts">Distribution</h2>
        {charts}
      </section>
      <PercentileTable stats={stats} />
      <GroupTable report={report} />
    </>
  )
}

/** `/cohorts`. */
export function CohortPage(props: { report: CohortReport; charts: Child; viewer: PageViewer }) {
  const { report } = props
  const title = `${report.cohort.label}: ${scoreLabel(report.scores)}`
  return (
    <Layout
      title={title}
      breadcrumbs={[...CRUMBS, { label: report.cohort.label }]}
      viewer={props.viewer}
    >
      <h1>{title}</h1>
      <p class="meta">
        {report.cohort.scope} cohort · {scoreDefinition(report.scores)} Groups smaller than{' '}
        {report.minCohortSize} are not shown.
      </p>
      <FilterForm report={report} />
      <CohortBody report={report} charts={props.charts} />
      <form method="get" action="/cohorts/compare" class="compare">
        <input type="hidden" name="a" value={`${report.cohort.scope}:${report.cohort.id}`} />
        <input type="hidden" name="score" value={report.scores.score} />
        <label>
          Compare with (scope:id, e.g. {report.cohort.scope}:…){' '}
          <input name="b" required maxlength={140} size={24} />
        </label>{' '}
        <button type="submit">Compare</button>
      </form>
      <p>
        <a href={`/api/cohorts?${cohortQueryString(report.cohort, report.scores)}`}>
          This report as JSON
        </a>
      </p>
    </Layout>
  )
}

/** One side of the comparison page. */
function CohortSection(props: { letter: string; report: CohortReport; charts: Child }) {
  return (
    <section aria-labelledby={`cohort-${props.letter}`}>
      <h2 id={`cohort-${props.letter}`}>
        {props.letter}: {props.report.cohort.label}
      </h2>
      <CohortBody report={props.report} charts={props.charts} />
    </section>
  )
}

/** `/cohorts/compare`. */
export function ComparePage(props: {
  comparison: Comparison
  charts: { a: Child; b: Child }
  viewer: PageViewer
}) {
  const { a, b, welch, hedges } = props.comparison
  const title = `${a.cohort.label} and ${b.cohort.label}: ${scoreLabel(a.scores)}`
  return (
    <Layout title={title} breadcrumbs={[...CRUMBS, { label: 'Compare' }]} viewer={props.viewer}>
      <h1>{title}</h1>
      <p class="meta">{scoreDefinition(a.scores)}</p>
      <section aria-labelledby="comparison" class="notice">
        <h2 id="comparison">Difference</h2>
        {welch && hedges ? (
          <>
            <table class="attempts comparison">
              <tbody>
                <tr>
                  <th scope="row">Difference of means (A − B)</th>
                  <td data-field="meanDiff">
                    {fmt(welch.meanDiff, 2)} (95 % CI {fmt(welch.diffCi95[0], 2)} to{' '}
                    {fmt(welch.diffCi95[1], 2)})
                  </td>
                </tr>
                <tr>
                  <th scope="row">Welch's t-test</th>
                  <td data-field="welch">
                    t = {fmt(welch.t, 3)}, df = {fmt(welch.df, 2)} (Welch–Satterthwaite),{' '}
                    {fmtP(welch.p)}
                  </td>
                </tr>
                <tr>
                  <th scope="row">Hedges' g</th>
                  <td data-field="hedges">
                    {fmt(hedges.g, 3)} (95 % CI {fmt(hedges.ci95[0], 3)} to {fmt(hedges.ci95[1], 3)}
                    )
                  </td>
                </tr>
              </tbody>
            </table>
            {props.comparison.notes.length > 0 ? (
              <ul>
                {props.comparison.notes.map((n) => (
                  <li>{n}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <p role="status" data-state="no-comparison">
            {props.comparison.reason}
          </p>
        )}
      </section>
      <CohortSection letter="A" report={a} charts={props.charts.a} />
      <CohortSection letter="B" report={b} charts={props.charts.b} />
    </Layout>
  )
}

/** The HTML answer to a refused or invalid cohort request (the JSON twin answers problem+json). */
export function CohortErrorPage(props: {
  status: number
  detail: string
  errors: readonly FieldProblem[]
  viewer: PageViewer
}) {
  const title =
    props.status === 404 ? 'Not found' : props.status === 403 ? 'Not allowed' : 'Check the address'
  return (
    <Layout title={title} breadcrumbs={CRUMBS} viewer={props.viewer}>
      <h1>{title}</h1>
      <p>{props.detail}</p>
      {props.errors.length > 0 ? (
        <ul>
          {props.errors.map((e) => (
            <li data-field={e.field}>
              <code>{e.field}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Layout>
  )
}

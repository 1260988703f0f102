/**
 * Graded practice pages: an attempt's result (`/me/attempts/:id`), the learner's attempts
 * ("My progress", `/me/progress`), and the page a form post that could not be graded answers.
 * The result shows the learner's own choices and whether each was right, never the key.
 *
 * @module
 */
import type { AttemptDetail, AttemptSummary } from '../../practice/attempts.js'
import type { FieldProblem } from '../../practice/errors.js'
import type { PageViewer } from '../../practice/viewer.js'
import { Layout } from '../layout.js'
import { formatPercent, kindLabel } from './parts.js'

function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** `/me/attempts/:id` */
export function AttemptResultPage({
  attempt,
  viewer,
  replayed,
}: {
  attempt: AttemptDetail
  viewer: PageViewer
  /** The form had been submitted before: this is the first submission's result. */
  replayed?: boolean
}) {
  return (
    <Layout
      title={`Result: ${attempt.title}`}
      breadcrumbs={[{ label: 'My progress', path: '/me/progress' }, { label: attempt.title }]}
      viewer={viewer}
    >
      <p class="meta">{kindLabel(attempt.type)}</p>
      <h1>{attempt.title}</h1>
      {replayed ? (
        <p class="notice">These answers were submitted already; this is their result.</p>
      ) : null}
      <p class="score" data-testid="score">
        {`${attempt.scoreRaw} / ${attempt.scoreMax} · ${formatPercent(attempt.scorePercent)}`}
      </p>
      <p>
        {attempt.passed ? 'Passed' : 'Not passed yet'}
        {` · ${attempt.xpAwarded} XP awarded · submitted ${when(attempt.submittedAt)}`}
      </p>
      <ol>
        {attempt.items.map((item) => (
          <li>
            <p>{item.prompt}</p>
            <p class={item.correct ? 'right' : 'wrong'}>
              {`Your answer: ${item.chosen} — ${item.correct ? 'correct' : 'incorrect'}`}
            </p>
          </li>
        ))}
      </ol>
      <p>
        <a href={`/r/${encodeURIComponent(attempt.resourceId)}`}>Practise again</a>
        {' · '}
        <a href="/me/progress">My progress</a>
      </p>
    </Layout>
  )
}

/** `/me/progress` */
export function MyProgressPage({
  viewer,
  attempts,
  totalXp,
  totalAttempts,
}: {
  viewer: PageViewer
  attempts: AttemptSummary[]
  totalXp: number
  totalAttempts: number
}) {
  return (
    <Layout title="My progress" breadcrumbs={[{ label: 'My progress' }]} viewer={viewer}>
      <h1>My progress</h1>
      <p class="meta">
        {`${totalXp} XP · ${totalAttempts} attempt${totalAttempts === 1 ? '' : 's'}`}
      </p>
      {attempts.length === 0 ? (
        <p>
          No attempts yet. <a href="/">Find a quiz or an exercise</a> to start.
        </p>
      ) : (
        <table class="attempts">
          <thead>
            <tr>
              <th scope="col">Submitted</th>
              <th scope="col">What</th>
              <th scope="col">Score</th>
              <th scope="col">Result</th>
              <th scope="col">XP</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <tr>
                <td>{when(a.submittedAt)}</td>
                <td>
                  <span class="kind">{kindLabel(a.type)}</span>{' '}
                  <a href={`/me/attempts/${a.id}`}>{a.title}</a>
                </td>
                <td>{`${a.scoreRaw} / ${a.scoreMax} (${formatPercent(a.scorePercent)})`}</td>
                <td>{a.passed ? 'Passed' : 'Not passed'}</td>
                <td>{String(a.xpAwarded)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  )
}

/** A form post that could not be graded: every problem, and the way back. */
export function PracticeRejectedPage({
  viewer,
  message,
  errors,
  returnTo,
}: {
  viewer: PageViewer
  message: string
  errors: readonly FieldProblem[]
  returnTo: string
}) {
  return (
    <Layout title="Answers not graded" viewer={viewer}>
      <h1>Your answers could not be graded</h1>
      <p>{message}</p>
      {errors.length > 0 ? (
        <ul>
          {errors.map((e) => (
            <li>{`${e.field} ${e.message}`}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href={returnTo}>Back to the questions</a>
      </p>
    </Layout>
  )
}

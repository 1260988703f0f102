/**
 * The player's attempts panel: the learner's attempts at the package (latest first, with
 * status, score and dates) and, once the latest is finished, the form that starts a new one.
 *
 * @module
 */
import { type AttemptSummary, attemptFinished } from '../runtime/attempts.js'
import type { RegistrationRow } from '../runtime/launch.js'

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '')

/** The panel (nothing before the first attempt is finished). */
export function AttemptsPanel(props: {
  packageId: string
  current: Pick<RegistrationRow, 'attempt' | 'completionStatus' | 'successStatus'>
  attempts: readonly AttemptSummary[]
}) {
  const finished = attemptFinished(props.current)
  if (!finished && props.attempts.length < 2) return null
  return (
    <section class="scorm-attempts" aria-labelledby="scorm-attempts">
      <h2 id="scorm-attempts">Your attempts</h2>
      <table class="scorm">
        <thead>
          <tr>
            <th>Attempt</th>
            <th>Status</th>
            <th>Score</th>
            <th>Completed</th>
            <th>Last opened</th>
          </tr>
        </thead>
        <tbody>
          {props.attempts.map((a) => (
            <tr data-attempt={String(a.attempt)}>
              <td>{a.attempt === props.current.attempt ? `${a.attempt} (this one)` : a.attempt}</td>
              <td data-field="status">{a.status}</td>
              <td data-field="score">{a.scorePercent === null ? '' : `${a.scorePercent}%`}</td>
              <td>{day(a.completedAt)}</td>
              <td>{day(a.lastAccessedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {finished ? (
        <form method="post" action={`/scorm/packages/${props.packageId}/attempts`}>
          <button type="submit">Start a new attempt</button>
        </form>
      ) : null}
    </section>
  )
}

/**
 * The question form of an exercise, quiz, unit test or course challenge. A signed-in learner
 * gets a form that posts to the server for grading (`POST /practice/attempts`, same-origin only:
 * auth/csrf.ts) with a fresh attempt token, so a double submit is one attempt. Anyone else sees
 * the questions as a preview with a prompt; nobody ever gets the answer key (`QuestionView` has
 * none).
 *
 * @module
 */
import type { ContentCard, QuestionView } from '../../content/page-data.js'
import { ANSWER_FIELD_PREFIX } from '../../practice/input.js'
import { issueAttemptToken } from '../../practice/token.js'
import { type PageViewer, progressOf } from '../../practice/viewer.js'
import { formatPercent } from './parts.js'

/** Props of {@link PracticeForm}. */
export interface PracticeFormProps {
  viewer: PageViewer
  courseId: string
  resource: ContentCard
  questions: QuestionView[]
  /** An assessment's attempt seed (which questions were drawn); absent for exercises. */
  seed?: string | undefined
}

function Questions({ questions, live }: { questions: QuestionView[]; live: boolean }) {
  return (
    <>
      {questions.map((q, n) => (
        <fieldset disabled={!live}>
          <legend>{`${n + 1}. ${q.prompt}`}</legend>
          {q.choices.map((choice, i) => (
            <label class="choice">
              <input
                type="radio"
                name={`${ANSWER_FIELD_PREFIX}${q.itemId}`}
                value={String(i)}
                required
              />{' '}
              {choice}
            </label>
          ))}
        </fieldset>
      ))}
    </>
  )
}

function Prompt({ viewer, path }: { viewer: PageViewer; path: string }) {
  if (viewer.kind === 'anonymous') {
    return (
      <p class="notice">
        <a href={`/login?next=${encodeURIComponent(path)}`}>Sign in to practise</a>
        {': your answers are graded and your progress is saved.'}
      </p>
    )
  }
  return (
    <p class="notice">
      {`Answers are graded for students; you are signed in as ${viewer.kind === 'member' ? viewer.role : 'a learner'}. This is a preview.`}
    </p>
  )
}

/** See the module comment. */
export function PracticeForm({ viewer, courseId, resource, questions, seed }: PracticeFormProps) {
  if (questions.length === 0) return <p class="meta">This has no questions yet.</p>
  if (viewer.kind !== 'learner') {
    return (
      <>
        <Prompt viewer={viewer} path={resource.path} />
        <Questions questions={questions} live={false} />
      </>
    )
  }
  const progress = progressOf(viewer, resource.resourceId)
  return (
    <>
      {progress ? (
        <p class="meta">
          {`Your best: ${formatPercent(progress.bestPercent)} · ${progress.attempts} attempt${progress.attempts === 1 ? '' : 's'}${progress.passed ? ' · passed' : ''}`}
        </p>
      ) : null}
      <form method="post" action="/practice/attempts">
        <input type="hidden" name="courseId" value={courseId} />
        <input type="hidden" name="resourceId" value={resource.resourceId} />
        <input type="hidden" name="attemptToken" value={issueAttemptToken()} />
        <input type="hidden" name="returnTo" value={resource.path} />
        {seed === undefined ? null : <input type="hidden" name="seed" value={seed} />}
        <Questions questions={questions} live={true} />
        <button type="submit">Submit answers</button>
      </form>
    </>
  )
}

/**
 * Small pieces several pages share: content links, XP, question forms, breadcrumb builders.
 * Link text is always the plain title, so a reader (or a browser test) finds a link by the
 * title it sees in the data.
 *
 * @module
 */
import type {
  ContentCard,
  CourseHeader,
  LessonSummary,
  QuestionView,
  UnitLink,
} from '../../content/page-data.js'
import type { ResourceType } from '../../db/schema.js'
import type { Crumb } from '../layout.js'
import { subjectTitle } from '../subjects.js'

const KIND_LABELS: Record<ResourceType, string> = {
  article: 'Article',
  video: 'Video',
  exercise: 'Exercise',
  quiz: 'Quiz',
  'unit-test': 'Unit test',
  'course-challenge': 'Course challenge',
}

/** A resource type as a reader calls it. */
export function kindLabel(type: ResourceType): string {
  return KIND_LABELS[type] ?? type
}

/** `120 XP`. */
export function Xp({ xp }: { xp: number }) {
  return <span class="meta">{`${xp} XP`}</span>
}

/** One resource as a list item: kind, linked title, XP (and question count for exercises). */
export function ContentLink({ card, current }: { card: ContentCard; current?: boolean }) {
  const questions =
    card.questionCount === undefined
      ? ''
      : ` · ${card.questionCount} question${card.questionCount === 1 ? '' : 's'}`
  return (
    <li>
      <span class="kind">{kindLabel(card.type)}</span>{' '}
      <a href={card.path} aria-current={current ? 'page' : undefined}>
        {card.title}
      </a>{' '}
      <span class="meta">{`${card.xp} XP${questions}`}</span>
    </li>
  )
}

/** A lesson with its content links (course and unit pages). */
export function LessonBlock({ lesson }: { lesson: LessonSummary }) {
  return (
    <div class="lesson">
      <h3>
        <a href={lesson.path}>{lesson.title}</a> <Xp xp={lesson.xp} />
      </h3>
      {lesson.contents.length === 0 ? (
        <p class="meta">No content yet.</p>
      ) : (
        <ul class="plain">
          {lesson.contents.map((card) => (
            <ContentLink card={card} />
          ))}
        </ul>
      )}
    </div>
  )
}

/** Breadcrumbs from the subject down to `course`. */
export function courseCrumbs(course: CourseHeader): Crumb[] {
  return [
    { label: subjectTitle(course.subjectSlug), path: `/${course.subjectSlug}` },
    { label: course.title, path: course.path },
  ]
}

/** Breadcrumbs from the subject down to `unit`. */
export function unitCrumbs(course: CourseHeader, unit: UnitLink): Crumb[] {
  return [...courseCrumbs(course), { label: unit.title, path: unit.path }]
}

/**
 * Questions as a plain HTML form with one radio group per question. It submits to the same
 * page (GET), which shows the chosen answers again; there is no answer key on the page, so
 * nothing is graded here. `attempt` keeps an assessment's question set across submissions.
 */
export function QuestionForm({
  questions,
  answers,
  attempt,
  submitLabel,
}: {
  questions: QuestionView[]
  answers: Record<string, string>
  attempt?: string
  submitLabel: string
}) {
  if (questions.length === 0) return <p class="meta">This has no questions yet.</p>
  return (
    <form method="get">
      {attempt === undefined ? null : <input type="hidden" name="attempt" value={attempt} />}
      {questions.map((q, n) => (
        <fieldset>
          <legend>{`${n + 1}. ${q.prompt}`}</legend>
          {q.choices.map((choice, i) => (
            <label class="choice">
              <input
                type="radio"
                name={q.itemId}
                value={String(i)}
                checked={answers[q.itemId] === String(i)}
                required
              />{' '}
              {choice}
            </label>
          ))}
        </fieldset>
      ))}
      <button type="submit">{submitLabel}</button>
    </form>
  )
}

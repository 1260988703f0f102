/**
 * Small pieces several pages share: content links with progress, XP, breadcrumb builders.
 * Link text is always the plain title, so a reader (or a browser test) finds a link by the
 * title it sees in the data.
 *
 * @module
 */
import type { ContentCard, CourseHeader, LessonSummary, UnitLink } from '../../content/page-data.js'
import type { ResourceType } from '../../db/schema.js'
import type { ResourceProgress } from '../../practice/progress.js'
import { type PageViewer, progressOf } from '../../practice/viewer.js'
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

/** A learner's record on a resource: "Done · best 90%" once passed, else "Tried · best 40%". */
export function ProgressBadge({ progress }: { progress: ResourceProgress | undefined }) {
  if (!progress) return null
  const best = `best ${formatPercent(progress.bestPercent)}`
  return progress.passed ? (
    <span class="progress done">{`Done · ${best}`}</span>
  ) : (
    <span class="progress">{`Tried · ${best}`}</span>
  )
}

/** `87.5%`, `100%`. */
export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(2))}%`
}

/**
 * One resource as a list item: kind, linked title, XP (and question count for exercises), and
 * the signed-in learner's progress on it.
 */
export function ContentLink({
  card,
  current,
  viewer,
}: {
  card: ContentCard
  current?: boolean
  viewer?: PageViewer | undefined
}) {
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
      {viewer ? <ProgressBadge progress={progressOf(viewer, card.resourceId)} /> : null}
    </li>
  )
}

/** A lesson with its content links (course and unit pages). */
export function LessonBlock({
  lesson,
  viewer,
}: {
  lesson: LessonSummary
  viewer?: PageViewer | undefined
}) {
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
            <ContentLink card={card} viewer={viewer} />
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

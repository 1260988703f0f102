/**
 * Quiz, unit test and course challenge pages: the questions chosen for one attempt seed
 * (`?attempt=`), graded on the server when a signed-in learner submits them.
 *
 * @module
 */
import type { AssessmentPageData } from '../../content/page-data.js'
import { ANONYMOUS, type PageViewer } from '../../practice/viewer.js'
import { Layout } from '../layout.js'
import { courseCrumbs, kindLabel, unitCrumbs } from './parts.js'
import { PracticeForm } from './practice-form.js'

/** The seed of the next set of questions: the next number, so each set has a plain link. */
function nextSeed(seed: string): string {
  const n = Number(seed)
  return Number.isSafeInteger(n) && n >= 0 ? String(n + 1) : '2'
}

/** `/…/:unit/quiz/:slug`, `/…/:unit/test/:slug`, `/:subject/:course/challenge/:slug` */
export function AssessmentPage({
  data,
  viewer = ANONYMOUS,
}: {
  data: AssessmentPageData
  viewer?: PageViewer
}) {
  const { course, unit, resource } = data
  const crumbs = [
    ...(unit ? unitCrumbs(course, unit) : courseCrumbs(course)),
    { label: resource.title },
  ]
  const count = data.questions.length
  return (
    <Layout title={resource.title} breadcrumbs={crumbs} viewer={viewer}>
      <p class="meta">{kindLabel(data.kind)}</p>
      <h1>{resource.title}</h1>
      <p class="meta">
        {`${count} question${count === 1 ? '' : 's'} from a pool of ${data.poolSize} · ${resource.xp} XP`}
      </p>
      <PracticeForm
        viewer={viewer}
        courseId={course.courseId}
        resource={resource}
        questions={data.questions}
        seed={data.attempt}
      />
      {viewer.kind === 'learner' && data.poolSize > count ? (
        <p>
          <a href={`${resource.path}?attempt=${encodeURIComponent(nextSeed(data.attempt))}`}>
            Try a new set of questions
          </a>
        </p>
      ) : null}
      <p>
        {unit ? (
          <a href={unit.path}>{`Back to unit: ${unit.title}`}</a>
        ) : (
          <a href={course.path}>{`Back to course: ${course.title}`}</a>
        )}
      </p>
    </Layout>
  )
}

/**
 * Quiz, unit test and course challenge pages: the questions chosen for one attempt seed
 * (`?attempt=`), as a plain HTML form.
 *
 * @module
 */
import type { AssessmentPageData } from '../../content/page-data.js'
import { Layout } from '../layout.js'
import { courseCrumbs, kindLabel, QuestionForm, unitCrumbs } from './parts.js'

/** `/…/:unit/quiz/:slug`, `/…/:unit/test/:slug`, `/:subject/:course/challenge/:slug` */
export function AssessmentPage({
  data,
  answers = {},
}: {
  data: AssessmentPageData
  answers?: Record<string, string>
}) {
  const { course, unit, resource } = data
  const crumbs = [
    ...(unit ? unitCrumbs(course, unit) : courseCrumbs(course)),
    { label: resource.title },
  ]
  const count = data.questions.length
  return (
    <Layout title={resource.title} breadcrumbs={crumbs}>
      <p class="meta">{kindLabel(data.kind)}</p>
      <h1>{resource.title}</h1>
      <p class="meta">
        {`${count} question${count === 1 ? '' : 's'} from a pool of ${data.poolSize} · ${resource.xp} XP`}
      </p>
      <QuestionForm
        questions={data.questions}
        answers={answers}
        attempt={data.attempt}
        submitLabel="Submit answers"
      />
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

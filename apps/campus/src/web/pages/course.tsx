/**
 * The course page (`/:subject/:course`: units, lessons, content, XP, unit assessments, the
 * course challenge) and the unit page (`/:subject/:course/:unit`).
 *
 * @module
 */
import type { CoursePageData, UnitPageData, UnitSummary } from '../../content/page-data.js'
import { ANONYMOUS, type PageViewer } from '../../practice/viewer.js'
import { type CourseActivities, CourseActivitiesSection } from '../../scorm/course/section.js'
import { Layout } from '../layout.js'
import { ContentLink, courseCrumbs, LessonBlock, Xp } from './parts.js'

function Assessments({ unit, viewer }: { unit: UnitSummary; viewer: PageViewer }) {
  if (unit.assessments.length === 0) return null
  return (
    <div class="assessments">
      <h3>Check your understanding</h3>
      <ul class="plain">
        {unit.assessments.map((card) => (
          <ContentLink card={card} viewer={viewer} />
        ))}
      </ul>
    </div>
  )
}

/** `/:subject/:course` */
export function CoursePage({
  data,
  viewer = ANONYMOUS,
  activities = null,
}: {
  data: CoursePageData
  viewer?: PageViewer
  /** The course's SCORM packages for this viewer (scorm/course/). */
  activities?: CourseActivities | null
}) {
  const { course } = data
  const crumbs = courseCrumbs(course)
  return (
    <Layout
      title={course.title}
      breadcrumbs={[crumbs[0]!, { label: course.title }]}
      viewer={viewer}
    >
      <h1>{course.title}</h1>
      <p class="meta">
        {[
          course.courseCode,
          course.grades.length > 0 ? `Grades ${course.grades.join(', ')}` : null,
          `${data.units.length} unit${data.units.length === 1 ? '' : 's'}`,
          `${data.totalXp} XP`,
        ]
          .filter((part) => part !== null && part !== '')
          .join(' · ')}
      </p>
      {course.description ? <p>{course.description}</p> : null}
      {data.units.map((unit, i) => (
        <section class="unit" aria-labelledby={`unit-${i + 1}`}>
          <h2 id={`unit-${i + 1}`}>
            <span class="meta">{`Unit ${i + 1}: `}</span>
            <a href={unit.path}>{unit.title}</a> <Xp xp={unit.xp} />
          </h2>
          {unit.lessons.map((lesson) => (
            <LessonBlock lesson={lesson} viewer={viewer} />
          ))}
          <Assessments unit={unit} viewer={viewer} />
        </section>
      ))}
      {data.challenge ? (
        <section class="unit" aria-labelledby="challenge">
          <h2 id="challenge">Course challenge</h2>
          <p>Test your knowledge of the whole course.</p>
          <ul class="plain">
            <ContentLink card={data.challenge} viewer={viewer} />
          </ul>
        </section>
      ) : null}
      <CourseActivitiesSection activities={activities} />
    </Layout>
  )
}

/** `/:subject/:course/:unit` */
export function UnitPage({
  data,
  viewer = ANONYMOUS,
}: {
  data: UnitPageData
  viewer?: PageViewer
}) {
  const { course, unit } = data
  return (
    <Layout
      title={unit.title}
      breadcrumbs={[...courseCrumbs(course), { label: unit.title }]}
      viewer={viewer}
    >
      <p class="meta">{`Unit ${data.unitNumber}`}</p>
      <h1>{unit.title}</h1>
      <p class="meta">{`${unit.lessons.length} lesson${unit.lessons.length === 1 ? '' : 's'} · ${unit.xp} XP`}</p>
      <h2>Lessons</h2>
      {unit.lessons.length === 0 ? <p class="meta">No lessons yet.</p> : null}
      {unit.lessons.map((lesson) => (
        <LessonBlock lesson={lesson} viewer={viewer} />
      ))}
      <Assessments unit={unit} viewer={viewer} />
      <nav class="pager" aria-label="Units">
        {data.previousUnit ? (
          <a href={data.previousUnit.path}>{`Previous unit: ${data.previousUnit.title}`}</a>
        ) : (
          <span />
        )}
        {data.nextUnit ? (
          <a href={data.nextUnit.path}>{`Next unit: ${data.nextUnit.title}`}</a>
        ) : null}
      </nav>
    </Layout>
  )
}

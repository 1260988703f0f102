/**
 * The index (`/`, the subjects) and a subject hub (`/:subject`, its courses).
 *
 * @module
 */
import type { SubjectHubData } from '../../content/page-data.js'
import type { PageViewer } from '../../practice/viewer.js'
import { Layout } from '../layout.js'

/** A subject on the index. */
export interface SubjectEntry {
  slug: string
  title: string
  path: string
  courseCount: number
}

/** What `/` shows (and `/api/content/` returns). */
export interface IndexPageData {
  subjects: SubjectEntry[]
}

/** `/` */
export function IndexPage({ data, viewer }: { data: IndexPageData; viewer?: PageViewer }) {
  return (
    <Layout title="Subjects" viewer={viewer}>
      <h1>Subjects</h1>
      {data.subjects.length === 0 ? (
        <p>No courses have been published yet.</p>
      ) : (
        <ul class="cards">
          {data.subjects.map((s) => (
            <li class="card">
              <h2>
                <a href={s.path}>{s.title}</a>
              </h2>
              <p class="meta">{`${s.courseCount} course${s.courseCount === 1 ? '' : 's'}`}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** `/:subject` */
export function SubjectHubPage({ data, viewer }: { data: SubjectHubData; viewer?: PageViewer }) {
  return (
    <Layout title={data.subjectTitle} breadcrumbs={[{ label: data.subjectTitle }]} viewer={viewer}>
      <h1>{data.subjectTitle}</h1>
      {data.courses.length === 0 ? (
        <p>No courses in this subject yet.</p>
      ) : (
        <ul class="cards">
          {data.courses.map((course) => (
            <li class="card">
              <h2>
                <a href={course.path}>{course.title}</a>
              </h2>
              <p class="meta">
                {[
                  course.courseCode,
                  course.grades.length > 0 ? `Grades ${course.grades.join(', ')}` : null,
                  `${course.unitCount} unit${course.unitCount === 1 ? '' : 's'}`,
                  `${course.totalXp} XP`,
                ]
                  .filter((part) => part !== null && part !== '')
                  .join(' · ')}
              </p>
              {course.description ? <p>{course.description}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}

/**
 * The student's dashboard: their classes with progress (practice resources passed of those in
 * the course), XP and attempts per course, and their ten latest attempts. Only the signed-in
 * learner's own rows, within their session organisation's subtree.
 *
 * Cached per (organisation, learner) for one minute, tagged with the learner (`userTag`: a
 * graded attempt drops it) and the session organisation (`dashboardsTag`: an import into it or into
 * one of its descendants drops it, see `invalidation-rules.ts`).
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { Database } from '../../../db/client.js'
import { orgSubtree } from '../../scope.js'
import { dashboardKeys } from '../cache.js'
import { inList, PRACTICE_TYPE_LIST, rowsOf } from '../sql.js'
import { personalView, round1 } from './personal-view.js'

/** One class of the learner, with their progress in its course. */
export interface StudentCourse {
  classId: string
  classTitle: string
  courseId: string
  courseTitle: string
  /** Practice resources (exercises, quizzes, tests, challenge) in the course. */
  practiceTotal: number
  /** Of those, how many the learner passed at least once. */
  practicePassed: number
  attempts: number
  xp: number
  /** Mean score of their attempts in the course, or null without any. */
  meanScore: number | null
}

/** One recent attempt. */
export interface StudentAttempt {
  id: string
  resourceTitle: string
  resourceType: string
  courseTitle: string
  scorePercent: number
  passed: boolean
  submittedAt: string
}

/** What the student's view shows. */
export interface StudentDashboard {
  view: 'student'
  orgId: string
  userId: string
  totals: { xp: number; attempts: number; passed: number }
  courses: StudentCourse[]
  recent: StudentAttempt[]
  /** When the numbers were read from PostgreSQL (ISO). */
  computedAt: string
}

/** Reads the student's view from PostgreSQL (five queries). */
export async function loadStudentDashboard(
  db: Database,
  orgId: string,
  userId: string,
): Promise<StudentDashboard> {
  const subtree = await orgSubtree(db, orgId)
  const orgs = inList(subtree)
  const classes = await rowsOf<{
    class_id: string
    class_title: string
    course_id: string
    course_title: string
  }>(
    db,
    sql`select c.sourced_id as class_id, c.title as class_title, co.sourced_id as course_id,
          co.title as course_title
        from enrollments e
        join classes c on c.sourced_id = e.class_sourced_id
        join courses co on co.sourced_id = c.course_sourced_id
        where e.user_sourced_id = ${userId} and e.role = 'student'
          and c.school_sourced_id in ${orgs}
        order by co.title, c.title`,
  )
  const courseIds = [...new Set(classes.map((c) => c.course_id))]
  const [totals, stats, recent] = await Promise.all([
    rowsOf<{ course_id: string; total: number }>(
      db,
      sql`select cc.course_sourced_id as course_id, count(distinct r.sourced_id)::int as total
          from component_resources cr
          join course_components cc on cc.sourced_id = cr.course_component_sourced_id
          join resources r on r.sourced_id = cr.resource_sourced_id
          where cc.course_sourced_id in ${inList(courseIds)}
            and r.metadata->>'type' in ${PRACTICE_TYPE_LIST}
          group by 1`,
    ),
    rowsOf<{ course_id: string; attempts: number; xp: number; passed: number; mean: number }>(
      db,
      sql`select course_sourced_id as course_id, count(*)::int as attempts,
            coalesce(sum(xp_awarded), 0)::int as xp,
            (count(distinct resource_sourced_id) filter (where passed))::int as passed,
            avg(score_percent)::float8 as mean
          from practice_attempts
          where user_sourced_id = ${userId} and org_sourced_id in ${orgs}
          group by 1`,
    ),
    rowsOf<{
      id: string
      resource_title: string
      resource_type: string
      course_title: string
      score_percent: number
      passed: boolean
      submitted_at: Date | string
    }>(
      db,
      sql`select a.id, r.title as resource_title, a.resource_type, co.title as course_title,
            a.score_percent::float8 as score_percent, a.passed, a.submitted_at
          from practice_attempts a
          join resources r on r.sourced_id = a.resource_sourced_id
          join courses co on co.sourced_id = a.course_sourced_id
          where a.user_sourced_id = ${userId} and a.org_sourced_id in ${orgs}
          order by a.submitted_at desc limit 10`,
    ),
  ])
  const totalOf = new Map(totals.map((t) => [t.course_id, t.total]))
  const statOf = new Map(stats.map((s) => [s.course_id, s]))
  const courses = classes.map((c): StudentCourse => {
    const s = statOf.get(c.course_id)
    return {
      classId: c.class_id,
      classTitle: c.class_title,
      courseId: c.course_id,
      courseTitle: c.course_title,
      practiceTotal: totalOf.get(c.course_id) ?? 0,
      practicePassed: s?.passed ?? 0,
      attempts: s?.attempts ?? 0,
      xp: s?.xp ?? 0,
      meanScore: s ? round1(s.mean) : null,
    }
  })
  return {
    view: 'student',
    orgId,
    userId,
    totals: {
      xp: stats.reduce((sum, s) => sum + s.xp, 0),
      attempts: stats.reduce((sum, s) => sum + s.attempts, 0),
      passed: stats.reduce((sum, s) => sum + s.passed, 0),
    },
    courses,
    recent: recent.map((r) => ({
      id: r.id,
      resourceTitle: r.resource_title,
      resourceType: r.resource_type,
      courseTitle: r.course_title,
      scorePercent: r.score_percent,
      passed: r.passed,
      submittedAt: new Date(r.submitted_at).toISOString(),
    })),
    computedAt: new Date().toISOString(),
  }
}

const studentView = personalView(dashboardKeys.student, loadStudentDashboard)

/** The student view's cache entry, for `cache.warm`. */
export const studentEntry = studentView.entry

/** Reads the student view through the dashboards cache. */
export const studentRepository = studentView.repository

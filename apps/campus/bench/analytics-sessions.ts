/**
 * The signed-in sessions of the analytics benchmark: seeded students and teachers who have
 * classes, an administrator per school and the district operator, created through the session
 * store (the same rows a password sign-in writes).
 */
import { sql } from 'drizzle-orm'
import { rowsOf } from '../src/analytics/dashboards/sql.js'
import type { CampusRole } from '../src/auth/principal.js'
import type { DatabaseHandle } from '../src/db/client.js'
import type { CampusDeps } from '../src/deps.js'

/**
 * Sessions per kind of view: each role's dashboard, and the report views (a teacher's class
 * report, a school administrator's grade report) signed in as the same people.
 */
export const SESSIONS = {
  student: 300,
  teacher: 60,
  school: 12,
  platform: 1,
  classReport: 60,
  gradeReport: 12,
} as const
export type Kind = keyof typeof SESSIONS
/** The kinds read through the dashboards' namespace; the others through the reports' entries. */
export const DASHBOARD_KINDS: readonly Kind[] = ['student', 'teacher', 'school', 'platform']

/** One signed-in session of the benchmark and what its view reads. */
export interface BenchSession {
  kind: Kind
  cookie: string
  orgId: string
  userId: string
  path: string
}

/** Sessions of each kind: seeded students and teachers with classes, school admins, operator. */
export async function createSessions(
  deps: CampusDeps,
  database: DatabaseHandle,
): Promise<Record<Kind, BenchSession[]>> {
  const make = async (
    kind: Kind,
    userId: string,
    orgId: string,
    role: CampusRole,
    path: string,
  ) => {
    const { token } = await deps.auth.sessions.create({ userId, orgId, role })
    return { kind, cookie: `campus_session=${token}`, orgId, userId, path }
  }
  const students = await rowsOf<{ user_id: string; org_id: string }>(
    database.db,
    sql`select distinct e.user_sourced_id as user_id, c.school_sourced_id as org_id
        from enrollments e join classes c on c.sourced_id = e.class_sourced_id
        where e.role = 'student' order by 1 limit ${SESSIONS.student}`,
  )
  // One class per teacher (the first they teach) for the class report.
  const teachers = await rowsOf<{ user_id: string; org_id: string; class_id: string }>(
    database.db,
    sql`select distinct on (e.user_sourced_id) e.user_sourced_id as user_id,
               c.school_sourced_id as org_id, c.sourced_id as class_id
        from enrollments e join classes c on c.sourced_id = e.class_sourced_id
        where e.role = 'teacher' order by 1, 3 limit ${SESSIONS.teacher}`,
  )
  // One grade level per school (the first its classes teach) for the grade report.
  const schools = await rowsOf<{ id: string; grade: string | null }>(
    database.db,
    sql`select o.sourced_id as id,
               (select min(g) from classes c, unnest(c.grades) g
                where c.school_sourced_id = o.sourced_id) as grade
        from orgs o where o.type = 'school' order by 1 limit ${SESSIONS.school}`,
  )
  const anyone = teachers[0]?.user_id ?? ''
  return {
    student: await Promise.all(
      students.map((s) => make('student', s.user_id, s.org_id, 'student', '/dashboard')),
    ),
    teacher: await Promise.all(
      teachers.map((t) => make('teacher', t.user_id, t.org_id, 'teacher', '/dashboard')),
    ),
    school: await Promise.all(
      schools.map((o) => make('school', anyone, o.id, 'administrator', '/dashboard')),
    ),
    platform: [
      await make('platform', anyone, 'org-district', 'administrator', '/dashboard/platform'),
    ],
    classReport: await Promise.all(
      teachers.map((t) =>
        make('classReport', t.user_id, t.org_id, 'teacher', `/api/reports/classes/${t.class_id}`),
      ),
    ),
    gradeReport: await Promise.all(
      schools
        .filter((o) => o.grade !== null)
        .map((o) =>
          make('gradeReport', anyone, o.id, 'administrator', `/api/reports/grades/${o.grade}`),
        ),
    ),
  }
}

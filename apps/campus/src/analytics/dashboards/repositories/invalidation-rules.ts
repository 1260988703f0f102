/**
 * What each change invalidates in the dashboards, next to the repositories whose entries it
 * names (satchel's `createInvalidator`: tags and keys, never a SCAN pattern on this path).
 *
 * | change | drops | why |
 * |---|---|---|
 * | graded attempt (org O, learner L, course C) | `userTag(O, L)`, `courseTag(O, C)`, and `userTag(S, T)` for every teacher T of L's classes of C, S = the class's school and its ancestors | the learner's view; their teachers' views (who is behind, item difficulty) |
 * | import into orgs O… | `dashboardsTag(X)` for X in O… and their ancestors; the platform key | every view of those orgs and of the district views above them; the import runs list |
 * | login-link request created or decided in org O | `pendingTag(X)` for O and its ancestors | the pending count of O's and its ancestors' administrators |
 *
 * The school (administrator) view is deliberately not dropped per attempt: see `school.ts`.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import { createInvalidator, type Satchel } from 'satchel'
import type { Database } from '../../../db/client.js'
import { MAX_ORG_DEPTH } from '../../scope.js'
import { courseTag, userTag } from '../../tags.js'
import { dashboardCache, dashboardKeys, dashboardsTag, pendingTag } from '../cache.js'
import { rowsOf } from '../sql.js'

/** The dashboards' invalidator over `satchel`: one method per kind of change. */
export function dashboardInvalidator(satchel: Satchel) {
  return createInvalidator(dashboardCache(satchel), {
    attempt: (
      learner: { orgId: string; userId: string; courseId: string },
      teachers: readonly TeacherTag[],
    ) => ({
      tags: [
        userTag(learner.orgId, learner.userId),
        courseTag(learner.orgId, learner.courseId),
        ...teachers.map((t) => userTag(t.orgId, t.userId)),
      ],
    }),
    import: (orgIds: readonly string[]) => ({
      tags: orgIds.map(dashboardsTag),
      keys: [dashboardKeys.platform(satchel)],
    }),
    pending: (orgIds: readonly string[]) => ({ tags: orgIds.map(pendingTag) }),
  })
}

/** A teacher as their dashboard entry is tagged: the organisation they act in, and who. */
export interface TeacherTag {
  orgId: string
  userId: string
}

/**
 * The teachers whose view an attempt of `userId` in `courseId` changes: teachers of that
 * learner's classes of the course, tagged under the class's school and its ancestors (the
 * organisations a teacher of that class acts in). One query.
 */
export async function teachersOfAttempt(
  db: Database,
  userId: string,
  courseId: string,
): Promise<TeacherTag[]> {
  const rows = await rowsOf<{ org_id: string; user_id: string }>(
    db,
    sql`with recursive taught as (
          select distinct t.user_sourced_id as user_id, c.school_sourced_id as org_id
          from enrollments s
          join classes c on c.sourced_id = s.class_sourced_id and c.course_sourced_id = ${courseId}
          join enrollments t on t.class_sourced_id = c.sourced_id and t.role = 'teacher'
          where s.user_sourced_id = ${userId} and s.role = 'student'),
        up(user_id, org_id, depth) as (
          select user_id, org_id, 0 from taught
          union
          select u.user_id, o.parent_sourced_id, u.depth + 1
          from up u join orgs o on o.sourced_id = u.org_id
          where o.parent_sourced_id is not null and u.depth < ${MAX_ORG_DEPTH})
        select distinct org_id, user_id from up`,
  )
  return rows.map((r) => ({ orgId: r.org_id, userId: r.user_id }))
}

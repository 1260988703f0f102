/**
 * Gives the demo teachers and students classes, so their dashboards, reports and cohort pages
 * show the demo set's learner activity from the first sign-in: each school's demo teacher teaches
 * and its demo student attends the school's first two classes. Demo data only (`npm start` on an
 * empty database, `campus seed`); an account that has any enrollment already is left alone.
 *
 * @module
 */
import { asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { classes, enrollments } from '../db/schema.js'
import type { DemoAccount } from './accounts.js'
import { SEED_DATE } from './ids.js'

/** Classes each demo teacher and student is enrolled in. */
const DEMO_CLASSES = 2

/** Enrolls the school-level demo teachers and students; resolves to the rows written. */
export async function enrollDemoAccounts(
  db: Database,
  accounts: readonly DemoAccount[],
): Promise<number> {
  const people = accounts.filter((a) => a.role === 'teacher' || a.role === 'student')
  if (people.length === 0) return 0
  const enrolled = new Set(
    (
      await db
        .select({ id: enrollments.userSourcedId })
        .from(enrollments)
        .where(
          inArray(
            enrollments.userSourcedId,
            people.map((a) => a.userId),
          ),
        )
    ).map((r) => r.id),
  )
  const rows: (typeof enrollments.$inferInsert)[] = []
  for (const account of people.filter((a) => !enrolled.has(a.userId))) {
    const first = await db
      .select({ id: classes.sourcedId })
      .from(classes)
      .where(eq(classes.schoolSourcedId, account.orgId))
      .orderBy(asc(classes.sourcedId))
      .limit(DEMO_CLASSES)
    for (const cls of first) {
      rows.push({
        sourcedId: `enr-${account.userId}-${cls.id}`,
        dateLastModified: SEED_DATE,
        classSourcedId: cls.id,
        schoolSourcedId: account.orgId,
        userSourcedId: account.userId,
        role: account.role,
        primary: account.role === 'teacher',
      })
    }
  }
  if (rows.length > 0) await db.insert(enrollments).values(rows).onConflictDoNothing()
  return rows.length
}

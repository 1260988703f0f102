/**
 * The summary of a dispatched package (what the cache calls a course): its title and SCORM
 * version, read from the organisation's packages.
 *
 * @module
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { scormPackages } from '../db/schema.js'
import type { CourseView } from './types.js'

/** An active, not archived package of `orgId`, or null. */
export async function loadCourse(
  db: Database,
  orgId: string,
  packageId: string,
): Promise<CourseView | null> {
  const [row] = await db
    .select({
      id: scormPackages.id,
      orgId: scormPackages.orgSourcedId,
      title: scormPackages.title,
      scormVersion: scormPackages.version,
      status: scormPackages.status,
      archivedAt: scormPackages.archivedAt,
    })
    .from(scormPackages)
    .where(and(eq(scormPackages.id, packageId), eq(scormPackages.orgSourcedId, orgId)))
  if (row?.status !== 'active' || row.archivedAt) return null
  return { id: row.id, orgId: row.orgId, title: row.title, scormVersion: row.scormVersion }
}

/** The active, not archived packages of `orgId` a dispatch may send, by title. */
export async function listCourses(db: Database, orgId: string): Promise<CourseView[]> {
  const rows = await db
    .select({
      id: scormPackages.id,
      orgId: scormPackages.orgSourcedId,
      title: scormPackages.title,
      scormVersion: scormPackages.version,
    })
    .from(scormPackages)
    .where(
      and(
        eq(scormPackages.orgSourcedId, orgId),
        eq(scormPackages.status, 'active'),
        isNull(scormPackages.archivedAt),
      ),
    )
    .orderBy(scormPackages.title)
  return rows
}

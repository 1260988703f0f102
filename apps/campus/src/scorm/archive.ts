/**
 * Archiving a package: an administrator takes it out of use. It leaves course pages and the
 * learner list, and launches answer 410 `E_SCORM_PACKAGE_ARCHIVED`; its registrations, SCO
 * states and interactions stay, and so does its report. The files stay too (reports link
 * nothing in them, but an archive is not a deletion). The cached manifest and the course's
 * package list are dropped at once; a drop Redis could not take leaves them at most their TTL,
 * and every launch re-reads `archived_at` from PostgreSQL anyway.
 *
 * @module
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { scormPackages } from '../db/schema.js'
import type { ScormContext } from './context.js'
import { forgetCoursePackages } from './course/packages.js'
import { forgetManifest } from './manifest-cache.js'
import { type PackageRow, packageOf } from './runtime/launch.js'

/** What an archive did: archived now, or it already was. */
export interface ArchiveResult {
  pkg: PackageRow
  archived: boolean
}

/**
 * Archives a package of `orgId` (404 for another organisation's). Archiving twice keeps the
 * first date.
 * @example await archivePackage(deps.scorm, orgId, packageId)
 */
export async function archivePackage(
  ctx: ScormContext,
  orgId: string,
  packageId: string,
): Promise<ArchiveResult> {
  const before = await packageOf(ctx.db, orgId, packageId)
  const [row] = await ctx.db
    .update(scormPackages)
    .set({ archivedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(scormPackages.id, before.id),
        eq(scormPackages.orgSourcedId, orgId),
        isNull(scormPackages.archivedAt),
      ),
    )
    .returning()
  const pkg = row ?? before
  await Promise.all([
    forgetManifest(ctx, pkg),
    forgetCoursePackages(ctx, orgId, pkg.courseSourcedId),
  ])
  if (row) ctx.logger.info({ orgId, packageId: pkg.id }, 'scorm package archived')
  return { pkg, archived: row !== undefined }
}

/**
 * Who may search and read reports, decided on every request before any cached read: the cache
 * holds organisation-scoped data, never a decision. The session's organisation (never request
 * input) picks the tenant; its subtree bounds every query.
 *
 * @module
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Context } from 'hono'
import { resolveOrgContext } from '../../auth/middleware.js'
import type { CampusRole } from '../../auth/principal.js'
import type { Database } from '../../db/client.js'
import { classes, enrollments } from '../../db/schema.js'
import { orgSubtree } from '../scope.js'
import { AnalyticsError } from './errors.js'

/** A signed-in viewer of analytics, with the organisations their session covers. */
export interface AnalyticsViewer {
  readonly orgId: string
  readonly userId: string
  readonly name: string
  /** `administrator` also for operators (administrator rights in the session org). */
  readonly role: CampusRole
  /** The session org and its descendants (analytics/scope.ts). */
  readonly subtree: readonly string[]
}

/** The signed-in viewer, or a 401. */
export async function requireViewer(c: Context, db: Database): Promise<AnalyticsViewer> {
  const ctx = await resolveOrgContext(c)
  if (!ctx) throw new AnalyticsError('E_UNAUTHENTICATED', 401, 'Sign in first.')
  const { principal } = ctx
  return {
    orgId: ctx.orgId,
    userId: principal.userId,
    name: principal.name,
    role: principal.operator ? 'administrator' : principal.role,
    subtree: await orgSubtree(db, ctx.orgId),
  }
}

/**
 * The classes of the viewer's subtree they teach (an active `teacher` enrollment): what a
 * teacher's search and class reports are limited to.
 */
export async function taughtClassIds(db: Database, viewer: AnalyticsViewer): Promise<string[]> {
  if (viewer.subtree.length === 0) return []
  const rows = await db
    .selectDistinct({ id: enrollments.classSourcedId })
    .from(enrollments)
    .innerJoin(classes, eq(classes.sourcedId, enrollments.classSourcedId))
    .where(
      and(
        eq(enrollments.userSourcedId, viewer.userId),
        eq(enrollments.role, 'teacher'),
        eq(enrollments.status, 'active'),
        inArray(classes.schoolSourcedId, [...viewer.subtree]),
      ),
    )
  return rows.map((r) => r.id).sort()
}

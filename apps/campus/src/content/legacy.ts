/**
 * The legacy loaders: organisation-wide lists, each cached whole. This is the read pattern of
 * the 900 GB egress incident — every page view pulled the organisation's entire resource and
 * placement lists out of Redis to use one course's slice. Kept for the course builder and admin
 * tools, which do need the whole organisation, and as the baseline of the parity tests and the
 * egress benchmark. Learner pages use the bundle loaders (`bundle.ts`).
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { ContentContext } from './context.js'
import { contentKeys } from './keys.js'
import {
  queryAllComponentResources,
  queryAllCourseComponents,
  queryAllCourses,
  queryAllResources,
} from './queries.js'
import type {
  ComponentRecord,
  ComponentResourceRecord,
  CourseRecord,
  ResourceRecord,
} from './types.js'

/** Every active course, all organisations (`oneroster-getAllCourses`). */
export function getAllCourses(ctx: ContentContext): Promise<CourseRecord[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).allCourses(),
    () => queryAllCourses(ctx.db),
    ctx.cache,
  )
}

/** Every active component of an organisation (`oneroster-getAllCourseComponents`). */
export function getAllCourseComponents(
  ctx: ContentContext,
  orgId: string,
): Promise<ComponentRecord[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).allCourseComponents(orgId),
    () => queryAllCourseComponents(ctx.db, orgId),
    ctx.cache,
  )
}

/** Every active resource of an organisation (`oneroster-getAllResources`). */
export function getAllResources(ctx: ContentContext, orgId: string): Promise<ResourceRecord[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).allResources(orgId),
    () => queryAllResources(ctx.db, orgId),
    ctx.cache,
  )
}

/** Every active placement of an organisation (`oneroster-getAllComponentResources`). */
export function getAllComponentResources(
  ctx: ContentContext,
  orgId: string,
): Promise<ComponentResourceRecord[]> {
  return ctx.satchel.cache.getOrSet(
    contentKeys(ctx.satchel).allComponentResources(orgId),
    () => queryAllComponentResources(ctx.db, orgId),
    ctx.cache,
  )
}

/** The keys of the legacy lists an organisation's change makes stale (and the global list). */
export function legacyContentKeys(satchel: Satchel, orgId: string): string[] {
  const keys = contentKeys(satchel)
  return [
    keys.allCourses(),
    keys.allCourseComponents(orgId),
    keys.allResources(orgId),
    keys.allComponentResources(orgId),
  ]
}

/**
 * The legacy invalidation: drops the organisation-wide lists (and the global course list), so
 * the next read of any of them rebuilds it from the database.
 */
export async function invalidateLegacyContent(
  ctx: Pick<ContentContext, 'satchel'>,
  orgId: string,
): Promise<void> {
  await ctx.satchel.cache.del(...legacyContentKeys(ctx.satchel, orgId))
}

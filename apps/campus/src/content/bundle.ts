/**
 * The course bundle: one cached value per course (`oneroster-course-bundle:<courseId>`) holding
 * everything the learner pages read, plus the selectors over it. See `types.ts` for why.
 *
 * @module
 */
import { EncodeError } from 'satchel'
import type { ContentContext } from './context.js'
import { contentKeys } from './keys.js'
import { bundleLookups } from './lookups.js'
import { queryCourseBundle } from './queries.js'
import { currentContentRequest } from './request-context.js'
import { quarantineDeepMetadata } from './row-guard.js'
import type {
  ComponentResourceRecord,
  CourseLocator,
  CourseResourceBundle,
  ResourceRecord,
} from './types.js'

/**
 * One course's bundle, from cache or built with course-scoped queries. Null when the course does
 * not exist (not cached, so a course created a moment later is found). Logs and counts the
 * outcome (`bundle_hit`, `bundle_miss`, `bundle_missing_data`) with the route of the request.
 */
export async function getCourseResourceBundle(
  ctx: ContentContext,
  locator: CourseLocator,
): Promise<CourseResourceBundle | null> {
  const key = contentKeys(ctx.satchel).courseBundle(locator.orgId, locator.courseId)
  let { bundle, built } = await readBundle(ctx, key, locator)
  if (bundle && !built && (bundle.version as number) !== 1) {
    // Written by a build with another bundle shape (the key names no version): rebuild now
    // rather than answer 404 for this course until the entry expires.
    await ctx.satchel.cache.del(key)
    ;({ bundle, built } = await readBundle(ctx, key, locator))
  }
  const request = currentContentRequest()
  const route = request?.route ?? 'other'
  if (!bundle || bundle.orgId !== locator.orgId || bundle.version !== 1) {
    ctx.metrics.bundleFetches.inc({ route, outcome: 'bundle_missing_data' })
    ctx.logger.warn(
      { courseId: locator.courseId, orgId: locator.orgId, outcome: 'bundle_missing_data' },
      'course bundle unavailable',
    )
    return null
  }
  const outcome = built ? 'bundle_miss' : 'bundle_hit'
  ctx.metrics.bundleFetches.inc({ route, outcome })
  if (request) {
    if (built) request.bundleMisses++
    else request.bundleHits++
  }
  if (!built) {
    ctx.logger.debug(
      { courseId: bundle.courseId, bundleFetchedAt: bundle.fetchedAt, outcome, route },
      'course bundle fetched',
    )
  }
  return bundle
}

/** The cached bundle, or one built from the database (`built`). */
async function readBundle(
  ctx: ContentContext,
  key: string,
  locator: CourseLocator,
): Promise<{ bundle: CourseResourceBundle | null; built: boolean }> {
  let built = false
  const bundle = await ctx.satchel.cache.getOrSet<CourseResourceBundle | null>(
    key,
    async () => {
      built = true
      const fresh = await queryCourseBundle(ctx.db, locator.courseId)
      if (fresh) {
        quarantineDeepMetadata(fresh, ctx.logger)
        const bundleByteSize = encodedSize(ctx, fresh)
        if (bundleByteSize !== undefined) ctx.metrics.bundleBytes.observe(bundleByteSize)
        ctx.logger.info(
          {
            courseId: fresh.courseId,
            bundleFetchedAt: fresh.fetchedAt,
            bundleByteSize,
            outcome: 'bundle_miss',
          },
          'course bundle built',
        )
      }
      return fresh
    },
    // A course that vanished, or moved to another organisation, is not stored under this key.
    {
      ...ctx.cache,
      shouldCache: (value) => value !== null && value.orgId === locator.orgId,
    },
  )
  return { bundle, built }
}

/**
 * The bundle's encoded size, for the `bundleByteSize` field and metric. Undefined when the codec
 * refuses the value: measuring must never fail the request. The cache's own store step refuses
 * it too, so the bundle is served uncached; the warning says which course pays for it.
 */
function encodedSize(ctx: ContentContext, bundle: CourseResourceBundle): number | undefined {
  try {
    return ctx.satchel.codec.encode(bundle).length
  } catch (error) {
    if (!(error instanceof EncodeError)) throw error
    ctx.logger.warn(
      { courseId: bundle.courseId, err: error.message, outcome: 'bundle_uncacheable' },
      'course bundle cannot be cached; serving it uncached',
    )
    return undefined
  }
}

/**
 * Drops a course's bundle everywhere (Redis and every process's L1, through the bus). The
 * course builder calls it for every course a mutation touches, in addition to the legacy
 * invalidation.
 */
export async function invalidateCourseResourceBundle(
  ctx: Pick<ContentContext, 'satchel' | 'logger'>,
  locator: CourseLocator,
): Promise<void> {
  await ctx.satchel.cache.del(
    contentKeys(ctx.satchel).courseBundle(locator.orgId, locator.courseId),
  )
  ctx.logger.info({ courseId: locator.courseId }, 'course bundle invalidated')
}

/** A resource by id, if it is placed in this course. */
export function findResourceById(
  bundle: CourseResourceBundle,
  resourceId: string,
): ResourceRecord | undefined {
  return bundleLookups(bundle).resourcesById.get(resourceId)
}

/** Where a resource is placed in this course (it may be placed more than once). */
export function getComponentResourcesByResourceId(
  bundle: CourseResourceBundle,
  resourceId: string,
): readonly ComponentResourceRecord[] {
  return bundleLookups(bundle).placementsByResource.get(resourceId) ?? []
}

/** A placement with its resource; `resource` is undefined when the placement is dangling. */
export interface PlacedResource {
  placement: ComponentResourceRecord
  resource: ResourceRecord | undefined
}

/** A lesson's (or unit's) placements in order, each with its resource. */
export function findLessonResources(
  bundle: CourseResourceBundle,
  componentId: string,
): PlacedResource[] {
  const { placementsByComponent, resourcesById } = bundleLookups(bundle)
  return (placementsByComponent.get(componentId) ?? []).map((placement) => ({
    placement,
    resource: resourcesById.get(placement.resourceSourcedId),
  }))
}

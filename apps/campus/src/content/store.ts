/**
 * The request store of content: within one content request, each course bundle and each
 * organisation-wide legacy list is read once, however many loaders ask (a lesson layout, then
 * its content; a hub assembling every course of its subject). Built on satchel's
 * `requestScope` (the app opens one scope per request), the one per-request memo campus uses
 * for sessions and org context too.
 *
 * Only content requests (`runWithContentRequest`) memoise: the course builder re-reads after a
 * mutation in the same request and must see its own write.
 *
 * @module
 */
import { requestScope } from 'satchel'
import { currentContentRequest } from './request-context.js'
import type { CourseResourceBundle } from './types.js'

/**
 * The course's bundle for this request: loaded once, then shared. Outside a content request,
 * `load` runs every time.
 * @example const bundle = await memoBundle(courseId, () => getCourseResourceBundle(ctx, locator))
 */
export function memoBundle(
  courseId: string,
  load: () => Promise<CourseResourceBundle | null>,
): Promise<CourseResourceBundle | null> {
  if (!currentContentRequest()) return load()
  return requestScope.memo(`content:bundle:${courseId}`, load)
}

/**
 * A legacy organisation-wide list for this request (`courses`, `components:<org>`, …): read
 * once, then shared. Without it the legacy family would read the same multi-megabyte lists many
 * times per view, overstating its cost.
 */
export function memoLegacyList<T>(key: string, read: () => Promise<T>): Promise<T> {
  if (!currentContentRequest()) return read()
  return requestScope.memo(`content:legacy:${key}`, read)
}

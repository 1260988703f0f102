/**
 * The request store: a bundle fetched by one loader is handed to the loaders after it in the
 * same request (a lesson layout, then its content) without a second cache read. Keyed by the
 * request object in a WeakMap, so it lives exactly as long as the request and never leaves the
 * server.
 *
 * @module
 */
import { ContentError } from './errors.js'
import type { CourseResourceBundle } from './types.js'

const store = new WeakMap<object, Map<string, CourseResourceBundle>>()

/** Keeps a bundle for the rest of this request. */
export function stashBundle(request: object, bundle: CourseResourceBundle): void {
  let byCourse = store.get(request)
  if (!byCourse) {
    byCourse = new Map()
    store.set(request, byCourse)
  }
  byCourse.set(bundle.courseId, bundle)
}

/** The bundle stashed earlier in this request, or undefined. */
export function peekBundle(request: object, courseId: string): CourseResourceBundle | undefined {
  return store.get(request)?.get(courseId)
}

/**
 * The bundle stashed earlier in this request. Throws `E_BUNDLE_NOT_STASHED` when a loader runs
 * without its layout loader: a wiring bug, not a data problem.
 */
export function requireBundle(request: object, courseId: string): CourseResourceBundle {
  const bundle = peekBundle(request, courseId)
  if (!bundle) {
    throw new ContentError(
      'E_BUNDLE_NOT_STASHED',
      `no bundle for course ${courseId} was stashed in this request`,
    )
  }
  return bundle
}

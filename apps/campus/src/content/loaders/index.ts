/**
 * Page loaders over a {@link ContentSource}: the subject hub, course, unit and lesson pages,
 * lesson content, assessments and the resource redirect. Each returns `Loaded<T>` (page data,
 * or a 404 reason already logged as a structured warning).
 *
 * @module
 */
export * from './assessment-loaders.js'
export * from './assessment-redirect.js'
export * from './content-loaders.js'
export * from './course-loaders.js'
export * from './interactive-helpers.js'
export * from './paths.js'
export * from './qti.js'

/**
 * Request-scoped memoisation (`requestScope.run`, `requestScope.memo`): one load per key per
 * request, on AsyncLocalStorage.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { requestScope } from 'satchel'
 *
 * const app = new Hono()
 * app.use('*', (c, next) => requestScope.run(() => next()))
 * app.get('/courses/:id', async (c) => {
 *   const course = await requestScope.memo(`course:${c.req.param('id')}`, () => loadCourse(c.req.param('id')))
 *   return c.json(course)
 * })
 * ```
 *
 * @module
 */
export { RequestScope, requestScope } from './request-scope.js'

/**
 * The course builder JSON API under `/api/admin/course-builder/`, behind the admin bearer token.
 * Every mutation runs in one transaction; after the commit it invalidates every cache entry of
 * every affected course (`invalidate.ts`) and reports the courses in `invalidated.courses`.
 *
 * @module
 */
import { eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import { isPlausibleId } from '../content/identifiers.js'
import { courses } from '../db/schema.js'
import type { CampusDeps } from '../deps.js'
import type { MutationResult } from './affected.js'
import { adminAuth } from './auth.js'
import {
  createComponent,
  deleteComponent,
  reorderComponents,
  updateComponent,
} from './components.js'
import { invalid, NO_STORE, notFound, problemFor } from './errors.js'
import { invalidateAffectedCourses } from './invalidate.js'
import {
  createPlacement,
  deletePlacement,
  reorderPlacements,
  updatePlacement,
} from './placements.js'
import { createResource, deleteResource, updateResource } from './resources.js'
import {
  createComponentBody,
  createPlacementBody,
  createResourceBody,
  parseBody,
  reorderComponentsBody,
  reorderPlacementsBody,
  updateComponentBody,
  updatePlacementBody,
  updateResourceBody,
} from './schemas.js'
import { buildCourseTree } from './tree.js'

const BASE = '/api/admin/course-builder'

/** The JSON body, or a 400 naming `body` when it is not JSON. */
async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw invalid('body', 'is not valid JSON')
  }
}

/** The course builder routes (mounted by `createApp`). */
export function courseBuilderRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  app.use(`${BASE}/*`, adminAuth(deps.adminToken, deps.adminThrottle))

  /** Runs a mutation, invalidates after its commit, answers `{ data, invalidated }`. */
  function mutation<S extends z.ZodType, T>(
    reason: string,
    schema: S | null,
    run: (body: z.infer<S>, c: Context) => Promise<MutationResult<T>>,
    status: 200 | 201 = 200,
  ) {
    return async (c: Context): Promise<Response> => {
      try {
        const body = schema ? parseBody(schema, await readJson(c)) : (undefined as z.infer<S>)
        const { data, affected } = await run(body, c)
        // The write has committed: from here on, a failure must not turn into an error
        // response (a retry would then conflict with the row it already wrote), so the
        // invalidation never throws; what it could not do is `pending` and retried.
        const invalidated = await invalidateAffectedCourses(deps, affected.courseIds, {
          reason,
          resourceIds: affected.placementsChanged,
          assessmentResourceIds: affected.itemsChanged,
        })
        return c.json({ data, invalidated }, status, NO_STORE)
      } catch (error) {
        return problemFor(error, deps.logger)
      }
    }
  }
  const db = deps.database.db
  /** A path id; one that cannot be an id (empty, too long, control characters) is a 404. */
  const id = (c: Context, name: string): string => {
    const value = c.req.param(name) ?? ''
    if (!isPlausibleId(value)) throw notFound(`path parameter ${name}`, value)
    return value
  }

  app.get(`${BASE}/courses/:courseId`, async (c) => {
    try {
      const courseId = id(c, 'courseId')
      const [row] = await db
        .select({ orgId: courses.orgSourcedId })
        .from(courses)
        .where(eq(courses.sourcedId, courseId))
      const bundle = row ? await deps.adminSource.loadCourse({ courseId, orgId: row.orgId }) : null
      if (!bundle) throw notFound('course', courseId)
      return c.json({ data: buildCourseTree(bundle) }, 200, NO_STORE)
    } catch (error) {
      return problemFor(error, deps.logger)
    }
  })

  app.post(
    `${BASE}/components`,
    mutation('component.create', createComponentBody, (b) => createComponent(db, b), 201),
  )
  app.patch(
    `${BASE}/components/:id`,
    mutation('component.update', updateComponentBody, (b, c) =>
      updateComponent(db, id(c, 'id'), b),
    ),
  )
  app.delete(
    `${BASE}/components/:id`,
    mutation('component.delete', null, (_b, c) => deleteComponent(db, id(c, 'id'))),
  )
  app.post(
    `${BASE}/courses/:courseId/components/reorder`,
    mutation('component.reorder', reorderComponentsBody, (b, c) =>
      reorderComponents(db, id(c, 'courseId'), b),
    ),
  )

  app.post(
    `${BASE}/resources`,
    mutation('resource.create', createResourceBody, (b) => createResource(db, b), 201),
  )
  app.patch(
    `${BASE}/resources/:id`,
    mutation('resource.update', updateResourceBody, (b, c) => updateResource(db, id(c, 'id'), b)),
  )
  app.delete(
    `${BASE}/resources/:id`,
    mutation('resource.delete', null, (_b, c) => deleteResource(db, id(c, 'id'))),
  )

  app.post(
    `${BASE}/component-resources`,
    mutation('component-resource.create', createPlacementBody, (b) => createPlacement(db, b), 201),
  )
  app.patch(
    `${BASE}/component-resources/:id`,
    mutation('component-resource.update', updatePlacementBody, (b, c) =>
      updatePlacement(db, id(c, 'id'), b),
    ),
  )
  app.delete(
    `${BASE}/component-resources/:id`,
    mutation('component-resource.delete', null, (_b, c) => deletePlacement(db, id(c, 'id'))),
  )
  app.post(
    `${BASE}/components/:componentId/resources/reorder`,
    mutation('component-resource.reorder', reorderPlacementsBody, (b, c) =>
      reorderPlacements(db, id(c, 'componentId'), b),
    ),
  )

  app.all(`${BASE}/*`, (c) => problemFor(notFound('route', c.req.path)))
  return app
}

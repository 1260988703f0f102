/**
 * Routes of the imports pages and their JSON: `GET /admin/imports` (upload form and runs),
 * `GET /admin/imports/:id` (one run), `GET /api/admin/imports/:id` (the run as JSON, polled by
 * the page) and `POST /api/admin/imports/oneroster` (the zip upload, answering 202 with the
 * run's location). Administrators act on their organisation; operators campus-wide or, with
 * `?orgId=`, on one organisation. Errors are problem+json.
 *
 * @module
 */
import { Hono } from 'hono'
import type { CampusDeps } from '../../deps.js'
import { OneRosterError } from '../../ingest/oneroster/errors.js'
import { requestBodyLimit } from '../../security/body-limit.js'
import { orgInScope, requireAdminAccess } from '../access.js'
import { AdminAreaError, NO_STORE } from '../errors.js'
import { ImportRunPage, ImportsPage } from '../pages/imports.js'
import { getImportRun, listImportRuns, runJson } from './runs.js'
import { startUploadedImport, UPLOAD_LIMIT_BYTES, UPLOAD_PATH } from './upload.js'

/** The imports routes. */
export function importRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const admin = requireAdminAccess(deps.adminToken)
  app.onError((error) => {
    if (error instanceof AdminAreaError) return error.response()
    throw error
  })

  app.get('/admin/imports', admin, async (c) => {
    const access = c.get('adminAccess')
    const runs = await listImportRuns(deps.database.db, access)
    return c.html(
      `<!DOCTYPE html>${await (<ImportsPage access={access} runs={runs} />)}`,
      200,
      NO_STORE,
    )
  })

  app.get('/admin/imports/:id', admin, async (c) => {
    const access = c.get('adminAccess')
    const run = await getImportRun(deps.database.db, access, c.req.param('id'))
    return c.html(
      `<!DOCTYPE html>${await (<ImportRunPage access={access} run={run} />)}`,
      200,
      NO_STORE,
    )
  })

  app.get('/api/admin/imports/:id', admin, async (c) => {
    const run = await getImportRun(deps.database.db, c.get('adminAccess'), c.req.param('id'))
    return c.json(runJson(run), 200, NO_STORE)
  })

  app.post(UPLOAD_PATH, admin, requestBodyLimit(UPLOAD_LIMIT_BYTES), async (c) => {
    const access = c.get('adminAccess')
    const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
    if (type !== 'application/zip') {
      throw new AdminAreaError(
        'E_VALIDATION',
        415,
        'Send the zip itself with Content-Type: application/zip.',
        {
          errors: [{ field: 'content-type', message: 'must be application/zip' }],
        },
      )
    }
    const body = c.req.raw.body
    if (!body) {
      throw new AdminAreaError('E_VALIDATION', 400, 'The request has no body.', {
        errors: [{ field: 'body', message: 'the zip is missing' }],
      })
    }
    const requested = c.req.query('orgId')
    const orgId = orgInScope(access, requested === '' ? undefined : requested)
    // The name is shown back on the run page (escaped by JSX) and kept short.
    const fileName = (c.req.header('x-file-name') ?? 'upload.zip').slice(0, 200)
    try {
      const run = await startUploadedImport(deps, access, body, fileName, orgId)
      const location = `/admin/imports/${run.id}`
      return c.json({ runId: run.id, location, poll: `/api/admin/imports/${run.id}` }, 202, {
        ...NO_STORE,
        location,
      })
    } catch (error) {
      if (error instanceof OneRosterError) {
        throw new AdminAreaError('E_VALIDATION', 400, error.message, {
          errors: [{ field: 'body', message: error.message }],
        })
      }
      throw error
    }
  })
  return app
}

/**
 * `/admin/ixl-import` (upload form, POST starts an import) and `/admin/ixl-import/runs/:id`
 * (a run's page, and `…/progress` as JSON for the polling script). Organisation administrators
 * import into and see runs of their own organisation only; operators pick one. Form posts pass
 * the app-wide CSRF guard; the file streams to disk, bounded by {@link IXL_UPLOAD_LIMIT_BYTES}.
 *
 * @module
 */
import { asc, inArray } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { orgs } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { ImportUsageError } from '../../ingest/errors.js'
import { receiveUpload, UploadError } from '../../web/upload-stream.js'
import { type AdminAccess, orgInScope, requireAdminAccess } from '../access.js'
import { AdminAreaError, NO_STORE } from '../errors.js'
import { ImportRunPage, IxlUploadPage } from './pages.js'
import { latestRuns, runProgress, visibleRun } from './runs.js'
import { IXL_UPLOAD_LIMIT_BYTES, startIxlUpload } from './upload.js'

async function html(c: Context, page: unknown, status: 200 | 400 | 413 = 200) {
  return c.html(`<!DOCTYPE html>${await page}`, status, NO_STORE)
}

/** The organisation the page is about, and an operator's choices. */
async function pageOrg(deps: CampusDeps, access: AdminAccess, asked: string | undefined) {
  const orgId = orgInScope(access, asked === '' ? undefined : asked)
  if (access.kind !== 'operator') return { orgId: orgId ?? access.orgId, choices: [] }
  const choices = await deps.database.db
    .select({ id: orgs.sourcedId, name: orgs.name })
    .from(orgs)
    .where(inArray(orgs.type, ['district', 'school']))
    .orderBy(asc(orgs.sourcedId))
  const known = choices.find((o) => o.id === orgId)
  if (asked && !known) throw new AdminAreaError('E_NOT_FOUND', 404, 'organisation not found')
  return { orgId: known?.id ?? choices[0]?.id ?? '', choices }
}

/** The IXL upload and import-run routes. */
export function externalImportRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const admin = requireAdminAccess(deps.adminToken)
  app.onError((error) => {
    if (error instanceof AdminAreaError) return error.response()
    throw error
  })

  const formPage = async (c: Context, notice?: string, status: 400 | 413 = 400) => {
    const access = c.get('adminAccess')
    const { orgId, choices } = await pageOrg(deps, access, c.req.query('orgId'))
    const runs = orgId ? await latestRuns(deps.database.db, orgId, 'ixl-csv') : []
    return html(
      c,
      <IxlUploadPage
        data={{
          access,
          orgId,
          orgs: choices,
          runs,
          notice: notice ? { text: notice, error: true } : undefined,
        }}
      />,
      notice ? status : 200,
    )
  }

  app.get('/admin/ixl-import', admin, (c) => formPage(c))

  app.post('/admin/ixl-import', admin, async (c) => {
    const access = c.get('adminAccess')
    const { orgId } = await pageOrg(deps, access, c.req.query('orgId'))
    let upload: Awaited<ReturnType<typeof receiveUpload>>
    try {
      upload = await receiveUpload(c.req.raw, { field: 'file', maxBytes: IXL_UPLOAD_LIMIT_BYTES })
    } catch (error) {
      if (!(error instanceof UploadError)) throw error
      if (error.code === 'E_UPLOAD_MISSING') return formPage(c, 'Choose a CSV file to import.')
      const tooLarge = error.code === 'E_UPLOAD_TOO_LARGE'
      return formPage(c, `The upload was refused: ${error.message}.`, tooLarge ? 413 : 400)
    }
    const form = upload.fields
    try {
      const runId = await startIxlUpload(deps, {
        orgId,
        upload,
        period: (form.period ?? '').trim().slice(0, 40),
        allowUnmatched: form.allowUnmatched === '1',
        dryRun: form.dryRun === '1',
        startedBy: access.userId,
      })
      return c.redirect(`/admin/ixl-import/runs/${runId}`, 303)
    } catch (error) {
      if (error instanceof ImportUsageError) return formPage(c, 'Unknown organisation.')
      throw error
    }
  })

  app.get('/admin/ixl-import/runs/:id', admin, async (c) => {
    const access = c.get('adminAccess')
    const run = await visibleRun(deps.database.db, access, c.req.param('id'))
    return html(c, <ImportRunPage access={access} run={run} />)
  })

  app.get('/admin/ixl-import/runs/:id/progress', admin, async (c) => {
    const run = await visibleRun(deps.database.db, c.get('adminAccess'), c.req.param('id'))
    return c.json(runProgress(run), 200, NO_STORE)
  })
  return app
}

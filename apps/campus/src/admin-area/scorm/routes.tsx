/**
 * The admin area's SCORM routes: `/admin/scorm` lists the organisation's packages and takes
 * uploads (administrators; teachers see the list without the form; CSRF-checked form post, its body bound by the zip limit rather than
 * the site's), `/admin/scorm/:id` reports the registrations of one package (administrators and
 * teachers of the organisation). A refused upload shows every problem and stores nothing.
 *
 * @module
 */
import { and, desc, eq, sql } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { requireRole, resolveOrgContext } from '../../auth/middleware.js'
import type { OrgContext } from '../../auth/principal.js'
import { scormPackages, scormRegistrations } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { dispatchKeys } from '../../dispatch/keys.js'
import { archivePackage } from '../../scorm/archive.js'
import { ScormError } from '../../scorm/errors.js'
import { importScormPackage } from '../../scorm/import.js'
import { packageOf } from '../../scorm/runtime/launch.js'
import { ArchiveConfirmPage } from './archive-page.js'
import { PackageReportPage, PackagesAdminPage } from './pages.js'

/** The upload path (its request body bound is the zip limit: see app.ts). */
export const SCORM_UPLOAD_PATH = '/admin/scorm/upload'

const NO_STORE = { 'cache-control': 'no-store' }
const NOTICES: Record<string, string> = {
  imported: 'Package imported.',
  unchanged: 'This package was uploaded before; nothing changed.',
  archived: 'Package archived: it can no longer be launched. Its registrations stay below.',
}

async function orgContext(c: Context): Promise<OrgContext> {
  const ctx = await resolveOrgContext(c)
  if (!ctx) throw new Error('no org context after requireRole')
  return ctx
}

function listPackages(deps: CampusDeps, orgId: string) {
  return deps.scorm.db
    .select()
    .from(scormPackages)
    .where(and(eq(scormPackages.orgSourcedId, orgId), eq(scormPackages.status, 'active')))
    .orderBy(desc(scormPackages.createdAt))
}

/** The SCORM admin routes. */
export function scormAdminRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  app.onError((error) => {
    if (error instanceof ScormError) return error.response()
    throw error
  })

  // Teachers see the list (to reach the reports); only administrators get the upload form.
  app.get('/admin/scorm', requireRole('administrator', 'teacher'), async (c) => {
    const { orgId, principal } = await orgContext(c)
    const page = (
      <PackagesAdminPage
        orgId={orgId}
        canUpload={principal.role === 'administrator'}
        packages={await listPackages(deps, orgId)}
        notice={NOTICES[c.req.query('notice') ?? '']}
        maxZipBytes={deps.scorm.limits.maxZipBytes}
      />
    )
    return c.html(`<!DOCTYPE html>${await page}`, 200, NO_STORE)
  })

  app.post(SCORM_UPLOAD_PATH, requireRole('administrator'), async (c) => {
    const { orgId, principal } = await orgContext(c)
    const form = await c.req.parseBody()
    const file = form.package
    const refuse = async (
      status: 400 | 413 | 422,
      message: string,
      problems: readonly string[],
    ) => {
      const page = (
        <PackagesAdminPage
          orgId={orgId}
          canUpload
          packages={await listPackages(deps, orgId)}
          refused={{ message, problems }}
          maxZipBytes={deps.scorm.limits.maxZipBytes}
        />
      )
      return c.html(`<!DOCTYPE html>${await page}`, status, NO_STORE)
    }
    if (!(file instanceof File) || file.size === 0) {
      return refuse(400, 'Choose a zip file to upload.', ['package: no file was sent'])
    }
    const course = typeof form.course === 'string' ? form.course.trim() : ''
    try {
      const result = await importScormPackage(deps.scorm, {
        orgId,
        courseId: course || null,
        bytes: Buffer.from(await file.arrayBuffer()),
        origin: file.name,
        via: 'admin',
        userId: principal.userId,
      })
      return c.redirect(
        `/admin/scorm/${result.packageId}?notice=${result.created ? 'imported' : 'unchanged'}`,
        303,
      )
    } catch (error) {
      if (!(error instanceof ScormError)) throw error
      const status = error.status === 413 ? 413 : error.status === 404 ? 400 : 422
      return refuse(status, error.message, error.problems)
    }
  })

  app.get('/admin/scorm/:id/archive', requireRole('administrator'), async (c) => {
    const { orgId } = await orgContext(c)
    const pkg = await packageOf(deps.scorm.db, orgId, c.req.param('id'))
    const [count] = await deps.scorm.db
      .select({ n: sql<number>`count(*)::int` })
      .from(scormRegistrations)
      .where(
        and(eq(scormRegistrations.packageId, pkg.id), eq(scormRegistrations.orgSourcedId, orgId)),
      )
    const page = <ArchiveConfirmPage pkg={pkg} registrations={Number(count?.n ?? 0)} />
    return c.html(`<!DOCTYPE html>${await page}`, 200, NO_STORE)
  })

  app.post('/admin/scorm/:id/archive', requireRole('administrator'), async (c) => {
    const { orgId } = await orgContext(c)
    const { pkg } = await archivePackage(deps.scorm, orgId, c.req.param('id'))
    // A dispatch's cached package summary: dispatch launches check the column themselves, but
    // the tenant pages should stop offering the package now rather than after the TTL.
    try {
      await deps.satchel.cache.del(dispatchKeys(deps.satchel).course(orgId, pkg.id))
    } catch (error) {
      deps.logger.warn({ err: error, packageId: pkg.id }, 'dispatch course not dropped from cache')
    }
    return c.redirect(`/admin/scorm/${pkg.id}?notice=archived`, 303)
  })

  app.get('/admin/scorm/:id', requireRole('administrator', 'teacher'), async (c) => {
    const { orgId } = await orgContext(c)
    const pkg = await packageOf(deps.scorm.db, orgId, c.req.param('id'))
    const { principal } = await orgContext(c)
    const registrations = await deps.scorm.db
      .select()
      .from(scormRegistrations)
      .where(
        and(eq(scormRegistrations.packageId, pkg.id), eq(scormRegistrations.orgSourcedId, orgId)),
      )
      .orderBy(desc(scormRegistrations.lastAccessedAt))
    const page = (
      <PackageReportPage
        pkg={pkg}
        registrations={registrations}
        notice={NOTICES[c.req.query('notice') ?? '']}
        canArchive={principal.role === 'administrator'}
      />
    )
    return c.html(`<!DOCTYPE html>${await page}`, 200, NO_STORE)
  })
  return app
}

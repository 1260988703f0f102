/**
 * The learner's SCORM routes: the package list, the player, the package content and the
 * run-time's commit endpoint. Every route needs a session and reads only its organisation's
 * packages; a commit is accepted only for the signed-in learner's own registration.
 *
 * @module
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { requireSignIn, resolveOrgContext } from '../../auth/middleware.js'
import type { OrgContext } from '../../auth/principal.js'
import { scormPackages, scormRegistrations } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { ScormError, scormNotFound } from '../errors.js'
import { learnerLaunchLimit } from '../launch-limits.js'
import { cachedManifest } from '../manifest-cache.js'
import { attemptHistory, startNewAttempt } from '../runtime/attempts.js'
import { commitCmi } from '../runtime/commit.js'
import { initialCmi } from '../runtime/initial-state.js'
import { launchablePackageOf, launchSco } from '../runtime/launch.js'
import { interactionsCmi, savedInteractions } from '../runtime/saved-interactions.js'
import { contentTypeOf } from '../zip/file-types.js'
import { PackagesPage, PlayerPage } from './player-page.js'
import { CONTENT_CSP, PLAYER_CSP } from './policies.js'

const NO_STORE = { 'cache-control': 'no-store' }
const CONTENT_PREFIX = '/scorm/content/'

async function orgContext(c: Context): Promise<OrgContext> {
  const ctx = await resolveOrgContext(c)
  // requireSignIn ran first; a missing context here is a bug, not a user error.
  if (!ctx) throw new Error('no org context after requireSignIn')
  return ctx
}

/** The URL the content frame opens for a SCO (its path segments encoded). */
export function contentUrl(packageId: string, href: string, parameters: string | null): string {
  const path = href.split('/').map(encodeURIComponent).join('/')
  return `${CONTENT_PREFIX}${packageId}/${path}${parameters ? `?${parameters}` : ''}`
}

/** The learner routes. */
export function scormLearnerRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const ctx = deps.scorm
  app.onError((error) => {
    if (error instanceof ScormError) return error.response()
    throw error
  })

  app.get('/scorm', requireSignIn(), async (c) => {
    const { orgId } = await orgContext(c)
    const packages = await ctx.db
      .select({
        id: scormPackages.id,
        title: scormPackages.title,
        version: scormPackages.version,
        edition: scormPackages.edition,
      })
      .from(scormPackages)
      .where(
        and(
          eq(scormPackages.orgSourcedId, orgId),
          eq(scormPackages.status, 'active'),
          isNull(scormPackages.archivedAt),
        ),
      )
      .orderBy(asc(scormPackages.title))
    return c.html(`<!DOCTYPE html>${await (<PackagesPage packages={packages} />)}`, 200, NO_STORE)
  })

  const launchLimit = learnerLaunchLimit(ctx.satchel, async (c) => {
    const { orgId, principal } = await orgContext(c)
    return `${orgId}:${principal.userId}`
  })

  app.get('/scorm/packages/:id', requireSignIn(), launchLimit, async (c) => {
    const { orgId, principal } = await orgContext(c)
    const launch = await launchSco(ctx.db, {
      orgId,
      userId: principal.userId,
      userName: principal.name,
      packageId: c.req.param('id'),
      scoId: c.req.query('sco') || undefined,
    })
    const manifest = await cachedManifest(ctx, launch.pkg)
    const item = manifest.items.find((i) => i.identifier === launch.sco.identifier)
    const state = {
      ...initialCmi(
        launch.pkg.version,
        { id: principal.userId, name: principal.name },
        item ?? launch.sco,
        launch.state,
      ),
      ...interactionsCmi(launch.pkg.version, await savedInteractions(ctx.db, launch.state.id)),
    }
    c.set('ownSecurityPolicy', { csp: PLAYER_CSP, frameOptions: 'DENY' })
    const page = (
      <PlayerPage
        pkg={launch.pkg}
        items={manifest.items}
        scos={launch.scos}
        current={launch.sco}
        version={launch.pkg.version}
        commitUrl={`/api/scorm/registrations/${launch.registration.id}/scos/${launch.sco.id}/commit`}
        launchUrl={contentUrl(launch.pkg.id, launch.sco.launchHref ?? '', launch.sco.parameters)}
        state={state}
        registration={launch.registration}
        attempts={await attemptHistory(ctx.db, orgId, principal.userId, launch.pkg.id)}
      />
    )
    return c.html(`<!DOCTYPE html>${await page}`, 200, NO_STORE)
  })

  // A new attempt of a finished package (a same-origin form post: CSRF-checked like every one).
  app.post('/scorm/packages/:id/attempts', requireSignIn(), launchLimit, async (c) => {
    const { orgId, principal } = await orgContext(c)
    const { attempt } = await startNewAttempt(ctx.db, {
      orgId,
      userId: principal.userId,
      userName: principal.name,
      packageId: c.req.param('id'),
    })
    ctx.logger.info({ orgId, packageId: c.req.param('id'), attempt }, 'scorm attempt started')
    return c.redirect(`/scorm/packages/${c.req.param('id')}`, 303)
  })

  app.get(`${CONTENT_PREFIX}:id/*`, requireSignIn(), async (c) => {
    const { orgId } = await orgContext(c)
    const pkg = await launchablePackageOf(ctx.db, orgId, c.req.param('id'))
    // The raw path, decoded once here (the router's path is partly decoded already, and a
    // second decoding would turn a file's literal `%` into something else).
    const rest = new URL(c.req.url).pathname.slice(`${CONTENT_PREFIX}${pkg.id}/`.length)
    let path: string
    try {
      path = rest.split('/').map(decodeURIComponent).join('/')
    } catch {
      throw scormNotFound('file')
    }
    const type = contentTypeOf(path)
    const data = type ? await ctx.store.read(pkg.storagePath, path) : null
    if (!type || !data) throw scormNotFound('file')
    c.set('ownSecurityPolicy', { csp: CONTENT_CSP, frameOptions: 'SAMEORIGIN' })
    return c.body(new Uint8Array(data), 200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      // Content of one organisation, fetched with the learner's cookie: never in a shared cache.
      'cache-control': 'private, max-age=300',
    })
  })

  app.post(
    '/api/scorm/registrations/:registrationId/scos/:scoId/commit',
    requireSignIn(),
    async (c) => {
      const { orgId, principal } = await orgContext(c)
      const registrationId = c.req.param('registrationId')
      const scoId = c.req.param('scoId')
      const uuid = /^[0-9a-f-]{36}$/
      if (!uuid.test(registrationId) || !uuid.test(scoId)) throw scormNotFound('registration')
      if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
        throw new ScormError('E_CMI_BODY', 415, 'Commits are JSON (application/json).')
      }
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        throw new ScormError('E_CMI_BODY', 400, 'The commit body is not valid JSON.')
      }
      const [registration] = await ctx.db
        .select({ version: scormPackages.version })
        .from(scormRegistrations)
        .innerJoin(scormPackages, eq(scormPackages.id, scormRegistrations.packageId))
        .where(
          and(
            eq(scormRegistrations.id, registrationId),
            eq(scormRegistrations.orgSourcedId, orgId),
            eq(scormRegistrations.learnerUserSourcedId, principal.userId),
          ),
        )
      if (!registration) throw scormNotFound('registration')
      await commitCmi(
        ctx.db,
        registration.version,
        { orgId, owner: { kind: 'user', userId: principal.userId }, registrationId, scoId },
        body,
      )
      return c.json({ result: true, errorCode: 0 }, 200, NO_STORE)
    },
  )
  return app
}

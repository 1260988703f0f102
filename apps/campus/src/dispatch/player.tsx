import { type Context, Hono } from 'hono'
import type { CampusDeps } from '../deps.js'
import { ScormError } from '../scorm/errors.js'
import { cachedManifest } from '../scorm/manifest-cache.js'
import { CONTENT_CSP, CONTENT_SANDBOX } from '../scorm/routes/policies.js'
import { ScoToc, type TocProps } from '../scorm/routes/toc.js'
import { commitCmi } from '../scorm/runtime/commit.js'
import { initialCmi } from '../scorm/runtime/initial-state.js'
import { launchablePackageOf, launchableScos, packageOf } from '../scorm/runtime/launch.js'
import { interactionsCmi, savedInteractions } from '../scorm/runtime/saved-interactions.js'
import { contentTypeOf } from '../scorm/zip/file-types.js'
import { CONTENT_SECURITY_POLICY, serializeCsp } from '../security/headers.js'
import { assetUrl } from '../web/assets/index.js'
import { DispatchError, dispatchNotFound, NO_STORE } from './errors.js'
import { checkLaunchToken } from './launch-token.js'
import type { DispatchRuntime } from './runtime.js'
import { chosenSco, openScoState } from './sco-state.js'

const CONTENT_PREFIX = '/dispatch/content/'

function DispatchPlayerPage(props: {
  title: string
  version: string
  commitUrl: string
  launchUrl: string
  launcherOrigin: string
  state: Record<string, string>
  toc: TocProps
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={assetUrl('scorm-player.css')} />
      </head>
      <body>
        <div class="scorm-layout">
          {props.toc.scos.length > 1 ? <ScoToc {...props.toc} /> : null}
          <div
            id="scorm-player"
            data-version={props.version}
            data-commit-url={props.commitUrl}
            data-launch-url={props.launchUrl}
            data-launcher-origin={props.launcherOrigin}
            data-state={JSON.stringify(props.state)}
          >
            <iframe id="scorm-content" title={props.title} sandbox={CONTENT_SANDBOX} />
            <p id="scorm-status" role="status" data-commits="0" />
          </div>
        </div>
        <script src={assetUrl(props.version === '1.2' ? 'scorm12.js' : 'scorm2004.js')} />
        <script src={assetUrl('scorm-player.js')} />
        <script src={assetUrl('dispatch-bridge.js')} />
      </body>
    </html>
  )
}

/**
 * Host sources of a tenant's allowed domains, for `frame-ancestors`, on any port (launches are
 * matched by host name too, `domains.ts`).
 */
function frameAncestors(domains: readonly string[]): string[] {
  return domains.length === 0 ? ["'none'"] : domains.map((d) => `${d}:*`)
}

/** The player routes. */
export function dispatchPlayerRoutes(deps: CampusDeps, rt: DispatchRuntime): Hono {
  const app = new Hono()
  app.onError((error) => {
    if (error instanceof DispatchError || error instanceof ScormError) return error.response()
    throw error
  })

  // The player's run-time commits here (JSON, also as a beacon on unload), with the token.
  app.post('/api/dispatch/registrations/:registrationId/scos/:scoId/commit', async (c) => {
    const registrationId = c.req.param('registrationId')
    const launch = await checkLaunchToken(rt, c.req.query('token'), registrationId)
    if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      throw new ScormError('E_CMI_BODY', 415, 'Commits are JSON (application/json).')
    }
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      throw new ScormError('E_CMI_BODY', 400, 'The commit body is not valid JSON.')
    }
    const pkg = await packageOf(deps.scorm.db, launch.orgId, launch.packageId)
    await commitCmi(
      deps.scorm.db,
      pkg.version,
      {
        orgId: launch.orgId,
        owner: { kind: 'dispatch', dispatchId: launch.dispatchId },
        registrationId,
        scoId: c.req.param('scoId'),
      },
      body,
    )
    const dispatch = await rt.cache.dispatch(launch.orgId, launch.dispatchId)
    if (dispatch) await rt.cache.registrationsChanged(launch.orgId, dispatch.tenantId)
    return c.json({ result: true, errorCode: 0 }, 200, NO_STORE)
  })

  app.get('/dispatch/play/:registrationId', async (c) => {
    const token = c.req.query('token')
    const launch = await checkLaunchToken(rt, token, c.req.param('registrationId'))
    const dispatch = await rt.cache.dispatch(launch.orgId, launch.dispatchId)
    const tenant = dispatch ? await rt.cache.tenant(launch.orgId, dispatch.tenantId) : null
    if (!dispatch || !tenant) throw dispatchNotFound('dispatch')
    const pkg = await launchablePackageOf(deps.scorm.db, launch.orgId, launch.packageId)
    const scos = await launchableScos(deps.scorm.db, pkg.id)
    const sco = await chosenSco(deps.scorm.db, scos, launch.registrationId, c.req.query('sco'))
    if (!sco?.launchHref) throw dispatchNotFound('SCO')
    const manifest = await cachedManifest(deps.scorm, pkg)
    const item = manifest.items.find((i) => i.identifier === sco.identifier)
    const scoState = await openScoState(deps.scorm.db, launch.orgId, launch.registrationId, sco.id)
    const state = {
      ...initialCmi(
        pkg.version,
        { id: launch.learnerId, name: launch.learnerName },
        item ?? sco,
        scoState,
      ),
      ...interactionsCmi(pkg.version, await savedInteractions(deps.scorm.db, scoState.id)),
    }
    const commitUrl = `/api/dispatch/registrations/${launch.registrationId}/scos/${sco.id}/commit?token=${encodeURIComponent(token ?? '')}`
    const path = sco.launchHref.split('/').map(encodeURIComponent).join('/')
    const launchUrl = `${CONTENT_PREFIX}${encodeURIComponent(token ?? '')}/${pkg.id}/${path}${sco.parameters ? `?${sco.parameters}` : ''}`
    c.set('ownSecurityPolicy', {
      csp: serializeCsp({
        ...CONTENT_SECURITY_POLICY,
        frameSrc: ["'self'"],
        frameAncestors: frameAncestors(tenant.allowedDomains),
      }),
      // Browsers obey frame-ancestors over X-Frame-Options; SAMEORIGIN is for those that don't.
      frameOptions: 'SAMEORIGIN',
    })
    const page = (
      <DispatchPlayerPage
        title={dispatch.title}
        version={pkg.version}
        commitUrl={commitUrl}
        launchUrl={launchUrl}
        launcherOrigin={launch.origin}
        state={state}
        toc={{
          items: manifest.items,
          scos,
          currentId: sco.id,
          href: (id) =>
            `/dispatch/play/${launch.registrationId}?token=${encodeURIComponent(token ?? '')}&sco=${id}`,
        }}
      />
    )
    return c.html(`<!DOCTYPE html>${await page}`, 200, NO_STORE)
  })

  app.get(`${CONTENT_PREFIX}:token/:packageId/*`, async (c: Context) => {
    const launch = await checkLaunchToken(rt, c.req.param('token'))
    if (launch.packageId !== c.req.param('packageId')) throw dispatchNotFound('file')
    const dispatch = await rt.cache.dispatch(launch.orgId, launch.dispatchId)
    const tenant = dispatch ? await rt.cache.tenant(launch.orgId, dispatch.tenantId) : null
    if (!tenant) throw dispatchNotFound('file')
    const pkg = await launchablePackageOf(deps.scorm.db, launch.orgId, launch.packageId)
    const prefix = `${CONTENT_PREFIX}${encodeURIComponent(c.req.param('token') ?? '')}/${pkg.id}/`
    let path: string
    try {
      path = c.req.path.slice(prefix.length).split('/').map(decodeURIComponent).join('/')
    } catch {
      throw dispatchNotFound('file')
    }
    const type = contentTypeOf(path)
    const data = type ? await deps.scorm.store.read(pkg.storagePath, path) : null
    if (!type || !data) throw dispatchNotFound('file')
    // frame-ancestors is checked against every ancestor: the player (campus) and the LMS page.
    c.set('ownSecurityPolicy', {
      csp: CONTENT_CSP.replace(
        "frame-ancestors 'self'",
        `frame-ancestors 'self' ${frameAncestors(tenant.allowedDomains).join(' ')}`,
      ),
      frameOptions: 'SAMEORIGIN',
    })
    return c.body(new Uint8Array(data), 200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'private, max-age=300',
    })
  })
  return app
}

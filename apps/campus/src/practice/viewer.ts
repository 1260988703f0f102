/**
 * Who is looking at a content page, as the page needs to know it: nobody signed in (the shared,
 * publicly cacheable page with a "sign in to practise" prompt), a signed-in member who is not a
 * learner (teachers and administrators preview questions), or a learner with their progress.
 *
 * A request without a session cookie costs nothing here; a learner's progress comes from its
 * own per-learner cache entry, never from the shared course bundle.
 *
 * @module
 */
import type { Context } from 'hono'
import { resolveOrgContext } from '../auth/middleware.js'
import type { CampusRole } from '../auth/principal.js'
import type { CampusDeps } from '../deps.js'
import { getLearnerProgress, type LearnerProgress, type ResourceProgress } from './progress.js'

/** The viewer of a page. */
export type PageViewer =
  | { kind: 'anonymous' }
  | { kind: 'member'; name: string; role: CampusRole; orgId: string }
  | { kind: 'learner'; name: string; orgId: string; userId: string; progress: LearnerProgress }

/** Nobody signed in (and what JSON twins and tests render with). */
export const ANONYMOUS: PageViewer = { kind: 'anonymous' }

/** The viewer of this request (see the module comment). */
export async function loadPageViewer(deps: CampusDeps, c: Context): Promise<PageViewer> {
  const ctx = await resolveOrgContext(c)
  if (!ctx) return ANONYMOUS
  const { principal } = ctx
  if (principal.role !== 'student') {
    return { kind: 'member', name: principal.name, role: principal.role, orgId: ctx.orgId }
  }
  return {
    kind: 'learner',
    name: principal.name,
    orgId: ctx.orgId,
    userId: principal.userId,
    progress: await getLearnerProgress(deps.content, ctx.orgId, principal.userId),
  }
}

/** The viewer's record on a resource, when they are a learner who tried it. */
export function progressOf(viewer: PageViewer, resourceId: string): ResourceProgress | undefined {
  return viewer.kind === 'learner' ? viewer.progress.resources[resourceId] : undefined
}

/**
 * Search as the routes call it: the access rules, then the cached query. Entries live 60 s,
 * are keyed by organisation, type, audience, normalised text and limit, and carry the
 * organisation's tag (imports drop them; reports/invalidation.ts).
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../../db/client.js'
import { searchReportsTag } from '../reports/tags.js'
import { type AnalyticsViewer, taughtClassIds } from './access.js'
import { AnalyticsError } from './errors.js'
import type { SearchInput } from './input.js'
import { runSearch, type SearchHit, type SearchScope } from './repository.js'

/** How long a search answer is served from the cache. */
export const SEARCH_TTL_MS = 60_000

/** What a search needs. */
export interface SearchDeps {
  readonly satchel: Satchel
  readonly db: Database
}

/** A search answer. */
export interface SearchResult {
  readonly type: SearchInput['type']
  readonly q: string
  readonly limit: number
  readonly results: readonly SearchHit[]
}

/**
 * Whom the viewer may find: students search courses only; teachers their classes and the
 * students enrolled in them, and every course of the organisation; administrators everything
 * in their subtree. Throws 403 for a student asking for students or classes.
 */
async function scopeOf(
  db: Database,
  viewer: AnalyticsViewer,
  input: SearchInput,
): Promise<{ scope: SearchScope; audience: string }> {
  if (viewer.role === 'student' && input.type !== 'courses') {
    throw new AnalyticsError('E_FORBIDDEN', 403, 'Students may search courses only.')
  }
  if (viewer.role === 'teacher' && input.type !== 'courses') {
    const classIds = await taughtClassIds(db, viewer)
    // The teacher's own entry: another teacher's classes are other results.
    return { scope: { orgIds: viewer.subtree, classIds }, audience: `teacher:${viewer.userId}` }
  }
  return { scope: { orgIds: viewer.subtree }, audience: 'org' }
}

/** Authorises, then answers from the cache or PostgreSQL. */
export async function search(
  deps: SearchDeps,
  viewer: AnalyticsViewer,
  input: SearchInput,
): Promise<SearchResult> {
  const { scope, audience } = await scopeOf(deps.db, viewer, input)
  const key = deps.satchel.keys
    .org(viewer.orgId)
    .key('search', input.type, audience, String(input.limit), input.q)
  const results = await deps.satchel.cache.getOrSet(
    key,
    () => runSearch(deps.db, input.type, input.terms, scope, input.limit),
    { ttl: SEARCH_TTL_MS, tags: [searchReportsTag(viewer.orgId)] },
  )
  return { type: input.type, q: input.q, limit: input.limit, results }
}

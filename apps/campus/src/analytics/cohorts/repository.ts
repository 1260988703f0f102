/**
 * Cohort data through the shared cache: one entry per (session organisation, scope, id, score
 * source, filters), fresh for {@link COHORT_TTL}. Every key part is validated and, for ids,
 * checked to exist before this is called (access.ts), so an organisation holds at most
 * (classes + grade levels + schools) × sources × picks × (courses + 1) × (periods + 1) entries.
 * Redis down: satchel answers from L1 or the loader (PostgreSQL).
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../../db/client.js'
import { classTag, courseTag, orgTag } from '../tags.js'
import { type CohortRef, keyParts, type ScoreQuery, type ScoreSource } from './params.js'
import { type CohortData, loadCohortData } from './queries.js'

/** How long a cohort's scores are served before they are read again. */
export const COHORT_TTL = '5m'

/** Every cohort entry of one organisation for one score source (what a change drops). */
export function cohortSourceTag(orgId: string, score: ScoreSource): string {
  return `${orgTag(orgId)}:cohorts:${score}`
}

/** The tags of one entry: the source's, and the class or course it reads. */
export function cohortTags(orgId: string, cohort: CohortRef, scores: ScoreQuery): string[] {
  const tags = [cohortSourceTag(orgId, scores.score)]
  if (cohort.scope === 'class') tags.push(classTag(orgId, cohort.id))
  if (scores.score === 'quiz' && scores.course !== null) {
    tags.push(courseTag(orgId, scores.course))
  }
  return tags
}

/** The cache key of one cohort's data (organisation-scoped, escaped by satchel). */
export function cohortKey(
  satchel: Satchel,
  orgId: string,
  cohort: CohortRef,
  scores: ScoreQuery,
): string {
  return satchel.keys.org(orgId).key('cohorts', ...keyParts(cohort, scores))
}

/**
 * A cohort's observations, cached. `orgId` is the session's organisation and `subtree` its
 * organisations ({@link orgSubtree}); the caller has authorised the request already.
 */
export function cachedCohortData(
  deps: { readonly satchel: Satchel; readonly db: Database },
  orgId: string,
  subtree: readonly string[],
  cohort: CohortRef,
  scores: ScoreQuery,
): Promise<CohortData> {
  return deps.satchel.cache.getOrSet(
    cohortKey(deps.satchel, orgId, cohort, scores),
    () => loadCohortData(deps.db, subtree, cohort, scores),
    { ttl: COHORT_TTL, tags: cohortTags(orgId, cohort, scores) },
  )
}

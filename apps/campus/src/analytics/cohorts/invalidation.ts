/**
 * What a data change makes stale among cached cohorts. Entries are keyed by the session's
 * organisation, which may be an ancestor (a district) of the organisation whose rows changed
 * (a school), so every rule drops the tags of the changed organisations and of their ancestors.
 * A roster import can move learners between classes, grades and schools: it drops every source;
 * an IXL or Toddle import drops its own source; a graded attempt drops quiz cohorts.
 *
 * @module
 */
import { createInvalidator } from 'satchel'
import type { ChangeDeps, ChangeHandler, DataChange } from '../changes.js'
import { orgAncestry } from '../scope.js'
import { SCORES, type ScoreSource } from './params.js'
import { cohortSourceTag } from './repository.js'

/** The score sources a change can alter. */
export function sourcesChangedBy(change: DataChange): readonly ScoreSource[] {
  if (change.kind === 'attempt') return ['quiz']
  if (change.source === 'ixl-csv') return ['ixl']
  if (change.source.startsWith('toddle-')) return ['toddle']
  if (change.source === 'oneroster-csv') return SCORES
  return []
}

function invalidator(deps: ChangeDeps) {
  return createInvalidator(deps.satchel.cache, {
    sources: (orgIds: readonly string[], sources: readonly ScoreSource[]) => ({
      tags: orgIds.flatMap((o) => sources.map((s) => cohortSourceTag(o, s))),
    }),
  })
}

/** The cohorts family's {@link ChangeHandler}. */
export const cohortChangeHandler: ChangeHandler = {
  name: 'cohorts',
  async handle(deps, change) {
    const sources = sourcesChangedBy(change)
    if (sources.length === 0) return
    const orgIds = await orgAncestry(
      deps.db,
      change.kind === 'attempt' ? [change.orgId] : change.orgIds,
    )
    if (orgIds.length === 0) return
    await invalidator(deps).sources(orgIds, sources)
  },
}

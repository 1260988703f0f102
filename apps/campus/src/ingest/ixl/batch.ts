/**
 * One batch of parsed IXL rows: learners matched (one query), duplicates caught, and the score
 * and usage rows upserted inside the import's transaction.
 *
 * @module
 */
import type { Database } from '../../db/client.js'
import { externalAssessmentScores, externalUsage } from '../../db/schema.js'
import { type LearnerKey, matchLearners } from '../learners.js'
import { problemLine } from '../problems.js'
import { upsertRows } from '../upsert.js'
import type { IxlImportOptions } from './import.js'
import type { IxlRow } from './row.js'
import { addProblem, type State } from './state.js'

/** Matches and writes `rows`; once the file is known to be refused, only matches and reports. */
export async function writeBatch(
  tx: Database,
  options: IxlImportOptions,
  state: State,
  header: readonly string[],
  rows: IxlRow[],
): Promise<void> {
  const { run, file } = state
  const idColumn = header.find((h) => /^(student )?id$/i.test(h.trim())) ?? 'ID'
  const keys: LearnerKey[] = rows.map((r) => ({
    id: r.id,
    firstName: r.firstName,
    lastName: r.lastName,
    grade: r.grade,
  }))
  const matches = await matchLearners(tx, options.orgSourcedId, keys)
  const scoreRows: (typeof externalAssessmentScores.$inferInsert)[] = []
  const usageRows: (typeof externalUsage.$inferInsert)[] = []
  rows.forEach((row, i) => {
    const match = matches[i]
    if (match?.kind !== 'matched') {
      run.counts.rowsRejected++
      const reason = match?.reason ?? 'no learner'
      if (match?.kind === 'ambiguous') {
        addProblem(state, problemLine(file, row.line, idColumn, `ambiguous: ${reason}`), true)
      } else {
        state.unmatched++
        addProblem(state, problemLine(file, row.line, idColumn, `unmatched: ${reason}`), false)
      }
      return
    }
    const seenKey = `${match.userSourcedId}\u0000${row.period}`
    const first = state.seen.get(seenKey)
    if (first !== undefined) {
      run.counts.rowsRejected++
      addProblem(
        state,
        problemLine(
          file,
          row.line,
          idColumn,
          `duplicate row: row ${first} already has this learner (${match.userSourcedId})${row.period ? ` for ${row.period}` : ''}`,
        ),
        true,
      )
      return
    }
    state.seen.set(seenKey, row.line)
    const common = {
      orgSourcedId: options.orgSourcedId,
      userSourcedId: match.userSourcedId,
      provider: 'ixl',
      period: row.period,
      gradeLevel: row.grade,
      importRunId: run.id,
    }
    const assessment = state.layout?.startsWith('levelup') ? 'levelup-benchmark' : 'diagnostic'
    for (const s of row.scores) scoreRows.push({ ...common, assessment, ...s })
    for (const u of row.usage) usageRows.push({ ...common, ...u })
  })
  // Once the file is known to be refused, reading goes on only to find every problem.
  if (state.hardProblems > 0 || (state.unmatched > 0 && !options.allowUnmatched)) return
  const t = externalAssessmentScores
  const u = externalUsage
  for (const counts of [
    await upsertRows(
      tx,
      t,
      [t.orgSourcedId, t.provider, t.assessment, t.subject, t.period, t.userSourcedId, t.strand],
      scoreRows,
    ),
    await upsertRows(
      tx,
      u,
      [u.orgSourcedId, u.provider, u.subject, u.period, u.userSourcedId],
      usageRows,
    ),
  ]) {
    state.written.inserted += counts.inserted
    state.written.updated += counts.updated
    state.written.unchanged += counts.unchanged
    run.counts.rowsInserted += counts.inserted
    run.counts.rowsUpdated += counts.updated
    run.counts.rowsUnchanged += counts.unchanged
  }
}

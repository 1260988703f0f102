/**
 * `importOneRoster`: a OneRoster 1.2 CSV set (directory or zip) into the database, all or
 * nothing. Every file is streamed and checked row by row into staging tables inside one
 * transaction; the cross-file checks run over the staged rows; only when the whole set has no
 * problem are the rows written, and a dry run (or any problem) rolls everything back. The run
 * is recorded in `import_runs` (counters while it goes, problems and outcome at the end).
 *
 * Problems are `file:row:column: reason`, every one of them: the row checks go on after a bad
 * row and the other files are still read, so one run lists all there is to fix.
 *
 * @module
 */
import { eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { orgs } from '../../db/schema.js'
import { setCurrentFile } from '../progress.js'
import { type ImportRun, type RunCounts, startRun } from '../runs.js'
import { retireAbsent, upsertFile } from './apply.js'
import { danglingReferences, duplicateIds, outsideOrg, takenUsernames } from './checks.js'
import { problem } from './errors.js'
import { FILES, type FileSpec } from './files.js'
import { DEFAULT_LIMITS, type ImportLimits } from './limits.js'
import { checkManifestFiles, type FileMode, readManifest } from './manifest.js'
import { readCsvFile } from './read-csv.js'
import { openSource } from './source.js'
import { createStage, indexStage, queryRows, stageRows, type Tx } from './stage.js'

/** Options of {@link importOneRoster}. */
export interface ImportOptions {
  /** A directory holding the CSV files, or a zip of them. */
  path: string
  /** How the run was started. */
  via: 'cli' | 'admin' | 'api'
  /** Confine the set to this organisation and its descendants. */
  orgId?: string | undefined
  /** Check everything, write nothing. */
  dryRun?: boolean
  /** Who started it (admin uploads). */
  startedBy?: string | null
  /** What the run is called in `import_runs.origin` (an upload's file name). @default path */
  origin?: string
  /** Size bounds; unset fields take {@link DEFAULT_LIMITS}. */
  limits?: Partial<ImportLimits>
  /** Called once the run row exists (the admin page redirects to it; the CLI shows progress). */
  onStart?: (run: ImportRun) => void
  /** Called with every problem as it is found. */
  onProblem?: (line: string) => void
}

/** What the rows written touched, for cache invalidation after the commit. */
export interface ImportAffected {
  orgIds: string[]
  courseIds: string[]
  /** Users whose roles, status or enabled flag changed: their cached sessions must go. */
  userIds: string[]
}

/** The outcome of an import. */
export interface ImportResult {
  runId: string
  status: 'succeeded' | 'failed' | 'dry-run'
  counts: RunCounts
  problemCount: number
  /** The first problems (all of them went to `onProblem`). */
  problems: string[]
  affected: ImportAffected
}

/** Advisory lock key of OneRoster imports (any constant unique among campus's locks). */
const ONEROSTER_IMPORT_LOCK = 7_261_014

/** Thrown inside the transaction to roll it back (problems found, or a dry run). */
class Rollback extends Error {}

const NOTHING: ImportAffected = { orgIds: [], courseIds: [], userIds: [] }

/**
 * Imports a OneRoster set.
 *
 * @example
 * const result = await importOneRoster(db, { path: 'roster.zip', via: 'cli', orgId: 'district-1' })
 * if (result.status === 'failed') for (const p of result.problems) console.error(p)
 */
export async function importOneRoster(db: Database, options: ImportOptions): Promise<ImportResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const source = await openSource(options.path, limits)
  try {
    const orgExists =
      options.orgId !== undefined &&
      (await db.select({ id: orgs.sourcedId }).from(orgs).where(eq(orgs.sourcedId, options.orgId)))
        .length > 0
    const readable = new Set(source.entries.map((e) => e.name))
    const present = new Set([...readable, ...source.refused])
    const dataFiles = FILES.filter((f) => readable.has(f.name))
    const run = await startRun(db, {
      source: 'oneroster-csv',
      origin: options.origin ?? options.path,
      via: options.via,
      orgSourcedId: orgExists ? (options.orgId ?? null) : null,
      startedBy: options.startedBy ?? null,
      contentHash: source.contentHash ?? null,
      filesTotal: dataFiles.length,
    })
    options.onStart?.(run)
    const report = (line: string): void => {
      run.problem(line)
      options.onProblem?.(line)
    }
    const finish = async (
      status: ImportResult['status'],
      affected: ImportAffected,
      error?: string,
    ): Promise<ImportResult> => {
      await run.finish(status, error)
      return {
        runId: run.id,
        status,
        counts: run.counts,
        problemCount: run.problemCount,
        problems: run.problems,
        affected,
      }
    }
    try {
      for (const line of source.problems) report(line)
      if (!readable.has('manifest.csv')) {
        // Present but refused (too large): the listing's problem says why.
        if (!present.has('manifest.csv')) {
          report(problem('manifest.csv', null, null, 'missing; a OneRoster set must include it'))
        }
        return await finish('failed', NOTHING)
      }
      const manifest = await readManifest(await source.open('manifest.csv'), report)
      if (!manifest) return await finish('failed', NOTHING)
      checkManifestFiles(manifest, present, report)

      const now = new Date().toISOString()
      let affected = NOTHING
      try {
        await db.transaction(async (tx) => {
          // One OneRoster import at a time: two sets upserting the same rows would otherwise
          // interleave their checks and writes (each checked against the other's unwritten state).
          await tx.execute(sql`SELECT pg_advisory_xact_lock(${ONEROSTER_IMPORT_LOCK})`)
          const columns = new Map<string, string[]>()
          const staged = new Set<string>()
          // Files the manifest lists that are missing, refused or not read whole.
          const unreadable = new Set(
            FILES.filter(
              (f) =>
                manifest.modes.get(f.name) !== 'absent' &&
                manifest.modes.has(f.name) &&
                !readable.has(f.name),
            ).map((f) => f.name),
          )
          for (const spec of dataFiles) {
            const mode = manifest.modes.get(spec.name)
            if (mode !== 'bulk' && mode !== 'delta') continue
            setCurrentFile(run, spec.name)
            await createStage(tx, spec)
            staged.add(spec.name)
            const used = new Set<string>()
            const read = await readCsvFile(await source.open(spec.name), {
              spec,
              mode,
              now,
              report,
              onRow: () => {
                run.counts.rowsRead++
              },
              onBatch: async (rows) => {
                // Valid rows all carry the same columns: one tells which the file has.
                const valid = rows.find((r) => !r.rejected)
                if (valid) for (const key of Object.keys(valid)) used.add(key)
                await stageRows(tx, spec, rows)
                // Not awaited: on single-connection PGlite the write waits for the transaction.
                void run.progress()
              },
            })
            run.counts.rowsRejected += read.rejected
            if (!read.complete) unreadable.add(spec.name)
            columns.set(
              spec.name,
              spec.fields.flatMap((f) =>
                f.column && (used.has(f.column) || read.rows === 0) ? [f.column] : [],
              ),
            )
            await indexStage(tx, spec)
            run.counts.filesDone++
            void run.progress()
          }
          setCurrentFile(run, 'checking references')
          await crossChecks(tx, dataFiles, staged, columns, unreadable, options.orgId, report)
          if (run.problemCount > 0) throw new Rollback('problems')
          setCurrentFile(run, 'writing')
          affected = await writeSet(
            tx,
            dataFiles,
            staged,
            columns,
            manifest.modes,
            run,
            options.orgId,
          )
          if (options.dryRun) throw new Rollback('dry run')
        })
      } catch (error) {
        if (!(error instanceof Rollback)) throw error
        if (run.problemCount > 0) {
          run.counts.rowsInserted = 0
          run.counts.rowsUpdated = 0
          return await finish('failed', NOTHING)
        }
        return await finish('dry-run', NOTHING)
      }
      return await finish('succeeded', affected)
    } catch (error) {
      await finish('failed', NOTHING, (error as Error).message).catch(() => undefined)
      throw error
    }
  } finally {
    await source.close()
  }
}

/** The SQL checks across rows and files (checks.ts), reported in file order. */
async function crossChecks(
  tx: Tx,
  files: readonly FileSpec[],
  staged: ReadonlySet<string>,
  columns: ReadonlyMap<string, string[]>,
  unreadable: ReadonlySet<string>,
  orgId: string | undefined,
  report: (line: string) => void,
): Promise<void> {
  for (const spec of files) {
    if (!staged.has(spec.name)) continue
    for (const line of await duplicateIds(tx, spec)) report(line)
    if (spec.name === 'users.csv') for (const line of await takenUsernames(tx, spec)) report(line)
    const present = new Set(columns.get(spec.name) ?? [])
    for (const line of await danglingReferences(tx, spec, staged, present, unreadable)) report(line)
  }
  if (orgId !== undefined)
    for (const line of await outsideOrg(tx, files, orgId, staged)) report(line)
}

/** Upserts every staged file, retires rows bulk files dropped, and says what changed. */
async function writeSet(
  tx: Tx,
  files: readonly FileSpec[],
  staged: ReadonlySet<string>,
  columns: ReadonlyMap<string, string[]>,
  modes: ReadonlyMap<string, FileMode>,
  run: ImportRun,
  orgId: string | undefined,
): Promise<ImportAffected> {
  const userIds = new Set<string>()
  if (staged.has('users.csv')) {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`SELECT s.sourced_id AS id FROM stage_users s JOIN users u USING (sourced_id)
          WHERE (u.enabled_user, u.status) IS DISTINCT FROM (s.enabled_user, s.status)`,
    )
    for (const r of rows) userIds.add(r.id)
  }
  if (staged.has('roles.csv')) {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`SELECT DISTINCT r.user_sourced_id AS id FROM stage_user_roles s JOIN user_roles r USING (sourced_id)
          WHERE (r.user_sourced_id, r.role, r.org_sourced_id, r.status)
                IS DISTINCT FROM (s.user_sourced_id, s.role, s.org_sourced_id, s.status)`,
    )
    for (const r of rows) userIds.add(r.id)
  }
  let staging = 0
  let retired = 0
  for (const spec of files) {
    if (!staged.has(spec.name)) continue
    const [count] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(`stage_${spec.table}`)}`,
    )
    staging += count?.n ?? 0
    const written = await upsertFile(tx, spec, columns.get(spec.name) ?? [], run.id)
    run.counts.rowsInserted += written.inserted
    run.counts.rowsUpdated += written.updated
    if (modes.get(spec.name) === 'bulk') {
      retired += await retireAbsent(tx, spec, run.id, orgId)
    }
  }
  run.counts.rowsUnchanged = Math.max(0, staging - run.counts.rowsInserted - run.counts.rowsUpdated)
  // Retired rows are updates too (status → tobedeleted), though no file row names them.
  run.counts.rowsUpdated += retired
  const ids = async (table: string) =>
    (
      await queryRows<{ id: string }>(
        tx,
        sql`SELECT sourced_id AS id FROM ${sql.identifier(table)} WHERE import_run_id = ${run.id}::uuid`,
      )
    ).map((r) => r.id)
  return {
    orgIds: await ids('orgs'),
    courseIds: await ids('courses'),
    userIds: [...userIds].sort(),
  }
}

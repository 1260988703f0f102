/**
 * `campus import ixl <csv> --org <id> [--period <label>] [--allow-unmatched] [--dry-run]`.
 *
 * Exit codes: 0 imported (or dry run passed); 1 the file was refused (every problem listed as
 * `file:row:column: reason`, nothing written); 2 bad arguments or an unknown organisation.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import type { CampusConfig } from '../config.js'
import type { DatabaseHandle } from '../db/client.js'
import { ImportUsageError } from '../ingest/errors.js'
import { importIxlFile } from '../ingest/ixl/import.js'
import { parseImportArgs } from './import-args.js'
import { createImportProgress } from './import-progress.js'
import { type CommandOutput, openConfiguredDatabase } from './seed.js'
import { announceImportToCampus } from './shared-cache.js'

/** Usage text of `campus import ixl`. */
export const IXL_USAGE = `Usage: campus import ixl <file.csv> --org <orgSourcedId> [options]

  --org ID            organisation whose learners the file is about (required)
  --period LABEL      period of a snapshot whose file has no Administration/Year columns
  --allow-unmatched   write the rows that match a learner; report the others (default: refuse)
  --dry-run           read, check and count, then write nothing

Writes to DATABASE_URL, else to embedded PGlite in $CAMPUS_DATA_DIR/pglite (default ./.campus).
`

/** Seams for tests: open a database other than the one the environment names. */
export interface ImportDeps {
  openDatabase?: (config: CampusConfig) => Promise<DatabaseHandle>
}

/**
 * Runs `campus import ixl` with `argv` (the arguments after `ixl`) and returns the exit code.
 *
 * @example
 * process.exitCode = await importIxlCommand(['ixl.csv', '--org', 'org-school-01'], process.env, process)
 */
export async function importIxlCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
  deps: ImportDeps = {},
): Promise<number> {
  const args = parseImportArgs<{ period?: string }>(
    'ixl',
    IXL_USAGE,
    { period: { type: 'string' } },
    argv,
    env,
    out,
  )
  if (typeof args === 'number') return args
  const { values, positionals, config, usage } = args
  const [path, ...extra] = positionals
  if (!path || extra.length > 0) return usage('give exactly one CSV file')
  if (!existsSync(path)) return usage(`no such file: ${path}`)

  const database = await (deps.openDatabase ?? openConfiguredDatabase)(config)
  const progress = createImportProgress(out, 'ixl')
  try {
    const result = await importIxlFile({
      db: database.db,
      liveRunProgress: database.kind === 'pg',
      orgSourcedId: values.org,
      path,
      via: 'cli',
      dryRun: values['dry-run'] ?? false,
      period: values.period,
      allowUnmatched: values['allow-unmatched'] ?? false,
      onProgress: (p) => progress.update(p.counts),
    })
    progress.done(result.counts)
    for (const problem of result.problems) out.stderr.write(`${problem}\n`)
    if (result.status === 'failed') {
      out.stderr.write(`campus import ixl: ${result.summary} (import run ${result.runId})\n`)
      return 1
    }
    out.stdout.write(`campus import ixl: ${result.summary} (import run ${result.runId})\n`)
    if (result.status === 'succeeded') {
      const change = {
        kind: 'import',
        source: 'ixl-csv',
        orgIds: [values.org],
        userIds: [],
      } as const
      out.stdout.write(await announceImportToCampus(config, database, change))
    }
    return 0
  } catch (error) {
    if (error instanceof ImportUsageError) return usage(error.message)
    throw error
  } finally {
    await database.close()
  }
}

/**
 * `campus import oneroster <dir|zip> [--org ID] [--dry-run]` and
 * `campus export oneroster <dir|zip>`: the OneRoster 1.2 CSV set in and out of the database the
 * server would open (DATABASE_URL, else PGlite under CAMPUS_DATA_DIR). docs/ingestion.md.
 *
 * Exit codes: 0 done (or a dry run found no problem); 1 the set has problems, every one printed
 * to stderr as `file:row:column: reason`, and nothing was written; 2 bad arguments, an
 * unreadable path or configuration.
 *
 * @module
 */
import { parseArgs } from 'node:util'
import { type CampusConfig, ConfigError, loadConfig } from '../config.js'
import type { DatabaseHandle } from '../db/client.js'
import { afterImport } from '../ingest/oneroster/after-import.js'
import { OneRosterError } from '../ingest/oneroster/errors.js'
import { exportOneRoster } from '../ingest/oneroster/export.js'
import { importOneRoster } from '../ingest/oneroster/import.js'
import type { ImportLimits } from '../ingest/oneroster/limits.js'
import { type ProgressDisplay, showRunProgress } from '../ingest/progress.js'
import { type CommandOutput, openConfiguredDatabase } from './seed.js'
import { withSharedCache } from './shared-cache.js'

/** Seams for tests: another database, other limits. */
export interface OneRosterCommandDeps {
  openDatabase?: (config: CampusConfig) => Promise<DatabaseHandle>
  limits?: Partial<ImportLimits>
}

/** Usage of both commands. */
export const ONEROSTER_USAGE = `Usage: campus import oneroster <dir|zip> [--org ID] [--dry-run]
       campus export oneroster <dir|zip>

  import   reads a OneRoster 1.2 CSV set (manifest.csv and its files) and writes it in one
           transaction: nothing is written unless every file is valid
    --org ID     every organisation in the set must be ID or one of its schools
    --dry-run    check everything, write nothing
  export   writes every OneRoster table as a bulk set (a .zip path, or a new directory)

Problems are printed as file:row:column: reason (row = line in the file, header = 1).
Writes to DATABASE_URL, else to embedded PGlite in $CAMPUS_DATA_DIR/pglite (default ./.campus).
`

function usage(out: CommandOutput, message: string): number {
  out.stderr.write(`campus oneroster: ${message}\n\n${ONEROSTER_USAGE}`)
  return 2
}

/**
 * Runs `campus import oneroster …` (`argv` after `oneroster`).
 *
 * @example
 * process.exitCode = await importOneRosterCommand(['roster.zip', '--dry-run'], process.env, process)
 */
export async function importOneRosterCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
  deps: OneRosterCommandDeps = {},
): Promise<number> {
  let values: { org?: string; 'dry-run'?: boolean; help?: boolean }
  let positionals: string[]
  let config: CampusConfig
  try {
    ;({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        org: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    }))
    config = loadConfig(env)
  } catch (error) {
    return usage(out, error instanceof ConfigError ? error.message : (error as Error).message)
  }
  if (values.help) {
    out.stdout.write(ONEROSTER_USAGE)
    return 0
  }
  if (positionals.length !== 1 || !positionals[0])
    return usage(out, 'give one directory or zip file')
  const path = positionals[0]
  const database = await (deps.openDatabase ?? openConfiguredDatabase)(config)
  let display: ProgressDisplay | undefined
  try {
    const result = await importOneRoster(database.db, {
      path,
      via: 'cli',
      orgId: values.org,
      dryRun: values['dry-run'] ?? false,
      limits: deps.limits,
      onStart: (run) => {
        display = showRunProgress(run, out.stdout, 'oneroster')
      },
      onProblem: (line) => {
        out.stderr.write(`${line}\n`)
      },
    })
    display?.stop()
    const c = result.counts
    if (result.status === 'failed') {
      out.stderr.write(
        `campus import oneroster: ${result.problemCount} problem(s); nothing was written (run ${result.runId})\n`,
      )
      return 1
    }
    out.stdout.write(
      `campus import oneroster: ${result.status === 'dry-run' ? 'dry run, nothing written' : 'imported'}: ` +
        `${c.rowsRead} rows in ${c.filesDone} files; ${c.rowsInserted} inserted, ${c.rowsUpdated} updated, ` +
        `${c.rowsUnchanged} unchanged (run ${result.runId})\n`,
    )
    if (result.status === 'succeeded')
      out.stdout.write(await invalidate(config, database, result.affected))
    return 0
  } catch (error) {
    display?.stop()
    if (error instanceof OneRosterError) return usage(out, error.message)
    throw error
  } finally {
    await database.close()
  }
}

/** Invalidates and warms the cache running campus processes share (cli/shared-cache.ts). */
function invalidate(
  config: CampusConfig,
  database: DatabaseHandle,
  affected: Parameters<typeof afterImport>[1],
): Promise<string> {
  return withSharedCache(config, database, async (deps) => {
    const done = await afterImport(deps, affected)
    return (
      `Caches invalidated in Redis (REDIS_URL): ${affected.courseIds.length} course(s), ` +
      `${affected.orgIds.length} organisation(s), ${done.sessionsInvalidated} user session set(s); ` +
      `${done.warmed} bundle(s) warmed${done.pending ? ' (some deletes unconfirmed; retrying)' : ''}.\n`
    )
  })
}

/** Runs `campus export oneroster <dir|zip>`. */
export async function exportOneRosterCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
  deps: OneRosterCommandDeps = {},
): Promise<number> {
  let positionals: string[]
  let config: CampusConfig
  try {
    ;({ positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true }))
    config = loadConfig(env)
  } catch (error) {
    return usage(out, (error as Error).message)
  }
  if (positionals.length !== 1 || !positionals[0])
    return usage(out, 'give one directory or .zip path')
  const database = await (deps.openDatabase ?? openConfiguredDatabase)(config)
  try {
    const counts = await exportOneRoster(database.db, positionals[0], (name, rows) => {
      out.stdout.write(`${name} ${rows} rows\n`)
    })
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    out.stdout.write(`campus export oneroster: ${total} rows to ${positionals[0]}\n`)
    return 0
  } catch (error) {
    if (error instanceof OneRosterError) return usage(out, error.message)
    throw error
  } finally {
    await database.close()
  }
}

/**
 * `campus seed --scale small|large [--seed N] [--reset]`: generates a data set and writes it
 * to the database the server would open (DATABASE_URL, else PGlite under CAMPUS_DATA_DIR).
 *
 * Exit codes: 0 written; 1 the write failed (nothing was written: one transaction); 2 bad
 * arguments or configuration, or the database already has courses and `--reset` is absent.
 *
 * @module
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { createSatchel } from 'satchel'
import { type CampusConfig, ConfigError, loadConfig } from '../config.js'
import { type DatabaseHandle, openDatabase } from '../db/client.js'
import { describeDemoAccounts, seedDemoAccounts } from '../seed/accounts.js'
import { countRows, TABLE_ORDER, type TableName } from '../seed/dataset.js'
import { enrollDemoAccounts } from '../seed/demo-enrollments.js'
import { DEFAULT_SEED, generateDataset, type Scale } from '../seed/generate.js'
import { isDatabaseEmpty, type WriteProgress, writeDataset } from '../seed/write.js'

/** Where the command writes: stdout for progress and summary, stderr for problems. */
export interface CommandOutput {
  stdout: { write(chunk: string): unknown; isTTY?: boolean }
  stderr: { write(chunk: string): unknown }
}

/** Seams for tests: open a database other than the one the environment names. */
export interface SeedDeps {
  openDatabase?: (config: CampusConfig) => Promise<DatabaseHandle>
}

/** Usage text of `campus seed`. */
export const SEED_USAGE = `Usage: campus seed [--scale small|large] [--seed N] [--reset]

  --scale small|large  small: 12 courses with every edge case (default)
                       large: 300 courses x 10 units x 8 lessons, for benchmarks
  --seed N             generator seed, an integer from 0 to 4294967295 (default ${DEFAULT_SEED})
  --reset              empty every campus table first (required when courses exist)

Writes to DATABASE_URL, else to embedded PGlite in $CAMPUS_DATA_DIR/pglite (default ./.campus).
`

const SCALES: readonly Scale[] = ['small', 'large']

/** Thrown for bad command-line arguments; the message names the flag. */
export class SeedUsageError extends Error {
  readonly code = 'E_CAMPUS_SEED_USAGE'
}

interface SeedArgs {
  scale: Scale
  seed: number
  reset: boolean
  help: boolean
}

/** Parses and validates the arguments after `seed`. */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  let values: { scale?: string; seed?: string; reset?: boolean; help?: boolean }
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        scale: { type: 'string' },
        seed: { type: 'string' },
        reset: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (error) {
    throw new SeedUsageError((error as Error).message)
  }
  const scale = values.scale ?? 'small'
  if (!SCALES.includes(scale as Scale)) {
    throw new SeedUsageError(
      `--scale must be one of ${SCALES.join(', ')}; got ${JSON.stringify(scale)}`,
    )
  }
  let seed = DEFAULT_SEED
  if (values.seed !== undefined) {
    seed = /^\d{1,10}$/.test(values.seed) ? Number(values.seed) : Number.NaN
    if (!(seed <= 0xffff_ffff)) {
      throw new SeedUsageError(
        `--seed must be an integer from 0 to 4294967295; got ${JSON.stringify(values.seed)}`,
      )
    }
  }
  return { scale: scale as Scale, seed, reset: values.reset ?? false, help: values.help ?? false }
}

/**
 * Runs `campus seed` with `argv` (the arguments after `seed`) and returns the exit code.
 *
 * @example
 * process.exitCode = await seedCommand(['--scale', 'large', '--reset'], process.env, process)
 */
export async function seedCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
  deps: SeedDeps = {},
): Promise<number> {
  let args: SeedArgs
  let config: CampusConfig
  try {
    args = parseSeedArgs(argv)
    config = loadConfig(env)
  } catch (error) {
    if (!(error instanceof SeedUsageError || error instanceof ConfigError)) throw error
    out.stderr.write(`campus seed: ${error.message}\n\n${SEED_USAGE}`)
    return 2
  }
  if (args.help) {
    out.stdout.write(SEED_USAGE)
    return 0
  }

  const where = config.databaseUrl
    ? 'PostgreSQL at DATABASE_URL'
    : `PGlite in ${join(config.dataDir, 'pglite')}`
  const database = await (deps.openDatabase ?? openConfiguredDatabase)(config)
  try {
    if (!args.reset && !(await isDatabaseEmpty(database.db))) {
      out.stderr.write(
        `campus seed: ${where} already has courses; refusing to write over them.\n` +
          'Run again with --reset to empty every campus table first.\n',
      )
      return 2
    }
    const started = performance.now()
    const dataset = generateDataset({ scale: args.scale, seed: args.seed })
    const counts = countRows(dataset)
    const progress = createProgress(out, counts)
    try {
      await writeDataset(database.db, dataset, progress.update, { reset: args.reset })
    } catch (error) {
      progress.stop()
      out.stderr.write(
        `campus seed: writing failed, nothing was written: ${(error as Error).message}\n`,
      )
      return 1
    }
    progress.stop()
    const seconds = (performance.now() - started) / 1000
    out.stdout.write(summary(args, counts, where, seconds))
    const accounts = await seedDemoAccounts(database.db)
    await enrollDemoAccounts(database.db, accounts)
    out.stdout.write(describeDemoAccounts(accounts))
    out.stdout.write(await clearCachedContent(config))
    return 0
  } finally {
    await database.close()
  }
}

/**
 * Clears campus's cache in the Redis at `REDIS_URL`, which may still hold the previous rows'
 * bundles and lists. Without `REDIS_URL` there is nothing this process can reach: a campus on
 * its private Redis keeps its cache until it restarts (the README says to stop it first). Never
 * fails the seed: the rows are written either way.
 */
async function clearCachedContent(config: CampusConfig): Promise<string> {
  if (!config.redisUrl) return ''
  const satchel = createSatchel({
    redis: config.redisUrl,
    prefix: 'campus',
    tls: config.redisTls || undefined,
    timeouts: { connectMs: 2000, commandMs: 2000 },
  })
  try {
    await satchel.connect()
    await satchel.cache.clear()
    return 'Cleared campus’s cached content in Redis (REDIS_URL).\n'
  } catch (error) {
    return (
      `Warning: could not clear campus's cache in Redis (${(error as Error).message}); ` +
      'running campus processes may show old content until POST /api/admin/cache/clear or the TTL.\n'
    )
  } finally {
    await satchel.close()
  }
}

/** Opens the database as the server does: DATABASE_URL, else PGlite in `<dataDir>/pglite`. */
export function openConfiguredDatabase(config: CampusConfig): Promise<DatabaseHandle> {
  return openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : join(config.dataDir, 'pglite'),
  })
}

interface Progress {
  update: (progress: WriteProgress) => void
  stop: () => void
}

/**
 * A cli-progress bar (one overall bar, labelled with the current table) on a terminal; on
 * anything else, a plain line per table at most once a second and when the table is done,
 * so CI logs stay short and readable.
 */
function createProgress(out: CommandOutput, counts: Record<TableName, number>): Progress {
  const total = TABLE_ORDER.reduce((sum, name) => sum + counts[name], 0)
  const before = new Map<TableName, number>()
  let running = 0
  for (const name of TABLE_ORDER) {
    before.set(name, running)
    running += counts[name]
  }
  if (out.stdout.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        // A TTY stdout is a real stream; cli-progress wants Node's stream type.
        stream: out.stdout as NodeJS.WritableStream,
        format: 'seeding [{bar}] {percentage}% | {table} {tableDone}/{tableTotal}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    )
    bar.start(total, 0, { table: '', tableDone: 0, tableTotal: 0 })
    return {
      update: (p) =>
        bar.update((before.get(p.table) ?? 0) + p.done, {
          table: p.table,
          tableDone: p.done,
          tableTotal: p.total,
        }),
      stop: () => bar.stop(),
    }
  }
  let lastLine = 0
  return {
    update: (p) => {
      const now = performance.now()
      if (p.done === p.total || now - lastLine >= 1000) {
        lastLine = now
        out.stdout.write(`${p.table} ${p.done}/${p.total}\n`)
      }
    },
    stop: () => {},
  }
}

function summary(
  args: SeedArgs,
  counts: Record<TableName, number>,
  where: string,
  seconds: number,
): string {
  const width = Math.max(...TABLE_ORDER.map((name) => name.length))
  const lines = TABLE_ORDER.map(
    (name) => `  ${name.padEnd(width)}  ${String(counts[name]).padStart(8)}`,
  )
  const rows = TABLE_ORDER.reduce((sum, name) => sum + counts[name], 0)
  return [
    `campus seed: wrote the ${args.scale} data set (seed ${args.seed}) to ${where}`,
    ...lines,
    `  ${'total'.padEnd(width)}  ${String(rows).padStart(8)} rows in ${seconds.toFixed(1)} s`,
    '',
  ].join('\n')
}

// Run directly (`tsx src/cli/seed.ts --scale small`); bin/campus.mjs imports it instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await seedCommand(process.argv.slice(2), process.env, process)
}

/**
 * `campus import scorm <zip> --org <id> [--course <id>]`: imports a SCORM 1.2 or 2004 package
 * into the database the server would open (DATABASE_URL, else PGlite under CAMPUS_DATA_DIR),
 * its files into `CAMPUS_DATA_DIR/scorm`. Progress goes to stdout stage by stage.
 *
 * Exit codes: 0 imported (or already there); 1 the package was refused (every problem listed
 * on stderr, `file: reason` or `imsmanifest.xml:/manifest/…: reason`; nothing stored);
 * 2 bad arguments or configuration.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { createSatchel } from 'satchel'
import { type CampusConfig, ConfigError, loadConfig } from '../config.js'
import type { DatabaseHandle } from '../db/client.js'
import { createLogger } from '../logger.js'
import type { ScormContext } from '../scorm/context.js'
import { ScormError } from '../scorm/errors.js'
import { importScormPackage } from '../scorm/import.js'
import { createFsPackageStore } from '../scorm/store/fs-store.js'
import { DEFAULT_UNPACK_LIMITS } from '../scorm/zip/limits.js'
import { type CommandOutput, openConfiguredDatabase } from './seed.js'

/** Usage text of `campus import scorm`. */
export const IMPORT_SCORM_USAGE = `Usage: campus import scorm <zip> --org <id> [--course <id>]

  <zip>          a SCORM 1.2 or SCORM 2004 (2nd-4th edition) package
  --org <id>     the organisation (sourcedId) that owns the package
  --course <id>  a course of that organisation to list the package on

Limits: ${DEFAULT_UNPACK_LIMITS.maxZipBytes / 1048576} MiB zip, ${DEFAULT_UNPACK_LIMITS.maxEntries} entries, ${DEFAULT_UNPACK_LIMITS.maxEntryBytes / 1048576} MiB per file, ${DEFAULT_UNPACK_LIMITS.maxTotalBytes / 1048576} MiB in total (docs/scorm.md).
`

const EDITIONS: Record<number, string> = { 2: '2nd', 3: '3rd', 4: '4th' }

/** Seams for tests. */
export interface ImportScormDeps {
  openDatabase?: (config: CampusConfig) => Promise<DatabaseHandle>
}

/**
 * Runs `campus import scorm` with `argv` (the arguments after `scorm`); returns the exit code.
 * @example process.exitCode = await importScormCommand(['golf.zip', '--org', 'org-1'], process.env, process)
 */
export async function importScormCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
  deps: ImportScormDeps = {},
): Promise<number> {
  let zip: string
  let org: string
  let course: string | undefined
  let config: CampusConfig
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        org: { type: 'string' },
        course: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    })
    if (values.help) {
      out.stdout.write(IMPORT_SCORM_USAGE)
      return 0
    }
    if (positionals.length !== 1) throw new ConfigError('give exactly one zip file')
    if (!values.org) throw new ConfigError('--org <id> is required')
    zip = positionals[0] as string
    org = values.org
    course = values.course
    config = loadConfig(env)
  } catch (error) {
    out.stderr.write(`campus import scorm: ${(error as Error).message}\n\n${IMPORT_SCORM_USAGE}`)
    return 2
  }
  let bytes: Buffer
  try {
    const info = await stat(zip)
    if (info.size > DEFAULT_UNPACK_LIMITS.maxZipBytes) {
      out.stderr.write(
        `campus import scorm: ${zip}: ${info.size} bytes, more than the ${DEFAULT_UNPACK_LIMITS.maxZipBytes} allowed\n`,
      )
      return 1
    }
    bytes = await readFile(zip)
  } catch (error) {
    out.stderr.write(
      `campus import scorm: ${zip}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    )
    return 2
  }
  const database = await (deps.openDatabase ?? openConfiguredDatabase)(config)
  // The manifest cache is primed when Redis is configured; without it, memory-only (nothing to prime).
  const satchel = createSatchel({
    redis: config.redisUrl,
    prefix: 'campus',
    timeouts: { connectMs: 2000, commandMs: 2000 },
  })
  try {
    if (config.redisUrl) await satchel.connect().catch(() => undefined)
    const ctx: ScormContext = {
      db: database.db,
      satchel,
      store: createFsPackageStore({ dataDir: config.dataDir }),
      limits: DEFAULT_UNPACK_LIMITS,
      logger: createLogger('warn'),
    }
    const result = await importScormPackage(ctx, {
      orgId: org,
      courseId: course ?? null,
      bytes,
      origin: basename(zip),
      via: 'cli',
      onStage: (stage) => out.stdout.write(`${stage}…\n`),
    })
    out.stdout.write(
      `${result.created ? 'Imported' : 'Already imported'}: "${result.title}" (SCORM ${result.version}${result.edition ? ` ${EDITIONS[result.edition] ?? result.edition} edition` : ''}), ${result.scoCount} SCO(s), ${result.fileCount} files\n` +
        `package ${result.packageId}, import run ${result.importRunId}\n`,
    )
    return 0
  } catch (error) {
    if (!(error instanceof ScormError)) throw error
    out.stderr.write(`campus import scorm: ${zip}: ${error.code}: ${error.message}\n`)
    for (const problem of error.problems) out.stderr.write(`  ${problem}\n`)
    out.stderr.write('Nothing was stored.\n')
    return 1
  } finally {
    await satchel.close()
    await database.close()
  }
}

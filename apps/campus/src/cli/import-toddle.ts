/**
 * `campus import toddle <dir> --org <id>` or `campus import toddle --api --org <id>`
 * (with TODDLE_API_URL and TODDLE_API_TOKEN), plus `--allow-unmatched` and `--dry-run`.
 *
 * Exit codes: 0 imported (or the dry run passed); 1 refused (every problem listed, nothing
 * written) or the API could not be read; 2 bad arguments, configuration or organisation.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs'
import { ImportUsageError, ToddleApiError } from '../ingest/errors.js'
import { ToddleClient } from '../ingest/toddle/client.js'
import { importToddle } from '../ingest/toddle/import.js'
import {
  apiSource,
  directorySource,
  ToddleFileError,
  type ToddleSource,
} from '../ingest/toddle/source.js'
import { parseImportArgs } from './import-args.js'
import type { ImportDeps } from './import-ixl.js'
import { createImportProgress } from './import-progress.js'
import { type CommandOutput, openConfiguredDatabase } from './seed.js'
import { announceImportToCampus } from './shared-cache.js'

/** Usage text of `campus import toddle`. */
export const TODDLE_USAGE = `Usage: campus import toddle <dir> --org <orgSourcedId> [options]
       campus import toddle --api --org <orgSourcedId> [options]

  <dir>               JSON files of the API's shapes: students.json, courses.json, … and
                      gradebook.json (the gradebook export); see docs/ingestion.md
  --api               read Toddle's Open API V2 at TODDLE_API_URL with TODDLE_API_TOKEN
  --org ID            organisation the data belongs to (required)
  --allow-unmatched   write rows whose learner campus finds; report the others (default: refuse)
  --dry-run           read, check and count, then write nothing
`

/**
 * Runs `campus import toddle` with `argv` (the arguments after `toddle`); returns the exit code.
 *
 * @example
 * process.exitCode = await importToddleCommand(['--api', '--org', 'org-school-01'], process.env, process)
 */
export async function importToddleCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
  deps: ImportDeps = {},
): Promise<number> {
  const args = parseImportArgs<{ api?: boolean }>(
    'toddle',
    TODDLE_USAGE,
    { api: { type: 'boolean' } },
    argv,
    env,
    out,
  )
  if (typeof args === 'number') return args
  const { values, positionals, config, usage } = args
  let source: ToddleSource
  if (values.api) {
    if (positionals.length > 0) return usage('give either a directory or --api, not both')
    const baseUrl = env.TODDLE_API_URL
    const token = env.TODDLE_API_TOKEN
    if (!baseUrl || !/^https?:\/\//.test(baseUrl))
      return usage('TODDLE_API_URL must be an http(s) URL')
    if (!token) return usage('TODDLE_API_TOKEN is not set')
    const client = new ToddleClient({
      baseUrl,
      token,
      onRetry: (r) =>
        out.stdout.write(
          `toddle: ${r.resource}: ${r.reason}; asking again in ${Math.round(r.delayMs)} ms\n`,
        ),
    })
    source = apiSource(client, baseUrl)
  } else {
    const [dir, ...extra] = positionals
    if (!dir || extra.length > 0) return usage('give one directory, or --api')
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return usage(`not a directory: ${dir}`)
    source = directorySource(dir)
  }

  const database = await (deps.openDatabase ?? openConfiguredDatabase)(config)
  const progress = createImportProgress(out, 'toddle')
  try {
    const result = await importToddle({
      db: database.db,
      liveRunProgress: database.kind === 'pg',
      orgSourcedId: values.org,
      source,
      via: 'cli',
      dryRun: values['dry-run'] ?? false,
      allowUnmatched: values['allow-unmatched'] ?? false,
      onProgress: (counts) => progress.update(counts),
    })
    progress.done(result.counts)
    for (const problem of result.problems) out.stderr.write(`${problem}\n`)
    const line = `campus import toddle: ${result.summary} (import run ${result.runId})\n`
    if (result.status === 'failed') {
      out.stderr.write(line)
      return 1
    }
    out.stdout.write(line)
    if (result.status === 'succeeded') {
      const source = values.api ? 'toddle-api' : 'toddle-file'
      const change = { kind: 'import', source, orgIds: [values.org], userIds: [] } as const
      out.stdout.write(await announceImportToCampus(config, database, change))
    }
    return 0
  } catch (error) {
    if (error instanceof ImportUsageError) return usage(error.message)
    if (error instanceof ToddleApiError || error instanceof ToddleFileError) {
      out.stderr.write(`campus import toddle: ${error.message}; nothing was written\n`)
      return 1
    }
    throw error
  } finally {
    await database.close()
  }
}

/**
 * The argument handling every external import command shares (`campus import ixl`, `campus
 * import toddle`): `--org`, `--allow-unmatched`, `--dry-run` and `--help`, strict parsing, the
 * configuration, and one usage line format, so the commands cannot drift apart.
 *
 * @module
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { type CampusConfig, ConfigError, loadConfig } from '../config.js'
import type { CommandOutput } from './seed.js'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

const COMMON_OPTIONS = {
  org: { type: 'string' },
  'allow-unmatched': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionsConfig

/** The shared options' values; a command's own options are added to them. */
export interface CommonImportValues {
  org?: string
  'allow-unmatched'?: boolean
  'dry-run'?: boolean
  help?: boolean
}

/** Parsed arguments of an import command that should run. */
export interface ImportArgs<V> {
  /** Every option, `org` checked present. */
  values: V & CommonImportValues & { org: string }
  positionals: string[]
  config: CampusConfig
  /** Writes `campus import <name>: <message>` and the usage text; returns exit code 2. */
  usage: (message: string) => number
}

/**
 * Parses `argv` with the shared options plus `own`. Resolves to the parsed arguments, or to an
 * exit code when the command is done already: 0 after `--help`, 2 after a usage error (unknown
 * option, bad configuration, missing `--org`), with the usage text written.
 */
export function parseImportArgs<V extends Record<string, string | boolean | undefined>>(
  name: string,
  usageText: string,
  own: OptionsConfig,
  argv: readonly string[],
  env: Record<string, string | undefined>,
  out: CommandOutput,
): ImportArgs<V> | number {
  const usage = (message: string): number => {
    out.stderr.write(`campus import ${name}: ${message}\n\n${usageText}`)
    return 2
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] }
  let config: CampusConfig
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, ...own },
      strict: true,
      allowPositionals: true,
    })
    config = loadConfig(env)
  } catch (error) {
    // parseArgs reports unknown or malformed options as TypeErrors (ERR_PARSE_ARGS_*).
    if (!(error instanceof ConfigError) && !(error instanceof TypeError)) throw error
    return usage((error as Error).message)
  }
  const values = parsed.values as V & CommonImportValues
  if (values.help) {
    out.stdout.write(usageText)
    return 0
  }
  const { org } = values
  if (!org) return usage('--org is required')
  return { values: { ...values, org }, positionals: parsed.positionals, config, usage }
}

/**
 * manifest.csv: which files a set carries and whether each is `bulk` (the complete set of that
 * kind), `delta` (changes only) or `absent`. Checked against the files actually present.
 *
 * @module
 */
import type { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import { strictUtf8 } from './decode.js'
import { problem } from './errors.js'
import { FILES, UNSUPPORTED_FILES } from './files.js'

/** How a file is to be processed. */
export type FileMode = 'bulk' | 'delta' | 'absent'

/** A read manifest. */
export interface Manifest {
  /** `oneroster.version` (`1.2` or `1.2.1`). */
  version: string
  /** Mode per file name (only files the manifest names). */
  modes: Map<string, FileMode>
  /** Every other property, as written (source.systemName…). */
  properties: Map<string, string>
}

const NAME = 'manifest.csv'
const MODES: readonly string[] = ['bulk', 'delta', 'absent']
const VERSIONS: readonly string[] = ['1.2', '1.2.1']
const ALL_FILES = [...FILES.map((f) => f.name), ...UNSUPPORTED_FILES]

/** `file.users` → `users.csv`. */
function fileOf(property: string): string | undefined {
  if (!property.startsWith('file.')) return undefined
  const name = `${property.slice(5)}.csv`
  return ALL_FILES.includes(name) ? name : undefined
}

/** Reads and checks manifest.csv; problems are reported, never thrown. */
export async function readManifest(
  input: Readable,
  report: (line: string) => void,
): Promise<Manifest | undefined> {
  const manifest: Manifest = { version: '', modes: new Map(), properties: new Map() }
  let ok = true
  const fail = (row: number | null, column: string | null, reason: string) => {
    ok = false
    report(problem(NAME, row, column, reason))
  }
  try {
    const parser = input
      .pipe(strictUtf8())
      .pipe(parse({ relax_column_count: true, skip_empty_lines: true, info: true }))
    input.on('error', (error) => parser.destroy(error))
    let first = true
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[]
      info: { lines: number }
    }>) {
      const line = info.lines
      if (first) {
        first = false
        if (record[0] !== 'propertyName' || record[1] !== 'value' || record.length !== 2) {
          fail(
            1,
            '-',
            `header must be "propertyName,value", found ${JSON.stringify(record.join(','))}`,
          )
          return undefined
        }
        continue
      }
      const [property = '', value = ''] = record
      if (record.length !== 2) {
        fail(line, '-', `expected 2 columns, found ${record.length}`)
        continue
      }
      if (property === 'oneroster.version') {
        manifest.version = value
        if (!VERSIONS.includes(value)) {
          fail(
            line,
            'value',
            `oneroster.version ${JSON.stringify(value)} is not supported; expected 1.2 or 1.2.1`,
          )
        }
      } else if (property.startsWith('file.')) {
        const file = fileOf(property)
        if (!file) fail(line, 'propertyName', `unknown file property ${JSON.stringify(property)}`)
        else if (!MODES.includes(value)) {
          fail(
            line,
            'value',
            `unknown value ${JSON.stringify(value)}; expected "bulk", "delta" or "absent"`,
          )
        } else {
          if (manifest.modes.has(file)) fail(line, 'propertyName', `${property} appears twice`)
          manifest.modes.set(file, value as FileMode)
        }
      } else {
        manifest.properties.set(property, value)
      }
    }
    if (first) fail(1, '-', 'empty file; the header row is missing')
  } catch (error) {
    fail(null, null, `cannot be read: ${(error as Error).message}`)
    return undefined
  }
  if (!manifest.properties.has('manifest.version')) fail(null, null, 'manifest.version is missing')
  if (manifest.version === '') fail(null, null, 'oneroster.version is missing')
  return ok ? manifest : undefined
}

/** Checks the manifest's modes against the files present; reports every mismatch. */
export function checkManifestFiles(
  manifest: Manifest,
  present: ReadonlySet<string>,
  report: (line: string) => void,
): void {
  for (const name of ALL_FILES) {
    const mode = manifest.modes.get(name) ?? 'absent'
    const key = `file.${name.slice(0, -4)}`
    if (mode === 'absent' && present.has(name)) {
      report(
        problem(
          name,
          null,
          null,
          `present, but manifest.csv marks ${key} ${manifest.modes.has(name) ? 'absent' : 'as missing (no row)'}`,
        ),
      )
    } else if (mode !== 'absent' && !present.has(name)) {
      report(problem(name, null, null, `missing, but manifest.csv marks ${key} ${mode}`))
    } else if (mode !== 'absent' && UNSUPPORTED_FILES.includes(name)) {
      report(
        problem(
          name,
          null,
          null,
          `campus does not import ${name}; mark ${key} absent and leave the file out`,
        ),
      )
    }
  }
}

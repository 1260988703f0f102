/**
 * `exportOneRoster`: the database as a OneRoster 1.2 CSV set (bulk), to a directory or a zip.
 * Rows are read a page at a time in `sourcedId` order (byte order, so PGlite and a server agree)
 * and streamed through csv-stringify, so the export's memory does not grow with the tables.
 * Every value is written as the import parses it (fields.ts), which is why export → import →
 * export gives identical files.
 *
 * Campus's own `administrator` role is not in the binding's vocabulary; it is written as
 * `districtAdministrator` for a district and `siteAdministrator` elsewhere.
 *
 * @module
 */
import { createWriteStream } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PassThrough, type Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import { type SQL, sql } from 'drizzle-orm'
import yazl from 'yazl'
import type { Database } from '../../db/client.js'
import { OneRosterError } from './errors.js'
import { type FieldSpec, formatCell } from './fields.js'
import { FILES, type FileSpec, UNSUPPORTED_FILES } from './files.js'

/** Rows read per page. */
const PAGE_ROWS = 5000

/** Rows written per file. */
export type ExportCounts = Record<string, number>

/** The manifest of an export: every campus file bulk, the others absent. */
export function exportManifest(): string {
  const names = [...FILES.map((f) => f.name), ...UNSUPPORTED_FILES].sort()
  const lines = [
    'propertyName,value',
    'manifest.version,1.0',
    'oneroster.version,1.2',
    ...names.map(
      (n) => `file.${n.slice(0, -4)},${FILES.some((f) => f.name === n) ? 'bulk' : 'absent'}`,
    ),
    'source.systemName,campus',
    'source.systemCode,campus',
  ]
  return `${lines.join('\n')}\n`
}

/** The SELECT expression of one column: dates and times as text, identical from either driver. */
function selectExpression(field: FieldSpec): SQL {
  if (!field.column) return sql`NULL`
  const column = sql`t.${sql.identifier(field.column)}`
  if (field.kind === 'date') return sql`${column}::text`
  if (field.kind === 'datetime') {
    return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  }
  return column
}

/** Campus's `administrator` in the binding's vocabulary. */
function exportedRole(role: string, orgType: string | null): string {
  if (role !== 'administrator') return role
  return orgType === 'district' ? 'districtAdministrator' : 'siteAdministrator'
}

/** Writes one file's rows as CSV into `out`; returns the row count. */
async function writeFile(db: Database, spec: FileSpec, out: Writable): Promise<number> {
  const csv = stringify({ record_delimiter: '\n' })
  csv.pipe(out)
  csv.write(spec.fields.map((f) => f.header))
  const selects = sql.join(
    spec.fields.map((f, i) => sql`${selectExpression(f)} AS ${sql.identifier(`c${i}`)}`),
    sql`, `,
  )
  const extra =
    spec.table === 'user_roles'
      ? sql`, (SELECT o.type FROM orgs o WHERE o.sourced_id = t.org_sourced_id) AS org_type`
      : sql``
  const roleIndex = spec.fields.findIndex((f) => f.header === 'role')
  let last: string | null = null
  let count = 0
  for (;;) {
    const after = last === null ? sql`` : sql`WHERE t.sourced_id COLLATE "C" > ${last}`
    const result = (await db.execute(
      sql`SELECT t.sourced_id AS key, ${selects}${extra} FROM ${sql.identifier(spec.table)} t ${after}
          ORDER BY t.sourced_id COLLATE "C" LIMIT ${PAGE_ROWS}`,
    )) as unknown as { rows: Record<string, unknown>[] }
    for (const row of result.rows) {
      const cells = spec.fields.map((f, i) => formatCell(f, row[`c${i}`]))
      if (spec.table === 'user_roles' && roleIndex >= 0) {
        cells[roleIndex] = exportedRole(
          cells[roleIndex] ?? '',
          (row.org_type as string | null) ?? null,
        )
      }
      if (!csv.write(cells)) await new Promise((resolve) => csv.once('drain', resolve))
      count++
    }
    if (result.rows.length < PAGE_ROWS) break
    last = String(result.rows[result.rows.length - 1]?.key)
  }
  csv.end()
  await finished(out)
  return count
}

/**
 * Exports every OneRoster table to `target`: a `.zip` path, or a directory (created; refused
 * when it exists and is not empty, so an export never mixes with other files).
 *
 * @example
 * const counts = await exportOneRoster(db, 'out/roster.zip')
 */
export async function exportOneRoster(
  db: Database,
  target: string,
  onFile?: (name: string, rows: number) => void,
): Promise<ExportCounts> {
  const counts: ExportCounts = {}
  if (target.toLowerCase().endsWith('.zip')) {
    const zip = new yazl.ZipFile()
    const output = createWriteStream(target)
    zip.outputStream.pipe(output)
    // A fixed time stamp: the same rows give the same zip bytes.
    const mtime = new Date(Date.UTC(2000, 0, 1))
    zip.addBuffer(Buffer.from(exportManifest()), 'manifest.csv', { mtime })
    for (const spec of FILES) {
      const entry = new PassThrough()
      zip.addReadStream(entry, spec.name, { mtime })
      counts[spec.name] = await writeFile(db, spec, entry)
      onFile?.(spec.name, counts[spec.name] ?? 0)
    }
    zip.end()
    await finished(output)
    return counts
  }
  await mkdir(target, { recursive: true })
  if ((await readdir(target)).length > 0) {
    throw new OneRosterError(
      'E_ONEROSTER_TARGET',
      `${target} is not empty; export into a new directory`,
    )
  }
  const manifest = createWriteStream(join(target, 'manifest.csv'))
  manifest.end(exportManifest())
  await finished(manifest)
  for (const spec of FILES) {
    counts[spec.name] = await writeFile(db, spec, createWriteStream(join(target, spec.name)))
    onFile?.(spec.name, counts[spec.name] ?? 0)
  }
  return counts
}

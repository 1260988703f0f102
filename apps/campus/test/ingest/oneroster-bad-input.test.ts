/**
 * Bad OneRoster sets: each is refused with a precise `file:row:column: reason` for every
 * problem, and nothing is written (every OneRoster table keeps its row count, the run is
 * recorded as failed with its problems).
 */
import { createWriteStream } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import yazl from 'yazl'
import { importOneRosterCommand } from '../../src/cli/oneroster.js'
import { importRuns } from '../../src/db/schema.js'
import { type ImportResult, importOneRoster } from '../../src/ingest/oneroster/import.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { countRows, removeDir, tempDir, validSet, writeSet } from './oneroster-support.js'

let database: CampusTestDatabase
let empty: Record<string, number>
const dirs: string[] = []

beforeAll(async () => {
  database = await openCampusTestDatabase()
  empty = await countRows(database.db)
})
afterAll(async () => {
  await database?.close()
  for (const dir of dirs) await removeDir(dir)
})

/** Imports `files` (a valid set with these files replaced) and checks nothing was written. */
async function refused(
  files: Record<string, string | Buffer>,
  options: { orgId?: string } = {},
): Promise<ImportResult> {
  const dir = await writeSet({ ...validSet(), ...files })
  dirs.push(dir)
  return importPath(dir, options)
}

async function importPath(path: string, options: { orgId?: string } = {}): Promise<ImportResult> {
  const result = await importOneRoster(database.db, { path, via: 'cli', ...options })
  expect(result.status).toBe('failed')
  expect(await countRows(database.db)).toEqual(empty)
  const [run] = await database.db.select().from(importRuns).where(eq(importRuns.id, result.runId))
  expect(run?.status).toBe('failed')
  expect(run?.problemCount).toBe(result.problemCount)
  expect(run?.problems).toEqual(result.problems)
  return result
}

const set = validSet()
const line = (file: string, n: number) => (set[file] ?? '').split('\n')[n - 1] ?? ''

describe('encoding', () => {
  it('accepts a UTF-8 byte order mark (dry run: checked, nothing written)', async () => {
    const dir = await writeSet({ ...set, 'users.csv': `\uFEFF${set['users.csv']}` })
    dirs.push(dir)
    const result = await importOneRoster(database.db, { path: dir, via: 'cli', dryRun: true })
    expect(result.problems).toEqual([])
    expect(result.status).toBe('dry-run')
    expect(await countRows(database.db)).toEqual(empty)
  })

  it('refuses invalid UTF-8 (a Latin-1 file) at its line', async () => {
    const latin1 = Buffer.from(
      `${line('users.csv', 1)}\n${line('users.csv', 2)}\n${line('users.csv', 3).replace('Alan', 'Andr\u00e9')}\n`,
      'latin1',
    )
    const result = await refused({ 'users.csv': latin1 })
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^users\.csv:3:-: invalid UTF-8 near byte \d+; the file must be encoded in UTF-8$/,
      ),
    ])
  })
})

describe('headers', () => {
  it('reports a missing column at its name and position', async () => {
    const users = (set['users.csv'] ?? '')
      .split('\n')
      .map((l) =>
        l
          .split(',')
          .filter((_, i) => i !== 10)
          .join(','),
      )
      .join('\n')
    const result = await refused({ 'users.csv': users })
    expect(result.problems).toContain('users.csv:1:email: missing column (expected as column 11)')
  })

  it('reports reordered columns and a wrong case, every one', async () => {
    const header = line('users.csv', 1)
      .replace('givenName,familyName', 'familyName,givenName')
      .replace('sourcedId', 'SourcedId')
    const users = [header, ...(set['users.csv'] ?? '').split('\n').slice(1)].join('\n')
    const result = await refused({ 'users.csv': users })
    expect(result.problems).toEqual([
      'users.csv:1:sourcedId: column 1 is "SourcedId"; header names are case-sensitive, expected "sourcedId"',
      'users.csv:1:givenName: found as column 8, expected as column 7 (the binding fixes the column order)',
      'users.csv:1:familyName: found as column 7, expected as column 8 (the binding fixes the column order)',
    ])
  })
})

describe('cells and references', () => {
  it('reports every unknown enumeration value, bad date and dangling reference across files', async () => {
    const result = await refused({
      'orgs.csv': (set['orgs.csv'] ?? '').replace('School One,school', 'School One,campus'),
      'enrollments.csv': `${set['enrollments.csv']}e3,active,2024-08-01T00:00:00.000Z,k9,s1,u1,learner,false,2024-13-01,\n`,
      'classes.csv': (set['classes.csv'] ?? '').replace(',s1,t1,', ',s1,"t1,t9",'),
      'results.csv': (set['results.csv'] ?? '').replace('fully graded', 'graded'),
    })
    expect(result.problems).toEqual([
      'orgs.csv:3:type: unknown value "campus"; expected one of "department", "school", "district", "local", "state", "national"',
      'enrollments.csv:4:role: unknown value "learner"; expected one of "administrator", "proctor", "student", "teacher"',
      'enrollments.csv:4:beginDate: "2024-13-01" is not a date (YYYY-MM-DD)',
      'results.csv:2:scoreStatus: unknown value "graded"; expected one of "exempt", "fully graded", "not submitted", "partially graded", "submitted"',
      'classes.csv:2:termSourcedIds: "t9" names no row of academicSessions.csv nor of the database',
      // The refused row's valid cells are still checked: every problem in one run.
      'enrollments.csv:4:classSourcedId: "k9" names no row of classes.csv nor of the database',
    ])
  })

  it('reports a dangling reference of a valid row, and duplicate ids', async () => {
    const result = await refused({
      'enrollments.csv': `${set['enrollments.csv']}e3,active,2024-08-01T00:00:00.000Z,k9,s1,u1,student,false,,\n`,
      'users.csv': `${set['users.csv']}${line('users.csv', 2).replace(',ada,', ',ada2,')}\n`,
    })
    expect(result.problems).toEqual([
      'users.csv:4:sourcedId: duplicate sourcedId "u1" (first on row 2)',
      'enrollments.csv:4:classSourcedId: "k9" names no row of classes.csv nor of the database',
    ])
  })

  it('reports required cells left empty, and delta rows without status', async () => {
    const result = await refused({
      'manifest.csv': (set['manifest.csv'] ?? '').replace('file.users,bulk', 'file.users,delta'),
      'users.csv': `${line('users.csv', 1)}\nu1,,,true,ada,,,Lovelace,,,,,,,,,,,,,,\n${line('users.csv', 3)}\n`,
    })
    expect(result.problems).toEqual([
      'users.csv:2:status: required in a delta file; the cell is empty',
      'users.csv:2:dateLastModified: required in a delta file; the cell is empty',
      'users.csv:2:givenName: required; the cell is empty',
    ])
  })

  it('reports a username another user of the file already has', async () => {
    const users = `${set['users.csv']}${line('users.csv', 3).replace('u2,', 'u3,').replace(',alan,', ',ada,')}\n`
    const result = await refused({ 'users.csv': users })
    expect(result.problems).toEqual([
      'users.csv:4:username: username "ada" is already used by user "u1" earlier in the file',
    ])
  })

  it('confines a set to --org and its schools', async () => {
    const result = await refused({}, { orgId: 's1' })
    expect(result.problems).toEqual([
      'orgs.csv:2:sourcedId: organisation "d1" is outside "s1" and its schools (--org)',
      'courses.csv:2:orgSourcedId: organisation "d1" is outside "s1" and its schools (--org)',
    ])
  })
})

describe('size and archives', () => {
  it('refuses a 100 MB file by the 64 MiB per-file limit before reading it', async () => {
    const dir = await writeSet(set)
    dirs.push(dir)
    // Written in 1 MiB chunks, so the test never holds the file in memory.
    const out = createWriteStream(join(dir, 'users.csv'))
    out.write(`${line('users.csv', 1)}\n`)
    const chunk = `${line('users.csv', 2)}\n`.repeat(
      Math.ceil((1024 * 1024) / (line('users.csv', 2).length + 1)),
    )
    for (let written = 0; written < 100 * 1024 * 1024; written += chunk.length) {
      if (!out.write(chunk))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()))
    }
    out.end()
    await finished(out)
    const result = await importPath(dir)
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^users\.csv: 100(\.\d)? MiB is larger than the 64 MiB limit per file$/,
      ),
    ])
    // Every other file was read (14 rows); not one row of users.csv.
    expect(result.counts.rowsRead).toBe(14)
  })

  it('refuses a zip with unexpected entries, folders and path traversal, listing each', async () => {
    const dir = await tempDir()
    dirs.push(dir)
    const path = join(dir, 'set.zip')
    const zip = new yazl.ZipFile()
    for (const [name, body] of Object.entries(set)) zip.addBuffer(Buffer.from(body), name)
    zip.addBuffer(Buffer.from('hello'), 'notes.txt')
    zip.addBuffer(Buffer.from('x'), 'extra/users.csv')
    // yazl refuses to write "..": write "xx" and patch the name bytes (same length) afterwards.
    zip.addBuffer(Buffer.from('evil'), 'xx/evil.csv')
    zip.end()
    const out = createWriteStream(path)
    zip.outputStream.pipe(out)
    await finished(out)
    const bytes = await readFile(path)
    const from = Buffer.from('xx/evil.csv')
    const to = Buffer.from('../evil.csv')
    for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) to.copy(bytes, at)
    await writeFile(path, bytes)
    const result = await importPath(path)
    expect(result.problems).toEqual([
      'set.zip: entry "notes.txt": unexpected entry; not a file of the OneRoster 1.2 CSV binding (names are case-sensitive)',
      'set.zip: entry "extra/users.csv": unexpected entry; files must sit at the top level, with no folders',
      'set.zip: entry "../evil.csv": path traversal refused',
    ])
  })

  it('refuses a zip entry inflating past the limit', async () => {
    const dir = await tempDir()
    dirs.push(dir)
    const path = join(dir, 'bomb.zip')
    const zip = new yazl.ZipFile()
    for (const [name, body] of Object.entries(set))
      if (name !== 'users.csv') zip.addBuffer(Buffer.from(body), name)
    zip.addBuffer(Buffer.alloc(3 * 1024 * 1024, 0x41), 'users.csv')
    zip.end()
    const out = createWriteStream(path)
    zip.outputStream.pipe(out)
    await finished(out)
    const result = await importOneRoster(database.db, {
      path,
      via: 'cli',
      limits: { maxFileBytes: 1024 * 1024 },
    })
    expect(result.status).toBe('failed')
    expect(result.problems).toEqual(['users.csv: 3 MiB is larger than the 1 MiB limit per file'])
    expect(await countRows(database.db)).toEqual(empty)
  })

  it('refuses a file the manifest does not list, and a listed file that is missing', async () => {
    const { 'results.csv': _, ...rest } = set
    const dir = await writeSet({ ...rest, 'demographics.csv': 'sourcedId\n' })
    dirs.push(dir)
    const result = await importPath(dir)
    expect(result.problems).toEqual([
      'results.csv: missing, but manifest.csv marks file.results bulk',
      'demographics.csv: present, but manifest.csv marks file.demographics absent',
    ])
  })
})

describe('campus import oneroster', () => {
  it('prints every problem as file:row:column: reason and exits 1', async () => {
    const dir = await writeSet({
      ...set,
      'orgs.csv': (set['orgs.csv'] ?? '').replace(',district,', ',county,'),
    })
    dirs.push(dir)
    let stdout = ''
    let stderr = ''
    const code = await importOneRosterCommand(
      [dir],
      {},
      {
        stdout: { write: (c: string) => (stdout += c), isTTY: false },
        stderr: { write: (c: string) => (stderr += c) },
      },
      {
        openDatabase: async () => Object.assign(Object.create(database), { close: async () => {} }),
      },
    )
    expect(code).toBe(1)
    expect(stderr).toMatch(/^orgs\.csv:2:type: unknown value "county"/m)
    expect(stderr).toMatch(/1 problem\(s\); nothing was written/)
    expect(stdout).toMatch(/oneroster: files 11\/11, 16 rows read \(\d+ rows\/s\)/)
  })
})

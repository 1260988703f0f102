/**
 * `campus import scorm <zip> --org <id>`: exit 0 and a summary for a good package (files under
 * CAMPUS_DATA_DIR/scorm), exit 1 with every problem on stderr and nothing stored for a bad
 * one, exit 2 for bad arguments. The command runs in-process against the suite's database; one
 * test spawns the real `bin/campus.mjs` to check the dispatch.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importScormCommand } from '../../src/cli/import-scorm.js'
import type { CommandOutput } from '../../src/cli/seed.js'
import type { DatabaseHandle } from '../../src/db/client.js'
import { courses, orgs, scormPackages } from '../../src/db/schema.js'
import { generateDataset } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { buildPackage } from './fixtures.js'

const campusDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

function capture(): CommandOutput & { out: () => string; err: () => string } {
  let stdout = ''
  let stderr = ''
  return {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    out: () => stdout,
    err: () => stderr,
  }
}

describe('campus import scorm', () => {
  let database: CampusTestDatabase
  let work: string
  const useTestDatabase = async (): Promise<DatabaseHandle> => ({
    db: database.db,
    kind: database.kind,
    queryCount: 0,
    close: async () => {},
  })

  beforeAll(async () => {
    database = await openCampusTestDatabase()
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
    work = mkdtempSync(join(tmpdir(), 'campus-scorm-cli-'))
  })
  afterAll(async () => {
    await database?.close()
    rmSync(work, { recursive: true, force: true })
  })

  const env = () => ({ CAMPUS_DATA_DIR: join(work, 'data'), DATABASE_URL: '', REDIS_URL: '' })
  const packageCount = async () =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(scormPackages))[0]?.n

  it('imports a package: exit 0, a summary, files under CAMPUS_DATA_DIR/scorm', async () => {
    const zip = join(work, 'good.zip')
    writeFileSync(zip, buildPackage({ version: '2004', edition: 3, scos: 2, title: 'CLI course' }))
    const io = capture()
    const code = await importScormCommand([zip, '--org', 'org-school-01'], env(), io, {
      openDatabase: useTestDatabase,
    })
    expect(io.err()).toBe('')
    expect(code).toBe(0)
    expect(io.out()).toContain('unpacking…\nvalidating…\nstoring…\ndone…\n')
    expect(io.out()).toMatch(
      /Imported: "CLI course" \(SCORM 2004 3rd edition\), 2 SCO\(s\), 4 files/,
    )
    const [pkg] = await database.db
      .select()
      .from(scormPackages)
      .where(eq(scormPackages.title, 'CLI course'))
    expect(existsSync(join(work, 'data', 'scorm', pkg?.storagePath ?? '', 'sco2.html'))).toBe(true)
  })

  it('refuses a bad package: exit 1, every problem on stderr, nothing stored', async () => {
    const zip = join(work, 'bad.zip')
    writeFileSync(
      zip,
      buildPackage({ version: '1.2', scos: 2, files: { 'sco1.html': null, 'sco2.html': null } }),
    )
    const before = await packageCount()
    const io = capture()
    const code = await importScormCommand([zip, '--org', 'org-school-01'], env(), io, {
      openDatabase: useTestDatabase,
    })
    expect(code).toBe(1)
    expect(io.err()).toContain('E_SCORM_MANIFEST_INVALID')
    expect(io.err()).toContain(
      '  imsmanifest.xml:/manifest/resources/resource[1]@href: launch file sco1.html is not in the package\n',
    )
    expect(io.err()).toContain(
      '  imsmanifest.xml:/manifest/resources/resource[2]@href: launch file sco2.html is not in the package\n',
    )
    expect(io.err()).toContain('Nothing was stored.')
    expect(await packageCount()).toBe(before)
    const dir = join(work, 'data', 'scorm', 'packages')
    expect(readdirSync(dir)).toHaveLength(1)
  })

  it('--course lists the package on a course of the organisation or its parent, and only those', async () => {
    const [course] = await database.db.select().from(courses).limit(1)
    if (!course) throw new Error('no course in the seed')
    const zip = join(work, 'course.zip')
    writeFileSync(zip, buildPackage({ version: '1.2', title: 'On a course' }))
    const io = capture()
    const args = [zip, '--org', course.orgSourcedId, '--course', course.sourcedId]
    expect(await importScormCommand(args, env(), io, { openDatabase: useTestDatabase })).toBe(0)
    const [pkg] = await database.db
      .select()
      .from(scormPackages)
      .where(eq(scormPackages.title, 'On a course'))
    expect(pkg?.courseSourcedId).toBe(course.sourcedId)
    // A school of the course's organisation attaches its own package to the course.
    const [school] = await database.db
      .select()
      .from(orgs)
      .where(eq(orgs.parentSourcedId, course.orgSourcedId))
      .limit(1)
    const schoolZip = join(work, 'school-course.zip')
    writeFileSync(schoolZip, buildPackage({ version: '1.2', title: 'A school on a course' }))
    const bySchool = [schoolZip, '--org', school?.sourcedId ?? '', '--course', course.sourcedId]
    expect(
      await importScormCommand(bySchool, env(), capture(), { openDatabase: useTestDatabase }),
    ).toBe(0)
    // An organisation outside the course's is refused.
    await database.db.insert(orgs).values({
      sourcedId: 'org-elsewhere',
      name: 'Elsewhere',
      type: 'district',
      dateLastModified: new Date(),
    })
    const elsewhere = capture()
    const other = [zip, '--org', 'org-elsewhere', '--course', course.sourcedId]
    expect(
      await importScormCommand(other, env(), elsewhere, { openDatabase: useTestDatabase }),
    ).toBe(1)
    expect(elsewhere.err()).toContain(`course "${course.sourcedId}" not found in this organisation`)
  })

  it('bad arguments: exit 2 with the usage', async () => {
    const io = capture()
    expect(await importScormCommand(['x.zip'], env(), io, { openDatabase: useTestDatabase })).toBe(
      2,
    )
    expect(io.err()).toContain('--org <id> is required')
    const none = capture()
    expect(
      await importScormCommand([join(work, 'nope.zip'), '--org', 'o'], env(), none, {
        openDatabase: useTestDatabase,
      }),
    ).toBe(2)
    expect(none.err()).toContain('ENOENT')
  })

  it('bin/campus.mjs dispatches `import scorm` to the command', { timeout: 120_000 }, async () => {
    const run = promisify(execFile)
    const result = await run(process.execPath, ['bin/campus.mjs', 'import', 'scorm', '--help'], {
      cwd: campusDir,
    })
    expect(result.stdout).toContain('Usage: campus import scorm <zip> --org <id>')
  })
})

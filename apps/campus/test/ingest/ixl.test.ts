/**
 * IXL import against a real database: layouts, values, matching, idempotency, and every kind of
 * bad input refused with a precise report and nothing written.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { importIxlCommand } from '../../src/cli/import-ixl.js'
import { externalAssessmentScores, externalUsage, importRuns } from '../../src/db/schema.js'
import { classifyColumn } from '../../src/ingest/ixl/columns.js'
import { detectLayout } from '../../src/ingest/ixl/detect.js'
import { type IxlImportOptions, importIxlFile } from '../../src/ingest/ixl/import.js'
import { IXL_LAYOUTS } from '../../src/ingest/ixl/layouts.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { csv, quotedCsv, writeRoster } from './roster.js'

let database: CampusTestDatabase
const dir = mkdtempSync(join(tmpdir(), 'campus-ixl-'))

const layout = (id: string) => {
  const found = IXL_LAYOUTS.find((l) => l.id === id)
  if (!found) throw new Error(id)
  return found
}
const MATH = layout('diagnostic-levels-percentile-tier-math-2024')

/** A row of `columns` with the given cells, `--` elsewhere. */
function row(columns: readonly string[], cells: Record<string, string>): string[] {
  return columns.map((c) => cells[c] ?? '--')
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const run = (path: string, extra: Partial<IxlImportOptions> = {}) =>
  importIxlFile({
    db: database.db,
    liveRunProgress: database.kind === 'pg',
    orgSourcedId: 'org-a',
    path,
    via: 'cli',
    ...extra,
  })

async function stored(): Promise<{ scores: number; usage: number }> {
  const [s] = await database.db.select({ n: count() }).from(externalAssessmentScores)
  const [u] = await database.db.select({ n: count() }).from(externalUsage)
  return { scores: Number(s?.n), usage: Number(u?.n) }
}

const mathFile = (): string[][] => [
  [...MATH.columns],
  row(MATH.columns, {
    ID: 'S-A1',
    'First name': 'Ada',
    'Last name': 'Lovelace',
    Grade: 'K',
    'Teacher(s)': 'Ms. Smith, Mr. Jones',
    'Overall percentile': '55',
    'Overall level': '150',
    'Overall tier': 'On grade',
    'Fractions level': 'N/A',
    'Geometry level': '120',
    'Geometry tier': 'Below grade',
  }),
  // No ID match (the file's ID is another system's): matched by name and grade "2".
  row(MATH.columns, {
    ID: 'X-999',
    'First name': 'alan',
    'Last name': 'TURING',
    Grade: '2',
    'Overall level': '310',
    'Overall tier': 'Above grade',
    'Data, statistics, and probability percentile': '88',
  }),
  row(MATH.columns, {
    ID: 'S-A3',
    'First name': 'Grace',
    'Last name': 'Hopper',
    Grade: '02',
    'Overall level': '210',
    'Overall tier': 'Far below grade',
  }),
]

beforeAll(async () => {
  database = await openCampusTestDatabase()
})
afterAll(async () => {
  await database?.close()
})
beforeEach(async () => {
  await database.db.execute(
    // Children first; the roster is rewritten for every test.
    'truncate external_assessment_scores, external_usage, import_runs, user_roles, users, orgs cascade' as never,
  )
  await writeRoster(database.db)
})

describe('IXL layouts', () => {
  it('knows ten layouts and gives every column of each a meaning', () => {
    expect(IXL_LAYOUTS).toHaveLength(10)
    for (const l of IXL_LAYOUTS) {
      for (const column of l.columns) {
        expect(classifyColumn(l, column), `${l.id}: ${column}`).toBeDefined()
      }
      const detected = detectLayout(l.columns)
      expect(detected.ok && detected.layout.id).toBe(l.id)
    }
  })

  it('detects a layout whatever the column order, case and spacing', () => {
    const shuffled = [...MATH.columns].reverse().map((c) => `  ${c.toUpperCase()} `)
    const detected = detectLayout(shuffled)
    expect(detected.ok && detected.layout.id).toBe(MATH.id)
  })

  it('names the strands of the reading columns, whose names differ from the others', () => {
    const ela = layout('diagnostic-levels-percentile-tier-ela-2024')
    expect(classifyColumn(ela, 'Reading level percentile')).toEqual({
      kind: 'score',
      subject: 'ela',
      strand: 'Reading',
      measure: 'percentile',
    })
    const mixed = layout('diagnostic-levels-math-ela-2022')
    expect(classifyColumn(mixed, 'Overall reading level')).toMatchObject({
      subject: 'ela',
      strand: 'Reading',
    })
    expect(classifyColumn(mixed, 'Fractions level')).toMatchObject({
      subject: 'math',
      strand: 'Fractions',
    })
  })
})

describe('campus import ixl', { timeout: 60_000 }, () => {
  it('stores levels, percentiles and tiers per strand, matching by ID and by name + grade', async () => {
    const result = await run(file('math.csv', quotedCsv(mathFile())))
    expect(result.problems).toEqual([])
    expect(result.status).toBe('succeeded')
    expect(result.layout).toBe(MATH.id)
    const rows = await database.db
      .select()
      .from(externalAssessmentScores)
      .orderBy(externalAssessmentScores.userSourcedId, externalAssessmentScores.strand)
    const ada = rows.filter((r) => r.userSourcedId === 'u-a1')
    expect(ada.map((r) => [r.strand, r.level, r.percentile, r.tier])).toEqual([
      ['Geometry', 120, null, 'below'],
      ['overall', 150, 55, 'on'],
    ])
    expect(ada[0]).toMatchObject({ subject: 'math', assessment: 'diagnostic', gradeLevel: 'KG' })
    const alan = rows.filter((r) => r.userSourcedId === 'u-a2')
    expect(alan.map((r) => [r.strand, r.level, r.percentile, r.tier])).toEqual([
      ['Data, statistics, and probability', null, 88, null],
      ['overall', 310, null, 'above'],
    ])
    expect(rows.every((r) => r.importRunId === result.runId && r.orgSourcedId === 'org-a')).toBe(
      true,
    )
    const [runRow] = await database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.id, result.runId))
    expect(runRow).toMatchObject({
      status: 'succeeded',
      source: 'ixl-csv',
      rowsRead: 3,
      rowsInserted: 5,
    })
    expect(runRow?.contentHash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('re-importing the same file changes nothing; a changed value updates one row', async () => {
    const path = file('again.csv', quotedCsv(mathFile()))
    const first = await run(path)
    expect(first.counts).toMatchObject({ rowsInserted: 5, rowsUpdated: 0 })
    const before = await database.db.select().from(externalAssessmentScores)
    const second = await run(path)
    expect(second.counts).toMatchObject({ rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 5 })
    const after = await database.db.select().from(externalAssessmentScores)
    expect(after).toEqual(expect.arrayContaining(before))
    expect(after).toHaveLength(before.length)

    const changed = mathFile()
    changed[3]![MATH.columns.indexOf('Overall level')] = '260'
    const third = await run(file('changed.csv', csv(changed)))
    expect(third.counts).toMatchObject({ rowsInserted: 0, rowsUpdated: 1, rowsUnchanged: 4 })
    const [grace] = await database.db
      .select()
      .from(externalAssessmentScores)
      .where(eq(externalAssessmentScores.userSourcedId, 'u-a3'))
    expect(grace).toMatchObject({ level: 260, importRunId: third.runId })
  })

  it('accepts reordered columns and a UTF-8 byte-order mark', async () => {
    const rows = mathFile()
    const order = rows[0]!.map((_, i) => i).reverse()
    const reordered = rows.map((r) => order.map((i) => r[i]!))
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(reordered))])
    const result = await run(file('reordered.csv', bom))
    expect(result.problems).toEqual([])
    expect(result.layout).toBe(MATH.id)
    expect(await stored()).toEqual({ scores: 5, usage: 0 })
  })

  it('stores usage per subject from a usage export, with thousands separators and growth', async () => {
    const usage = layout('usage-by-student-all-subjects-2022')
    const result = await run(
      file(
        'usage.csv',
        csv([
          [...usage.columns],
          row(usage.columns, {
            'Student ID': 'S-A2',
            'Last name': 'Turing',
            'First name': 'Alan',
            Grade: '02',
            'Math questions answered': '1,234',
            'Math skills practiced': '40',
            'Starting diagnostic level - Math': '200',
            'Current diagnostic level - Math': '250',
            'Diagnostic growth - Math': '+50',
            'Spanish skills mastered': '3',
          }),
        ]),
      ),
      { period: '2022-23' },
    )
    expect(result.problems).toEqual([])
    const rows = await database.db.select().from(externalUsage).orderBy(externalUsage.subject)
    expect(
      rows.map((r) => [
        r.subject,
        r.questionsAnswered,
        r.skillsPracticed,
        r.growth,
        r.skillsMastered,
        r.period,
      ]),
    ).toEqual([
      ['math', 1234, 40, 50, null, '2022-23'],
      ['spanish', null, null, null, 3, '2022-23'],
    ])
  })

  it('takes the period of a snapshot from its Administration and Year columns', async () => {
    const snap = layout('diagnostic-snapshot-admin-year-math-2024')
    const cells = {
      ID: 'S-A1',
      'First name': 'Ada',
      'Last name': 'Lovelace',
      Grade: 'K',
      'Overall level': '100',
    }
    const result = await run(
      file(
        'snap.csv',
        csv([
          [...snap.columns],
          row(snap.columns, { ...cells, Administration: 'Fall', Year: '2024' }),
          row(snap.columns, {
            ...cells,
            Administration: 'Winter',
            Year: '2024',
            'Overall level': '130',
          }),
        ]),
      ),
    )
    expect(result.problems).toEqual([])
    const rows = await database.db
      .select()
      .from(externalAssessmentScores)
      .orderBy(externalAssessmentScores.level)
    expect(rows.map((r) => [r.period, r.level])).toEqual([
      ['Fall 2024', 100],
      ['Winter 2024', 130],
    ])
  })
})

describe('bad IXL input: a precise report, nothing written', { timeout: 60_000 }, () => {
  async function expectRefused(path: string, expected: (string | RegExp)[]) {
    const result = await run(path)
    expect(result.status).toBe('failed')
    for (const e of expected) {
      expect(
        result.problems.some((p) => (typeof e === 'string' ? p === e : e.test(p))),
        `${e} in\n${result.problems.join('\n')}`,
      ).toBe(true)
    }
    expect(await stored()).toEqual({ scores: 0, usage: 0 })
    const [runRow] = await database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.id, result.runId))
    expect(runRow).toMatchObject({ status: 'failed', rowsInserted: 0 })
    expect(runRow?.problems.length).toBeGreaterThan(0)
    return result
  }

  it('an IXL file of another organisation’s learners', async () => {
    const rows = [
      [...MATH.columns],
      row(MATH.columns, {
        ID: 'S-B1',
        'First name': 'Emmy',
        'Last name': 'Noether',
        Grade: '5',
        'Overall level': '500',
      }),
      row(MATH.columns, {
        ID: 'S-B2',
        'First name': 'Kurt',
        'Last name': 'Godel',
        Grade: '05',
        'Overall level': '480',
      }),
    ]
    const result = await expectRefused(file('other-org.csv', csv(rows)), [
      'other-org.csv:2:ID: unmatched: no learner of org-a has student ID "S-B1", nor name "Emmy Noether" in grade 05',
      /^other-org\.csv:3:ID: unmatched: /,
    ])
    expect(result.summary).toBe(
      'other-org.csv: none of the 2 rows matched a learner of org-a; nothing was written',
    )
    // Even when unmatched rows are allowed, a file with no row of this org writes nothing.
    const allowed = await run(file('other-org.csv', csv(rows)), { allowUnmatched: true })
    expect(allowed.status).toBe('failed')
    expect(await stored()).toEqual({ scores: 0, usage: 0 })
    // And a teacher of the org is not a learner.
    const teacher = await run(
      file(
        'teacher.csv',
        csv([[...MATH.columns], row(MATH.columns, { ID: 'T-A1', 'Overall level': '1' })]),
      ),
    )
    expect(teacher.status).toBe('failed')
  })

  it('one unmatched row refuses the file unless --allow-unmatched, which writes the others', async () => {
    const rows = [
      ...mathFile(),
      row(MATH.columns, {
        ID: 'S-ZZ',
        'First name': 'Nobody',
        'Last name': 'Here',
        Grade: '4',
        'Overall level': '1',
      }),
    ]
    await expectRefused(file('one-unmatched.csv', csv(rows)), [
      /^one-unmatched\.csv:5:ID: unmatched: /,
    ])
    const allowed = await run(file('one-unmatched.csv', csv(rows)), { allowUnmatched: true })
    expect(allowed.status).toBe('succeeded')
    expect(allowed.summary).toMatch(/1 rows matched no learner and were skipped/)
    expect(await stored()).toEqual({ scores: 5, usage: 0 })
  })

  it('an ambiguous name and grade', async () => {
    await expectRefused(
      file(
        'ambiguous.csv',
        csv([
          [...MATH.columns],
          row(MATH.columns, {
            ID: '--',
            'First name': 'Sam',
            'Last name': 'Lee',
            Grade: '3',
            'Overall level': '300',
          }),
        ]),
      ),
      ['ambiguous.csv:2:ID: ambiguous: 2 learners of org-a are named "Sam Lee" in grade 03'],
    )
  })

  it('a missing column: the closest layout and what it lacks', async () => {
    const without = MATH.columns.filter((c) => c !== 'Overall tier' && c !== 'Geometry level')
    const result = await expectRefused(
      file('missing.csv', csv([without, without.map(() => '--')])),
      [
        `missing.csv:1: unknown IXL layout; closest known layout is ${MATH.id}; it lacks: Overall tier | Geometry level`,
      ],
    )
    expect(result.counts.rowsRead).toBe(0)
  })

  it('an unknown layout', async () => {
    await expectRefused(
      file(
        'unknown.csv',
        csv([
          ['Student', 'Score', 'When'],
          ['a', '1', 'b'],
        ]),
      ),
      [
        /^unknown\.csv:1: unknown IXL layout; closest known layout is .+; it lacks: .+; unexpected columns: Student \| Score \| When$/,
      ],
    )
  })

  it('an unknown tier, a bad number, a bad grade: every problem, not only the first', async () => {
    const rows = mathFile()
    rows[1]![MATH.columns.indexOf('Overall tier')] = 'Way above'
    rows[2]![MATH.columns.indexOf('Overall level')] = 'high'
    rows[3]![MATH.columns.indexOf('Grade')] = 'Year 2'
    await expectRefused(file('values.csv', csv(rows)), [
      'values.csv:2:Overall tier: unknown tier "Way above"; expected one of Far below grade, Below grade, On grade, Above grade',
      'values.csv:3:Overall level: "high" is not a whole number',
      'values.csv:4:Grade: unknown grade "Year 2"; expected K, PK or 1–12 (e.g. 2 or 02)',
    ])
  })

  it('duplicate rows of one learner', async () => {
    const rows = mathFile()
    rows.push([...rows[1]!])
    await expectRefused(file('dup.csv', csv(rows)), [
      'dup.csv:5:ID: duplicate row: row 2 already has this learner (u-a1)',
    ])
  })

  it('a row with a different number of fields', async () => {
    const text = `${csv(mathFile())}S-A1,Ada\n`
    await expectRefused(file('short.csv', text), [/^short\.csv:5: the row has 2 fields/])
  })

  it('UTF-16 with a byte-order mark', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(csv(mathFile()), 'utf16le'),
    ])
    await expectRefused(file('utf16.csv', utf16), [
      'utf16.csv: the file is UTF-16 little-endian (byte-order mark FF FE); export or save it as UTF-8',
    ])
  })

  it('Latin-1 bytes in a UTF-8 file', async () => {
    const rows = mathFile()
    rows[1]![MATH.columns.indexOf('Last name')] = 'LOVELACE_PLACEHOLDER'
    const text = Buffer.from(csv(rows))
      .toString('latin1')
      .replace('LOVELACE_PLACEHOLDER', 'Lovelac\u00e9')
    await expectRefused(file('latin1.csv', Buffer.from(text, 'latin1')), [
      'latin1.csv:2:Last name: not valid UTF-8 (the file looks like Latin-1 or Windows-1252; save it as UTF-8)',
    ])
  })

  it('a header and no rows; an empty file', async () => {
    await expectRefused(file('header-only.csv', csv([[...MATH.columns]])), [
      'header-only.csv: the file has a header but no data rows',
    ])
    await expectRefused(file('empty.csv', ''), ['empty.csv: the file is empty'])
  })

  it('a dry run reports what would change and writes nothing', async () => {
    const result = await run(file('dry.csv', csv(mathFile())), { dryRun: true })
    expect(result.status).toBe('dry-run')
    expect(result.counts).toMatchObject({ rowsInserted: 5 })
    expect(await stored()).toEqual({ scores: 0, usage: 0 })
  })
})

describe('the command line', { timeout: 60_000 }, () => {
  const output = () => {
    const out = { stdout: '', stderr: '' }
    return {
      out,
      io: {
        stdout: { write: (s: string) => (out.stdout += s) },
        stderr: { write: (s: string) => (out.stderr += s) },
      },
    }
  }
  const deps = { openDatabase: async () => ({ ...database, close: async () => {} }) }

  it('exits 0 with a summary and progress, 1 listing every problem, 2 on bad arguments', async () => {
    const ok = output()
    expect(
      await importIxlCommand([file('cli.csv', csv(mathFile())), '--org', 'org-a'], {}, ok.io, deps),
    ).toBe(0)
    expect(ok.out.stdout).toMatch(/^ixl: 3 rows \(\d+ rows\/s\), files 1\/1$/m)
    expect(ok.out.stdout).toMatch(/inserted 5, updated 0, unchanged 0/)

    const bad = output()
    const rows = mathFile()
    rows[1]![MATH.columns.indexOf('Overall tier')] = 'Sideways'
    expect(
      await importIxlCommand([file('cli-bad.csv', csv(rows)), '--org', 'org-a'], {}, bad.io, deps),
    ).toBe(1)
    expect(bad.out.stderr).toMatch(/^cli-bad\.csv:2:Overall tier: unknown tier "Sideways"/m)
    expect(bad.out.stderr).toMatch(/nothing was written/)

    const usage = output()
    expect(await importIxlCommand([file('cli.csv', csv(mathFile()))], {}, usage.io, deps)).toBe(2)
    expect(usage.out.stderr).toMatch(/--org is required/)
    const org = output()
    expect(
      await importIxlCommand([file('cli.csv', csv(mathFile())), '--org', 'nope'], {}, org.io, deps),
    ).toBe(2)
    expect(org.out.stderr).toMatch(/no organisation "nope"/)
  })
})

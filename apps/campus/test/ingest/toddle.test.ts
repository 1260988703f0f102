/**
 * Toddle ingestion: the API client against a local HTTP server (cursor paging, a 429 honoured
 * with Retry-After, a connection dropped mid-page), ingestion from the API and from JSON files
 * giving the same rows, idempotency, and bad input refused with nothing written.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { count } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { importToddleCommand } from '../../src/cli/import-toddle.js'
import {
  classes,
  courses,
  toddleAttendance,
  toddleTaskScores,
  toddleTermGrades,
} from '../../src/db/schema.js'
import { ToddleApiError } from '../../src/ingest/errors.js'
import { type RetryInfo, ToddleClient } from '../../src/ingest/toddle/client.js'
import { importToddle } from '../../src/ingest/toddle/import.js'
import { apiSource, directorySource } from '../../src/ingest/toddle/source.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { writeRoster } from './roster.js'
import { toddleData } from './toddle-data.js'
import { startToddleServer, type ToddleTestServer } from './toddle-server.js'

const TOKEN = 'test-token-0123456789'
let database: CampusTestDatabase
let server: ToddleTestServer
const root = mkdtempSync(join(tmpdir(), 'campus-toddle-'))

function writeDir(name: string, data: Record<string, unknown[]>): string {
  const dir = join(root, name)
  mkdirSync(dir, { recursive: true })
  for (const [resource, items] of Object.entries(data)) {
    writeFileSync(
      join(dir, `${resource}.json`),
      JSON.stringify(resource === 'students' ? { data: items } : items),
    )
  }
  return dir
}

function client(sleeps: number[] = [], retries: RetryInfo[] = []): ToddleClient {
  return new ToddleClient({
    baseUrl: server.baseUrl,
    token: TOKEN,
    pageSize: 2,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    onRetry: (r) => retries.push(r),
  })
}

const importFrom = (source: ReturnType<typeof directorySource>, extra = {}) =>
  importToddle({
    db: database.db,
    liveRunProgress: database.kind === 'pg',
    orgSourcedId: 'org-a',
    source,
    via: 'cli',
    ...extra,
  })

async function snapshot() {
  const strip = <T extends { id: string; importRunId: string }>(rows: T[]) =>
    rows.map(({ id: _id, importRunId: _run, ...rest }) => rest)
  return {
    termGrades: strip(
      await database.db
        .select()
        .from(toddleTermGrades)
        .orderBy(toddleTermGrades.userSourcedId, toddleTermGrades.courseRef),
    ),
    attendance: strip(
      await database.db.select().from(toddleAttendance).orderBy(toddleAttendance.userSourcedId),
    ),
    tasks: strip(
      await database.db
        .select()
        .from(toddleTaskScores)
        .orderBy(toddleTaskScores.userSourcedId, toddleTaskScores.taskRef),
    ),
  }
}
async function counts() {
  const n = async (
    t: typeof toddleTermGrades | typeof toddleAttendance | typeof toddleTaskScores,
  ) => Number((await database.db.select({ n: count() }).from(t))[0]?.n)
  return {
    termGrades: await n(toddleTermGrades),
    attendance: await n(toddleAttendance),
    tasks: await n(toddleTaskScores),
  }
}

beforeAll(async () => {
  database = await openCampusTestDatabase()
  const { gradebook: _gradebook, ...apiData } = toddleData()
  server = await startToddleServer(apiData, TOKEN)
})
afterAll(async () => {
  await server?.close()
  await database?.close()
})
beforeEach(async () => {
  await database.db.execute(
    'truncate toddle_term_grades, toddle_attendance, toddle_task_scores, import_runs, enrollments, classes, courses, user_roles, users, orgs cascade' as never,
  )
  await writeRoster(database.db)
  await database.db
    .insert(courses)
    .values({ sourcedId: 'course-math-2', title: 'Math 2', orgSourcedId: 'org-a' })
  await database.db.insert(classes).values([
    {
      sourcedId: 'class-math-2a',
      title: 'Math 2A',
      courseSourcedId: 'course-math-2',
      schoolSourcedId: 'org-a',
      classCode: 'MATH-2A',
    },
    // Same code in another school: never the class of org-a's rows.
    {
      sourcedId: 'class-b-math',
      title: 'Math B',
      courseSourcedId: 'course-math-2',
      schoolSourcedId: 'org-b',
      classCode: 'MATH-2B',
    },
  ])
  server.requests.length = 0
  server.faults.length = 0
})

describe('ToddleClient', { timeout: 60_000 }, () => {
  it('follows the cursor to the last page', async () => {
    const ids: string[] = []
    for await (const page of client().pages('term-grades')) {
      ids.push(...page.items.map((i) => (i as { id: string }).id))
    }
    expect(ids).toEqual(['tg-1', 'tg-2', 'tg-3', 'tg-4', 'tg-5'])
    expect(server.requests.map((r) => r.answer)).toEqual([200, 200, 200])
    expect(server.requests[0]?.cursor).toBeNull()
  })

  it('honours a 429: waits what Retry-After says, then asks for the same page again', async () => {
    server.faults.push({ resource: 'term-grades', offset: 2, kind: '429', retryAfter: '3' })
    const sleeps: number[] = []
    const retries: RetryInfo[] = []
    const ids: string[] = []
    for await (const page of client(sleeps, retries).pages('term-grades')) {
      ids.push(...page.items.map((i) => (i as { id: string }).id))
    }
    expect(ids).toEqual(['tg-1', 'tg-2', 'tg-3', 'tg-4', 'tg-5'])
    expect(sleeps).toEqual([3000])
    expect(retries).toEqual([
      { resource: 'term-grades', attempt: 1, delayMs: 3000, reason: '429 with Retry-After' },
    ])
    const answers = server.requests.map((r) => [r.answer, r.cursor])
    expect(answers[1]?.[0]).toBe(429)
    // The retry asked for the very page that was refused.
    expect(answers[2]).toEqual([200, answers[1]?.[1]])
  })

  it('retries a page whose connection dropped half-way, losing and repeating nothing', async () => {
    server.faults.push({ resource: 'students', offset: 2, kind: 'drop' })
    const retries: RetryInfo[] = []
    const ids: string[] = []
    for await (const page of client([], retries).pages('students')) {
      ids.push(...page.items.map((i) => String((i as { id: number }).id)))
    }
    expect(ids).toEqual(['101', '102', '103'])
    expect(server.requests.map((r) => r.answer)).toEqual([200, 'dropped', 200])
    expect(server.requests[2]?.cursor).toBe(server.requests[1]?.cursor)
    expect(retries[0]?.reason).toMatch(/^connection failed/)
  })

  it('fails at once on a bad token, and gives up after the last attempt', async () => {
    const bad = new ToddleClient({ baseUrl: server.baseUrl, token: 'wrong', sleep: async () => {} })
    const error = await (async () => {
      for await (const _ of bad.pages('students')) {
        // unreachable: the first page is refused
      }
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ToddleApiError)
    expect(error).toMatchObject({ code: 'E_TODDLE_API', status: 401 })
    expect((error as Error).message).not.toContain('wrong')
    expect(server.requests).toHaveLength(1)

    for (let i = 0; i < 3; i++)
      server.faults.push({ resource: 'courses', offset: 0, kind: '429', retryAfter: '0' })
    const limited = new ToddleClient({
      baseUrl: server.baseUrl,
      token: TOKEN,
      maxAttempts: 3,
      sleep: async () => {},
    })
    await expect(
      (async () => {
        for await (const _ of limited.pages('courses')) {
          // the 429s come first
        }
      })(),
    ).rejects.toThrow('courses: gave up after 3 attempts (last: 429 with Retry-After)')
  })
})

describe('Toddle ingestion', { timeout: 60_000 }, () => {
  it('from the API and from JSON files: the same rows, matched to the organisation’s learners', async () => {
    server.faults.push({ resource: 'students', offset: 2, kind: 'drop' })
    server.faults.push({ resource: 'term-grades', offset: 4, kind: '429', retryAfter: '1' })
    const api = await importFrom(apiSource(client(), server.baseUrl))
    expect(api.problems).toEqual([])
    expect(api.status).toBe('succeeded')
    const fromApi = await snapshot()
    expect(fromApi.termGrades).toHaveLength(5)
    expect(
      fromApi.termGrades.find((g) => g.userSourcedId === 'u-a1' && g.courseRef === 'c-math'),
    ).toEqual({
      orgSourcedId: 'org-a',
      userSourcedId: 'u-a1',
      courseRef: 'c-math',
      courseTitle: 'Mathematics 2',
      subject: 'Mathematics',
      classSourcedId: 'class-math-2a',
      gradingPeriodRef: 'gp-1',
      gradingPeriodTitle: 'Term 1',
      academicYear: '2025-2026',
      score: 6,
      grade: '6',
      comment: 'Steady work',
    })
    expect(new Set(fromApi.termGrades.map((g) => g.userSourcedId))).toEqual(
      new Set(['u-a1', 'u-a2', 'u-a3']),
    )
    expect(
      fromApi.attendance.map((a) => [a.userSourcedId, a.courseRef, a.status, a.classSourcedId]),
    ).toEqual([
      ['u-a1', '', 'present', null],
      ['u-a2', '', 'absent', null],
      ['u-a3', 'c-math', 'late', 'class-math-2a'],
    ])
    expect(fromApi.tasks).toEqual([])

    const { gradebook: _g, ...withoutGradebook } = toddleData()
    await database.db.execute('truncate toddle_term_grades, toddle_attendance' as never)
    const files = await importFrom(directorySource(writeDir('same', withoutGradebook)))
    expect(files.problems).toEqual([])
    expect(await snapshot()).toEqual(fromApi)
  })

  it('stores the gradebook export: task type, grading category, evaluation status, score and grade', async () => {
    const result = await importFrom(directorySource(writeDir('gradebook', toddleData())))
    expect(result.status).toBe('succeeded')
    const { tasks } = await snapshot()
    expect(
      tasks.map((t) => [
        t.userSourcedId,
        t.taskRef,
        t.taskType,
        t.gradingCategory,
        t.evaluationStatus,
        t.overallScore,
        t.overallGrade,
        t.dueDate,
      ]),
    ).toEqual([
      ['u-a1', 'task-1', 'FA', 'Quizzes', 'evaluated', 8, 'B', '2025-10-01'],
      ['u-a1', 'task-2', 'SA', 'Tests', 'evaluated', 27.5, 'A', null],
      ['u-a2', 'task-1', 'FA', 'Quizzes', 'pending', null, null, '2025-10-01'],
    ])
  })

  it('re-importing changes nothing; a changed grade updates one row', async () => {
    const dir = writeDir('again', toddleData())
    const first = await importFrom(directorySource(dir))
    expect(first.counts).toMatchObject({ rowsInserted: 11, rowsUpdated: 0 })
    const before = await snapshot()
    const second = await importFrom(directorySource(dir))
    expect(second.counts).toMatchObject({ rowsInserted: 0, rowsUpdated: 0, rowsUnchanged: 11 })
    expect(await snapshot()).toEqual(before)
    const data = toddleData()
    ;(data['term-grades']![1] as { grade: string }).grade = '6'
    const third = await importFrom(directorySource(writeDir('changed', data)))
    expect(third.counts).toMatchObject({ rowsInserted: 0, rowsUpdated: 1, rowsUnchanged: 10 })
  })

  it('a dry run counts what would change and writes nothing', async () => {
    const result = await importFrom(directorySource(writeDir('dry', toddleData())), {
      dryRun: true,
    })
    expect(result.status).toBe('dry-run')
    expect(result.counts).toMatchObject({ rowsInserted: 11 })
    expect(result.summary).toMatch(/would insert 11.*dry run: nothing was written/)
    expect(await counts()).toEqual({ termGrades: 0, attendance: 0, tasks: 0 })
  })

  it('with --allow-unmatched, rows of learners campus has are written and the others listed', async () => {
    const data = toddleData()
    data.students!.push({
      id: 104,
      student_id: 'S-ZZ',
      first_name: 'No',
      last_name: 'Body',
      email: null,
      year_group: '4',
    })
    data['term-grades']!.push({
      id: 'tg-6',
      student_id: '104',
      course_id: 'c-math',
      grading_period_id: 'gp-2',
      score: 3,
      grade: '3',
    })
    const dir = writeDir('some-unmatched', data)
    const strict = await importFrom(directorySource(dir))
    expect(strict.status).toBe('failed')
    expect(await counts()).toEqual({ termGrades: 0, attendance: 0, tasks: 0 })
    const allowed = await importFrom(directorySource(dir), { allowUnmatched: true })
    expect(allowed.status).toBe('succeeded')
    expect(allowed.problems).toEqual([
      'term-grades.json:6:student_id: unmatched: no learner of org-a has student ID "S-ZZ", nor name "No Body" in grade 04',
    ])
    expect(await counts()).toEqual({ termGrades: 5, attendance: 3, tasks: 3 })
  })

  it('the command line reads the API named by TODDLE_API_URL with TODDLE_API_TOKEN', async () => {
    const out = { stdout: '', stderr: '' }
    const io = {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    }
    const deps = { openDatabase: async () => ({ ...database, close: async () => {} }) }
    const env = { TODDLE_API_URL: server.baseUrl, TODDLE_API_TOKEN: TOKEN }
    expect(await importToddleCommand(['--api', '--org', 'org-a'], env, io, deps)).toBe(0)
    expect(out.stdout).toMatch(/^toddle: \d+ items? read|^toddle: \d+ rows/m)
    expect(out.stdout).toMatch(/inserted 8, updated 0, unchanged 0/)
    expect((await counts()).termGrades).toBe(5)
    const bad = { stdout: '', stderr: '' }
    const badIo = {
      stdout: { write: (s: string) => (bad.stdout += s) },
      stderr: { write: (s: string) => (bad.stderr += s) },
    }
    expect(
      await importToddleCommand(
        ['--api', '--org', 'org-a'],
        { ...env, TODDLE_API_TOKEN: 'nope' },
        badIo,
        deps,
      ),
    ).toBe(1)
    expect(bad.stderr).toMatch(/answered 401.*check TODDLE_API_TOKEN.*nothing was written/)
    expect(
      await importToddleCommand(
        ['--api', '--org', 'org-a'],
        { TODDLE_API_URL: server.baseUrl },
        badIo,
        deps,
      ),
    ).toBe(2)
  })
})

describe('bad Toddle input: every problem, nothing written', { timeout: 60_000 }, () => {
  async function refused(data: Record<string, unknown[]>, expected: string[], extra = {}) {
    const result = await importFrom(
      directorySource(writeDir(`bad-${Math.random().toString(36).slice(2)}`, data)),
      extra,
    )
    expect(result.status).toBe('failed')
    for (const line of expected) expect(result.problems, result.problems.join('\n')).toContain(line)
    expect(await counts()).toEqual({ termGrades: 0, attendance: 0, tasks: 0 })
    return result
  }

  it('an unknown field, a wrong type, an unknown task type and attendance status', async () => {
    const data = toddleData()
    ;(data.students![0] as Record<string, unknown>).nickname = 'Countess'
    ;(data['term-grades']![0] as Record<string, unknown>).score = 'six'
    ;(data.gradebook![2] as Record<string, unknown>).task_type = 'XA'
    ;(data.attendance![1] as Record<string, unknown>).status = 'sick'
    await refused(data, [
      'students.json:1:nickname: unknown field; campus does not know what it means (see docs/ingestion.md)',
      'term-grades.json:1:score: Invalid input: expected number, received string',
      'gradebook.json:3:task_type: Invalid option: expected one of "FA"|"SA"',
      'attendance.json:2:status: Invalid option: expected one of "present"|"absent"|"late"|"excused"',
    ])
  })

  it('dangling references and duplicate ids', async () => {
    const data = toddleData()
    data['term-grades']!.push({
      id: 'tg-9',
      student_id: '999',
      course_id: 'c-none',
      grading_period_id: 'gp-9',
      score: 1,
      grade: '1',
    })
    data.enrollments!.push({ id: 'e-9', course_id: 'c-math', user_id: '777', role: 'student' })
    data.courses!.push({
      id: 'c-math',
      title: 'Again',
      code: null,
      subject: null,
      academic_year_id: 'ay-25',
    })
    data['term-grades']!.push({ ...data['term-grades']![0]!, id: 'tg-10' })
    await refused(data, [
      'term-grades.json:6:student_id: no student with id "999"',
      'term-grades.json:6:course_id: no course with id "c-none"',
      'term-grades.json:6:grading_period_id: no grading period with id "gp-9"',
      'enrollments.json:5:user_id: no student with id "777"',
      'courses.json:3:id: duplicate id "c-math" (also item 1)',
      'term-grades.json:7:id: duplicate: item 1 has the same learner, course and period/day/task',
    ])
  })

  it('learners of another organisation are never matched', async () => {
    const data = toddleData()
    data.students = [
      {
        id: 101,
        student_id: 'S-B1',
        first_name: 'Emmy',
        last_name: 'Noether',
        email: null,
        year_group: '5',
      },
      {
        id: 102,
        student_id: 'S-B2',
        first_name: 'Kurt',
        last_name: 'Godel',
        email: null,
        year_group: '5',
      },
      {
        id: 103,
        student_id: 'S-B1',
        first_name: 'Emmy',
        last_name: 'Noether',
        email: null,
        year_group: '5',
      },
    ]
    const result = await refused(data, [
      'term-grades.json:1:student_id: unmatched: no learner of org-a has student ID "S-B1", nor name "Emmy Noether" in grade 05',
    ])
    expect(result.summary).toMatch(/nothing was written/)
    // Allowing unmatched rows still writes nothing when no row has a learner of the org.
    await refused(data, [], { allowUnmatched: true })
  })

  it('a missing required file, and a file that is not JSON', async () => {
    const { students: _s, ...data } = toddleData()
    await refused(data, [
      'students.json: missing: campus needs it to read term grades and attendance',
    ])
    const dir = writeDir('not-json', toddleData())
    writeFileSync(join(dir, 'attendance.json'), '{"data": [')
    await expect(importFrom(directorySource(dir))).rejects.toThrow(
      /^attendance\.json: not valid JSON/,
    )
    expect(await counts()).toEqual({ termGrades: 0, attendance: 0, tasks: 0 })
  })
})

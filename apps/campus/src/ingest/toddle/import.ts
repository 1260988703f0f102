/**
 * Imports Toddle data for one organisation: reference resources (academic years, grading
 * periods, courses, students, staff, enrollments) are read and checked first, then term grades,
 * attendance and the gradebook export are written in one transaction. Any problem (an unknown
 * field, a dangling reference, a duplicate, a learner campus cannot find) rolls it back, after
 * every problem has been found. See docs/ingestion.md for the field mapping.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { toddleAttendance, toddleTaskScores, toddleTermGrades } from '../../db/schema.js'
import { normalizeGrade } from '../grades.js'
import { type LearnerMatch, matchLearners } from '../learners.js'
import { requireOrg } from '../org.js'
import { problemLine } from '../problems.js'
import { type ImportRun, type RunCounts, startRun } from '../runs.js'
import { type UpsertCounts, upsertRows } from '../upsert.js'
import type { ToddleItem, ToddleResource } from './shapes.js'
import type { ToddleSource } from './source.js'
import { validateItem } from './validate.js'

/** What {@link importToddle} is given. */
export interface ToddleImportOptions {
  db: Database
  /** As in the IXL import: whether the run row may be written while the transaction is open. */
  liveRunProgress: boolean
  orgSourcedId: string
  source: ToddleSource
  via: 'cli' | 'admin' | 'api'
  startedBy?: string | null
  dryRun?: boolean
  /** Write what matches even when some rows name a learner campus cannot find. */
  allowUnmatched?: boolean
  onProgress?: (counts: RunCounts) => void
}

/** How the import ended. */
export interface ToddleImportResult {
  runId: string
  status: 'succeeded' | 'failed' | 'dry-run'
  counts: RunCounts
  problems: string[]
  summary: string
}

const REFERENCE: readonly ToddleResource[] = [
  'academic-years',
  'grading-periods',
  'courses',
  'students',
  'staff',
  'enrollments',
]
const REQUIRED: ReadonlySet<ToddleResource> = new Set([
  'academic-years',
  'grading-periods',
  'courses',
  'students',
])
const DATA: readonly ToddleResource[] = ['term-grades', 'attendance', 'gradebook']
const BATCH = 500

class Rollback extends Error {}

interface Reference {
  years: Map<string, ToddleItem<'academic-years'>>
  periods: Map<string, ToddleItem<'grading-periods'>>
  courses: Map<string, ToddleItem<'courses'>>
  students: Map<string, ToddleItem<'students'>>
  staff: Set<string>
  /** Campus learner per Toddle student id (matched lazily in batches). */
  learners: Map<string, LearnerMatch>
  /** Campus class per Toddle course code. */
  classes: Map<string, string>
}

/**
 * Imports from `options.source` into the Toddle tables of `options.orgSourcedId`.
 *
 * @example
 * await importToddle({ db, liveRunProgress: true, orgSourcedId: 'org-school-01', source: directorySource('toddle/'), via: 'cli' })
 */
export async function importToddle(options: ToddleImportOptions): Promise<ToddleImportResult> {
  const { db, source } = options
  await requireOrg(db, options.orgSourcedId)
  const present = [...REFERENCE, ...DATA].filter((r) => source.has(r))
  const run = await startRun(db, {
    source: source.kind,
    origin: source.origin,
    via: options.via,
    orgSourcedId: options.orgSourcedId,
    startedBy: options.startedBy ?? null,
    filesTotal: present.length,
  })
  const problems: string[] = []
  let hard = 0
  let unmatched = 0
  const problem = (line: string, isHard = true): void => {
    problems.push(line)
    run.problem(line)
    if (isHard) hard++
    else unmatched++
  }
  const written: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 }
  const report = (): void => options.onProgress?.({ ...run.counts })
  try {
    for (const resource of REQUIRED) {
      if (!source.has(resource))
        problem(
          problemLine(
            source.label(resource),
            null,
            null,
            'missing: campus needs it to read term grades and attendance',
          ),
        )
    }
    const ref = await readReference(options, run, problem, report)
    await db
      .transaction(async (txAny) => {
        const tx = txAny as unknown as Database
        for (const resource of DATA) {
          if (!source.has(resource)) continue
          const counts = await importData(
            tx,
            options,
            run,
            ref,
            resource,
            problem,
            () => hard === 0 && (unmatched === 0 || !!options.allowUnmatched),
          )
          written.inserted += counts.inserted
          written.updated += counts.updated
          written.unchanged += counts.unchanged
          run.counts.filesDone++
          if (options.liveRunProgress) await run.progress(true)
          report()
        }
        if (hard > 0 || options.dryRun || (unmatched > 0 && !options.allowUnmatched)) {
          throw new Rollback()
        }
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error
      })
  } catch (error) {
    await run.finish('failed', (error as Error).message)
    throw error
  }
  const wroteNothing = written.inserted + written.updated + written.unchanged === 0
  const failed = hard > 0 || (unmatched > 0 && (!options.allowUnmatched || wroteNothing))
  let summary: string
  let status: ToddleImportResult['status']
  if (failed) {
    status = 'failed'
    summary = `${source.origin}: ${problems.length} problem(s); nothing was written`
    run.counts.rowsInserted = 0
    run.counts.rowsUpdated = 0
    run.counts.rowsUnchanged = 0
  } else {
    status = options.dryRun ? 'dry-run' : 'succeeded'
    summary =
      `${source.origin}: ${run.counts.rowsRead} items read; ` +
      `${options.dryRun ? 'would insert' : 'inserted'} ${written.inserted}, ` +
      `${options.dryRun ? 'would update' : 'updated'} ${written.updated}, unchanged ${written.unchanged}` +
      (unmatched > 0
        ? `; ${unmatched} rows named no learner of ${options.orgSourcedId} and were skipped`
        : '') +
      (options.dryRun ? ' (dry run: nothing was written)' : '')
  }
  await run.finish(status, failed ? summary : undefined)
  report()
  return { runId: run.id, status, counts: { ...run.counts }, problems, summary }
}

async function* items<R extends ToddleResource>(
  source: ToddleSource,
  resource: R,
  run: ImportRun,
  problem: (line: string) => void,
): AsyncGenerator<{ item: ToddleItem<R>; index: number }> {
  const label = source.label(resource)
  for await (const page of source.pages(resource)) {
    for (const [offset, raw] of page.items.entries()) {
      const index = page.firstIndex + offset
      run.counts.rowsRead++
      const result = validateItem(resource, raw, label, index)
      if (!result.ok) {
        run.counts.rowsRejected++
        for (const line of result.problems) problem(line)
        continue
      }
      yield { item: result.item, index }
    }
  }
}

async function readReference(
  options: ToddleImportOptions,
  run: ImportRun,
  problem: (line: string, hard?: boolean) => void,
  report: () => void,
): Promise<Reference> {
  const { source } = options
  const ref: Reference = {
    years: new Map(),
    periods: new Map(),
    courses: new Map(),
    students: new Map(),
    staff: new Set(),
    learners: new Map(),
    classes: new Map(),
  }
  const firstSeen = new Map<string, number>()
  const unique = (resource: ToddleResource, id: string, index: number): boolean => {
    const key = `${resource}\u0000${id}`
    const before = firstSeen.get(key)
    if (before !== undefined) {
      problem(
        problemLine(
          source.label(resource),
          index,
          'id',
          `duplicate id ${JSON.stringify(id)} (also item ${before})`,
        ),
      )
      return false
    }
    firstSeen.set(key, index)
    return true
  }
  const dangling = (
    resource: ToddleResource,
    index: number,
    field: string,
    what: string,
    id: string,
  ) =>
    problem(
      problemLine(source.label(resource), index, field, `no ${what} with id ${JSON.stringify(id)}`),
    )

  for (const resource of REFERENCE) {
    if (!source.has(resource)) continue
    for await (const { item, index } of items(source, resource, run, problem)) {
      const id = 'id' in item ? String(item.id) : ''
      if (!unique(resource, id, index)) continue
      switch (resource) {
        case 'academic-years':
          ref.years.set(id, item as ToddleItem<'academic-years'>)
          break
        case 'grading-periods': {
          const period = item as ToddleItem<'grading-periods'>
          if (!ref.years.has(period.academic_year_id)) {
            dangling(resource, index, 'academic_year_id', 'academic year', period.academic_year_id)
          }
          ref.periods.set(id, period)
          break
        }
        case 'courses':
          ref.courses.set(id, item as ToddleItem<'courses'>)
          break
        case 'students':
          ref.students.set(id, item as ToddleItem<'students'>)
          break
        case 'staff':
          ref.staff.add(id)
          break
        case 'enrollments': {
          const e = item as ToddleItem<'enrollments'>
          if (!ref.courses.has(e.course_id))
            dangling(resource, index, 'course_id', 'course', e.course_id)
          const known =
            e.role === 'student' ? ref.students.has(e.user_id) : ref.staff.has(e.user_id)
          if (!known)
            dangling(
              resource,
              index,
              'user_id',
              e.role === 'student' ? 'student' : 'staff member',
              e.user_id,
            )
          break
        }
      }
    }
    run.counts.filesDone++
    await run.progress(true)
    report()
  }

  // Campus learners for every Toddle student, one query per batch.
  const students = [...ref.students.values()]
  for (let i = 0; i < students.length; i += BATCH) {
    const batch = students.slice(i, i + BATCH)
    const matches = await matchLearners(
      options.db,
      options.orgSourcedId,
      batch.map((s) => ({
        id: s.student_id ?? null,
        email: s.email ?? null,
        firstName: s.first_name,
        lastName: s.last_name,
        grade: s.year_group ? (normalizeGrade(s.year_group) ?? null) : null,
      })),
    )
    batch.forEach((s, j) => {
      const match = matches[j]
      if (match) ref.learners.set(String(s.id), match)
    })
  }

  // Campus classes of the organisation by class code, for courses that carry one.
  const codes = [...new Set([...ref.courses.values()].flatMap((c) => (c.code ? [c.code] : [])))]
  if (codes.length > 0) {
    const result = await options.db.execute(sql`
      select c.class_code, c.sourced_id from classes c
       where c.class_code in (select json_array_elements_text(${JSON.stringify(codes)}::json))
         and (c.school_sourced_id = ${options.orgSourcedId}
              or c.school_sourced_id in (select o.sourced_id from orgs o
                                          where o.parent_sourced_id = ${options.orgSourcedId}))`)
    for (const row of (result as { rows: { class_code: string; sourced_id: string }[] }).rows) {
      ref.classes.set(row.class_code, row.sourced_id)
    }
  }
  return ref
}

async function importData(
  tx: Database,
  options: ToddleImportOptions,
  run: ImportRun,
  ref: Reference,
  resource: ToddleResource,
  problem: (line: string, hard?: boolean) => void,
  writing: () => boolean,
): Promise<UpsertCounts> {
  const { source } = options
  const label = source.label(resource)
  const total: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 }
  const seen = new Map<string, number>()
  let batch: Record<string, unknown>[] = []

  const learner = (studentId: string, index: number): string | null => {
    if (!ref.students.has(studentId)) {
      problem(
        problemLine(label, index, 'student_id', `no student with id ${JSON.stringify(studentId)}`),
      )
      return null
    }
    const match = ref.learners.get(studentId)
    if (match?.kind === 'matched') return match.userSourcedId
    run.counts.rowsRejected++
    if (match?.kind === 'ambiguous')
      problem(problemLine(label, index, 'student_id', `ambiguous: ${match.reason}`))
    else
      problem(
        problemLine(label, index, 'student_id', `unmatched: ${match?.reason ?? 'no learner'}`),
        false,
      )
    return null
  }
  const course = (courseId: string, index: number) => {
    const c = ref.courses.get(courseId)
    if (!c) {
      problem(
        problemLine(label, index, 'course_id', `no course with id ${JSON.stringify(courseId)}`),
      )
      return null
    }
    return {
      courseRef: courseId,
      courseTitle: c.title,
      subject: c.subject ?? null,
      classSourcedId: c.code ? (ref.classes.get(c.code) ?? null) : null,
    }
  }
  const once = (key: string, index: number): boolean => {
    const before = seen.get(key)
    if (before !== undefined) {
      problem(
        problemLine(
          label,
          index,
          'id',
          `duplicate: item ${before} has the same learner, course and period/day/task`,
        ),
      )
      return false
    }
    seen.set(key, index)
    return true
  }
  const flush = async (): Promise<void> => {
    const rows = batch
    batch = []
    if (!writing() || rows.length === 0) return
    let counts: UpsertCounts
    if (resource === 'term-grades') {
      const t = toddleTermGrades
      counts = await upsertRows(
        tx,
        t,
        [t.orgSourcedId, t.gradingPeriodRef, t.courseRef, t.userSourcedId],
        rows as (typeof t.$inferInsert)[],
      )
    } else if (resource === 'attendance') {
      const t = toddleAttendance
      counts = await upsertRows(
        tx,
        t,
        [t.orgSourcedId, t.userSourcedId, t.date, t.courseRef],
        rows as (typeof t.$inferInsert)[],
      )
    } else {
      const t = toddleTaskScores
      counts = await upsertRows(
        tx,
        t,
        [t.orgSourcedId, t.taskRef, t.userSourcedId],
        rows as (typeof t.$inferInsert)[],
      )
    }
    total.inserted += counts.inserted
    total.updated += counts.updated
    total.unchanged += counts.unchanged
    run.counts.rowsInserted += counts.inserted
    run.counts.rowsUpdated += counts.updated
    run.counts.rowsUnchanged += counts.unchanged
    if (options.liveRunProgress) await run.progress()
    options.onProgress?.({ ...run.counts })
  }

  for await (const { item, index } of items(source, resource, run, problem)) {
    const common = { orgSourcedId: options.orgSourcedId, importRunId: run.id }
    if (resource === 'term-grades') {
      const g = item as ToddleItem<'term-grades'>
      const user = learner(g.student_id, index)
      const c = course(g.course_id, index)
      const period = ref.periods.get(g.grading_period_id)
      if (!period)
        problem(
          problemLine(
            label,
            index,
            'grading_period_id',
            `no grading period with id ${JSON.stringify(g.grading_period_id)}`,
          ),
        )
      if (!user || !c || !period) continue
      if (!once(`${user}\u0000${g.course_id}\u0000${g.grading_period_id}`, index)) continue
      batch.push({
        ...common,
        userSourcedId: user,
        ...c,
        gradingPeriodRef: g.grading_period_id,
        gradingPeriodTitle: period.title,
        academicYear: ref.years.get(period.academic_year_id)?.title ?? period.academic_year_id,
        score: g.score ?? null,
        grade: g.grade ?? null,
        comment: g.comment ?? null,
      })
    } else if (resource === 'attendance') {
      const a = item as ToddleItem<'attendance'>
      const user = learner(a.student_id, index)
      const c = a.course_id ? course(a.course_id, index) : undefined
      if (!user || c === null) continue
      if (!once(`${user}\u0000${a.course_id ?? ''}\u0000${a.date}`, index)) continue
      batch.push({
        ...common,
        userSourcedId: user,
        date: a.date,
        courseRef: a.course_id ?? '',
        classSourcedId: c?.classSourcedId ?? null,
        status: a.status,
      })
    } else {
      const r = item as ToddleItem<'gradebook'>
      const user = learner(r.student_id, index)
      const c = course(r.course_id, index)
      if (!user || !c) continue
      if (!once(`${user}\u0000${r.task_id}`, index)) continue
      batch.push({
        ...common,
        userSourcedId: user,
        ...c,
        taskRef: r.task_id,
        taskTitle: r.task_title,
        taskType: r.task_type,
        gradingCategory: r.grading_category ?? null,
        evaluationStatus: r.evaluation_status,
        overallScore: r.overall_score ?? null,
        overallGrade: r.overall_grade ?? null,
        dueDate: r.due_date ?? null,
      })
    }
    if (batch.length >= BATCH) await flush()
  }
  await flush()
  return total
}

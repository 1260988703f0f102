/**
 * Toddle results (term grades, attendance, gradebook rows) resolved against the reference data
 * and upserted in batches on their natural keys, inside the import's transaction. Rows whose
 * learner, course or grading period cannot be resolved, and duplicates, are problems.
 *
 * @module
 */
import type { Database } from '../../db/client.js'
import { toddleAttendance, toddleTaskScores, toddleTermGrades } from '../../db/schema.js'
import { problemLine } from '../problems.js'
import type { ImportRun } from '../runs.js'
import { type UpsertCounts, upsertRows } from '../upsert.js'
import type { ToddleImportOptions } from './import.js'
import { type ProblemSink, validItems } from './items.js'
import type { Reference } from './reference.js'
import type { ToddleItem, ToddleResource } from './shapes.js'

const BATCH = 500

/**
 * Reads `resource` and upserts its rows; `writing()` says whether rows are still worth writing
 * (once the import is known to be refused, reading goes on only to report every problem).
 */
export async function importResults(
  tx: Database,
  options: ToddleImportOptions,
  run: ImportRun,
  ref: Reference,
  resource: ToddleResource,
  problem: ProblemSink,
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

  for await (const { item, index } of validItems(source, resource, run, problem)) {
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

/**
 * Toddle's reference resources (academic years, grading periods, courses, students, staff,
 * enrollments), read and checked before any result is written: duplicate ids and references
 * that point nowhere are problems. Students are matched to the organisation's campus learners
 * and course codes to its classes, so results can be written against campus's own ids.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import { normalizeGrade } from '../grades.js'
import { type LearnerMatch, matchLearners } from '../learners.js'
import { problemLine } from '../problems.js'
import type { ImportRun } from '../runs.js'
import type { ToddleImportOptions } from './import.js'
import { type ProblemSink, validItems } from './items.js'
import type { ToddleItem, ToddleResource } from './shapes.js'

/** Reference resources in the order they are read (later ones refer to earlier ones). */
export const REFERENCE_RESOURCES: readonly ToddleResource[] = [
  'academic-years',
  'grading-periods',
  'courses',
  'students',
  'staff',
  'enrollments',
]
const BATCH = 500

/** What results are resolved against. */
export interface Reference {
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

/** Reads and checks the reference resources the source has. */
export async function readReference(
  options: ToddleImportOptions,
  run: ImportRun,
  problem: ProblemSink,
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

  for (const resource of REFERENCE_RESOURCES) {
    if (!source.has(resource)) continue
    for await (const { item, index } of validItems(source, resource, run, problem)) {
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

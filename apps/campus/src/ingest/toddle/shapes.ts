/**
 * The Toddle Open API V2 shapes campus reads, as zod schemas: one place for the whole field
 * mapping (docs/ingestion.md lists it). Toddle publishes no schema, so every object is strict: a
 * field campus does not know is reported as a problem rather than silently dropped, and a changed
 * type is reported with its path.
 *
 * @module
 */
import { z } from 'zod'

const id = z.union([z.string().min(1), z.number().int()]).transform(String)
const optionalText = z.string().nullish()
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')

/** A student. `student_id` is the school's own student number (OneRoster `identifier`). */
export const toddleStudent = z
  .object({
    id,
    student_id: optionalText,
    first_name: z.string(),
    last_name: z.string(),
    email: optionalText,
    year_group: optionalText,
    status: z.enum(['active', 'inactive']).optional(),
  })
  .strict()

/** A staff member (read for reference checks of enrollments). */
export const toddleStaff = z
  .object({
    id,
    first_name: z.string(),
    last_name: z.string(),
    email: optionalText,
    role: optionalText,
  })
  .strict()

/** A course (OneRoster class); `code` ties it to a campus class's `classCode`. */
export const toddleCourse = z
  .object({
    id,
    title: z.string().min(1),
    code: optionalText,
    subject: optionalText,
    academic_year_id: id.nullish(),
  })
  .strict()

/** A student or staff member in a course. */
export const toddleEnrollment = z
  .object({
    id,
    course_id: id,
    user_id: id,
    role: z.enum(['student', 'teacher']),
  })
  .strict()

/** An academic year. */
export const toddleAcademicYear = z
  .object({ id, title: z.string().min(1), start_date: isoDate, end_date: isoDate })
  .strict()

/** A grading period (term) of an academic year. */
export const toddleGradingPeriod = z
  .object({
    id,
    title: z.string().min(1),
    academic_year_id: id,
    start_date: isoDate,
    end_date: isoDate,
  })
  .strict()

/** A student's grade for a course in a grading period. */
export const toddleTermGrade = z
  .object({
    id,
    student_id: id,
    course_id: id,
    grading_period_id: id,
    score: z.number().nullish(),
    grade: optionalText,
    comment: optionalText,
  })
  .strict()

/** An attendance mark; `course_id` null for a whole-day mark. */
export const toddleAttendance = z
  .object({
    id,
    student_id: id,
    course_id: id.nullish(),
    date: isoDate,
    status: z.enum(['present', 'absent', 'late', 'excused']),
  })
  .strict()

/** A row of the gradebook export: one student's result on one task. */
export const toddleGradebookRow = z
  .object({
    student_id: id,
    course_id: id,
    task_id: id,
    task_title: z.string().min(1),
    task_type: z.enum(['FA', 'SA']),
    grading_category: optionalText,
    evaluation_status: z.string().min(1),
    overall_score: z.number().nullish(),
    overall_grade: optionalText,
    due_date: isoDate.nullish(),
  })
  .strict()

/** Every resource campus reads, by its API path segment (and JSON file name). */
export const TODDLE_RESOURCES = {
  students: toddleStudent,
  staff: toddleStaff,
  courses: toddleCourse,
  enrollments: toddleEnrollment,
  'academic-years': toddleAcademicYear,
  'grading-periods': toddleGradingPeriod,
  'term-grades': toddleTermGrade,
  attendance: toddleAttendance,
  gradebook: toddleGradebookRow,
} as const

/** A resource name. */
export type ToddleResource = keyof typeof TODDLE_RESOURCES
/** The parsed item of a resource. */
export type ToddleItem<R extends ToddleResource> = z.output<(typeof TODDLE_RESOURCES)[R]>

/** One page of a list endpoint: `data` and the cursor of the next page (null on the last). */
export const toddlePage = z
  .object({ data: z.array(z.unknown()), next_cursor: z.string().nullish() })
  .strict()

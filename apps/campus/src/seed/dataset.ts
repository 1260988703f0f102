/**
 * The in-memory shape of a generated data set: one array of insertable rows per campus table,
 * typed from the Drizzle schema so a generated row is exactly what `writeDataset` inserts.
 *
 * @module
 */
import type { schema } from '../db/schema.js'

/**
 * The tables a generated data set fills: rostering, content and learner activity (practice,
 * IXL, Toddle and the import runs those point at). Accounts, sessions and the other
 * sign-in tables are written by the seed's account step (seed/accounts.ts), not the generator.
 */
type Tables = Pick<
  typeof schema,
  | 'orgs'
  | 'academicSessions'
  | 'users'
  | 'userRoles'
  | 'courses'
  | 'classes'
  | 'enrollments'
  | 'courseComponents'
  | 'resources'
  | 'componentResources'
  | 'assessmentItems'
  | 'importRuns'
  | 'practiceAttempts'
  | 'practiceItemResponses'
  | 'externalAssessmentScores'
  | 'toddleTermGrades'
  | 'toddleAttendance'
>

/** One array of insertable rows per table, keyed like `schema` in db/schema.ts. */
export type Dataset = { [K in keyof Tables]: Tables[K]['$inferInsert'][] }

/** A table name of {@link Dataset}. */
export type TableName = keyof Tables

/**
 * Tables in foreign-key order: every table comes after the tables it references, so inserting
 * in this order never violates a constraint (TRUNCATE does not care: it uses CASCADE).
 */
export const TABLE_ORDER: readonly TableName[] = [
  'orgs',
  'academicSessions',
  'users',
  'userRoles',
  'courses',
  'classes',
  'enrollments',
  'courseComponents',
  'resources',
  'componentResources',
  'assessmentItems',
  'importRuns',
  'practiceAttempts',
  'practiceItemResponses',
  'externalAssessmentScores',
  'toddleTermGrades',
  'toddleAttendance',
]

/** Rows per table, in {@link TABLE_ORDER}. */
export function countRows(dataset: Dataset): Record<TableName, number> {
  const counts = {} as Record<TableName, number>
  for (const name of TABLE_ORDER) counts[name] = dataset[name].length
  return counts
}

/** An empty data set, filled by the generator. */
export function emptyDataset(): Dataset {
  return {
    orgs: [],
    users: [],
    userRoles: [],
    academicSessions: [],
    courses: [],
    classes: [],
    enrollments: [],
    courseComponents: [],
    resources: [],
    componentResources: [],
    assessmentItems: [],
    importRuns: [],
    practiceAttempts: [],
    practiceItemResponses: [],
    externalAssessmentScores: [],
    toddleTermGrades: [],
    toddleAttendance: [],
  }
}

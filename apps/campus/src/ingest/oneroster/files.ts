/**
 * The OneRoster 1.2 CSV files campus imports and exports: for each, its header (names, order
 * and case as the binding fixes them), the kind of every column, which columns are required,
 * the references to other files, and the table it lands in. Files are listed in dependency
 * order: a file only refers to files before it (or to itself), so rows are written in this order.
 *
 * Not imported (a manifest marking one of them `bulk` or `delta` is refused): demographics,
 * userProfiles, the resources files, learning objective ids and the line item / result score
 * scale links.
 *
 * @module
 */
import {
  academicSessions,
  classes,
  courses,
  enrollments,
  gradebookCategories,
  lineItems,
  orgs,
  results,
  SCORE_STATUSES,
  scoreScales,
  userRoles,
  users,
} from '../../db/schema.js'
import type { FieldSpec } from './fields.js'

/** A OneRoster CSV file campus imports. */
export interface FileSpec {
  /** `users.csv`. */
  name: string
  /** Its `file.*` property in manifest.csv. */
  manifestKey: string
  /** The table it lands in. */
  table: string
  /** Columns in binding order. */
  fields: FieldSpec[]
  /**
   * Headers that may be missing from an older version of the binding (1.2 users.csv lacks
   * 1.2.1's `resourceSourcedIds`).
   */
  optionalHeaders?: readonly string[]
  /** The column tying a row to an organisation (for `--org` and scoped bulk files). */
  orgColumn?: string
}

const lifecycle: FieldSpec[] = [
  { header: 'sourcedId', column: 'sourced_id', kind: 'id', required: true },
  { header: 'status', column: 'status', kind: 'enum', values: ['active', 'tobedeleted'] },
  { header: 'dateLastModified', column: 'date_last_modified', kind: 'datetime' },
]

/** The files, in dependency (and write) order. */
export const FILES: readonly FileSpec[] = [
  {
    name: 'orgs.csv',
    manifestKey: 'file.orgs',
    table: 'orgs',
    orgColumn: 'sourced_id',
    fields: [
      ...lifecycle,
      { header: 'name', column: 'name', kind: 'string', required: true },
      {
        header: 'type',
        column: 'type',
        kind: 'enum',
        required: true,
        values: ['department', 'school', 'district', 'local', 'state', 'national'],
      },
      { header: 'identifier', column: 'identifier', kind: 'string' },
      { header: 'parentSourcedId', column: 'parent_sourced_id', kind: 'id', ref: 'orgs.csv' },
    ],
  },
  {
    name: 'academicSessions.csv',
    manifestKey: 'file.academicSessions',
    table: 'academic_sessions',
    fields: [
      ...lifecycle,
      { header: 'title', column: 'title', kind: 'string', required: true },
      {
        header: 'type',
        column: 'type',
        kind: 'enum',
        required: true,
        values: ['gradingPeriod', 'semester', 'schoolYear', 'term'],
      },
      { header: 'startDate', column: 'start_date', kind: 'date', required: true },
      { header: 'endDate', column: 'end_date', kind: 'date', required: true },
      {
        header: 'parentSourcedId',
        column: 'parent_sourced_id',
        kind: 'id',
        ref: 'academicSessions.csv',
      },
      { header: 'schoolYear', column: 'school_year', kind: 'year', required: true },
    ],
  },
  {
    name: 'courses.csv',
    manifestKey: 'file.courses',
    table: 'courses',
    orgColumn: 'org_sourced_id',
    fields: [
      ...lifecycle,
      {
        header: 'schoolYearSourcedId',
        column: 'school_year_sourced_id',
        kind: 'id',
        ref: 'academicSessions.csv',
      },
      { header: 'title', column: 'title', kind: 'string', required: true },
      { header: 'courseCode', column: 'course_code', kind: 'string' },
      { header: 'grades', column: 'grades', kind: 'grades' },
      {
        header: 'orgSourcedId',
        column: 'org_sourced_id',
        kind: 'id',
        required: true,
        ref: 'orgs.csv',
        org: true,
      },
      { header: 'subjects', column: 'subjects', kind: 'list' },
      { header: 'subjectCodes', column: 'subject_codes', kind: 'list' },
    ],
  },
  {
    name: 'classes.csv',
    manifestKey: 'file.classes',
    table: 'classes',
    orgColumn: 'school_sourced_id',
    fields: [
      ...lifecycle,
      { header: 'title', column: 'title', kind: 'string', required: true },
      { header: 'grades', column: 'grades', kind: 'grades' },
      {
        header: 'courseSourcedId',
        column: 'course_sourced_id',
        kind: 'id',
        required: true,
        ref: 'courses.csv',
      },
      { header: 'classCode', column: 'class_code', kind: 'string' },
      {
        header: 'classType',
        column: 'class_type',
        kind: 'enum',
        required: true,
        values: ['homeroom', 'scheduled'],
      },
      { header: 'location', column: 'location', kind: 'string' },
      {
        header: 'schoolSourcedId',
        column: 'school_sourced_id',
        kind: 'id',
        required: true,
        ref: 'orgs.csv',
        org: true,
      },
      {
        header: 'termSourcedIds',
        column: 'term_sourced_ids',
        kind: 'list',
        required: true,
        ref: 'academicSessions.csv',
      },
      { header: 'subjects', column: 'subjects', kind: 'list' },
      { header: 'subjectCodes', column: 'subject_codes', kind: 'list' },
      { header: 'periods', column: 'periods', kind: 'list' },
    ],
  },
  {
    name: 'users.csv',
    manifestKey: 'file.users',
    table: 'users',
    optionalHeaders: ['resourceSourcedIds'],
    fields: [
      ...lifecycle,
      { header: 'enabledUser', column: 'enabled_user', kind: 'boolean', required: true },
      { header: 'username', column: 'username', kind: 'string', required: true },
      { header: 'userIds', column: 'user_ids', kind: 'userIds' },
      { header: 'givenName', column: 'given_name', kind: 'string', required: true },
      { header: 'familyName', column: 'family_name', kind: 'string', required: true },
      { header: 'middleName', column: 'middle_name', kind: 'string' },
      { header: 'identifier', column: 'identifier', kind: 'string' },
      { header: 'email', column: 'email', kind: 'string' },
      { header: 'sms', column: 'sms', kind: 'string' },
      { header: 'phone', column: 'phone', kind: 'string' },
      { header: 'agentSourcedIds', column: 'agent_sourced_ids', kind: 'list', ref: 'users.csv' },
      { header: 'grades', column: 'grades', kind: 'grades' },
      // Never stored: campus keeps its own scrypt credentials (docs/auth.md).
      { header: 'password', kind: 'string' },
      { header: 'userMasterIdentifier', column: 'user_master_identifier', kind: 'string' },
      { header: 'resourceSourcedIds', column: 'resource_sourced_ids', kind: 'list' },
      { header: 'preferredGivenName', column: 'preferred_first_name', kind: 'string' },
      { header: 'preferredMiddleName', column: 'preferred_middle_name', kind: 'string' },
      { header: 'preferredFamilyName', column: 'preferred_family_name', kind: 'string' },
      {
        header: 'primaryOrgSourcedId',
        column: 'primary_org_sourced_id',
        kind: 'id',
        ref: 'orgs.csv',
        org: true,
      },
      { header: 'pronouns', column: 'pronouns', kind: 'string' },
    ],
  },
  {
    name: 'roles.csv',
    manifestKey: 'file.roles',
    table: 'user_roles',
    orgColumn: 'org_sourced_id',
    fields: [
      ...lifecycle,
      {
        header: 'userSourcedId',
        column: 'user_sourced_id',
        kind: 'id',
        required: true,
        ref: 'users.csv',
      },
      {
        header: 'roleType',
        column: 'role_type',
        kind: 'enum',
        required: true,
        values: ['primary', 'secondary'],
      },
      {
        header: 'role',
        column: 'role',
        kind: 'enum',
        required: true,
        values: [
          'aide',
          'counselor',
          'districtAdministrator',
          'guardian',
          'parent',
          'principal',
          'proctor',
          'relative',
          'siteAdministrator',
          'student',
          'systemAdministrator',
          'teacher',
        ],
      },
      { header: 'beginDate', column: 'begin_date', kind: 'date' },
      { header: 'endDate', column: 'end_date', kind: 'date' },
      {
        header: 'orgSourcedId',
        column: 'org_sourced_id',
        kind: 'id',
        required: true,
        ref: 'orgs.csv',
        org: true,
      },
      { header: 'userProfileSourcedId', column: 'user_profile_sourced_id', kind: 'id' },
    ],
  },
  {
    name: 'enrollments.csv',
    manifestKey: 'file.enrollments',
    table: 'enrollments',
    orgColumn: 'school_sourced_id',
    fields: [
      ...lifecycle,
      {
        header: 'classSourcedId',
        column: 'class_sourced_id',
        kind: 'id',
        required: true,
        ref: 'classes.csv',
      },
      {
        header: 'schoolSourcedId',
        column: 'school_sourced_id',
        kind: 'id',
        required: true,
        ref: 'orgs.csv',
        org: true,
      },
      {
        header: 'userSourcedId',
        column: 'user_sourced_id',
        kind: 'id',
        required: true,
        ref: 'users.csv',
      },
      {
        header: 'role',
        column: 'role',
        kind: 'enum',
        required: true,
        values: ['administrator', 'proctor', 'student', 'teacher'],
      },
      { header: 'primary', column: 'primary', kind: 'boolean', empty: false },
      { header: 'beginDate', column: 'begin_date', kind: 'date' },
      { header: 'endDate', column: 'end_date', kind: 'date' },
    ],
  },
  {
    name: 'categories.csv',
    manifestKey: 'file.categories',
    table: 'gradebook_categories',
    fields: [
      ...lifecycle,
      { header: 'title', column: 'title', kind: 'string', required: true },
      { header: 'weight', column: 'weight', kind: 'float' },
    ],
  },
  {
    name: 'scoreScales.csv',
    manifestKey: 'file.scoreScales',
    table: 'score_scales',
    orgColumn: 'org_sourced_id',
    fields: [
      ...lifecycle,
      { header: 'title', column: 'title', kind: 'string', required: true },
      { header: 'type', column: 'type', kind: 'string', required: true },
      { header: 'orgSourcedId', column: 'org_sourced_id', kind: 'id', ref: 'orgs.csv', org: true },
      { header: 'courseSourcedId', column: 'course_sourced_id', kind: 'id', ref: 'courses.csv' },
      {
        header: 'classSourcedId',
        column: 'class_sourced_id',
        kind: 'id',
        required: true,
        ref: 'classes.csv',
      },
      {
        header: 'scoreScaleValue',
        column: 'score_scale_value',
        kind: 'scoreScaleValue',
        required: true,
      },
    ],
  },
  {
    name: 'lineItems.csv',
    manifestKey: 'file.lineItems',
    table: 'line_items',
    orgColumn: 'school_sourced_id',
    fields: [
      ...lifecycle,
      { header: 'title', column: 'title', kind: 'string', required: true },
      { header: 'description', column: 'description', kind: 'string' },
      { header: 'assignDate', column: 'assign_date', kind: 'datetime', required: true },
      { header: 'dueDate', column: 'due_date', kind: 'datetime', required: true },
      {
        header: 'classSourcedId',
        column: 'class_sourced_id',
        kind: 'id',
        required: true,
        ref: 'classes.csv',
      },
      {
        header: 'categorySourcedId',
        column: 'category_sourced_id',
        kind: 'id',
        required: true,
        ref: 'categories.csv',
      },
      {
        header: 'academicSessionSourcedId',
        column: 'academic_session_sourced_id',
        kind: 'id',
        ref: 'academicSessions.csv',
      },
      { header: 'resultValueMin', column: 'result_value_min', kind: 'float' },
      { header: 'resultValueMax', column: 'result_value_max', kind: 'float' },
      {
        header: 'schoolSourcedId',
        column: 'school_sourced_id',
        kind: 'id',
        required: true,
        ref: 'orgs.csv',
        org: true,
      },
    ],
  },
  {
    name: 'results.csv',
    manifestKey: 'file.results',
    table: 'results',
    fields: [
      ...lifecycle,
      {
        header: 'lineItemSourcedId',
        column: 'line_item_sourced_id',
        kind: 'id',
        required: true,
        ref: 'lineItems.csv',
      },
      {
        header: 'studentSourcedId',
        column: 'student_sourced_id',
        kind: 'id',
        required: true,
        ref: 'users.csv',
      },
      {
        header: 'scoreStatus',
        column: 'score_status',
        kind: 'enum',
        required: true,
        values: SCORE_STATUSES,
      },
      { header: 'score', column: 'score', kind: 'float' },
      { header: 'scoreDate', column: 'score_date', kind: 'date', required: true },
      { header: 'comment', column: 'comment', kind: 'string' },
      { header: 'textScore', column: 'text_score', kind: 'string' },
      { header: 'classSourcedId', column: 'class_sourced_id', kind: 'id', ref: 'classes.csv' },
      { header: 'inProgress', column: 'in_progress', kind: 'boolean' },
      { header: 'incomplete', column: 'incomplete', kind: 'boolean' },
      { header: 'late', column: 'late', kind: 'boolean' },
      { header: 'missing', column: 'missing', kind: 'boolean' },
    ],
  },
]

/** Files of the binding campus does not import; a manifest may only mark them `absent`. */
export const UNSUPPORTED_FILES: readonly string[] = [
  'demographics.csv',
  'userProfiles.csv',
  'resources.csv',
  'classResources.csv',
  'courseResources.csv',
  'userResources.csv',
  'lineItemLearningObjectiveIds.csv',
  'lineItemScoreScales.csv',
  'resultLearningObjectiveIds.csv',
  'resultScoreScales.csv',
]

/** A file by name. */
export function fileSpec(name: string): FileSpec | undefined {
  return FILES.find((f) => f.name === name)
}

/** The Drizzle tables, for the export and the tests (keyed by {@link FileSpec.table}). */
export const TABLES = {
  orgs,
  academic_sessions: academicSessions,
  courses,
  classes,
  users,
  user_roles: userRoles,
  enrollments,
  gradebook_categories: gradebookCategories,
  score_scales: scoreScales,
  line_items: lineItems,
  results,
} as const

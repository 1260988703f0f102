/**
 * Campus's PostgreSQL schema (Drizzle).
 *
 * Tables and columns follow OneRoster 1.2 (rostering: orgs, users, roles, academic sessions,
 * courses, classes, enrollments; resources: resources, course components, component resources)
 * so that a OneRoster CSV import maps row for row: every table keys on the CSV's `sourcedId`, each
 * `*SourcedId` column is the CSV column of the same name, and list columns (`grades`, `subjects`)
 * are text arrays. Course components carry the Timeback extension (`parent`, `sortOrder`,
 * `metadata`). Assessment items hold the questions of exercises and assessments (QTI-shaped).
 *
 * Foreign keys are enforced; `ON DELETE CASCADE` only where a child cannot exist without its
 * parent (a course's components, a component's placements, an item's resource).
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

/** OneRoster `status`: `active` or `tobedeleted`. */
const status = () => text('status').notNull().default('active')
/** OneRoster `dateLastModified`. */
const dateLastModified = () =>
  timestamp('date_last_modified', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
const textList = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`)

/** OneRoster orgs: districts, schools, departments. `parentSourcedId` builds the hierarchy. */
export const orgs = pgTable(
  'orgs',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    identifier: text('identifier'),
    parentSourcedId: text('parent_sourced_id'),
  },
  (t) => [index('orgs_parent_idx').on(t.parentSourcedId)],
)

/** OneRoster users. Roles live in {@link userRoles}; 1.2 lets a user hold several. */
export const users = pgTable(
  'users',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    enabledUser: boolean('enabled_user').notNull().default(true),
    username: text('username').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    middleName: text('middle_name'),
    preferredFirstName: text('preferred_first_name'),
    identifier: text('identifier'),
    email: text('email'),
    sms: text('sms'),
    phone: text('phone'),
    grades: textList('grades'),
    /** OneRoster `userIds` ({type, identifier} pairs). */
    userIds: jsonb('user_ids')
      .$type<{ type: string; identifier: string }[]>()
      .notNull()
      .default([]),
    agentSourcedIds: textList('agent_sourced_ids'),
  },
  (t) => [uniqueIndex('users_username_idx').on(t.username), index('users_email_idx').on(t.email)],
)

/** OneRoster 1.2 roles.csv: one row per (user, org, role). */
export const userRoles = pgTable(
  'user_roles',
  {
    sourcedId: text('sourced_id').primaryKey(),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId, { onDelete: 'cascade' }),
    roleType: text('role_type').notNull(),
    role: text('role').notNull(),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId),
    userProfileSourcedId: text('user_profile_sourced_id'),
    beginDate: date('begin_date'),
    endDate: date('end_date'),
  },
  (t) => [
    index('user_roles_user_idx').on(t.userSourcedId),
    index('user_roles_org_idx').on(t.orgSourcedId),
  ],
)

/** OneRoster academicSessions: school years, terms, semesters, grading periods. */
export const academicSessions = pgTable('academic_sessions', {
  sourcedId: text('sourced_id').primaryKey(),
  status: status(),
  dateLastModified: dateLastModified(),
  title: text('title').notNull(),
  type: text('type').notNull(),
  startDate: date('start_date').notNull(),
  endDate: date('end_date').notNull(),
  parentSourcedId: text('parent_sourced_id'),
  schoolYear: integer('school_year').notNull(),
  orgSourcedId: text('org_sourced_id').references(() => orgs.sourcedId),
})

/**
 * Course metadata (Timeback): the URL slugs and the subject page a course lives under. Kept in
 * `metadata` JSON as OneRoster extensions are, and validated when read.
 */
export interface CourseMetadata {
  slug?: string
  subjectSlug?: string
  description?: string
  [key: string]: unknown
}

/** OneRoster courses. */
export const courses = pgTable(
  'courses',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    schoolYearSourcedId: text('school_year_sourced_id').references(
      () => academicSessions.sourcedId,
    ),
    title: text('title').notNull(),
    courseCode: text('course_code'),
    grades: textList('grades'),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId),
    subjects: textList('subjects'),
    subjectCodes: textList('subject_codes'),
    metadata: jsonb('metadata').$type<CourseMetadata>().notNull().default({}),
  },
  (t) => [index('courses_org_idx').on(t.orgSourcedId)],
)

/** OneRoster classes: a course taught in a school during terms. */
export const classes = pgTable(
  'classes',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    title: text('title').notNull(),
    grades: textList('grades'),
    courseSourcedId: text('course_sourced_id')
      .notNull()
      .references(() => courses.sourcedId),
    classCode: text('class_code'),
    classType: text('class_type').notNull().default('scheduled'),
    location: text('location'),
    schoolSourcedId: text('school_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId),
    termSourcedIds: textList('term_sourced_ids'),
    subjects: textList('subjects'),
    subjectCodes: textList('subject_codes'),
    periods: textList('periods'),
  },
  (t) => [
    index('classes_course_idx').on(t.courseSourcedId),
    index('classes_school_idx').on(t.schoolSourcedId),
  ],
)

/** OneRoster enrollments: a user in a class with a role. */
export const enrollments = pgTable(
  'enrollments',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    classSourcedId: text('class_sourced_id')
      .notNull()
      .references(() => classes.sourcedId),
    schoolSourcedId: text('school_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId),
    role: text('role').notNull(),
    primary: boolean('primary').notNull().default(false),
    beginDate: date('begin_date'),
    endDate: date('end_date'),
  },
  (t) => [
    index('enrollments_class_idx').on(t.classSourcedId),
    index('enrollments_user_idx').on(t.userSourcedId),
  ],
)

/** Component metadata (Timeback): the URL slug and, for a course challenge holder, its role. */
export interface ComponentMetadata {
  slug?: string
  description?: string
  /** `course-challenge` marks the component that holds a course's challenge. */
  role?: string
  [key: string]: unknown
}

/**
 * OneRoster 1.2 courseComponents with the Timeback extension: units have no parent, lessons
 * have their unit as `parentSourcedId`; siblings are ordered by `sortOrder`.
 */
export const courseComponents = pgTable(
  'course_components',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    courseSourcedId: text('course_sourced_id')
      .notNull()
      .references(() => courses.sourcedId, { onDelete: 'cascade' }),
    parentSourcedId: text('parent_sourced_id'),
    title: text('title').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    prerequisites: textList('prerequisites'),
    prerequisiteCriteria: text('prerequisite_criteria'),
    unlockDate: timestamp('unlock_date', { withTimezone: true, mode: 'date' }),
    metadata: jsonb('metadata').$type<ComponentMetadata>().notNull().default({}),
  },
  (t) => [
    index('course_components_course_idx').on(t.courseSourcedId),
    index('course_components_parent_idx').on(t.parentSourcedId),
  ],
)

/** The kinds of learning resource campus renders (resource `metadata.type`). */
export const RESOURCE_TYPES = [
  'article',
  'video',
  'exercise',
  'quiz',
  'unit-test',
  'course-challenge',
] as const
/** One of {@link RESOURCE_TYPES}. */
export type ResourceType = (typeof RESOURCE_TYPES)[number]

/**
 * Resource metadata as campus writes it. Read paths validate it (`content/metadata.ts`): data
 * imported from elsewhere may be missing fields, and a bad row must become a 404, never a 500.
 */
export interface ResourceMetadata {
  type?: ResourceType
  slug?: string
  xp?: number
  /** Videos: the 11-character YouTube id. */
  youtubeId?: string
  durationSeconds?: number
  /** Articles: the body, as paragraphs of plain text. */
  paragraphs?: string[]
  /** Assessments: QTI-style selection and ordering of the item pool. */
  selection?: { select?: number; shuffle?: boolean }
  [key: string]: unknown
}

/** OneRoster 1.2 resources. */
export const resources = pgTable('resources', {
  sourcedId: text('sourced_id').primaryKey(),
  status: status(),
  dateLastModified: dateLastModified(),
  vendorResourceId: text('vendor_resource_id').notNull(),
  title: text('title').notNull(),
  roles: textList('roles'),
  importance: text('importance'),
  vendorId: text('vendor_id'),
  applicationId: text('application_id'),
  metadata: jsonb('metadata').$type<ResourceMetadata>().notNull().default({}),
})

/** OneRoster 1.2 componentResources: a resource placed in a component (lesson or unit). */
export const componentResources = pgTable(
  'component_resources',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    courseComponentSourcedId: text('course_component_sourced_id')
      .notNull()
      .references(() => courseComponents.sourcedId, { onDelete: 'cascade' }),
    resourceSourcedId: text('resource_sourced_id')
      .notNull()
      .references(() => resources.sourcedId, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('component_resources_component_idx').on(t.courseComponentSourcedId),
    index('component_resources_resource_idx').on(t.resourceSourcedId),
  ],
)

/** The body of a multiple-choice item. */
export interface AssessmentItemBody {
  prompt: string
  choices: string[]
  /** Index into `choices`. */
  correct: number
}

/**
 * Questions of an exercise, quiz, unit test or course challenge (QTI assessment items).
 * `required` items are always selected; `fixed` items keep their position when the rest are
 * shuffled (QTI `selection` / `ordering`).
 */
export const assessmentItems = pgTable(
  'assessment_items',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    resourceSourcedId: text('resource_sourced_id')
      .notNull()
      .references(() => resources.sourcedId, { onDelete: 'cascade' }),
    identifier: text('identifier').notNull(),
    title: text('title').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    required: boolean('required').notNull().default(false),
    fixed: boolean('fixed').notNull().default(false),
    body: jsonb('body').$type<AssessmentItemBody>().notNull(),
  },
  (t) => [index('assessment_items_resource_idx').on(t.resourceSourcedId)],
)

/** Every table, for Drizzle's relational queries and the test helpers that truncate. */
export const schema = {
  orgs,
  users,
  userRoles,
  academicSessions,
  courses,
  classes,
  enrollments,
  courseComponents,
  resources,
  componentResources,
  assessmentItems,
}

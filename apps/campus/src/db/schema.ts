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
import { type SQL, sql } from 'drizzle-orm'
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'

/** OneRoster `status`: `active` or `tobedeleted`. */
const status = () => text('status').notNull().default('active')
/** OneRoster `dateLastModified`. */
const dateLastModified = () =>
  timestamp('date_last_modified', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
const textList = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`)
/**
 * The import run that last wrote the row (null for rows campus made itself). No foreign key:
 * runs may be pruned while the rows they brought stay, and a key would make every import row
 * wait on the run row's lock.
 */
const importRunId = () => uuid('import_run_id')

/**
 * Accent folding shared by the search indexes and the search query (analytics/search): each
 * character of `SEARCH_FOLD_FROM` becomes the one at the same place in `SEARCH_FOLD_TO`.
 * `translate()` is immutable and built in, so an index expression can use it on PostgreSQL and
 * PGlite alike; `unaccent` is an extension (not immutable, and not loaded in PGlite by default).
 */
export const SEARCH_FOLD_FROM =
  'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆČçćčĎďÈÉÊËĒĖĘĚèéêëēėęěĞğÌÍÎÏĪĮİìíîïīįıĹĽŁĺľłÑŃŇñńňÒÓÔÕÖØŌŐòóôõöøōőŔŘŕřŚŠŞśšşŤŢťţÙÚÛÜŪŮŰŲùúûüūůűųÝŸýÿŹŻŽźżž'
/** See {@link SEARCH_FOLD_FROM}. */
export const SEARCH_FOLD_TO =
  'AAAAAAAAAaaaaaaaaaCCCcccDdEEEEEEEEeeeeeeeeGgIIIIIIIiiiiiiiLLLlllNNNnnnOOOOOOOOooooooooRRrrSSSsssTTttUUUUUUUUuuuuuuuuYYyyZZZzzz'

/**
 * The full-text document a search index holds for `parts` (nullable text columns): folded
 * accents, the `simple` configuration (lower case, no stemming: names are not English words).
 * The query side must build the identical expression for the planner to use the index.
 */
export function searchDocument(...parts: SQL[]): SQL {
  const joined = sql.join(
    parts.map((p) => sql`coalesce(${p}, '')`),
    sql.raw(` || ' ' || `),
  )
  return sql`to_tsvector('simple'::regconfig, translate(${joined}, ${sql.raw(`'${SEARCH_FOLD_FROM}'`)}, ${sql.raw(`'${SEARCH_FOLD_TO}'`)}))`
}

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
    importRunId: importRunId(),
    /**
     * Smallest cohort campus shows statistics for in this organisation's analytics; null means
     * the default (docs/analytics.md, "Suppression"). Campus's own setting: imports never write it.
     */
    minCohortSize: integer('min_cohort_size'),
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
    /** OneRoster 1.2 `userMasterIdentifier`. */
    userMasterIdentifier: text('user_master_identifier'),
    /** OneRoster 1.2 `preferredMiddleName` (`preferredGivenName` is {@link preferredFirstName}). */
    preferredMiddleName: text('preferred_middle_name'),
    preferredFamilyName: text('preferred_family_name'),
    /** OneRoster 1.2 `primaryOrgSourcedId`. */
    primaryOrgSourcedId: text('primary_org_sourced_id'),
    pronouns: text('pronouns'),
    /** OneRoster 1.2.1 `resourceSourcedIds`. */
    resourceSourcedIds: textList('resource_sourced_ids'),
    importRunId: importRunId(),
    /**
     * Set when an administrator disables the account (campus's own flag, separate from
     * OneRoster's `enabledUser`, which an import may overwrite). A disabled user's sessions stop
     * working on their next request.
     */
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('users_username_idx').on(t.username),
    index('users_email_idx').on(t.email),
    // Sign-in looks accounts up by email case-insensitively.
    index('users_email_lower_idx').on(sql`lower(${t.email})`),
    // Reports per grade level: `grades @> '{09}'`.
    index('users_grades_idx').using('gin', t.grades),
    // Name search (analytics/search).
    index('users_search_idx').using(
      'gin',
      searchDocument(sql`${t.givenName}`, sql`${t.preferredFirstName}`, sql`${t.familyName}`),
    ),
  ],
)

/** OneRoster 1.2 roles.csv: one row per (user, org, role). */
export const userRoles = pgTable(
  'user_roles',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
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
    importRunId: importRunId(),
  },
  (t) => [
    index('user_roles_user_idx').on(t.userSourcedId),
    index('user_roles_org_idx').on(t.orgSourcedId),
  ],
)

/** OneRoster academicSessions: school years, terms, semesters, grading periods. */
export const academicSessions = pgTable(
  'academic_sessions',
  {
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
    importRunId: importRunId(),
  },
  (t) => [index('academic_sessions_parent_idx').on(t.parentSourcedId)],
)

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
    importRunId: importRunId(),
  },
  (t) => [
    index('courses_org_idx').on(t.orgSourcedId),
    index('courses_search_idx').using('gin', searchDocument(sql`${t.title}`, sql`${t.courseCode}`)),
  ],
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
    importRunId: importRunId(),
  },
  (t) => [
    index('classes_course_idx').on(t.courseSourcedId),
    index('classes_school_idx').on(t.schoolSourcedId),
    // Reports per term and per grade level.
    index('classes_terms_idx').using('gin', t.termSourcedIds),
    index('classes_grades_idx').using('gin', t.grades),
    index('classes_search_idx').using('gin', searchDocument(sql`${t.title}`, sql`${t.classCode}`)),
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
    importRunId: importRunId(),
  },
  (t) => [
    index('enrollments_class_idx').on(t.classSourcedId),
    index('enrollments_user_idx').on(t.userSourcedId),
    index('enrollments_school_role_idx').on(t.schoolSourcedId, t.role),
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

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })
const createdAt = () => at('created_at').notNull().defaultNow()
const userRef = (name: string) =>
  text(name)
    .notNull()
    .references(() => users.sourcedId, { onDelete: 'cascade' })
const orgRef = (name: string) =>
  text(name)
    .notNull()
    .references(() => orgs.sourcedId, { onDelete: 'cascade' })

/**
 * A user's password: scrypt hash (base64) with its own random salt and the cost parameters it
 * was made with, so parameters can be raised later without invalidating old hashes
 * (docs/auth.md).
 */
export const credentials = pgTable('credentials', {
  userSourcedId: userRef('user_sourced_id').primaryKey(),
  hash: text('hash').notNull(),
  salt: text('salt').notNull(),
  /** scrypt cost N (a power of two). */
  cost: integer('cost').notNull(),
  blockSize: integer('block_size').notNull(),
  parallelization: integer('parallelization').notNull(),
  keyLength: integer('key_length').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

/**
 * Signed-in sessions: the authority the session index caches. The cookie holds the raw token;
 * only its SHA-256 is stored. `orgSourcedId` and `role` fix the organisation and role the
 * session acts in (a user may hold roles in several orgs).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userSourcedId: userRef('user_sourced_id'),
    orgSourcedId: orgRef('org_sourced_id'),
    role: text('role').notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_idx').on(t.tokenHash),
    index('sessions_user_idx').on(t.userSourcedId),
    index('sessions_expires_idx').on(t.expiresAt),
  ],
)

/**
 * Single-use sign-in links (magic links, and login links an administrator approves). Only the
 * token's SHA-256 is stored; `usedAt` is set by the redeeming transaction, which is the guard
 * against a second use.
 */
export const magicLinkTokens = pgTable(
  'magic_link_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userSourcedId: userRef('user_sourced_id'),
    orgSourcedId: orgRef('org_sourced_id'),
    /** `magic-link` (requested by the user) or `login-link` (approved by an administrator). */
    purpose: text('purpose').notNull().default('magic-link'),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    requestIp: text('request_ip'),
  },
  (t) => [
    uniqueIndex('magic_link_tokens_token_hash_idx').on(t.tokenHash),
    index('magic_link_tokens_user_idx').on(t.userSourcedId),
    index('magic_link_tokens_expires_idx').on(t.expiresAt),
  ],
)

/**
 * Invitations: an invited user's onboarding link (set a password and profile on first sign-in).
 * Token stored hashed; `acceptedAt` makes it single use.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userSourcedId: userRef('user_sourced_id'),
    orgSourcedId: orgRef('org_sourced_id'),
    role: text('role').notNull(),
    email: text('email').notNull(),
    invitedBy: text('invited_by').references(() => users.sourcedId, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    acceptedAt: at('accepted_at'),
  },
  (t) => [
    uniqueIndex('invitations_token_hash_idx').on(t.tokenHash),
    index('invitations_user_idx').on(t.userSourcedId),
  ],
)

/**
 * Mail written instead of sent when no SMTP server is configured, so the sign-in flows work on
 * a bare `npm start`; administrators read their org's mail on the Outbox page.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id').references(() => orgs.sourcedId, {
      onDelete: 'cascade',
    }),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    createdAt: createdAt(),
  },
  (t) => [index('mail_outbox_org_idx').on(t.orgSourcedId, t.createdAt)],
)

/** Status of a login-link request. */
export const LOGIN_LINK_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const
/** One of {@link LOGIN_LINK_REQUEST_STATUSES}. */
export type LoginLinkRequestStatus = (typeof LOGIN_LINK_REQUEST_STATUSES)[number]

/**
 * Someone who cannot sign in asks their school's administrators for a login link. The decision
 * (approve/reject) is guarded by the transaction's status check (`status = 'pending'`).
 */
export const loginLinkRequests = pgTable(
  'login_link_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    email: text('email').notNull(),
    /** The account the email matched, if any (the requester is never told). */
    userSourcedId: text('user_sourced_id').references(() => users.sourcedId, {
      onDelete: 'cascade',
    }),
    message: text('message').notNull().default(''),
    status: text('status').$type<LoginLinkRequestStatus>().notNull().default('pending'),
    requestedAt: at('requested_at').notNull().defaultNow(),
    decidedAt: at('decided_at'),
    decidedBy: text('decided_by').references(() => users.sourcedId, { onDelete: 'set null' }),
    requestIp: text('request_ip'),
  },
  (t) => [index('login_link_requests_org_status_idx').on(t.orgSourcedId, t.status)],
)

/** Where an import's data came from. */
export const IMPORT_SOURCES = [
  'oneroster-csv',
  'ixl-csv',
  'toddle-api',
  'toddle-file',
  'toddle-gradebook',
  'scorm-package',
] as const
/** One of {@link IMPORT_SOURCES}. */
export type ImportSource = (typeof IMPORT_SOURCES)[number]
/** Life of an import run: `running` until it ends `succeeded`, `failed` or `dry-run`. */
export const IMPORT_RUN_STATUSES = ['running', 'succeeded', 'failed', 'dry-run'] as const
/** One of {@link IMPORT_RUN_STATUSES}. */
export type ImportRunStatus = (typeof IMPORT_RUN_STATUSES)[number]

/**
 * One import of a file, a set of files or an API pull: who started it, when, from what, how far
 * it got and how it ended. Every imported row points back at the run that brought it, so a report
 * can say where a number came from and a bad import can be traced. `org_sourced_id` is null for
 * an import that spans organisations (a district-wide OneRoster set).
 */
export const importRuns = pgTable(
  'import_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id').references(() => orgs.sourcedId, {
      onDelete: 'cascade',
    }),
    source: text('source').$type<ImportSource>().notNull(),
    /** File name, directory or API base URL, as the user gave it (never a token). */
    origin: text('origin').notNull(),
    /** SHA-256 of the input when it is a file, so a re-import of the same bytes is recognised. */
    contentHash: text('content_hash'),
    startedBy: text('started_by').references(() => users.sourcedId, { onDelete: 'set null' }),
    /** `cli`, `admin` or `api`: how it was started. */
    via: text('via').notNull(),
    startedAt: at('started_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
    status: text('status').$type<ImportRunStatus>().notNull().default('running'),
    filesTotal: integer('files_total').notNull().default(0),
    filesDone: integer('files_done').notNull().default(0),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsInserted: integer('rows_inserted').notNull().default(0),
    rowsUpdated: integer('rows_updated').notNull().default(0),
    rowsUnchanged: integer('rows_unchanged').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    /** Problems found (`file:row:column: reason`), the first 1,000; `problemCount` has them all. */
    problems: jsonb('problems').$type<string[]>().notNull().default([]),
    problemCount: integer('problem_count').notNull().default(0),
    /** Why a run failed, when it failed for a reason other than its input's problems. */
    error: text('error'),
  },
  (t) => [
    index('import_runs_org_started_idx').on(t.orgSourcedId, t.startedAt),
    index('import_runs_source_hash_idx').on(t.source, t.contentHash),
  ],
)

// ---------- Practice and attempts (campus's own graded practice; docs/data-model.md) ----------

/** The resource types a learner submits answers to. */
export const PRACTICE_TYPES = ['exercise', 'quiz', 'unit-test', 'course-challenge'] as const
/** One of {@link PRACTICE_TYPES}. */
export type PracticeType = (typeof PRACTICE_TYPES)[number]

/** What a learner answered to one item: the index of the chosen choice. */
export interface ItemResponseValue {
  choice: number
}

/**
 * One graded submission of an exercise, quiz, unit test or course challenge by one learner.
 * Written once, in the same transaction as its item responses, and never updated.
 *
 * `org_sourced_id` is the organisation the learner acted in (their session's school), which
 * may differ from the course's owner (a district course). `class_sourced_id`, `term_sourced_id`
 * and `grade_level` are snapshots taken at submission so reports group by where the learner was
 * then, not where they are now. `attempt_token` is issued with the form: a second submit of the
 * same form meets the unique key and answers the stored attempt instead of grading again.
 */
export const practiceAttempts = pgTable(
  'practice_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    userSourcedId: userRef('user_sourced_id'),
    /** Random token of the form the answers came from (the idempotency key, per learner). */
    attemptToken: text('attempt_token').notNull(),
    resourceSourcedId: text('resource_sourced_id')
      .notNull()
      .references(() => resources.sourcedId, { onDelete: 'cascade' }),
    resourceType: text('resource_type').$type<PracticeType>().notNull(),
    courseSourcedId: text('course_sourced_id')
      .notNull()
      .references(() => courses.sourcedId, { onDelete: 'cascade' }),
    /** The unit of a quiz, unit test or exercise; null for a course challenge. */
    unitSourcedId: text('unit_sourced_id').references(() => courseComponents.sourcedId, {
      onDelete: 'set null',
    }),
    /** The lesson of an exercise; null otherwise. */
    lessonSourcedId: text('lesson_sourced_id').references(() => courseComponents.sourcedId, {
      onDelete: 'set null',
    }),
    /** The learner's class of this course at submission, when they are enrolled in one. */
    classSourcedId: text('class_sourced_id').references(() => classes.sourcedId, {
      onDelete: 'set null',
    }),
    /** The term of that class the submission fell in. */
    termSourcedId: text('term_sourced_id').references(() => academicSessions.sourcedId, {
      onDelete: 'set null',
    }),
    /** The learner's grade level (OneRoster `grades[0]`) at submission. */
    gradeLevel: text('grade_level'),
    /** The seed that selected and ordered the questions (`?attempt=`). */
    seed: text('seed').notNull(),
    /** When the form was issued (as the form reports it, bounded by the server). */
    startedAt: at('started_at').notNull(),
    submittedAt: at('submitted_at').notNull().defaultNow(),
    scoreRaw: integer('score_raw').notNull(),
    scoreMax: integer('score_max').notNull(),
    /** `score_raw / score_max × 100`, two decimals. */
    scorePercent: numeric('score_percent', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    passed: boolean('passed').notNull(),
    /** XP this attempt added to the learner's total (improvement over their best, see docs). */
    xpAwarded: integer('xp_awarded').notNull().default(0),
  },
  (t) => [
    uniqueIndex('practice_attempts_token_idx').on(t.userSourcedId, t.attemptToken),
    index('practice_attempts_org_course_submitted_idx').on(
      t.orgSourcedId,
      t.courseSourcedId,
      t.submittedAt,
    ),
    index('practice_attempts_user_submitted_idx').on(t.userSourcedId, t.submittedAt),
    index('practice_attempts_user_resource_idx').on(t.userSourcedId, t.resourceSourcedId),
    index('practice_attempts_resource_submitted_idx').on(t.resourceSourcedId, t.submittedAt),
    index('practice_attempts_class_submitted_idx').on(t.classSourcedId, t.submittedAt),
    index('practice_attempts_org_grade_submitted_idx').on(
      t.orgSourcedId,
      t.gradeLevel,
      t.submittedAt,
    ),
    index('practice_attempts_term_idx').on(t.termSourcedId),
  ],
)

/** One item of a practice attempt: what was answered, whether it was right, the points. */
export const practiceItemResponses = pgTable(
  'practice_item_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    attemptId: uuid('attempt_id')
      .notNull()
      .references(() => practiceAttempts.id, { onDelete: 'cascade' }),
    orgSourcedId: orgRef('org_sourced_id'),
    userSourcedId: userRef('user_sourced_id'),
    /** Copied from the attempt so item analysis reads one table. */
    resourceSourcedId: text('resource_sourced_id')
      .notNull()
      .references(() => resources.sourcedId, { onDelete: 'cascade' }),
    itemSourcedId: text('item_sourced_id')
      .notNull()
      .references(() => assessmentItems.sourcedId, { onDelete: 'cascade' }),
    /** 0-based position of the item in the form. */
    position: integer('position').notNull(),
    response: jsonb('response').$type<ItemResponseValue>().notNull(),
    correct: boolean('correct').notNull(),
    points: integer('points').notNull(),
    maxPoints: integer('max_points').notNull(),
  },
  (t) => [
    uniqueIndex('practice_item_responses_attempt_item_idx').on(t.attemptId, t.itemSourcedId),
    index('practice_item_responses_item_idx').on(t.itemSourcedId, t.correct),
    index('practice_item_responses_org_resource_idx').on(t.orgSourcedId, t.resourceSourcedId),
  ],
)

/**
 * External assessments and Toddle data (IXL diagnostics, usage; Toddle term grades, gradebook
 * task scores, attendance). Every row belongs to one organisation and one campus learner, points
 * at the import run that last changed it, and has a natural unique key, so importing the same
 * file or API pull again updates nothing. See docs/data-model.md and docs/ingestion.md.
 */

/** IXL diagnostic tiers, from the export's `Far below grade` … `Above grade`. */
export const ASSESSMENT_TIERS = ['far-below', 'below', 'on', 'above'] as const
/** One of {@link ASSESSMENT_TIERS}. */
export type AssessmentTier = (typeof ASSESSMENT_TIERS)[number]

/**
 * One learner's result on one strand (or `overall`) of an external assessment in one period:
 * IXL diagnostic level, percentile and tier, or a LevelUp benchmark score, scale score and tier.
 * `period` is the file's `Administration Year` (`Fall 2024`) or the label the importer was given;
 * empty when neither said, so a later export of the same snapshot updates the row in place.
 */
export const externalAssessmentScores = pgTable(
  'external_assessment_scores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId, { onDelete: 'cascade' }),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId, { onDelete: 'cascade' }),
    /** `ixl`. */
    provider: text('provider').notNull(),
    /** `diagnostic` or `levelup-benchmark`. */
    assessment: text('assessment').notNull(),
    /** `math` or `ela`. */
    subject: text('subject').notNull(),
    /** `overall`, or the strand as the export names it (`Fractions`). */
    strand: text('strand').notNull(),
    period: text('period').notNull().default(''),
    /** The learner's grade when assessed, OneRoster code (`KG`, `02`). */
    gradeLevel: text('grade_level'),
    /** Diagnostic level: 400 means ready for grade-4 skills. */
    level: integer('level'),
    percentile: integer('percentile'),
    tier: text('tier').$type<AssessmentTier>(),
    score: doublePrecision('score'),
    scaleScore: doublePrecision('scale_score'),
    importRunId: uuid('import_run_id')
      .notNull()
      .references(() => importRuns.id),
  },
  (t) => [
    uniqueIndex('external_scores_natural_idx').on(
      t.orgSourcedId,
      t.provider,
      t.assessment,
      t.subject,
      t.period,
      t.userSourcedId,
      t.strand,
    ),
    index('external_scores_user_idx').on(t.userSourcedId, t.subject),
    index('external_scores_org_grade_idx').on(t.orgSourcedId, t.gradeLevel, t.subject),
    index('external_scores_run_idx').on(t.importRunId),
  ],
)

/** One learner's practice on one subject in one period (IXL usage and progress exports). */
export const externalUsage = pgTable(
  'external_usage',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId, { onDelete: 'cascade' }),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    /** `math`, `ela`, `science`, `social-studies`, `spanish`. */
    subject: text('subject').notNull(),
    period: text('period').notNull().default(''),
    gradeLevel: text('grade_level'),
    questionsAnswered: integer('questions_answered'),
    skillsPracticed: integer('skills_practiced'),
    skillsProficient: integer('skills_proficient'),
    skillsMastered: integer('skills_mastered'),
    startingLevel: integer('starting_level'),
    currentLevel: integer('current_level'),
    growth: integer('growth'),
    importRunId: uuid('import_run_id')
      .notNull()
      .references(() => importRuns.id),
  },
  (t) => [
    uniqueIndex('external_usage_natural_idx').on(
      t.orgSourcedId,
      t.provider,
      t.subject,
      t.period,
      t.userSourcedId,
    ),
    index('external_usage_user_idx').on(t.userSourcedId),
    index('external_usage_org_grade_idx').on(t.orgSourcedId, t.gradeLevel, t.subject),
    index('external_usage_run_idx').on(t.importRunId),
  ],
)

/**
 * Toddle's term-level reference data, denormalised onto each row (course, grading period,
 * academic year), so a report needs no Toddle tables beyond the one it reads. `classSourcedId` is
 * the campus class whose `classCode` equals the Toddle course's code, when there is one.
 */
const toddleCourseColumns = () => ({
  courseRef: text('course_ref').notNull(),
  courseTitle: text('course_title').notNull(),
  subject: text('subject'),
  classSourcedId: text('class_sourced_id').references(() => classes.sourcedId, {
    onDelete: 'set null',
  }),
})

/** A learner's grade for a course in a Toddle grading period (term). */
export const toddleTermGrades = pgTable(
  'toddle_term_grades',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId, { onDelete: 'cascade' }),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId, { onDelete: 'cascade' }),
    ...toddleCourseColumns(),
    gradingPeriodRef: text('grading_period_ref').notNull(),
    gradingPeriodTitle: text('grading_period_title').notNull(),
    academicYear: text('academic_year').notNull(),
    score: doublePrecision('score'),
    grade: text('grade'),
    comment: text('comment'),
    importRunId: uuid('import_run_id')
      .notNull()
      .references(() => importRuns.id),
  },
  (t) => [
    uniqueIndex('toddle_term_grades_natural_idx').on(
      t.orgSourcedId,
      t.gradingPeriodRef,
      t.courseRef,
      t.userSourcedId,
    ),
    index('toddle_term_grades_user_idx').on(t.userSourcedId),
    index('toddle_term_grades_class_idx').on(t.classSourcedId, t.gradingPeriodRef),
    index('toddle_term_grades_org_year_idx').on(t.orgSourcedId, t.academicYear),
    index('toddle_term_grades_run_idx').on(t.importRunId),
  ],
)

/** Toddle task types: `FA` formative, `SA` summative. */
export const TODDLE_TASK_TYPES = ['FA', 'SA'] as const
/** One of {@link TODDLE_TASK_TYPES}. */
export type ToddleTaskType = (typeof TODDLE_TASK_TYPES)[number]

/** A learner's result on one task of a Toddle gradebook export. */
export const toddleTaskScores = pgTable(
  'toddle_task_scores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId, { onDelete: 'cascade' }),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId, { onDelete: 'cascade' }),
    ...toddleCourseColumns(),
    taskRef: text('task_ref').notNull(),
    taskTitle: text('task_title').notNull(),
    taskType: text('task_type').$type<ToddleTaskType>().notNull(),
    gradingCategory: text('grading_category'),
    evaluationStatus: text('evaluation_status').notNull(),
    overallScore: doublePrecision('overall_score'),
    overallGrade: text('overall_grade'),
    dueDate: date('due_date'),
    importRunId: uuid('import_run_id')
      .notNull()
      .references(() => importRuns.id),
  },
  (t) => [
    uniqueIndex('toddle_task_scores_natural_idx').on(t.orgSourcedId, t.taskRef, t.userSourcedId),
    index('toddle_task_scores_user_idx').on(t.userSourcedId),
    index('toddle_task_scores_class_idx').on(t.classSourcedId, t.taskType),
    index('toddle_task_scores_org_course_idx').on(t.orgSourcedId, t.courseRef),
    index('toddle_task_scores_run_idx').on(t.importRunId),
  ],
)

/** Toddle attendance marks: `present`, `absent`, `late`, `excused`. */
export const ATTENDANCE_STATUSES = ['present', 'absent', 'late', 'excused'] as const
/** One of {@link ATTENDANCE_STATUSES}. */
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number]

/** One attendance mark: a learner on a day, for a course or (`course_ref` empty) the whole day. */
export const toddleAttendance = pgTable(
  'toddle_attendance',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: text('org_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId, { onDelete: 'cascade' }),
    userSourcedId: text('user_sourced_id')
      .notNull()
      .references(() => users.sourcedId, { onDelete: 'cascade' }),
    date: date('date').notNull(),
    /** The Toddle course, or `''` for a whole-day mark. */
    courseRef: text('course_ref').notNull().default(''),
    classSourcedId: text('class_sourced_id').references(() => classes.sourcedId, {
      onDelete: 'set null',
    }),
    status: text('status').$type<AttendanceStatus>().notNull(),
    importRunId: uuid('import_run_id')
      .notNull()
      .references(() => importRuns.id),
  },
  (t) => [
    uniqueIndex('toddle_attendance_natural_idx').on(
      t.orgSourcedId,
      t.userSourcedId,
      t.date,
      t.courseRef,
    ),
    index('toddle_attendance_org_date_idx').on(t.orgSourcedId, t.date),
    index('toddle_attendance_class_date_idx').on(t.classSourcedId, t.date),
    index('toddle_attendance_run_idx').on(t.importRunId),
  ],
)

/**
 * OneRoster 1.2 gradebook: categories.csv. A category groups line items (homework, tests) and
 * may weigh them in a final grade.
 */
export const gradebookCategories = pgTable('gradebook_categories', {
  sourcedId: text('sourced_id').primaryKey(),
  status: status(),
  dateLastModified: dateLastModified(),
  title: text('title').notNull(),
  weight: doublePrecision('weight'),
  importRunId: importRunId(),
})

/** One `{itemValueLHS:itemValueRHS}` pair of a score scale (e.g. `90-100` → `A`). */
export interface ScoreScaleValue {
  itemValueLHS: string
  itemValueRHS: string
}

/** OneRoster 1.2 gradebook: scoreScales.csv, a mapping of scores to grades. */
export const scoreScales = pgTable(
  'score_scales',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    title: text('title').notNull(),
    type: text('type').notNull(),
    orgSourcedId: text('org_sourced_id').references(() => orgs.sourcedId),
    courseSourcedId: text('course_sourced_id').references(() => courses.sourcedId),
    classSourcedId: text('class_sourced_id')
      .notNull()
      .references(() => classes.sourcedId),
    scoreScaleValue: jsonb('score_scale_value').$type<ScoreScaleValue[]>().notNull().default([]),
    importRunId: importRunId(),
  },
  (t) => [
    index('score_scales_class_idx').on(t.classSourcedId),
    index('score_scales_org_idx').on(t.orgSourcedId),
  ],
)

/** OneRoster 1.2 gradebook: lineItems.csv, an assignment or assessment of a class. */
export const lineItems = pgTable(
  'line_items',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    title: text('title').notNull(),
    description: text('description'),
    assignDate: at('assign_date').notNull(),
    dueDate: at('due_date').notNull(),
    classSourcedId: text('class_sourced_id')
      .notNull()
      .references(() => classes.sourcedId),
    categorySourcedId: text('category_sourced_id')
      .notNull()
      .references(() => gradebookCategories.sourcedId),
    /** The term or grading period; reports per term filter on it. */
    academicSessionSourcedId: text('academic_session_sourced_id').references(
      () => academicSessions.sourcedId,
    ),
    resultValueMin: doublePrecision('result_value_min'),
    resultValueMax: doublePrecision('result_value_max'),
    schoolSourcedId: text('school_sourced_id')
      .notNull()
      .references(() => orgs.sourcedId),
    importRunId: importRunId(),
  },
  (t) => [
    index('line_items_class_idx').on(t.classSourcedId),
    index('line_items_school_session_idx').on(t.schoolSourcedId, t.academicSessionSourcedId),
    index('line_items_session_idx').on(t.academicSessionSourcedId),
    index('line_items_category_idx').on(t.categorySourcedId),
  ],
)

/** OneRoster 1.2 `scoreStatus` of a result. */
export const SCORE_STATUSES = [
  'exempt',
  'fully graded',
  'not submitted',
  'partially graded',
  'submitted',
] as const

/** OneRoster 1.2 gradebook: results.csv, a student's score on a line item. */
export const results = pgTable(
  'results',
  {
    sourcedId: text('sourced_id').primaryKey(),
    status: status(),
    dateLastModified: dateLastModified(),
    lineItemSourcedId: text('line_item_sourced_id')
      .notNull()
      .references(() => lineItems.sourcedId),
    studentSourcedId: text('student_sourced_id')
      .notNull()
      .references(() => users.sourcedId),
    scoreStatus: text('score_status').notNull(),
    score: doublePrecision('score'),
    scoreDate: date('score_date').notNull(),
    comment: text('comment'),
    textScore: text('text_score'),
    classSourcedId: text('class_sourced_id').references(() => classes.sourcedId),
    inProgress: boolean('in_progress'),
    incomplete: boolean('incomplete'),
    late: boolean('late'),
    missing: boolean('missing'),
    importRunId: importRunId(),
  },
  (t) => [
    index('results_line_item_idx').on(t.lineItemSourcedId),
    index('results_student_idx').on(t.studentSourcedId, t.scoreDate),
    index('results_class_idx').on(t.classSourcedId),
  ],
)

// ---------------------------------------------------------------------------------------------
// SCORM: packages, their SCOs, learner registrations, per-SCO run-time state and interactions
// (docs/scorm.md).
// ---------------------------------------------------------------------------------------------

/** SCORM versions campus imports: 1.2, and 2004 (2nd, 3rd or 4th edition). */
export const SCORM_VERSIONS = ['1.2', '2004'] as const
/** One of {@link SCORM_VERSIONS}. */
export type ScormVersion = (typeof SCORM_VERSIONS)[number]

/** What campus keeps of a parsed `imsmanifest.xml` besides the SCO rows. */
export interface ScormManifestSummary {
  /** The manifest's `identifier` attribute. */
  identifier: string
  /** `<schemaversion>` as written (`1.2`, `CAM 1.3`, `2004 3rd Edition`, `2004 4th Edition`). */
  schemaVersion: string
  /** 2004 edition (2, 3 or 4); null for 1.2. */
  edition: number | null
  /** The default organization's identifier. */
  defaultOrganization: string
  /** Number of organizations, items, launchable SCOs and resources in the manifest. */
  organizationCount: number
  itemCount: number
  scoCount: number
  resourceCount: number
  /** Whether any item carries IMS Simple Sequencing (2004). */
  hasSequencing: boolean
}

/**
 * An uploaded SCORM package, owned by one organisation. The files live in the package store
 * (`storagePath` is the store's key, never an absolute path); `contentHash` is the SHA-256 of
 * the zip, so re-uploading the same bytes to the same org finds the existing package.
 */
export const scormPackages = pgTable(
  'scorm_packages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    /** Optional course the package belongs to; its course page lists it. */
    courseSourcedId: text('course_sourced_id').references(() => courses.sourcedId, {
      onDelete: 'set null',
    }),
    title: text('title').notNull(),
    version: text('version').$type<ScormVersion>().notNull(),
    /** 2004 edition (2, 3 or 4); null for 1.2. */
    edition: integer('edition'),
    contentHash: text('content_hash').notNull(),
    storagePath: text('storage_path').notNull(),
    /** Uncompressed bytes and file count of the stored content. */
    byteSize: integer('byte_size').notNull(),
    fileCount: integer('file_count').notNull(),
    manifest: jsonb('manifest').$type<ScormManifestSummary>().notNull(),
    importRunId: uuid('import_run_id').references(() => importRuns.id, { onDelete: 'set null' }),
    uploadedBy: text('uploaded_by').references(() => users.sourcedId, { onDelete: 'set null' }),
    status: text('status').notNull().default('active'),
    /**
     * When an administrator archived the package: it leaves course pages and the learner list
     * and cannot be launched; its registrations and reports stay. Null while in use.
     */
    archivedAt: at('archived_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scorm_packages_org_hash_idx').on(t.orgSourcedId, t.contentHash),
    index('scorm_packages_org_created_idx').on(t.orgSourcedId, t.createdAt),
    index('scorm_packages_course_idx').on(t.courseSourcedId),
  ],
)

/**
 * The items of a package's default organization, in manifest order, each with the resource it
 * launches. Container items (no resource) are kept for the table of contents with a null
 * `launchHref`; `scormType` is `sco` (talks to the run-time API) or `asset`.
 */
export const scormScos = pgTable(
  'scorm_scos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    packageId: uuid('package_id')
      .notNull()
      .references(() => scormPackages.id, { onDelete: 'cascade' }),
    orgSourcedId: orgRef('org_sourced_id'),
    /** `<item identifier>`. */
    identifier: text('identifier').notNull(),
    parentIdentifier: text('parent_identifier'),
    /** `<resource identifier>` the item references; null for a container item. */
    resourceIdentifier: text('resource_identifier'),
    title: text('title').notNull(),
    /** Package-relative path of the launch file (resource `href` with `xml:base` applied). */
    launchHref: text('launch_href'),
    /** Item `parameters` (query string appended at launch). */
    parameters: text('parameters'),
    scormType: text('scorm_type').notNull().default('sco'),
    sortOrder: integer('sort_order').notNull(),
    depth: integer('depth').notNull().default(0),
    /** 1.2 `adlcp:masteryscore` (0–100) or 2004 `imsss:minNormalizedMeasure` × 100. */
    masteryScore: doublePrecision('mastery_score'),
    /** 2004 `adlcp:completionThreshold` (0–1). */
    completionThreshold: doublePrecision('completion_threshold'),
    /** `adlcp:dataFromLMS` / `adlcp:datafromlms`: `cmi.launch_data`. */
    launchData: text('launch_data'),
    /** `adlcp:maxtimeallowed` / `imsss:attemptAbsoluteDurationLimit`, as written. */
    maxTimeAllowed: text('max_time_allowed'),
    /** `adlcp:timelimitaction` / `adlcp:timeLimitAction`. */
    timeLimitAction: text('time_limit_action'),
  },
  (t) => [
    uniqueIndex('scorm_scos_package_identifier_idx').on(t.packageId, t.identifier),
    index('scorm_scos_org_idx').on(t.orgSourcedId),
  ],
)

/** 2004 `cmi.completion_status` (1.2 `lesson_status` maps onto it). */
export const SCORM_COMPLETION_STATUSES = [
  'completed',
  'incomplete',
  'not attempted',
  'unknown',
] as const
/** 2004 `cmi.success_status` (1.2 `passed`/`failed` map onto it). */
export const SCORM_SUCCESS_STATUSES = ['passed', 'failed', 'unknown'] as const

/**
 * A learner's registration for a package: one attempt (`attempt`, from 1) of one learner, with
 * the rolled-up status of its SCOs (the single SCO's status for a one-SCO package). The learner
 * is a campus user (`learnerUserSourcedId`) or, for a dispatch, the receiving LMS's learner id
 * (`learnerId` always set; equal to the campus user id for campus learners). `dispatchId` is set
 * when the registration came through a dispatch to another LMS.
 */
export const scormRegistrations = pgTable(
  'scorm_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    packageId: uuid('package_id')
      .notNull()
      .references(() => scormPackages.id, { onDelete: 'cascade' }),
    learnerId: text('learner_id').notNull(),
    learnerUserSourcedId: text('learner_user_sourced_id').references(() => users.sourcedId, {
      onDelete: 'cascade',
    }),
    learnerName: text('learner_name'),
    dispatchId: uuid('dispatch_id'),
    attempt: integer('attempt').notNull().default(1),
    /** 1.2 `cmi.core.lesson_status` as the content last set it (null for 2004). */
    lessonStatus: text('lesson_status'),
    completionStatus: text('completion_status').notNull().default('not attempted'),
    successStatus: text('success_status').notNull().default('unknown'),
    scoreRaw: doublePrecision('score_raw'),
    scoreMin: doublePrecision('score_min'),
    scoreMax: doublePrecision('score_max'),
    /** −1…1 (2004 `cmi.score.scaled`; for 1.2 raw ÷ max when max is known). */
    scoreScaled: doublePrecision('score_scaled'),
    /** Sum of every session's time, in seconds. */
    totalTimeSeconds: doublePrecision('total_time_seconds').notNull().default(0),
    /** The last SCO launched, so a resume opens it again. */
    lastScoId: uuid('last_sco_id').references(() => scormScos.id, { onDelete: 'set null' }),
    /** Suspend data and location of the last committed SCO (per-SCO copies in scorm_sco_states). */
    suspendData: text('suspend_data'),
    location: text('location'),
    commitCount: integer('commit_count').notNull().default(0),
    createdAt: createdAt(),
    firstLaunchedAt: at('first_launched_at'),
    lastAccessedAt: at('last_accessed_at'),
    completedAt: at('completed_at'),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    // Campus's own registrations: one per learner, package and attempt.
    uniqueIndex('scorm_registrations_learner_attempt_idx')
      .on(t.packageId, t.learnerId, t.attempt)
      .where(sql`${t.dispatchId} is null`),
    // A dispatch's registrations: one per learner of that dispatch and attempt.
    uniqueIndex('scorm_registrations_dispatch_learner_attempt_idx')
      .on(t.dispatchId, t.learnerId, t.attempt)
      .where(sql`${t.dispatchId} is not null`),
    index('scorm_registrations_org_package_idx').on(t.orgSourcedId, t.packageId),
    index('scorm_registrations_user_idx').on(t.learnerUserSourcedId),
  ],
)

/**
 * The run-time (CMI) state of one SCO within a registration: what the content reads back on
 * resume (`location`, `suspendData`, `entry`) and the status it reported. Elements without a
 * column of their own (objectives, comments, learner preferences, …) are kept in `cmi`.
 */
export const scormScoStates = pgTable(
  'scorm_sco_states',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => scormRegistrations.id, { onDelete: 'cascade' }),
    scoId: uuid('sco_id')
      .notNull()
      .references(() => scormScos.id, { onDelete: 'cascade' }),
    lessonStatus: text('lesson_status'),
    completionStatus: text('completion_status').notNull().default('not attempted'),
    successStatus: text('success_status').notNull().default('unknown'),
    scoreRaw: doublePrecision('score_raw'),
    scoreMin: doublePrecision('score_min'),
    scoreMax: doublePrecision('score_max'),
    scoreScaled: doublePrecision('score_scaled'),
    progressMeasure: doublePrecision('progress_measure'),
    /** `cmi.location` / `cmi.core.lesson_location`. */
    location: text('location'),
    suspendData: text('suspend_data'),
    /** `cmi.exit` / `cmi.core.exit` of the last session (`suspend` makes the next entry resume). */
    exit: text('exit'),
    sessionTimeSeconds: doublePrecision('session_time_seconds').notNull().default(0),
    totalTimeSeconds: doublePrecision('total_time_seconds').notNull().default(0),
    cmi: jsonb('cmi').$type<Record<string, unknown>>().notNull().default({}),
    commitCount: integer('commit_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scorm_sco_states_registration_sco_idx').on(t.registrationId, t.scoId),
    index('scorm_sco_states_org_idx').on(t.orgSourcedId),
  ],
)

/** `cmi.interactions.n`: one answer the learner gave inside a SCO, keyed by its index `n`. */
export const scormInteractions = pgTable(
  'scorm_interactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => scormRegistrations.id, { onDelete: 'cascade' }),
    scoStateId: uuid('sco_state_id')
      .notNull()
      .references(() => scormScoStates.id, { onDelete: 'cascade' }),
    index: integer('index').notNull(),
    interactionId: text('interaction_id').notNull(),
    type: text('type'),
    /** `timestamp` (2004) or `time` (1.2), as written. */
    timestamp: text('timestamp'),
    weighting: doublePrecision('weighting'),
    /** `learner_response` (2004) or `student_response` (1.2). */
    learnerResponse: text('learner_response'),
    result: text('result'),
    latency: text('latency'),
    description: text('description'),
    correctResponses: jsonb('correct_responses').$type<string[]>().notNull().default([]),
    objectiveIds: jsonb('objective_ids').$type<string[]>().notNull().default([]),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scorm_interactions_state_index_idx').on(t.scoStateId, t.index),
    index('scorm_interactions_registration_idx').on(t.registrationId),
  ],
)

// ---------------------------------------------------------------------------------------------
// SCORM dispatches: tenants (external LMSs or other organisations), dispatches of packages to
// them, the keys their packages carry and the launches of dispatch registrations
// (docs/scorm-dispatch.md). Dispatch registrations are scorm_registrations with dispatch_id set.
// ---------------------------------------------------------------------------------------------

/** What a dispatch tenant is: an external LMS, or another organisation on campus. */
export const SCORM_TENANT_KINDS = ['lms', 'org'] as const
/** One of {@link SCORM_TENANT_KINDS}. */
export type ScormTenantKind = (typeof SCORM_TENANT_KINDS)[number]

/**
 * A receiver of SCORM dispatches, owned by one organisation (`org_sourced_id`): an external LMS
 * or another organisation. Launches are refused while it is disabled, after `expires_at`, from a
 * page outside `allowed_domains`, and beyond `registration_cap` registrations over all its
 * dispatches. `registration_count` is the guard the launch transaction updates conditionally
 * (docs/scorm-dispatch.md).
 */
export const scormTenants = pgTable(
  'scorm_tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    name: text('name').notNull(),
    kind: text('kind').$type<ScormTenantKind>().notNull().default('lms'),
    /** The campus organisation this tenant is, when `kind` is `org`. */
    targetOrgSourcedId: text('target_org_sourced_id').references(() => orgs.sourcedId, {
      onDelete: 'set null',
    }),
    enabled: boolean('enabled').notNull().default(true),
    /** Registrations allowed over all the tenant's dispatches; null = no limit. */
    registrationCap: integer('registration_cap'),
    registrationCount: integer('registration_count').notNull().default(0),
    expiresAt: at('expires_at'),
    /** Host names a launch may come from (`lms.example.edu`, or `*.example.edu`). */
    allowedDomains: textList('allowed_domains'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('scorm_tenants_org_name_idx').on(t.orgSourcedId, t.name)],
)

/**
 * One SCORM package dispatched to one tenant, with its own switch, cap and expiry on top of the
 * tenant's. `registration_count` is the guard of its cap (docs/scorm-dispatch.md).
 */
export const scormDispatches = pgTable(
  'scorm_dispatches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => scormTenants.id, { onDelete: 'cascade' }),
    packageId: uuid('package_id')
      .notNull()
      .references(() => scormPackages.id, { onDelete: 'cascade' }),
    /** Shown in the tenant LMS as the course title; the package's title by default. */
    title: text('title').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    registrationCap: integer('registration_cap'),
    registrationCount: integer('registration_count').notNull().default(0),
    expiresAt: at('expires_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('scorm_dispatches_tenant_idx').on(t.tenantId),
    index('scorm_dispatches_org_idx').on(t.orgSourcedId),
  ],
)

/**
 * Keys a dispatch package carries to launch. A key is a bearer credential (anyone holding the
 * package can present it), so only its SHA-256 is stored; each download mints a new one, and a
 * revoked key stops every package that carries it.
 */
export const scormDispatchKeys = pgTable(
  'scorm_dispatch_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    dispatchId: uuid('dispatch_id')
      .notNull()
      .references(() => scormDispatches.id, { onDelete: 'cascade' }),
    keyHash: text('key_hash').notNull(),
    createdAt: createdAt(),
    createdBy: text('created_by').references(() => users.sourcedId, { onDelete: 'set null' }),
    revokedAt: at('revoked_at'),
  },
  (t) => [
    uniqueIndex('scorm_dispatch_keys_hash_idx').on(t.keyHash),
    index('scorm_dispatch_keys_dispatch_idx').on(t.dispatchId),
  ],
)

/**
 * One launch of a dispatch registration (a `scorm_registrations` row with `dispatch_id` set):
 * the bearer token the launcher received, of which only the SHA-256 is stored, opening that
 * registration's player, package files and run-time commits until `expires_at`, and the page
 * origin it came from.
 */
export const scormDispatchLaunches = pgTable(
  'scorm_dispatch_launches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgSourcedId: orgRef('org_sourced_id'),
    dispatchId: uuid('dispatch_id')
      .notNull()
      .references(() => scormDispatches.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => scormRegistrations.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    origin: text('origin').notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [
    uniqueIndex('scorm_dispatch_launches_token_idx').on(t.tokenHash),
    index('scorm_dispatch_launches_registration_idx').on(t.registrationId),
  ],
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
  credentials,
  sessions,
  magicLinkTokens,
  invitations,
  mailOutbox,
  loginLinkRequests,
  importRuns,
  practiceAttempts,
  practiceItemResponses,
  externalAssessmentScores,
  externalUsage,
  toddleTermGrades,
  toddleTaskScores,
  toddleAttendance,
  gradebookCategories,
  scoreScales,
  lineItems,
  results,
  scormPackages,
  scormScos,
  scormRegistrations,
  scormScoStates,
  scormInteractions,
  scormTenants,
  scormDispatches,
  scormDispatchKeys,
  scormDispatchLaunches,
}

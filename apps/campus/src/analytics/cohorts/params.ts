/**
 * The query strings of the cohort pages, validated before anything reads data or builds a cache
 * key: every dimension is an enumeration or a capped id (and ids are then checked to exist in
 * the session's organisations), so the number of cache entries per organisation is bounded.
 *
 * @module
 */
import { z } from 'zod'
import { badField, cohortValidation } from './errors.js'

/** Who a cohort is: one class, one grade level, or one school. */
export const SCOPES = ['class', 'grade', 'school'] as const
export type Scope = (typeof SCOPES)[number]

/** Where the scores come from (docs/analytics.md, "Cohorts"). */
export const SCORES = ['quiz', 'ixl', 'toddle'] as const
export type ScoreSource = (typeof SCORES)[number]

/** Which of a learner's several scores counts: the latest, or the best. */
export const PICKS = ['latest', 'best'] as const
export type Pick = (typeof PICKS)[number]

/** IXL diagnostic subjects. */
export const SUBJECTS = ['math', 'ela'] as const
export type Subject = (typeof SUBJECTS)[number]

/** What a cohort's per-group table breaks it into. */
export const BREAKDOWNS = ['class', 'grade', 'school'] as const
export type Breakdown = (typeof BREAKDOWNS)[number]

/** OneRoster sourcedIds: no whitespace, capped. */
const sourcedId = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(128, 'is at most 128 characters')
  .regex(/^\S+$/, 'has no spaces')

/** OneRoster grade codes (`KG`, `09`, `PS`). */
const gradeCode = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,16}$/, 'is a grade code of up to 16 letters, digits or dashes')

/** One cohort: a scope and the id of a class, a grade code or a school. */
export interface CohortRef {
  readonly scope: Scope
  readonly id: string
}

/** The score source and its filters, normalised (absent filters are null). */
export interface ScoreQuery {
  readonly score: ScoreSource
  /** quiz, toddle: which attempt or term grade counts per learner. */
  readonly pick: Pick
  /** quiz: a course sourcedId; toddle: a Toddle course reference. */
  readonly course: string | null
  /** ixl only. */
  readonly subject: Subject | null
  /** ixl: the administration period (`Fall 2024`); toddle: a grading period reference. */
  readonly period: string | null
}

/** A parsed `/cohorts` query. */
export interface CohortQuery {
  readonly cohort: CohortRef
  readonly scores: ScoreQuery
  /** The per-group table; null for none. */
  readonly by: Breakdown | null
}

/** A parsed `/cohorts/compare` query. */
export interface CompareQuery {
  readonly a: CohortRef
  readonly b: CohortRef
  readonly scores: ScoreQuery
}

const filters = {
  score: z.enum(SCORES),
  pick: z.enum(PICKS).optional(),
  course: sourcedId.optional(),
  subject: z.enum(SUBJECTS).optional(),
  period: z.string().trim().min(1).max(64, 'is at most 64 characters').optional(),
}

const single = z.object({
  scope: z.enum(SCOPES),
  id: z.string().max(128, 'is at most 128 characters'),
  by: z.enum(BREAKDOWNS).optional(),
  ...filters,
})

const pair = z.object({
  a: z.string().max(140, 'is at most 140 characters'),
  b: z.string().max(140, 'is at most 140 characters'),
  ...filters,
})

/** The id checked for its scope (a grade code, or a sourcedId). */
function cohortRef(scope: Scope, rawId: string, field: string): CohortRef {
  const parsed = (scope === 'grade' ? gradeCode : sourcedId).safeParse(rawId)
  if (!parsed.success) throw badField(field, parsed.error.issues[0]?.message ?? 'is invalid')
  return { scope, id: parsed.data }
}

/** `class:abc` → a {@link CohortRef}; the field name is used in the 400. */
function parseRef(value: string, field: string): CohortRef {
  const colon = value.indexOf(':')
  const scope = SCOPES.find((s) => s === value.slice(0, colon))
  if (colon < 0 || !scope)
    throw badField(field, `is scope:id with scope one of ${SCOPES.join(', ')}`)
  return cohortRef(scope, value.slice(colon + 1), field)
}

/** Filters that do not apply to the chosen score source are refused rather than ignored. */
function scoreQuery(raw: z.infer<z.ZodObject<typeof filters>>): ScoreQuery {
  const { score } = raw
  if (raw.subject !== undefined && score !== 'ixl') badFilter('subject', 'ixl')
  if (raw.course !== undefined && score === 'ixl') badFilter('course', 'quiz and toddle')
  if (raw.period !== undefined && score === 'quiz') badFilter('period', 'ixl and toddle')
  if (raw.pick !== undefined && score === 'ixl') badFilter('pick', 'quiz and toddle')
  return {
    score,
    pick: raw.pick ?? 'latest',
    course: raw.course ?? null,
    subject: score === 'ixl' ? (raw.subject ?? 'math') : null,
    period: raw.period ?? null,
  }
}

function badFilter(field: string, sources: string): never {
  throw badField(field, `applies to ${sources} scores only`)
}

/** A school splits by class (by grade for IXL, which has no class), a grade by school. */
function defaultBreakdown(scope: Scope, score: ScoreSource): Breakdown | null {
  if (scope === 'school') return score === 'ixl' ? 'grade' : 'class'
  if (scope === 'grade') return 'school'
  return null
}

/** Parses `/cohorts?scope=&id=&score=&…`; throws a 400 {@link CohortError} naming the field. */
export function parseCohortQuery(query: Record<string, string>): CohortQuery {
  const parsed = single.safeParse(query)
  if (!parsed.success) throw cohortValidation(parsed.error)
  const cohort = cohortRef(parsed.data.scope, parsed.data.id, 'id')
  const by = parsed.data.by ?? defaultBreakdown(cohort.scope, parsed.data.score)
  if (by === cohort.scope) throw badField('by', 'must differ from scope')
  if (by === 'class' && parsed.data.score === 'ixl') {
    throw badField('by', 'ixl scores belong to no class; use grade or school')
  }
  return { cohort, scores: scoreQuery(parsed.data), by }
}

/** Parses `/cohorts/compare?a=scope:id&b=scope:id&score=&…`. */
export function parseCompareQuery(query: Record<string, string>): CompareQuery {
  const parsed = pair.safeParse(query)
  if (!parsed.success) throw cohortValidation(parsed.error)
  return {
    a: parseRef(parsed.data.a, 'a'),
    b: parseRef(parsed.data.b, 'b'),
    scores: scoreQuery(parsed.data),
  }
}

/** The key dimensions of a cohort's data (every one validated above). */
export function keyParts(cohort: CohortRef, scores: ScoreQuery): string[] {
  return [
    cohort.scope,
    cohort.id,
    scores.score,
    scores.score === 'ixl' ? '-' : scores.pick,
    scores.course ?? '-',
    scores.subject ?? '-',
    scores.period ?? '-',
  ]
}

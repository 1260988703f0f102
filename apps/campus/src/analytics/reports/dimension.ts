/**
 * The `term` and `year` dimensions of a report: academic session sourcedIds, checked against
 * the sessions of the viewer's organisation (its own, its subtree's and its ancestors'), turned
 * into a date window. Validated before they reach a cache key, so a key holds at most one known
 * session id per dimension.
 *
 * @module
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm'
import { z } from 'zod'
import type { Database } from '../../db/client.js'
import { academicSessions } from '../../db/schema.js'
import { orgAncestry } from '../scope.js'
import type { AnalyticsViewer } from '../search/access.js'
import { invalidField, invalidInput } from '../search/errors.js'

/** The session types `term` accepts (OneRoster: a term or its subdivisions). */
const TERM_TYPES = ['term', 'semester', 'gradingPeriod'] as const

/** A chosen session. */
export interface DimensionSession {
  readonly id: string
  readonly title: string
  readonly startDate: string
  readonly endDate: string
}

/** A report's dimensions; `from`/`to` (ISO dates, inclusive) are null when neither is given. */
export interface Dimension {
  readonly term: DimensionSession | null
  readonly year: DimensionSession | null
  readonly from: string | null
  readonly to: string | null
}

const sessionId = z.string().min(1, 'is empty').max(255, 'is longer than 255 characters').optional()
const schema = z.object({ term: sessionId, year: sessionId })

/** The cache key parts of `dimension` (`-` for an absent one). */
export function dimensionKey(dimension: Dimension): string[] {
  return [dimension.term?.id ?? '-', dimension.year?.id ?? '-']
}

async function findSession(
  db: Database,
  orgIds: readonly string[],
  id: string,
): Promise<{ session: DimensionSession; type: string; parent: string | null } | null> {
  const [row] = await db
    .select()
    .from(academicSessions)
    .where(
      and(
        eq(academicSessions.sourcedId, id),
        eq(academicSessions.status, 'active'),
        or(
          isNull(academicSessions.orgSourcedId),
          inArray(academicSessions.orgSourcedId, [...orgIds]),
        ),
      ),
    )
  if (!row) return null
  return {
    session: {
      id: row.sourcedId,
      title: row.title,
      startDate: row.startDate,
      endDate: row.endDate,
    },
    type: row.type,
    parent: row.parentSourcedId,
  }
}

/**
 * Parses and checks `?term=&year=`: each must be a session of the viewer's organisations
 * (unknown or another organisation's → 400 naming the field), `term` a term, `year` a school
 * year, and a term inside the given year.
 */
export async function parseDimension(
  db: Database,
  viewer: AnalyticsViewer,
  query: Record<string, string | undefined>,
): Promise<Dimension> {
  const parsed = schema.safeParse({ term: query.term || undefined, year: query.year || undefined })
  if (!parsed.success) throw invalidInput(parsed.error)
  const { term: termId, year: yearId } = parsed.data
  if (termId === undefined && yearId === undefined) {
    return { term: null, year: null, from: null, to: null }
  }
  const orgIds = [...new Set([...viewer.subtree, ...(await orgAncestry(db, [viewer.orgId]))])]
  let term: DimensionSession | null = null
  let year: DimensionSession | null = null
  if (yearId !== undefined) {
    const found = await findSession(db, orgIds, yearId)
    if (!found) throw invalidField('year', 'is not a school year of this organisation')
    if (found.type !== 'schoolYear') throw invalidField('year', 'is not a school year')
    year = found.session
  }
  if (termId !== undefined) {
    const found = await findSession(db, orgIds, termId)
    if (!found) throw invalidField('term', 'is not a term of this organisation')
    if (!(TERM_TYPES as readonly string[]).includes(found.type)) {
      throw invalidField('term', 'is not a term')
    }
    term = found.session
    if (year && (term.startDate > year.endDate || term.endDate < year.startDate)) {
      throw invalidField('term', 'is not in the given year')
    }
  }
  // Both given: the term, clipped to the year.
  const starts = [term?.startDate, year?.startDate].filter((d): d is string => d !== undefined)
  const ends = [term?.endDate, year?.endDate].filter((d): d is string => d !== undefined)
  return { term, year, from: starts.sort().at(-1) ?? null, to: ends.sort().at(0) ?? null }
}

/** The sessions a viewer may pick, school years first, then terms, by start date. */
export async function listSessions(
  db: Database,
  viewer: AnalyticsViewer,
): Promise<{ years: DimensionSession[]; terms: DimensionSession[] }> {
  const orgIds = [...new Set([...viewer.subtree, ...(await orgAncestry(db, [viewer.orgId]))])]
  const rows = await db
    .select()
    .from(academicSessions)
    .where(
      and(
        eq(academicSessions.status, 'active'),
        or(isNull(academicSessions.orgSourcedId), inArray(academicSessions.orgSourcedId, orgIds)),
      ),
    )
  const pick = (types: readonly string[]) =>
    rows
      .filter((r) => types.includes(r.type))
      .sort(
        (a, b) => a.startDate.localeCompare(b.startDate) || a.sourcedId.localeCompare(b.sourcedId),
      )
      .map((r) => ({ id: r.sourcedId, title: r.title, startDate: r.startDate, endDate: r.endDate }))
  return { years: pick(['schoolYear']), terms: pick(TERM_TYPES) }
}

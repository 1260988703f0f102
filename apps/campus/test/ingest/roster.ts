/**
 * A small roster for the importer tests: a district with two schools, learners with known
 * names, IDs and grades (two namesakes in one grade, for the ambiguous case), and a teacher who
 * must never be matched as a learner.
 */
import type { Database } from '../../src/db/client.js'
import { orgs, userRoles, users } from '../../src/db/schema.js'

/** A learner of the fixture roster. */
export interface FixtureLearner {
  sourcedId: string
  identifier: string
  given: string
  family: string
  grade: string
  org: string
  email: string
}

/** Learners of school A. */
export const SCHOOL_A: readonly FixtureLearner[] = [
  learner('u-a1', 'S-A1', 'Ada', 'Lovelace', 'KG', 'org-a'),
  learner('u-a2', 'S-A2', 'Alan', 'Turing', '02', 'org-a'),
  learner('u-a3', 'S-A3', 'Grace', 'Hopper', '02', 'org-a'),
  learner('u-a4', 'S-A4', 'Sam', 'Lee', '03', 'org-a'),
  learner('u-a5', 'S-A5', 'Sam', 'Lee', '03', 'org-a'),
]
/** Learners of school B. */
export const SCHOOL_B: readonly FixtureLearner[] = [
  learner('u-b1', 'S-B1', 'Emmy', 'Noether', '05', 'org-b'),
  learner('u-b2', 'S-B2', 'Kurt', 'Godel', '05', 'org-b'),
]

function learner(
  sourcedId: string,
  identifier: string,
  given: string,
  family: string,
  grade: string,
  org: string,
): FixtureLearner {
  const email = `${given}.${family}.${sourcedId}@school.example`.toLowerCase()
  return { sourcedId, identifier, given, family, grade, org, email }
}

/** Writes the roster. */
export async function writeRoster(db: Database): Promise<void> {
  await db.insert(orgs).values([
    { sourcedId: 'org-district', name: 'District', type: 'district' },
    { sourcedId: 'org-a', name: 'School A', type: 'school', parentSourcedId: 'org-district' },
    { sourcedId: 'org-b', name: 'School B', type: 'school', parentSourcedId: 'org-district' },
  ])
  const all = [...SCHOOL_A, ...SCHOOL_B]
  await db.insert(users).values([
    ...all.map((l) => ({
      sourcedId: l.sourcedId,
      username: l.sourcedId,
      givenName: l.given,
      familyName: l.family,
      identifier: l.identifier,
      email: l.email,
      grades: [l.grade],
    })),
    // A teacher with a learner's name and grade: never matched.
    {
      sourcedId: 'u-t1',
      username: 'u-t1',
      givenName: 'Marie',
      familyName: 'Curie',
      identifier: 'T-A1',
      grades: ['04'],
    },
  ])
  await db.insert(userRoles).values([
    ...all.map((l, i) => ({
      sourcedId: `r-${i}`,
      userSourcedId: l.sourcedId,
      roleType: 'primary',
      role: 'student',
      orgSourcedId: l.org,
    })),
    {
      sourcedId: 'r-t1',
      userSourcedId: 'u-t1',
      roleType: 'primary',
      role: 'teacher',
      orgSourcedId: 'org-a',
    },
  ])
}

/** A CSV document with every field quoted, as some IXL exports write them. */
export function quotedCsv(rows: readonly (readonly string[])[]): string {
  return `${rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n')}\r\n`
}

/** A CSV document quoting only where needed. */
export function csv(rows: readonly (readonly string[])[]): string {
  const cell = (c: string): string => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`
}

/**
 * Finds the campus learner an external record is about, inside one organisation only: by the
 * student ID (OneRoster `identifier`, else `sourcedId`), then by email, then by first name, last
 * name and grade. A learner counts as the organisation's when a `student` role ties them to it or
 * to one of its schools; a learner of any other organisation is never matched, whatever the file
 * says. One query per batch of records, so memory stays bounded by the batch, not the roster.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'

/** What an external record says about its learner. */
export interface LearnerKey {
  id: string | null
  email?: string | null
  firstName: string | null
  lastName: string | null
  /** OneRoster grade code (`KG`, `02`), already normalised. */
  grade: string | null
}

/** How a record was (or was not) matched. */
export type LearnerMatch =
  | { kind: 'matched'; userSourcedId: string; via: 'id' | 'email' | 'name-grade' }
  | { kind: 'unmatched'; reason: string }
  | { kind: 'ambiguous'; reason: string }

interface Candidate {
  sourced_id: string
  identifier: string | null
  email: string | null
  given: string
  family: string
  grades: string[]
}

/** A transaction or the database: matching runs inside the import's transaction. */
export type Queryable = Pick<Database, 'execute'>

const lower = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase()

/**
 * Matches `keys` against the learners of `orgSourcedId` (and its schools), in order.
 *
 * @example
 * const [match] = await matchLearners(db, 'org-school-01', [{ id: 'S-1', firstName: null, lastName: null, grade: null }])
 */
export async function matchLearners(
  db: Queryable,
  orgSourcedId: string,
  keys: readonly LearnerKey[],
): Promise<LearnerMatch[]> {
  const ids = [...new Set(keys.flatMap((k) => (k.id ? [k.id.trim()] : [])))]
  const emails = [...new Set(keys.flatMap((k) => (k.email ? [lower(k.email)] : [])))]
  const names = [
    ...new Set(
      keys.flatMap((k) =>
        k.firstName && k.lastName ? [`${lower(k.firstName)}\t${lower(k.lastName)}`] : [],
      ),
    ),
  ]
  // Arrays travel as one JSON parameter: the same SQL works on node-postgres and PGlite.
  const result = await db.execute(sql`
    select u.sourced_id, u.identifier, u.email, lower(u.given_name) as given,
           lower(u.family_name) as family, u.grades
      from users u
     where exists (
             select 1 from user_roles r
              where r.user_sourced_id = u.sourced_id and r.role = 'student'
                and (r.org_sourced_id = ${orgSourcedId}
                     or r.org_sourced_id in (select o.sourced_id from orgs o
                                              where o.parent_sourced_id = ${orgSourcedId})))
       and (u.identifier in (select json_array_elements_text(${JSON.stringify(ids)}::json))
            or u.sourced_id in (select json_array_elements_text(${JSON.stringify(ids)}::json))
            or lower(u.email) in (select json_array_elements_text(${JSON.stringify(emails)}::json))
            or (lower(u.given_name) || chr(9) || lower(u.family_name))
               in (select json_array_elements_text(${JSON.stringify(names)}::json)))`)
  // Both drivers answer `{ rows }`.
  const candidates = (result as { rows: Candidate[] }).rows
  const byId = new Map<string, Candidate[]>()
  const byEmail = new Map<string, Candidate[]>()
  const byName = new Map<string, Candidate[]>()
  const push = (map: Map<string, Candidate[]>, key: string, c: Candidate): void => {
    const list = map.get(key)
    if (list) {
      if (!list.includes(c)) list.push(c)
    } else map.set(key, [c])
  }
  for (const c of candidates) {
    if (c.identifier) push(byId, c.identifier, c)
    push(byId, c.sourced_id, c)
    if (c.email) push(byEmail, lower(c.email), c)
    push(byName, `${c.given}\t${c.family}`, c)
  }
  return keys.map((key) => resolve(key, orgSourcedId, byId, byEmail, byName))
}

function resolve(
  key: LearnerKey,
  org: string,
  byId: Map<string, Candidate[]>,
  byEmail: Map<string, Candidate[]>,
  byName: Map<string, Candidate[]>,
): LearnerMatch {
  const id = key.id?.trim()
  if (id) {
    const found = byId.get(id) ?? []
    if (found.length === 1 && found[0]) {
      return { kind: 'matched', userSourcedId: found[0].sourced_id, via: 'id' }
    }
    if (found.length > 1) {
      return {
        kind: 'ambiguous',
        reason: `student ID ${JSON.stringify(id)} belongs to ${found.length} learners of ${org}`,
      }
    }
  }
  if (key.email) {
    const found = byEmail.get(lower(key.email)) ?? []
    if (found.length === 1 && found[0]) {
      return { kind: 'matched', userSourcedId: found[0].sourced_id, via: 'email' }
    }
    if (found.length > 1) {
      return {
        kind: 'ambiguous',
        reason: `email ${JSON.stringify(key.email)} belongs to ${found.length} learners of ${org}`,
      }
    }
  }
  const who = [
    id ? `student ID ${JSON.stringify(id)}` : null,
    key.email ? `email ${JSON.stringify(key.email)}` : null,
  ].filter((s): s is string => s !== null)
  if (key.firstName && key.lastName && key.grade) {
    const name = `${key.firstName.trim()} ${key.lastName.trim()}`
    const grade = key.grade
    const found = (byName.get(`${lower(key.firstName)}\t${lower(key.lastName)}`) ?? []).filter(
      (c) => c.grades.includes(grade),
    )
    if (found.length === 1 && found[0]) {
      return { kind: 'matched', userSourcedId: found[0].sourced_id, via: 'name-grade' }
    }
    if (found.length > 1) {
      return {
        kind: 'ambiguous',
        reason: `${found.length} learners of ${org} are named ${JSON.stringify(name)} in grade ${grade}${who.length ? ` and none has ${who.join(' or ')}` : ''}`,
      }
    }
    who.push(`name ${JSON.stringify(name)} in grade ${grade}`)
  }
  return {
    kind: 'unmatched',
    reason: who.length
      ? `no learner of ${org} has ${who.join(', nor ')}`
      : `no student ID, email or name and grade to match a learner of ${org} by`,
  }
}

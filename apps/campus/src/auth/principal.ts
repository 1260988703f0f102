/**
 * Who is asking, and in which organisation: the one shape every feature (pages, caching, rate
 * limits, the session index, counters, idempotency) reads the tenant from, so no two features
 * key the same tenant differently. Built by `resolveOrgContext` (auth/middleware.ts) from the
 * session cookie.
 *
 * @module
 */

/** The roles campus signs people in as (OneRoster role names). */
export type CampusRole = 'student' | 'teacher' | 'administrator'

/** Every {@link CampusRole}, most privileged last. */
export const CAMPUS_ROLES: readonly CampusRole[] = ['student', 'teacher', 'administrator']

/** The signed-in person as one session sees them. */
export interface Principal {
  readonly userId: string
  /** The organisation the session acts in (a user may hold roles in several). */
  readonly orgId: string
  readonly role: CampusRole
  readonly email: string
  readonly name: string
  /** campus-wide operator (role or ADMIN_TOKEN) */
  readonly operator: boolean
}

/**
 * The tenant of a request: its organisation, principal and session. Key tenant data by
 * `orgId` from here, never from request input.
 */
export interface OrgContext {
  readonly orgId: string
  readonly principal: Principal
  readonly sessionId: string
}

/** True for a OneRoster role name campus signs people in as. */
export function isCampusRole(role: string): role is CampusRole {
  return (CAMPUS_ROLES as readonly string[]).includes(role)
}

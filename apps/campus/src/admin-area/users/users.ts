/**
 * Accounts as the admin area manages them: list an organisation's members, disable or
 * re-enable an account, revoke its sessions. Disabling revokes every session too, so it takes
 * effect on the user's next request in every campus instance (auth/sessions.ts).
 *
 * Scope: an organisation administrator manages members whose every role is in their
 * organisation. A member who also holds a role elsewhere (a district administrator teaching at
 * the school) is listed but can only be managed by an operator (403); a user of another
 * organisation does not exist for them (404).
 *
 * @module
 */
import { and, asc, eq, isNull } from 'drizzle-orm'
import { revokeUserSessions } from '../../auth/sessions.js'
import type { Database } from '../../db/client.js'
import { userRoles, users } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { type AdminAccess, canSeeOrg } from '../access.js'
import { AdminAreaError, notFound } from '../errors.js'

/** A member as the admin area shows them. */
export interface UserView {
  readonly id: string
  readonly name: string
  readonly email: string | null
  /** Roles in the listed organisation. */
  readonly roles: readonly string[]
  readonly disabled: boolean
}

/** Members of `orgId` (by role), ordered by id, at most `limit`. */
export async function listUsers(db: Database, orgId: string, limit: number): Promise<UserView[]> {
  const rows = await db
    .select({
      id: users.sourcedId,
      given: users.givenName,
      family: users.familyName,
      preferred: users.preferredFirstName,
      email: users.email,
      role: userRoles.role,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userSourcedId, users.sourcedId))
    .where(eq(userRoles.orgSourcedId, orgId))
    .orderBy(asc(users.sourcedId))
  const byId = new Map<string, UserView & { roles: string[] }>()
  for (const r of rows) {
    const seen = byId.get(r.id)
    if (seen) {
      if (!seen.roles.includes(r.role)) seen.roles.push(r.role)
      continue
    }
    if (byId.size >= limit) break
    byId.set(r.id, {
      id: r.id,
      name: `${r.preferred ?? r.given} ${r.family}`,
      email: r.email,
      roles: [r.role],
      disabled: r.disabledAt !== null,
    })
  }
  return [...byId.values()]
}

/** Checks that `access` may manage `userId`; throws 404 or 403. */
export async function assertManageable(
  db: Database,
  access: AdminAccess,
  userId: string,
): Promise<void> {
  const roles = await db
    .select({ orgId: userRoles.orgSourcedId })
    .from(userRoles)
    .where(eq(userRoles.userSourcedId, userId))
  const [exists] = await db
    .select({ id: users.sourcedId })
    .from(users)
    .where(eq(users.sourcedId, userId))
    .limit(1)
  if (!exists) throw notFound('user')
  if (access.kind === 'operator') return
  if (!roles.some((r) => canSeeOrg(access, r.orgId))) throw notFound('user')
  if (roles.some((r) => !canSeeOrg(access, r.orgId))) {
    throw new AdminAreaError(
      'E_FORBIDDEN',
      403,
      'This person also holds roles in another organisation; a campus operator manages them.',
    )
  }
  if (access.userId === userId) {
    throw new AdminAreaError('E_FORBIDDEN', 403, 'You cannot disable or sign out yourself here.')
  }
}

/** What a user action did. */
export interface UserActionResult {
  readonly id: string
  readonly disabled: boolean
  readonly sessionsRevoked: number
}

/** Disables (or re-enables) an account; disabling revokes its sessions. */
export async function setDisabled(
  deps: Pick<CampusDeps, 'database' | 'auth'>,
  access: AdminAccess,
  userId: string,
  disabled: boolean,
): Promise<UserActionResult> {
  const db = deps.database.db
  await assertManageable(db, access, userId)
  await db
    .update(users)
    .set({ disabledAt: disabled ? new Date() : null })
    // Disabling keeps the first disabled_at when asked twice.
    .where(
      disabled
        ? and(eq(users.sourcedId, userId), isNull(users.disabledAt))
        : eq(users.sourcedId, userId),
    )
  const sessionsRevoked = disabled ? await revokeUserSessions(deps, userId) : 0
  return { id: userId, disabled, sessionsRevoked }
}

/** Revokes every session of a user (signs them out everywhere). */
export async function revokeSessions(
  deps: Pick<CampusDeps, 'database' | 'auth'>,
  access: AdminAccess,
  userId: string,
): Promise<UserActionResult> {
  const db = deps.database.db
  await assertManageable(db, access, userId)
  const sessionsRevoked = await revokeUserSessions(deps, userId)
  const [row] = await db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.sourcedId, userId))
  return { id: userId, disabled: row?.disabledAt != null, sessionsRevoked }
}

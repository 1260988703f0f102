/**
 * Accounts as the sign-in flows see them: a OneRoster user, their campus roles per org, and
 * their password if they have one.
 *
 * @module
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { credentials, orgs, userRoles, users } from '../db/schema.js'
import type { PasswordHash } from './passwords.js'
import { type CampusRole, isCampusRole } from './principal.js'
import type { SessionStore } from './sessions.js'

/** One role a user holds in one org. */
export interface AccountRole {
  readonly orgId: string
  readonly role: CampusRole
}

/** An account found by email. */
export interface Account {
  readonly userId: string
  readonly email: string
  /** False when disabled by an administrator, or inactive/disabled in the roster. */
  readonly active: boolean
  readonly roles: readonly AccountRole[]
  readonly password: PasswordHash | null
}

/** Lower-cased, trimmed: how emails are compared. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase()
}

const RANK: Record<CampusRole, number> = { administrator: 3, teacher: 2, student: 1 }

/**
 * The role a session acts in: the most privileged, then the org id for a stable choice.
 * OneRoster lets a user hold several; campus signs them in as one (docs/auth.md).
 */
export function primaryRole(roles: readonly AccountRole[]): AccountRole | undefined {
  return [...roles].sort(
    (a, b) => RANK[b.role] - RANK[a.role] || (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : 0),
  )[0]
}

/**
 * OneRoster 1.2's administrator roles (roles.csv), which campus signs in as `administrator`;
 * campus's own rows say `administrator` directly.
 */
const ONEROSTER_ADMINISTRATORS: ReadonlySet<string> = new Set([
  'siteAdministrator',
  'districtAdministrator',
  'systemAdministrator',
])

/** The campus role a roster role signs in as, if any. */
export function campusRoleOf(role: string): CampusRole | undefined {
  if (isCampusRole(role)) return role
  return ONEROSTER_ADMINISTRATORS.has(role) ? 'administrator' : undefined
}

/**
 * The roles of a user that campus signs in as (other OneRoster roles are ignored, and so are
 * roles an import retired: status `tobedeleted`).
 */
export async function rolesOf(db: Database, userId: string): Promise<AccountRole[]> {
  const rows = await db
    .select({ orgId: userRoles.orgSourcedId, role: userRoles.role })
    .from(userRoles)
    .innerJoin(orgs, eq(orgs.sourcedId, userRoles.orgSourcedId))
    .where(
      and(
        eq(userRoles.userSourcedId, userId),
        eq(userRoles.status, 'active'),
        eq(orgs.status, 'active'),
      ),
    )
  return rows.flatMap((r) => {
    const role = campusRoleOf(r.role)
    return role ? [{ orgId: r.orgId, role }] : []
  })
}

/**
 * The account with this email (case-insensitive), or null. When two roster users share an
 * email (imports allow it), the one with a password wins, then the lowest id: sign-in must be
 * deterministic.
 */
export async function findAccountByEmail(db: Database, email: string): Promise<Account | null> {
  const rows = await db
    .select({
      userId: users.sourcedId,
      email: users.email,
      status: users.status,
      enabledUser: users.enabledUser,
      disabledAt: users.disabledAt,
      hash: credentials.hash,
      salt: credentials.salt,
      cost: credentials.cost,
      blockSize: credentials.blockSize,
      parallelization: credentials.parallelization,
      keyLength: credentials.keyLength,
    })
    .from(users)
    .leftJoin(credentials, eq(credentials.userSourcedId, users.sourcedId))
    .where(sql`lower(${users.email}) = ${normaliseEmail(email)}`)
    .orderBy(sql`${credentials.hash} IS NULL`, users.sourcedId)
    .limit(1)
  const row = rows[0]
  if (!row) return null
  const password =
    row.hash !== null &&
    row.salt !== null &&
    row.cost !== null &&
    row.blockSize !== null &&
    row.parallelization !== null &&
    row.keyLength !== null
      ? {
          hash: row.hash,
          salt: row.salt,
          cost: row.cost,
          blockSize: row.blockSize,
          parallelization: row.parallelization,
          keyLength: row.keyLength,
        }
      : null
  return {
    userId: row.userId,
    email: row.email ?? normaliseEmail(email),
    active: row.status === 'active' && row.enabledUser && row.disabledAt === null,
    roles: await rolesOf(db, row.userId),
    password,
  }
}

/** Writes (or replaces) a user's password. */
export async function setPassword(
  db: Pick<Database, 'insert'>,
  userId: string,
  stored: PasswordHash,
): Promise<void> {
  const values = { ...stored, updatedAt: new Date() }
  await db
    .insert(credentials)
    .values({ userSourcedId: userId, ...values })
    .onConflictDoUpdate({ target: credentials.userSourcedId, set: values })
}

/** The parts of `CampusDeps` that account changes need. */
export interface AccountDeps {
  readonly database: { readonly db: Database }
  readonly auth: { readonly sessions: SessionStore }
}

/**
 * Disables an account: marks it (`users.disabled_at`) and revokes its sessions, so its next
 * request in any campus instance is signed out and it cannot sign in again until enabled.
 * Returns false when no such user exists.
 * @example await disableUser(deps, 'usr-00042')
 */
export async function disableUser(deps: AccountDeps, userId: string): Promise<boolean> {
  const updated = await deps.database.db
    .update(users)
    .set({ disabledAt: new Date() })
    .where(eq(users.sourcedId, userId))
    .returning({ id: users.sourcedId })
  if (updated.length === 0) return false
  await deps.auth.sessions.revokeUser(userId)
  return true
}

/**
 * Enables a disabled account again (its old sessions stay revoked).
 * @example await enableUser(deps, 'usr-00042')
 */
export async function enableUser(deps: AccountDeps, userId: string): Promise<boolean> {
  const updated = await deps.database.db
    .update(users)
    .set({ disabledAt: null })
    .where(eq(users.sourcedId, userId))
    .returning({ id: users.sourcedId })
  return updated.length > 0
}

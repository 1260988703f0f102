/**
 * Demo accounts: a sign-in-able administrator, teacher and student in every school and an
 * administrator of the district (a campus-wide operator), all with one known password, so a new
 * user can sign in right after `npm start`. Written after the generated data set and idempotent
 * (existing accounts are left as they are), so it can run against any seeded database.
 *
 * @module
 */
import { asc, eq, inArray } from 'drizzle-orm'
import { hashPassword } from '../auth/passwords.js'
import type { CampusRole } from '../auth/principal.js'
import type { Database } from '../db/client.js'
import { credentials, orgs, userRoles, users } from '../db/schema.js'
import { SEED_DATE } from './ids.js'

/** The password of every demo account (README, "Signing in"). Demo data only. */
export const DEMO_PASSWORD = 'campus-demo-password'

/** One demo account. */
export interface DemoAccount {
  readonly userId: string
  readonly email: string
  readonly role: CampusRole
  readonly orgId: string
  readonly orgName: string
}

const ROLE_NAMES: Record<CampusRole, string> = {
  administrator: 'Admin',
  teacher: 'Teacher',
  student: 'Student',
}

/** The demo accounts for the orgs in the database: district admin, then per school three roles. */
export async function plannedDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const rows = await db
    .select({ id: orgs.sourcedId, name: orgs.name, type: orgs.type })
    .from(orgs)
    .where(inArray(orgs.type, ['district', 'school']))
    .orderBy(asc(orgs.sourcedId))
  const accounts: DemoAccount[] = []
  for (const org of rows) {
    // `org-school-01` → `school01`; other ids keep their own shape.
    const slug = org.id.replace(/^org-/, '').replace(/[^a-z0-9]/gi, '')
    const roles: CampusRole[] =
      org.type === 'district' ? ['administrator'] : ['administrator', 'teacher', 'student']
    for (const role of roles) {
      const local = role === 'administrator' ? 'admin' : role
      accounts.push({
        userId: `usr-demo-${slug}-${role}`,
        email:
          org.type === 'district' ? `${local}@campus.example` : `${local}.${slug}@campus.example`,
        role,
        orgId: org.id,
        orgName: org.name,
      })
    }
  }
  return accounts
}

/** The ids among `accounts` whose credentials exist. */
async function withCredentials(
  db: Database,
  accounts: readonly DemoAccount[],
): Promise<Set<string>> {
  const rows = await db
    .select({ id: credentials.userSourcedId })
    .from(credentials)
    .where(
      inArray(
        credentials.userSourcedId,
        accounts.map((a) => a.userId),
      ),
    )
  return new Set(rows.map((r) => r.id))
}

/**
 * Creates the demo accounts that do not exist yet (user, role, password) in one transaction and
 * returns every demo account. Passwords are hashed before the transaction (scrypt is CPU work).
 */
export async function seedDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const planned = await plannedDemoAccounts(db)
  if (planned.length === 0) return []
  const present = await withCredentials(db, planned)
  const missing = planned.filter((a) => !present.has(a.userId))
  const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)))
  await db.transaction(async (tx) => {
    for (const [i, account] of missing.entries()) {
      await tx
        .insert(users)
        .values({
          sourcedId: account.userId,
          dateLastModified: SEED_DATE,
          username: account.email,
          givenName: ROLE_NAMES[account.role],
          familyName: account.orgName.split(' ')[0] ?? 'Campus',
          email: account.email,
          identifier: account.userId.toUpperCase(),
          userIds: [{ type: 'campus', identifier: account.userId }],
        })
        .onConflictDoNothing()
      const [role] = await tx
        .select({ id: userRoles.sourcedId })
        .from(userRoles)
        .where(eq(userRoles.sourcedId, `role-${account.userId}`))
      if (!role) {
        await tx.insert(userRoles).values({
          sourcedId: `role-${account.userId}`,
          userSourcedId: account.userId,
          roleType: 'primary',
          role: account.role,
          orgSourcedId: account.orgId,
        })
      }
      const hash = hashes[i]
      if (hash) {
        await tx
          .insert(credentials)
          .values({ userSourcedId: account.userId, ...hash })
          .onConflictDoNothing()
      }
    }
  })
  return planned
}

/**
 * The demo accounts that exist (their credentials were written): what a restart of `npm start`
 * prints, without creating any.
 */
export async function existingDemoAccounts(db: Database): Promise<DemoAccount[]> {
  const planned = await plannedDemoAccounts(db)
  if (planned.length === 0) return []
  const present = await withCredentials(db, planned)
  return planned.filter((a) => present.has(a.userId))
}

/** The lines `campus seed` and `npm start` print: every demo account and the password. */
export function describeDemoAccounts(accounts: readonly DemoAccount[]): string {
  if (accounts.length === 0) return ''
  const width = Math.max(...accounts.map((a) => a.email.length))
  const lines = accounts.map(
    (a) => `  ${a.email.padEnd(width)}  ${a.role.padEnd(13)}  ${a.orgName} (${a.orgId})`,
  )
  return `Demo accounts (password for all: ${DEMO_PASSWORD}; sign in at /login):\n${lines.join('\n')}\n`
}

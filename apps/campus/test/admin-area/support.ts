/**
 * Sign-ins for admin-area tests: sessions created through the session store (the same rows a
 * password sign-in writes), and the roster members they act as.
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import type { CampusRole } from '../../src/auth/principal.js'
import { loginLinkRequests, userRoles, users } from '../../src/db/schema.js'
import type { TestCampus } from '../support/campus.js'

/** The district (top-level org): its administrators are campus-wide operators. */
export const DISTRICT = 'org-district'
export const SCHOOL_A = 'org-school-01'
export const SCHOOL_B = 'org-school-02'

/** Members of `orgId` with `role` in the roster, first by id. */
export async function members(
  campus: TestCampus,
  orgId: string,
  role: string,
): Promise<{ id: string; email: string }[]> {
  const rows = await campus.database.db
    .select({ id: users.sourcedId, email: users.email })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userSourcedId, users.sourcedId))
    .where(and(eq(userRoles.orgSourcedId, orgId), eq(userRoles.role, role)))
    .orderBy(asc(users.sourcedId))
  return rows.map((r) => ({ id: r.id, email: r.email ?? '' }))
}

/** A session cookie header for `userId` acting as `role` in `orgId`. */
export async function signIn(
  campus: TestCampus,
  userId: string,
  orgId: string,
  role: CampusRole,
): Promise<{ cookie: string; token: string }> {
  const { token } = await campus.deps.auth.sessions.create({ userId, orgId, role })
  return { cookie: `campus_session=${token}`, token }
}

/** Pending requests of `orgId` in the database (the authority). */
export async function pendingInDatabase(campus: TestCampus, orgId: string): Promise<number> {
  const [row] = await campus.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginLinkRequests)
    .where(and(eq(loginLinkRequests.orgSourcedId, orgId), eq(loginLinkRequests.status, 'pending')))
  return Number(row?.n ?? 0)
}

/** Files a login-link request through the public endpoint; returns the new row's id. */
export async function fileRequest(
  campus: TestCampus,
  orgId: string,
  email: string,
  ip = '198.51.100.7',
): Promise<string> {
  await resetRequestQuota(campus)
  const res = await campus.app.request('/api/login-link-requests', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ orgId, email, message: 'I lost my password' }),
  })
  if (res.status !== 202) throw new Error(`request answered ${res.status}: ${await res.text()}`)
  const [row] = await campus.database.db
    .select({ id: loginLinkRequests.id })
    .from(loginLinkRequests)
    .where(
      and(
        eq(loginLinkRequests.orgSourcedId, orgId),
        eq(loginLinkRequests.email, email.toLowerCase()),
        eq(loginLinkRequests.status, 'pending'),
      ),
    )
  if (!row) throw new Error('no pending row after 202')
  return row.id
}

/**
 * Forgets the login-link request quotas. `app.request()` has no socket, so every test request
 * shares the one "unknown client" bucket of 5 an hour; tests filing more reset it (tests may
 * use KEYS). Never call it after a 429: the limiter's block cache remembers that in-process.
 */
export async function resetRequestQuota(campus: TestCampus): Promise<void> {
  const client = campus.satchel.redis.client
  if (!client) return
  const keys = await client.keys('campus:rl:login-link-*')
  if (keys.length > 0) await client.del(...keys)
}

/**
 * Invitations: an administrator (or the demo seed) invites someone into an org with a role; the
 * invitation mail links to onboarding, where they set a password and their profile on first
 * sign-in. The invitation row is the onboarding state: nothing about it lives only in Redis.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { invitations, userRoles, users } from '../db/schema.js'
import type { Mailer } from '../mail/index.js'
import { normaliseEmail } from './accounts.js'
import type { CampusRole } from './principal.js'
import { issueToken } from './tokens.js'

/** The onboarding page's path. */
export const ONBOARDING_PATH = '/auth/onboarding'

/** Options of {@link inviteUser}. */
export interface InviteInput {
  readonly orgId: string
  readonly role: CampusRole
  readonly email: string
  readonly givenName: string
  readonly familyName: string
  /** The inviting administrator; null for the seed. */
  readonly invitedBy: string | null
  /** Origin of the link. */
  readonly origin: string
  readonly ttlMs: number
}

/** An invitation sent. */
export interface Invitation {
  readonly userId: string
  readonly invitationId: string
  readonly url: string
}

/**
 * Creates the user (when no user has the email), gives them `role` in `orgId`, stores an
 * invitation and mails its link. The rows are written in one transaction; the mail goes out
 * after the commit, so a failed send leaves a valid invitation that can be sent again, never a
 * mailed link without its rows.
 */
export async function inviteUser(
  db: Database,
  mailer: Mailer,
  input: InviteInput,
): Promise<Invitation> {
  const email = normaliseEmail(input.email)
  const { token, hash } = issueToken()
  const result = await db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.sourcedId })
      .from(users)
      .where(sql`lower(${users.email}) = ${email}`)
      .orderBy(users.sourcedId)
      .limit(1)
    const userId = existing?.id ?? `usr-${randomUUID()}`
    if (!existing) {
      await tx.insert(users).values({
        sourcedId: userId,
        username: email,
        givenName: input.givenName,
        familyName: input.familyName,
        email,
        userIds: [{ type: 'campus', identifier: userId }],
      })
    }
    const [hasRole] = await tx
      .select({ id: userRoles.sourcedId })
      .from(userRoles)
      .where(
        and(
          eq(userRoles.userSourcedId, userId),
          eq(userRoles.orgSourcedId, input.orgId),
          eq(userRoles.role, input.role),
        ),
      )
    if (!hasRole) {
      await tx.insert(userRoles).values({
        sourcedId: `role-${randomUUID()}`,
        userSourcedId: userId,
        roleType: 'primary',
        role: input.role,
        orgSourcedId: input.orgId,
      })
    }
    const [row] = await tx
      .insert(invitations)
      .values({
        tokenHash: hash,
        userSourcedId: userId,
        orgSourcedId: input.orgId,
        role: input.role,
        email,
        invitedBy: input.invitedBy,
        expiresAt: new Date(Date.now() + input.ttlMs),
      })
      .returning({ id: invitations.id })
    if (!row) throw new Error('invitation insert returned no row')
    return { userId, invitationId: row.id }
  })
  const url = `${input.origin}${ONBOARDING_PATH}?token=${token}`
  const days = Math.max(1, Math.round(input.ttlMs / 86_400_000))
  await mailer.send({
    to: email,
    subject: 'You are invited to Campus',
    text: `Hello ${input.givenName},\n\nYou have been invited to Campus as a ${input.role}. Set your password and profile here:\n\n${url}\n\nThe link works once and expires in ${days} day(s).\n`,
    orgId: input.orgId,
  })
  return { ...result, url }
}

/**
 * Onboarding: an invited user sets a password and profile on first sign-in, either from the
 * invitation link (the token) or after signing in with a magic link while having no password
 * yet (the session). Accepting the invitation, writing the password and profile and opening the
 * session happen in one transaction.
 *
 * @module
 */
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { credentials, invitations, users } from '../db/schema.js'
import { primaryRole, rolesOf, setPassword } from './accounts.js'
import { AuthError } from './errors.js'
import type { ClientInfo } from './login.js'
import { hashPassword } from './passwords.js'
import { isCampusRole } from './principal.js'
import type { CreatedSession, SessionRecord, SessionStore } from './sessions.js'
import { hashToken, TOKEN_PATTERN } from './tokens.js'

/** The profile and password onboarding sets. */
export interface OnboardingProfile {
  readonly password: string
  readonly givenName: string
  readonly familyName: string
  readonly preferredFirstName?: string | undefined
}

/** Who is onboarding: the invitation token, or the session of a user without a password. */
export type OnboardingSubject =
  | { readonly kind: 'invitation'; readonly token: string }
  | { readonly kind: 'session'; readonly session: SessionRecord }

function invalidInvitation(): AuthError {
  return new AuthError(
    'E_INVITATION_INVALID',
    400,
    'This invitation is invalid, expired or already used.',
    [{ field: 'token', message: 'invalid, expired or already used' }],
  )
}

/** The invitation a token names while it is still open, for the onboarding page. */
export async function openInvitation(
  db: Database,
  token: string,
): Promise<{
  email: string
  orgId: string
  role: string
  givenName: string
  familyName: string
} | null> {
  if (!TOKEN_PATTERN.test(token)) return null
  const [row] = await db
    .select({
      email: invitations.email,
      orgId: invitations.orgSourcedId,
      role: invitations.role,
      givenName: users.givenName,
      familyName: users.familyName,
    })
    .from(invitations)
    .innerJoin(users, eq(users.sourcedId, invitations.userSourcedId))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
  return row ?? null
}

/**
 * Completes onboarding and opens a session (a fresh one; a magic-link session that onboarded is
 * revoked by the caller, since its cached name is stale).
 * @throws AuthError `E_INVITATION_INVALID` for an unknown, expired or used invitation; 403
 * `E_FORBIDDEN` when a session's user already has a password.
 */
export async function completeOnboarding(
  db: Database,
  sessions: SessionStore,
  subject: OnboardingSubject,
  profile: OnboardingProfile,
  client: ClientInfo,
): Promise<CreatedSession> {
  if (subject.kind === 'invitation' && !TOKEN_PATTERN.test(subject.token)) {
    throw invalidInvitation()
  }
  // Hashed before the transaction: 50 ms of CPU need not hold row locks.
  const stored = await hashPassword(profile.password)
  return db.transaction(async (tx) => {
    let userId: string
    let orgId: string
    let role: string
    if (subject.kind === 'invitation') {
      const [invitation] = await tx
        .update(invitations)
        .set({ acceptedAt: new Date() })
        .where(
          and(
            eq(invitations.tokenHash, hashToken(subject.token)),
            isNull(invitations.acceptedAt),
            gt(invitations.expiresAt, new Date()),
          ),
        )
        .returning({
          userId: invitations.userSourcedId,
          orgId: invitations.orgSourcedId,
          role: invitations.role,
        })
      if (!invitation) throw invalidInvitation()
      ;({ userId, orgId, role } = invitation)
      const [user] = await tx
        .select({ disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.sourcedId, userId))
      if (!user || user.disabledAt !== null) throw invalidInvitation()
    } else {
      ;({ userId, orgId, role } = subject.session)
      const [credential] = await tx
        .select({ userId: credentials.userSourcedId })
        .from(credentials)
        .where(eq(credentials.userSourcedId, userId))
      if (credential) {
        throw new AuthError('E_FORBIDDEN', 403, 'This account is already set up.')
      }
    }
    await setPassword(tx, userId, stored)
    await tx
      .update(users)
      .set({
        givenName: profile.givenName,
        familyName: profile.familyName,
        preferredFirstName: profile.preferredFirstName ?? null,
        dateLastModified: new Date(),
      })
      .where(eq(users.sourcedId, userId))
    // The invitation's role when it still holds; else the user's best role in that org.
    const roles = (await rolesOf(tx, userId)).filter((r) => r.orgId === orgId)
    const chosen = roles.find((r) => r.role === role) ?? primaryRole(roles)
    if (!chosen || !isCampusRole(chosen.role)) throw invalidInvitation()
    return sessions.create({ userId, orgId, role: chosen.role, ...client }, tx)
  })
}

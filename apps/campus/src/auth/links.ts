/**
 * Single-use sign-in links: magic links a user requests for themselves, and login links an
 * administrator approves (`purpose: 'login-link'`). The token is stored hashed; redeeming marks
 * it used and opens the session in one transaction, so a link works once and a failure leaves
 * it unused.
 *
 * @module
 */
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { credentials, magicLinkTokens, users } from '../db/schema.js'
import type { Mailer } from '../mail/index.js'
import { findAccountByEmail, primaryRole, rolesOf } from './accounts.js'
import { AuthError } from './errors.js'
import type { ClientInfo } from './login.js'
import type { CreatedSession, SessionStore } from './sessions.js'
import { hashToken, issueToken, TOKEN_PATTERN } from './tokens.js'

/** Why a link was issued. */
export type LinkPurpose = 'magic-link' | 'login-link'

/** The path a link points at (the page asks for a click before redeeming: mail scanners GET). */
export const LINK_PATH = '/auth/link'

/** Options of {@link issueSignInLink}. */
export interface IssueLinkInput {
  readonly userId: string
  readonly orgId: string
  readonly purpose: LinkPurpose
  readonly ttlMs: number
  /** Origin of the link (`https://campus.example`). */
  readonly origin: string
  readonly requestIp?: string | undefined
}

/**
 * Stores a new link token (hashed) and returns the URL to send.
 * @example const { url } = await issueSignInLink(db, { userId, orgId, purpose: 'login-link', ttlMs: 86_400_000, origin })
 */
export async function issueSignInLink(
  db: Database,
  input: IssueLinkInput,
): Promise<{ url: string; expiresAt: Date }> {
  const { token, hash } = issueToken()
  const expiresAt = new Date(Date.now() + input.ttlMs)
  await db.insert(magicLinkTokens).values({
    tokenHash: hash,
    userSourcedId: input.userId,
    orgSourcedId: input.orgId,
    purpose: input.purpose,
    expiresAt,
    requestIp: input.requestIp ?? null,
  })
  return { url: `${input.origin}${LINK_PATH}?token=${token}`, expiresAt }
}

/** The mail text of a sign-in link. */
export function linkMail(url: string, expiresAt: Date, purpose: LinkPurpose) {
  const minutes = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 60_000))
  const why =
    purpose === 'login-link'
      ? 'Your school administrator approved your request for a sign-in link.'
      : 'Someone (hopefully you) asked to sign in to Campus with this email address.'
  return {
    subject: 'Your Campus sign-in link',
    text: `${why}\n\nSign in: ${url}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message.\n`,
  }
}

/**
 * Sends a magic link to `email` when it belongs to an active account with a campus role;
 * otherwise does nothing. The caller answers the same either way.
 */
export async function sendMagicLink(
  db: Database,
  mailer: Mailer,
  input: { email: string; origin: string; ttlMs: number; requestIp?: string | undefined },
): Promise<boolean> {
  const account = await findAccountByEmail(db, input.email)
  const role = account?.active ? primaryRole(account.roles) : undefined
  if (!account || !role) return false
  const link = await issueSignInLink(db, {
    userId: account.userId,
    orgId: role.orgId,
    purpose: 'magic-link',
    ttlMs: input.ttlMs,
    origin: input.origin,
    requestIp: input.requestIp,
  })
  await mailer.send({
    to: account.email,
    ...linkMail(link.url, link.expiresAt, 'magic-link'),
    orgId: role.orgId,
  })
  return true
}

/** A redeemed link: the new session, and whether the user still has to set a password. */
export interface RedeemedLink {
  readonly session: CreatedSession
  readonly needsOnboarding: boolean
}

function invalidLink(): AuthError {
  return new AuthError(
    'E_LINK_INVALID',
    400,
    'This sign-in link is invalid, expired or already used. Ask for a new one.',
    [{ field: 'token', message: 'invalid, expired or already used' }],
  )
}

/**
 * Redeems a link: marks it used and opens a session in one transaction.
 * @throws AuthError `E_LINK_INVALID` for an unknown, expired or used link, or an account that
 * was disabled or lost its role in the link's org since.
 */
export async function redeemSignInLink(
  db: Database,
  sessions: SessionStore,
  token: string,
  client: ClientInfo,
): Promise<RedeemedLink> {
  if (!TOKEN_PATTERN.test(token)) throw invalidLink()
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(magicLinkTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(magicLinkTokens.tokenHash, hashToken(token)),
          isNull(magicLinkTokens.usedAt),
          gt(magicLinkTokens.expiresAt, new Date()),
        ),
      )
      .returning({ userId: magicLinkTokens.userSourcedId, orgId: magicLinkTokens.orgSourcedId })
    if (!link) throw invalidLink()
    const [user] = await tx
      .select({ disabledAt: users.disabledAt, status: users.status, enabled: users.enabledUser })
      .from(users)
      .where(eq(users.sourcedId, link.userId))
    if (!user || user.disabledAt !== null || user.status !== 'active' || !user.enabled) {
      throw invalidLink()
    }
    const role = primaryRole((await rolesOf(tx, link.userId)).filter((r) => r.orgId === link.orgId))
    if (!role) throw invalidLink()
    const session = await sessions.create(
      { userId: link.userId, orgId: role.orgId, role: role.role, ...client },
      tx,
    )
    const [credential] = await tx
      .select({ userId: credentials.userSourcedId })
      .from(credentials)
      .where(eq(credentials.userSourcedId, link.userId))
    return { session, needsOnboarding: !credential }
  })
}

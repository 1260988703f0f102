/**
 * Approving or rejecting a login-link request.
 *
 * Two guards, in this order:
 * 1. a satchel lock per request id (`login-link-request:<id>`, one try): a second administrator
 *    deciding the same request at the same moment is answered 409 `E_DECISION_IN_PROGRESS` at
 *    once instead of queueing behind the first;
 * 2. the database transaction's status check, the final guard: `UPDATE … WHERE status =
 *    'pending'` decides exactly once however the locks behave (Redis down, a lock that expired
 *    while its holder paused). A request decided already is 409 `E_ALREADY_DECIDED`.
 *
 * When Redis is unavailable the lock is skipped and the database guard alone decides; with the
 * `locking` flag off satchel's in-process locks stand in (docs/operations.md).
 *
 * Approval issues a single-use login link through the sign-in layer (`issueSignInLink`: a
 * `magic_link_tokens` row, purpose `login-link`, stored hashed, redeemed at `/auth/link`) and
 * mails it. If the mail cannot be handed over, the decision is undone (token
 * deleted, request pending again) and the answer is 502 `E_MAIL_FAILED`: nothing is left
 * half-done. Mail is sent after the commit, not inside the transaction, so the mailer's own
 * writes (the outbox table) never wait on the transaction's connection.
 *
 * @module
 */
import { and, eq } from 'drizzle-orm'
import { errors, type Lock } from 'satchel'
import { pendingLoginLinksChanged } from '../../analytics/dashboards/pending-changes.js'
import { issueSignInLink, linkMail } from '../../auth/links.js'
import { hashToken } from '../../auth/tokens.js'
import { loginLinkRequests, magicLinkTokens } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { type AdminAccess, canSeeOrg } from '../access.js'
import { AdminAreaError, notFound } from '../errors.js'
import { requestId } from './schemas.js'

/** What an administrator decides. */
export type Decision = 'approve' | 'reject'

/** The answer of a decision. */
export interface DecisionResult {
  readonly id: string
  readonly orgId: string
  readonly status: 'approved' | 'rejected'
  readonly decidedAt: string
  readonly decidedBy: string | null
  /** Whether a login link was mailed (approvals only). */
  readonly mailed: boolean
}

/** The lock resource of one request. */
export function decisionLockResource(id: string): string {
  return `login-link-request:${id}`
}

/**
 * How long an approved login link stays redeemable: a day, since the requester reads it when
 * they next check their mail (a self-requested magic link lives minutes).
 */
export const LOGIN_LINK_TTL_MS = 24 * 60 * 60 * 1000

/** How long the lock lives without extension; `using` extends it while the decision runs. */
const LOCK_TTL = '15s'

function isRedisTrouble(error: unknown): boolean {
  return error instanceof errors.E_REDIS_UNAVAILABLE || error instanceof errors.E_REDIS_COMMAND
}

/**
 * Decides request `id` for `access`. Throws {@link AdminAreaError}: 404 (unknown id, or another
 * organisation's), 409 (in progress or decided), 422 (approval without an account), 502 (mail).
 */
export async function decideLoginLinkRequest(
  deps: Pick<CampusDeps, 'database' | 'satchel' | 'mailer' | 'auth' | 'logger' | 'adminArea'>,
  access: AdminAccess,
  id: string,
  decision: Decision,
  origin: string,
): Promise<DecisionResult> {
  if (!requestId.safeParse(id).success) throw notFound('login-link request')
  const db = deps.database.db
  const [row] = await db
    .select({ orgId: loginLinkRequests.orgSourcedId })
    .from(loginLinkRequests)
    .where(eq(loginLinkRequests.id, id))
    .limit(1)
  if (!row || !canSeeOrg(access, row.orgId)) throw notFound('login-link request')

  const work = (signal: AbortSignal, _lock?: Lock) =>
    decideUnderGuard(deps, access, id, decision, origin, signal)
  let result: DecisionResult
  try {
    result = await deps.satchel.locks.using(decisionLockResource(id), work, {
      ttl: LOCK_TTL,
      retry: false,
    })
  } catch (error) {
    if (error instanceof errors.E_LOCK_CONTENDED) {
      throw new AdminAreaError(
        'E_DECISION_IN_PROGRESS',
        409,
        'Another administrator is deciding this request right now.',
      )
    }
    if (!isRedisTrouble(error)) throw error
    // No lock to be had: the transaction's status check alone keeps the decision single.
    deps.logger.warn({ id }, 'login-link decision without its lock (Redis unavailable)')
    result = await work(new AbortController().signal)
  }
  await deps.adminArea.pending.removed(result.orgId)
  await pendingLoginLinksChanged(deps, result.orgId)
  deps.logger.info(
    { id, orgId: result.orgId, status: result.status, decidedBy: result.decidedBy },
    'login-link request decided',
  )
  return result
}

async function decideUnderGuard(
  deps: Pick<CampusDeps, 'database' | 'mailer' | 'auth' | 'logger'>,
  access: AdminAccess,
  id: string,
  decision: Decision,
  origin: string,
  signal: AbortSignal,
): Promise<DecisionResult> {
  const db = deps.database.db
  const status = decision === 'approve' ? 'approved' : 'rejected'
  const decidedAt = new Date()
  const outcome = await db.transaction(async (tx) => {
    // The lock may have been lost while this request waited for the database.
    signal.throwIfAborted()
    const [updated] = await tx
      .update(loginLinkRequests)
      .set({ status, decidedAt, decidedBy: access.userId })
      .where(and(eq(loginLinkRequests.id, id), eq(loginLinkRequests.status, 'pending')))
      .returning()
    if (!updated) {
      const [current] = await tx
        .select({ status: loginLinkRequests.status })
        .from(loginLinkRequests)
        .where(eq(loginLinkRequests.id, id))
      throw new AdminAreaError('E_ALREADY_DECIDED', 409, 'This request was decided already.', {
        extra: { requestStatus: current?.status ?? 'unknown' },
      })
    }
    if (decision === 'approve') {
      if (!updated.userSourcedId) {
        // Throwing rolls the status change back.
        throw new AdminAreaError(
          'E_NO_ACCOUNT',
          422,
          'No account of this organisation has this email, so no link can be issued; reject the request instead.',
        )
      }
      const link = await issueSignInLink(tx, {
        userId: updated.userSourcedId,
        orgId: updated.orgSourcedId,
        purpose: 'login-link',
        ttlMs: LOGIN_LINK_TTL_MS,
        origin: deps.auth.publicUrl ?? origin,
      })
      return { row: updated, link }
    }
    return { row: updated, link: undefined }
  })
  const { row: claimed, link } = outcome

  let mailed = false
  if (link) {
    try {
      await deps.mailer.send({
        to: claimed.email,
        ...linkMail(link.url, link.expiresAt, 'login-link'),
        orgId: claimed.orgSourcedId,
      })
      mailed = true
    } catch (error) {
      const token = new URL(link.url).searchParams.get('token') ?? ''
      await undoApproval(deps, id, hashToken(token))
      deps.logger.error({ err: error, id }, 'login link not mailed; approval undone')
      throw new AdminAreaError(
        'E_MAIL_FAILED',
        502,
        'The login link could not be mailed; the request is pending again.',
      )
    }
  }
  return {
    id,
    orgId: claimed.orgSourcedId,
    status,
    decidedAt: decidedAt.toISOString(),
    decidedBy: access.userId,
    mailed,
  }
}

/** Puts an approval whose mail failed back: the token goes, the request is pending again. */
async function undoApproval(
  deps: Pick<CampusDeps, 'database'>,
  id: string,
  tokenHash: string,
): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    await tx.delete(magicLinkTokens).where(eq(magicLinkTokens.tokenHash, tokenHash))
    await tx
      .update(loginLinkRequests)
      .set({ status: 'pending', decidedAt: null, decidedBy: null })
      .where(and(eq(loginLinkRequests.id, id), eq(loginLinkRequests.status, 'approved')))
  })
}

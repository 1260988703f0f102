/**
 * `POST /api/login-link-requests`: someone who cannot sign in asks their school's
 * administrators for a login link.
 *
 * Rate-limited per client IP (counted before the body is read, so garbage costs quota too) and
 * per email (a hash of it, never the address, is the key); both fail open. The answer is the
 * same 202 whether or not the email belongs to an account, and a second request while one is
 * pending adds nothing, so the endpoint reveals no accounts and cannot flood the panel.
 *
 * @module
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { pendingLoginLinksChanged } from '../../analytics/dashboards/pending-changes.js'
import { accountIdentifier, checkLimits, clientIdentifier } from '../../auth/limits.js'
import { loginLinkRequests, orgs, userRoles, users } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { clientIpOf } from '../../web/client-ip.js'
import { AdminAreaError, NO_STORE, validationFailure } from '../errors.js'
import { type LoginLinkRequestInput, loginLinkRequestBody } from './schemas.js'

/** What the endpoint answers on success (always the same). */
export const RECEIVED = {
  status: 'received',
  detail:
    "Your school's administrators have been asked; if they approve, a login link is mailed to you.",
} as const

/** Reads a JSON or form body; undefined when it is neither parseable. */
async function readBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await c.req.parseBody()
    return Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string'))
  }
  const text = await c.req.text()
  try {
    return text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Writes a pending request unless one from this email is pending already. Returns whether a
 * row was written. The account is matched by email among the organisation's members.
 */
export async function createLoginLinkRequest(
  deps: Pick<CampusDeps, 'database'>,
  input: LoginLinkRequestInput,
  requestIp: string | null,
): Promise<boolean> {
  const db = deps.database.db
  const [org] = await db
    .select({ id: orgs.sourcedId })
    .from(orgs)
    .where(eq(orgs.sourcedId, input.orgId))
    .limit(1)
  if (!org) {
    throw new AdminAreaError('E_VALIDATION', 400, 'Invalid input: orgId', {
      errors: [{ field: 'orgId', message: 'no such school' }],
    })
  }
  const [pending] = await db
    .select({ id: loginLinkRequests.id })
    .from(loginLinkRequests)
    .where(
      and(
        eq(loginLinkRequests.orgSourcedId, input.orgId),
        eq(loginLinkRequests.email, input.email),
        eq(loginLinkRequests.status, 'pending'),
      ),
    )
    .limit(1)
  if (pending) return false
  const [account] = await db
    .selectDistinct({ id: users.sourcedId })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userSourcedId, users.sourcedId))
    .where(
      and(sql`lower(${users.email}) = ${input.email}`, eq(userRoles.orgSourcedId, input.orgId)),
    )
    .limit(1)
  await db.insert(loginLinkRequests).values({
    orgSourcedId: input.orgId,
    email: input.email,
    userSourcedId: account?.id ?? null,
    message: input.message,
    requestIp,
  })
  return true
}

/**
 * The outcome of {@link fileLoginLinkRequest}: received, refused by a limit (the 429 to send),
 * or invalid (the error to show). `apply` adds the limits' `RateLimit` headers to an answer.
 */
export type FilingOutcome = (
  | { readonly kind: 'received' }
  | { readonly kind: 'limited'; readonly response: Response }
  | { readonly kind: 'invalid'; readonly error: AdminAreaError }
) & { readonly apply: (response: Response) => Response }

/**
 * Files a request from the body of `c` (JSON or a form): the per-IP limit first, then
 * validation, the per-email limit, and the write. Shared by the API and the page.
 */
export async function fileLoginLinkRequest(c: Context, deps: CampusDeps): Promise<FilingOutcome> {
  const { limits } = deps.auth
  const byIp = await checkLimits([[limits.loginLinkIp, clientIdentifier(c)]])
  if (byIp.response) return { kind: 'limited', response: byIp.response, apply: byIp.apply }
  const raw = await readBody(c)
  if (raw === undefined) {
    const error = new AdminAreaError('E_VALIDATION', 400, 'Invalid input: (body)', {
      errors: [{ field: '(body)', message: 'is not valid JSON' }],
    })
    return { kind: 'invalid', error, apply: byIp.apply }
  }
  const parsed = loginLinkRequestBody.safeParse(raw)
  if (!parsed.success) {
    return { kind: 'invalid', error: validationFailure(parsed.error), apply: byIp.apply }
  }
  const byEmail = await checkLimits([[limits.loginLinkEmail, accountIdentifier(parsed.data.email)]])
  const apply = (response: Response) => byIp.apply(byEmail.apply(response))
  if (byEmail.response) return { kind: 'limited', response: byIp.apply(byEmail.response), apply }
  try {
    const ip = clientIpOf(c)
    const written = await createLoginLinkRequest(deps, parsed.data, ip === 'unknown' ? null : ip)
    if (written) {
      await deps.adminArea.pending.added(parsed.data.orgId)
      await pendingLoginLinksChanged(deps, parsed.data.orgId)
    }
  } catch (error) {
    if (error instanceof AdminAreaError) return { kind: 'invalid', error, apply }
    throw error
  }
  return { kind: 'received', apply }
}

/** The API handler: 202 {@link RECEIVED}, 400 problem+json per field, or 429. */
export async function handleLoginLinkRequest(c: Context, deps: CampusDeps): Promise<Response> {
  const outcome = await fileLoginLinkRequest(c, deps)
  switch (outcome.kind) {
    case 'limited':
      return outcome.response
    case 'invalid':
      return outcome.apply(outcome.error.response())
    default:
      return outcome.apply(c.json(RECEIVED, 202, NO_STORE))
  }
}

/**
 * Sign-in routes: JSON APIs under `/api/auth/…` and the server-rendered pages that post plain
 * forms (`/login`, `/login/magic`, `/auth/link`, `/auth/onboarding`, `/account`, `/logout`).
 * Both sides run the same flows, rate limits and validation; APIs answer problem+json, pages
 * re-render with the messages next to the fields.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { problemResponse } from 'satchel/http'
import type { ZodType } from 'zod'
import type { CampusDeps } from '../deps.js'
import { listOutbox } from '../mail/index.js'
import { clientIpOf } from '../web/client-ip.js'
import {
  AccountPage,
  InvitationGonePage,
  LinkPage,
  LoginPage,
  MagicRequestPage,
  OnboardingPage,
  TooManyAttemptsPage,
} from '../web/pages/auth.js'
import { OutboxPage } from '../web/pages/auth-outbox.js'
import { htmlResponse } from '../web/render.js'
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from './cookie.js'
import { AuthError, authProblem, type FieldProblem, NO_STORE, validationError } from './errors.js'
import { accountIdentifier, checkLimits, clientIdentifier, type LimitCheck } from './limits.js'
import { redeemSignInLink, sendMagicLink } from './links.js'
import { type ClientInfo, passwordLogin } from './login.js'
import {
  forgetOrgContext,
  orgContextOf,
  requireRole,
  requireSignIn,
  resolveOrgContext,
} from './middleware.js'
import { completeOnboarding, type OnboardingSubject, openInvitation } from './onboarding.js'
import {
  loginSchema,
  magicRequestSchema,
  onboardingSchema,
  redeemSchema,
  safeNext,
} from './schemas.js'
import type { CreatedSession, SessionRecord } from './sessions.js'
import { hashToken } from './tokens.js'

type Parsed<T> = { ok: true; value: T } | { ok: false; error: AuthError }

function parse<T>(schema: ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input)
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, error: validationError(result.error) }
}

/** JSON bodies only: a form or text body is what a cross-site page could send (auth/csrf.ts). */
async function jsonBody(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    return {
      ok: false,
      response: problemResponse(
        {
          title: 'Unsupported Media Type',
          status: 415,
          detail: 'Send the body as application/json.',
          code: 'E_MEDIA_TYPE',
        },
        NO_STORE,
      ),
    }
  }
  try {
    return { ok: true, value: await c.req.json() }
  } catch {
    return { ok: true, value: undefined }
  }
}

async function formBody(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value
  return out
}

function clientOf(c: Context): ClientInfo {
  return { ip: clientIpOf(c), userAgent: c.req.header('user-agent') }
}

/** The origin links in mail point at: `PUBLIC_URL`, else this request's own origin. */
function linkOrigin(c: Context, deps: CampusDeps): string {
  return deps.auth.publicUrl ?? new URL(c.req.url).origin
}

function principalJson(session: SessionRecord) {
  return { ...orgContextOf(session).principal, sessionExpiresAt: new Date(session.expiresAt) }
}

function signIn(c: Context, deps: CampusDeps, session: CreatedSession): void {
  setSessionCookie(c, session.token, deps.auth.sessions.ttlMs, deps.auth.cookieSecure)
  forgetOrgContext()
}

function htmlWith(response: Response, check: LimitCheck | undefined): Response {
  response.headers.set('cache-control', 'no-store')
  return check ? check.apply(response) : response
}

async function page(
  c: Context,
  element: Parameters<typeof htmlResponse>[1],
  status: ContentfulStatusCode = 200,
  check?: LimitCheck,
): Promise<Response> {
  return htmlWith(await htmlResponse(c, element, status), check)
}

function tooMany(c: Context, check: LimitCheck): Promise<Response> {
  const retryAfter = check.response?.headers.get('retry-after') ?? null
  return page(c, <TooManyAttemptsPage retryAfter={retryAfter} />, 429, check)
}

function unexpected(deps: CampusDeps, error: unknown): never {
  deps.logger.error({ err: error }, 'sign-in request failed')
  throw error
}

// ---------- the flows, shared by API and pages ----------

type Attempt<T> =
  | { kind: 'limited'; check: LimitCheck }
  | { kind: 'failed'; check: LimitCheck; error: AuthError }
  | { kind: 'ok'; check: LimitCheck; value: T }

async function attemptLogin(
  c: Context,
  deps: CampusDeps,
  input: { email: string; password: string },
): Promise<Attempt<CreatedSession>> {
  const { limits, sessions } = deps.auth
  const account = accountIdentifier(input.email)
  const check = await checkLimits([
    [limits.loginIp, clientIdentifier(c)],
    [limits.loginAccount, account],
  ])
  if (check.response) return { kind: 'limited', check }
  try {
    const session = await passwordLogin(deps.database.db, sessions, input, clientOf(c))
    // A successful sign-in clears the account's failures (the IP's count stays). Best effort:
    // with Redis down there is no count to clear, and the sign-in must not fail for it.
    await limits.loginAccount.reset(account).catch((err: unknown) => {
      deps.logger.warn({ err: err }, 'per-account sign-in count not reset')
    })
    return { kind: 'ok', check, value: session }
  } catch (error) {
    if (error instanceof AuthError) return { kind: 'failed', check, error }
    return unexpected(deps, error)
  }
}

async function attemptMagicRequest(
  c: Context,
  deps: CampusDeps,
  email: string,
): Promise<Attempt<null>> {
  const { limits } = deps.auth
  const check = await checkLimits([
    [limits.magicIp, clientIdentifier(c)],
    [limits.magicEmail, accountIdentifier(email)],
  ])
  if (check.response) return { kind: 'limited', check }
  const origin = linkOrigin(c, deps)
  const requestIp = clientIpOf(c)
  // Not awaited: the answer must not reveal, by content or by time, whether the account exists.
  deps.auth.background.run('magic-link request', () =>
    sendMagicLink(deps.database.db, deps.mailer, {
      email,
      origin,
      ttlMs: deps.auth.magicLinkTtlMs,
      requestIp,
    }),
  )
  return { kind: 'ok', check, value: null }
}

async function attemptRedeem(c: Context, deps: CampusDeps, token: string) {
  try {
    const redeemed = await redeemSignInLink(
      deps.database.db,
      deps.auth.sessions,
      token,
      clientOf(c),
    )
    return { ok: true as const, redeemed }
  } catch (error) {
    if (error instanceof AuthError) return { ok: false as const, error }
    return unexpected(deps, error)
  }
}

async function attemptOnboarding(
  c: Context,
  deps: CampusDeps,
  input: {
    token?: string | undefined
    password: string
    givenName: string
    familyName: string
    preferredFirstName?: string | undefined
  },
): Promise<Attempt<CreatedSession>> {
  const { limits, sessions } = deps.auth
  let subject: OnboardingSubject
  let previousToken: string | undefined
  if (input.token) {
    subject = { kind: 'invitation', token: input.token }
  } else {
    const token = sessionTokenOf(c)
    const session = token ? await sessions.lookup(token) : null
    const check = await checkLimits([[limits.onboardingIp, clientIdentifier(c)]])
    if (check.response) return { kind: 'limited', check }
    if (!session) {
      return {
        kind: 'failed',
        check,
        error: new AuthError('E_VALIDATION', 400, 'Invalid input: token', [
          { field: 'token', message: 'is required unless you are signed in' },
        ]),
      }
    }
    subject = { kind: 'session', session }
    previousToken = token
  }
  const who =
    subject.kind === 'invitation'
      ? `inv:${hashToken(subject.token)}`
      : `usr:${subject.session.userId}`
  const check = await checkLimits([
    [limits.onboardingIp, clientIdentifier(c)],
    [limits.onboardingAccount, who],
  ])
  if (check.response) return { kind: 'limited', check }
  try {
    const session = await completeOnboarding(
      deps.database.db,
      sessions,
      subject,
      input,
      clientOf(c),
    )
    // The magic-link session carried the old profile; the new session replaces it.
    if (previousToken) await sessions.revoke(previousToken)
    return { kind: 'ok', check, value: session }
  } catch (error) {
    if (error instanceof AuthError) return { kind: 'failed', check, error }
    return unexpected(deps, error)
  }
}

// ---------- routes ----------

/** The sign-in API and pages (mounted before the content pages, whose patterns would match). */
export function authRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const { sessions } = deps.auth
  const db = deps.database.db

  // ----- JSON API -----

  app.post('/api/auth/login', async (c) => {
    const body = await jsonBody(c)
    if (!body.ok) return body.response
    const input = parse(loginSchema, body.value)
    if (!input.ok) return authProblem(input.error)
    const attempt = await attemptLogin(c, deps, input.value)
    if (attempt.kind === 'limited') return attempt.check.response as Response
    if (attempt.kind === 'failed') return attempt.check.apply(authProblem(attempt.error))
    signIn(c, deps, attempt.value)
    return attempt.check.apply(
      c.json({ principal: principalJson(attempt.value.record) }, 200, NO_STORE),
    )
  })

  app.post('/api/auth/logout', async (c) => {
    const token = sessionTokenOf(c)
    if (token) await sessions.revoke(token)
    clearSessionCookie(c, deps.auth.cookieSecure)
    return c.body(null, 204, NO_STORE)
  })

  app.post('/api/auth/logout-everywhere', requireSignIn(), async (c) => {
    const ctx = await resolveOrgContext(c)
    const revoked = ctx ? await sessions.revokeUser(ctx.principal.userId) : 0
    clearSessionCookie(c, deps.auth.cookieSecure)
    return c.json({ revoked }, 200, NO_STORE)
  })

  app.get('/api/auth/session', async (c) => {
    const token = sessionTokenOf(c)
    const session = token ? await sessions.lookup(token) : null
    if (!session) {
      return authProblem(new AuthError('E_UNAUTHENTICATED', 401, 'Not signed in.'))
    }
    return c.json({ principal: principalJson(session) }, 200, NO_STORE)
  })

  app.post('/api/auth/magic/request', async (c) => {
    const body = await jsonBody(c)
    if (!body.ok) return body.response
    const input = parse(magicRequestSchema, body.value)
    if (!input.ok) return authProblem(input.error)
    const attempt = await attemptMagicRequest(c, deps, input.value.email)
    if (attempt.kind === 'limited') return attempt.check.response as Response
    return attempt.check.apply(
      c.json(
        { status: 'accepted', detail: 'If an account uses this address, a link was sent.' },
        202,
        NO_STORE,
      ),
    )
  })

  app.post('/api/auth/magic/redeem', async (c) => {
    const body = await jsonBody(c)
    if (!body.ok) return body.response
    const input = parse(redeemSchema, body.value)
    if (!input.ok) return authProblem(input.error)
    const result = await attemptRedeem(c, deps, input.value.token)
    if (!result.ok) return authProblem(result.error)
    signIn(c, deps, result.redeemed.session)
    return c.json(
      {
        principal: principalJson(result.redeemed.session.record),
        needsOnboarding: result.redeemed.needsOnboarding,
      },
      200,
      NO_STORE,
    )
  })

  app.post('/api/auth/onboarding', async (c) => {
    const body = await jsonBody(c)
    if (!body.ok) return body.response
    const input = parse(onboardingSchema, body.value)
    if (!input.ok) return authProblem(input.error)
    const attempt = await attemptOnboarding(c, deps, input.value)
    if (attempt.kind === 'limited') return attempt.check.response as Response
    if (attempt.kind === 'failed') return attempt.check.apply(authProblem(attempt.error))
    signIn(c, deps, attempt.value)
    return attempt.check.apply(
      c.json({ principal: principalJson(attempt.value.record) }, 200, NO_STORE),
    )
  })

  // ----- pages -----

  app.get('/login', async (c) => {
    const next = c.req.query('next')
    if (await resolveOrgContext(c)) return c.redirect(safeNext(next), 303)
    const info = c.req.query('signedOut') !== undefined ? 'You are signed out.' : undefined
    return page(c, <LoginPage next={next} info={info} />)
  })

  app.post('/login', async (c) => {
    const form = await formBody(c)
    const next = form.next
    const input = parse(loginSchema, form)
    if (!input.ok) {
      return page(c, <LoginPage email={form.email} next={next} errors={input.error.errors} />, 400)
    }
    const attempt = await attemptLogin(c, deps, input.value)
    if (attempt.kind === 'limited') return tooMany(c, attempt.check)
    if (attempt.kind === 'failed') {
      return page(
        c,
        <LoginPage email={form.email} next={next} message={attempt.error.message} />,
        401,
        attempt.check,
      )
    }
    signIn(c, deps, attempt.value)
    return htmlWith(c.redirect(safeNext(next), 303), attempt.check)
  })

  app.get('/login/magic', (c) => page(c, <MagicRequestPage />))

  app.post('/login/magic', async (c) => {
    const form = await formBody(c)
    const input = parse(magicRequestSchema, form)
    if (!input.ok) {
      return page(c, <MagicRequestPage email={form.email} errors={input.error.errors} />, 400)
    }
    const attempt = await attemptMagicRequest(c, deps, input.value.email)
    if (attempt.kind === 'limited') return tooMany(c, attempt.check)
    return page(c, <MagicRequestPage email={input.value.email} sent />, 200, attempt.check)
  })

  app.get('/auth/link', (c) => page(c, <LinkPage token={c.req.query('token') ?? ''} />))

  app.post('/auth/link', async (c) => {
    const form = await formBody(c)
    const result = await attemptRedeem(c, deps, form.token ?? '')
    if (!result.ok) return page(c, <LinkPage token="" message={result.error.message} />, 400)
    signIn(c, deps, result.redeemed.session)
    return htmlWith(
      c.redirect(result.redeemed.needsOnboarding ? '/auth/onboarding' : '/account', 303),
      undefined,
    )
  })

  app.get('/auth/onboarding', async (c) => {
    const token = c.req.query('token')
    if (token) {
      const invitation = await openInvitation(db, token)
      if (!invitation) return page(c, <InvitationGonePage />, 410)
      return page(
        c,
        <OnboardingPage
          token={token}
          email={invitation.email}
          givenName={invitation.givenName}
          familyName={invitation.familyName}
        />,
      )
    }
    const ctx = await resolveOrgContext(c)
    if (!ctx) return c.redirect('/login?next=%2Fauth%2Fonboarding', 303)
    const [first = '', ...rest] = ctx.principal.name.split(' ')
    return page(
      c,
      <OnboardingPage email={ctx.principal.email} givenName={first} familyName={rest.join(' ')} />,
    )
  })

  app.post('/auth/onboarding', async (c) => {
    const form = await formBody(c)
    const token = form.token || undefined
    const email = token
      ? ((await openInvitation(db, token))?.email ?? '')
      : ((await resolveOrgContext(c))?.principal.email ?? '')
    const again = (errors: readonly FieldProblem[], message?: string) => (
      <OnboardingPage
        token={token}
        email={email}
        givenName={form.givenName}
        familyName={form.familyName}
        preferredFirstName={form.preferredFirstName}
        errors={errors}
        message={message}
      />
    )
    const input = parse(onboardingSchema, { ...form, token })
    if (!input.ok) return page(c, again(input.error.errors), 400)
    const attempt = await attemptOnboarding(c, deps, input.value)
    if (attempt.kind === 'limited') return tooMany(c, attempt.check)
    if (attempt.kind === 'failed') {
      if (attempt.error.code === 'E_INVITATION_INVALID') {
        return page(c, <InvitationGonePage />, 410, attempt.check)
      }
      return page(
        c,
        again(attempt.error.errors, attempt.error.message),
        attempt.error.status as ContentfulStatusCode,
        attempt.check,
      )
    }
    signIn(c, deps, attempt.value)
    return htmlWith(c.redirect('/account', 303), attempt.check)
  })

  app.get('/account', requireSignIn(), async (c) => {
    const ctx = await resolveOrgContext(c)
    if (!ctx) return c.redirect('/login', 303)
    return page(c, <AccountPage principal={ctx.principal} />)
  })

  app.get('/outbox', requireRole('administrator'), async (c) => {
    const ctx = await resolveOrgContext(c)
    if (!ctx) return c.redirect('/login', 303)
    const messages = await listOutbox(db, ctx.orgId, { limit: 100 })
    return page(c, <OutboxPage orgId={ctx.orgId} messages={messages} />)
  })

  app.post('/logout', async (c) => {
    const token = sessionTokenOf(c)
    if (token) await sessions.revoke(token)
    clearSessionCookie(c, deps.auth.cookieSecure)
    return htmlWith(c.redirect('/login?signedOut', 303), undefined)
  })

  app.post('/logout/everywhere', requireSignIn(), async (c) => {
    const ctx = await resolveOrgContext(c)
    if (ctx) await sessions.revokeUser(ctx.principal.userId)
    clearSessionCookie(c, deps.auth.cookieSecure)
    return htmlWith(c.redirect('/login?signedOut', 303), undefined)
  })

  return app
}

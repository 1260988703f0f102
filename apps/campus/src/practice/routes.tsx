/**
 * Graded practice over HTTP. Learners (signed in with the student role) submit answers as a
 * JSON API (`POST /api/practice/attempts`) or as the plain form of the practice pages
 * (`POST /practice/attempts`, same-origin: auth/csrf.ts), and read their attempts and progress
 * (`/api/practice/…`, `/me/progress`, `/me/attempts/:id`). Every answer is `no-store`: it is
 * one learner's data. Errors are problem+json under `/api/`, pages elsewhere.
 *
 * @module
 */
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { problemResponse } from 'satchel/http'
import { resolveOrgContext } from '../auth/middleware.js'
import { safeNext } from '../auth/schemas.js'
import type { CampusDeps } from '../deps.js'
import { NotFoundPage, ServerErrorPage } from '../web/pages/errors.js'
import { AttemptResultPage, MyProgressPage, PracticeRejectedPage } from '../web/pages/practice.js'
import { htmlResponse } from '../web/render.js'
import { getAttempt, listAttempts } from './attempts.js'
import { NO_STORE, PracticeError, practiceProblem } from './errors.js'
import { createPracticeIdempotency, identifyLearner, practiceIdempotency } from './idempotency.js'
import { formToSubmission } from './input.js'
import { getLearnerProgress } from './progress.js'
import type { Learner } from './record.js'
import { submitPractice } from './submit.js'
import { loadPageViewer } from './viewer.js'

type LearnerCheck = { ok: true; learner: Learner } | { ok: false; error: PracticeError }

/** The signed-in learner, or why there is none (401 signed out, 403 not a student). */
async function learnerOf(c: Context): Promise<LearnerCheck> {
  const ctx = await resolveOrgContext(c)
  if (!ctx) {
    return { ok: false, error: new PracticeError('E_UNAUTHENTICATED', 401, 'Sign in to practise.') }
  }
  if (ctx.principal.role !== 'student') {
    return {
      ok: false,
      error: new PracticeError(
        'E_FORBIDDEN',
        403,
        `Practice is graded for students; this session acts as ${ctx.principal.role}.`,
      ),
    }
  }
  return { ok: true, learner: { orgId: ctx.orgId, userId: ctx.principal.userId } }
}

async function page(
  c: Context,
  element: Parameters<typeof htmlResponse>[1],
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const response = await htmlResponse(c, element, status)
  response.headers.set('cache-control', 'no-store')
  return response
}

function loginRedirect(c: Context, next: string): Response {
  const response = c.redirect(`/login?next=${encodeURIComponent(next)}`, 303)
  response.headers.set('cache-control', 'no-store')
  return response
}

async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value
  return out
}

/** The practice API and pages (mounted before the content pages, whose patterns would match). */
export function practiceRoutes(deps: CampusDeps): Hono {
  const app = new Hono()
  const db = deps.database.db

  app.onError(async (err, c) => {
    deps.logger.error({ err, method: c.req.method, path: c.req.path }, 'practice request failed')
    if (c.req.path.startsWith('/api/')) {
      return problemResponse(
        {
          title: 'Internal Server Error',
          status: 500,
          detail: 'The answers could not be graded; nothing was stored.',
          code: 'E_INTERNAL',
        },
        NO_STORE,
      )
    }
    return page(c, <ServerErrorPage />, 500)
  })

  // ----- JSON API -----

  const idempotency = practiceIdempotency(createPracticeIdempotency(deps.satchel))
  app.post(
    '/api/practice/attempts',
    async (c, next) => {
      const who = await learnerOf(c)
      if (!who.ok) return practiceProblem(who.error)
      identifyLearner(c.req.raw, who.learner)
      await next()
    },
    idempotency,
    async (c) => {
      const who = await learnerOf(c)
      if (!who.ok) return practiceProblem(who.error)
      const type = c.req.header('content-type') ?? ''
      if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
        return practiceProblem(
          new PracticeError('E_MEDIA_TYPE', 415, 'Send the answers as application/json.'),
        )
      }
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        return practiceProblem(
          new PracticeError('E_VALIDATION', 400, 'Invalid input: (body)', [
            { field: '(body)', message: 'is not valid JSON' },
          ]),
        )
      }
      try {
        const result = await submitPractice(deps, who.learner, body)
        const detail = await getAttempt(db, who.learner, result.attempt.id)
        return c.json(
          { attempt: detail ?? result.attempt, replayed: result.replayed },
          result.replayed ? 200 : 201,
          result.replayed ? { ...NO_STORE, 'Idempotent-Replayed': 'true' } : NO_STORE,
        )
      } catch (error) {
        if (error instanceof PracticeError) return practiceProblem(error)
        throw error
      }
    },
  )

  app.get('/api/practice/attempts', async (c) => {
    const who = await learnerOf(c)
    if (!who.ok) return practiceProblem(who.error)
    const limit = Number(c.req.query('limit') ?? 50)
    const attempts = await listAttempts(db, who.learner, Number.isFinite(limit) ? limit : 50)
    return c.json({ attempts }, 200, NO_STORE)
  })

  app.get('/api/practice/attempts/:id', async (c) => {
    const who = await learnerOf(c)
    if (!who.ok) return practiceProblem(who.error)
    const attempt = await getAttempt(db, who.learner, c.req.param('id'))
    if (!attempt) {
      return practiceProblem(new PracticeError('E_NOT_FOUND', 404, 'No such attempt of yours.'))
    }
    return c.json({ attempt }, 200, NO_STORE)
  })

  app.get('/api/practice/progress', async (c) => {
    const who = await learnerOf(c)
    if (!who.ok) return practiceProblem(who.error)
    const progress = await getLearnerProgress(deps.content, who.learner.orgId, who.learner.userId)
    return c.json({ progress }, 200, NO_STORE)
  })

  // ----- pages -----

  app.post('/practice/attempts', async (c) => {
    const form = await formFields(c)
    const returnTo = safeNext(form.returnTo, '/me/progress')
    const who = await learnerOf(c)
    if (!who.ok && who.error.status === 401) return loginRedirect(c, returnTo)
    const viewer = await loadPageViewer(deps, c)
    if (!who.ok) {
      return page(
        c,
        <PracticeRejectedPage
          viewer={viewer}
          message={who.error.message}
          errors={[]}
          returnTo={returnTo}
        />,
        403,
      )
    }
    try {
      const result = await submitPractice(deps, who.learner, formToSubmission(form))
      const path = `/me/attempts/${result.attempt.id}${result.replayed ? '?again=1' : ''}`
      const response = c.redirect(path, 303)
      response.headers.set('cache-control', 'no-store')
      return response
    } catch (error) {
      if (!(error instanceof PracticeError)) throw error
      return page(
        c,
        <PracticeRejectedPage
          viewer={viewer}
          message={error.message}
          errors={error.errors}
          returnTo={returnTo}
        />,
        error.status as ContentfulStatusCode,
      )
    }
  })

  app.get('/me/progress', async (c) => {
    const who = await learnerOf(c)
    if (!who.ok && who.error.status === 401) return loginRedirect(c, '/me/progress')
    const viewer = await loadPageViewer(deps, c)
    if (!who.ok || viewer.kind !== 'learner') {
      const message = who.ok ? 'Practice is graded for students.' : who.error.message
      return page(
        c,
        <PracticeRejectedPage viewer={viewer} message={message} errors={[]} returnTo="/" />,
        403,
      )
    }
    const attempts = await listAttempts(db, who.learner, 100)
    return page(
      c,
      <MyProgressPage
        viewer={viewer}
        attempts={attempts}
        totalXp={viewer.progress.totalXp}
        totalAttempts={viewer.progress.attempts}
      />,
    )
  })

  app.get('/me/attempts/:id', async (c) => {
    const id = c.req.param('id')
    const who = await learnerOf(c)
    if (!who.ok && who.error.status === 401) return loginRedirect(c, `/me/attempts/${id}`)
    const viewer = await loadPageViewer(deps, c)
    const attempt = who.ok ? await getAttempt(db, who.learner, id) : null
    if (!attempt) return page(c, <NotFoundPage detail="No such attempt of yours." />, 404)
    return page(
      c,
      <AttemptResultPage
        attempt={attempt}
        viewer={viewer}
        replayed={c.req.query('again') !== undefined}
      />,
    )
  })

  return app
}

/**
 * `Idempotency-Key` on the submission API (satchel's IETF-draft semantics), for API clients that
 * retry: the same key and answers replay the first answer (`Idempotent-Replayed: true`), the
 * same key with other answers is 422, the same key still being graded is 409. Records are bound
 * to the learner and their organisation.
 *
 * It is an extra layer, not the guard: the attempt token's unique key in PostgreSQL is what
 * makes a double submit one attempt, with or without a header and with Redis down (the record
 * store then lets the request through and the database answers the replay).
 *
 * @module
 */
import type { MiddlewareHandler } from 'hono'
import type { Idempotency, Satchel } from 'satchel'
import { honoIdempotency, type IdempotencyIdentity } from 'satchel/http'
import type { Learner } from './record.js'

// The learner comes from the route's sign-in check, which ran on the same Request object.
const identities = new WeakMap<Request, IdempotencyIdentity>()

/** Remembers who sends `request`, for the middleware below. */
export function identifyLearner(request: Request, learner: Learner): void {
  identities.set(request, { orgId: learner.orgId, principal: learner.userId })
}

/** The idempotency store of practice submissions (records kept a day). */
export function createPracticeIdempotency(satchel: Satchel): Idempotency {
  return satchel.idempotency({ ttl: '24h', lease: '30s', onStoreDown: 'proceed' })
}

/**
 * Middleware for `POST /api/practice/attempts`; mount it after the learner check (which calls
 * {@link identifyLearner}) and before anything that reads the body. Without the header it
 * passes the request through.
 */
export function practiceIdempotency(idem: Idempotency): MiddlewareHandler {
  const guard = honoIdempotency(idem, {
    identify: (request) => identities.get(request) ?? { principal: 'anonymous' },
  })
  return (c, next) => guard(c, next)
}

/**
 * Attempt tokens: issued with every practice form (a hidden field) and sent back with its
 * answers. The token is the idempotency key of a submission: `practice_attempts` is unique on
 * (learner, token), so a double submit of one form is one attempt. The issue time rides along so
 * the attempt can record when the form was opened.
 *
 * Format: `<22 base64url random chars>.<issue time, ms since epoch, base 36>`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'

/** What the server reads from a token. */
export interface AttemptToken {
  /** The whole token, as stored. */
  value: string
  /** When the form was issued, as the token says (not signed: bounded by {@link startedAt}). */
  issuedAt: Date
}

/** Tokens the server issues (and the only ones it accepts). */
export const ATTEMPT_TOKEN = /^[A-Za-z0-9_-]{22}\.[0-9a-z]{1,11}$/

/** A fresh token for a form rendered now. */
export function issueAttemptToken(now = Date.now()): string {
  return `${randomBytes(16).toString('base64url')}.${now.toString(36)}`
}

/** The token's parts, or null when it is not one campus issued. */
export function readAttemptToken(value: string): AttemptToken | null {
  if (!ATTEMPT_TOKEN.test(value)) return null
  const ms = Number.parseInt(value.slice(value.indexOf('.') + 1), 36)
  if (!Number.isSafeInteger(ms)) return null
  return { value, issuedAt: new Date(ms) }
}

/** The longest an attempt is believed to have taken; an older issue time is clamped to it. */
export const MAX_ATTEMPT_MS = 24 * 60 * 60 * 1000

/**
 * The attempt's start: the token's issue time, clamped into [submitted − 24 h, submitted]. The
 * issue time is not signed (a learner could edit it), so it is only ever a bounded report of
 * how long the form was open, never used to grant anything.
 */
export function startedAt(token: AttemptToken, submittedAt: Date): Date {
  const submitted = submittedAt.getTime()
  const issued = token.issuedAt.getTime()
  return new Date(Math.min(submitted, Math.max(submitted - MAX_ATTEMPT_MS, issued)))
}

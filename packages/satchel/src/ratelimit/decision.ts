/**
 * One decision as the scripts return it (and as the in-process limiter computes it), times in
 * µs since the epoch; `limiter.ts` turns it into the public {@link LimitResult}.
 * @module
 */
import { RedisCommandError } from '../core/errors.js'
import type { LimitResult } from './types.js'

/** A raw decision; `retryUs` is -1 when the cost can never pass (cost > limit). */
export interface Decision {
  allowed: boolean
  remaining: number
  resetAtUs: number
  retryUs: number
  /** Wait until a cost-1 call could pass, when `remaining` is 0; else 0. */
  retry1Us: number
  nowUs: number
}

/**
 * Reads a script reply: `{1, remaining, resetAtUs, nowUs}` (admitted) or
 * `{0, remaining, resetAtUs, nowUs, retryUs, retry1Us}` (rejected).
 * @throws RedisCommandError when the reply has another shape (a foreign script under our SHA).
 */
export function decisionFromReply(operation: string, reply: unknown): Decision {
  if (Array.isArray(reply)) {
    const [allowed, remaining, resetAtUs, nowUs, retryUs = 0, retry1Us = 0] = reply as unknown[]
    const admitted = allowed === 1 && reply.length === 4
    if (
      (admitted || (allowed === 0 && reply.length === 6)) &&
      typeof remaining === 'number' &&
      typeof resetAtUs === 'number' &&
      typeof nowUs === 'number' &&
      typeof retryUs === 'number' &&
      typeof retry1Us === 'number'
    ) {
      return { allowed: admitted, remaining, resetAtUs, retryUs, retry1Us, nowUs }
    }
  }
  throw new RedisCommandError(operation, {
    cause: new Error(`unexpected script reply ${JSON.stringify(reply)}`),
  })
}

/** The public result of a decision. */
export function toResult(
  decision: Decision,
  limit: number,
  reason?: LimitResult['reason'],
): LimitResult {
  const retryAfterMs = decision.allowed
    ? 0
    : decision.retryUs < 0
      ? Number.POSITIVE_INFINITY
      : Math.ceil(decision.retryUs / 1000)
  const result: LimitResult = {
    success: decision.allowed,
    limit,
    remaining: decision.remaining,
    resetAt: Math.ceil(decision.resetAtUs / 1000),
    retryAfterMs,
    decidedAt: decision.nowUs / 1000,
  }
  return reason === undefined ? result : { ...result, reason }
}

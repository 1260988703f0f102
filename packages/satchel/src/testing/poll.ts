import { setTimeout as sleep } from 'node:timers/promises'
import { RedisServerError } from './errors.js'

const POLL_INTERVAL_MS = 50

/**
 * Calls `check` until it resolves `true`, treating a throw as "not yet": a server that does not
 * answer yet is part of settling, not a failure.
 *
 * @throws RedisServerError naming `what` at `deadline`, with the last error as its cause.
 */
export async function pollUntil(
  deadline: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<void> {
  let lastError: unknown
  for (;;) {
    try {
      if (await check()) return
      lastError = undefined
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      throw new RedisServerError(`Timed out waiting for ${what}`, { cause: lastError })
    }
    await sleep(POLL_INTERVAL_MS)
  }
}

/** A bulk-string reply as text (ioredis's `call` may hand back a Buffer). */
export function asString(reply: unknown): string {
  if (typeof reply === 'string') return reply
  if (Buffer.isBuffer(reply)) return reply.toString('utf8')
  throw new RedisServerError(`Unexpected reply from a test server: ${String(reply)}`)
}

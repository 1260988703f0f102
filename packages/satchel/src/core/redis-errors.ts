import { ReplyError } from 'ioredis'

// ioredis types ReplyError as `any`; narrow it once here.
const ReplyErrorClass = ReplyError as new (message?: string) => Error

/** A Redis error reply: the server is up and answered. */
export function isReplyError(error: unknown): error is Error {
  return error instanceof ReplyErrorClass
}

/**
 * An authentication failure. By the Redis protocol an error reply starts with its upper-case
 * error code, so the first word is the stable thing to compare, not free text.
 */
export function isAuthError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = error.message.split(' ', 1)[0]
  return code === 'WRONGPASS' || code === 'NOAUTH'
}

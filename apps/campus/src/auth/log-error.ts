/**
 * Log fields for an error that may be a shared, frozen instance. satchel answers every call
 * made while its circuit is open with one frozen `RedisUnavailableError`, and pino's error
 * serializer tags the objects it visits, which throws on a frozen one: logging it as `err`
 * would turn a harmless degraded-mode warning into a failed request.
 *
 * @module
 */

/** `{ err: { type, code, message } }` copied out of `error`, safe to log. */
export function errorFields(error: unknown): {
  err: { type: string; code?: string; message: string }
} {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return {
      err: {
        type: error.name,
        ...(typeof code === 'string' ? { code } : {}),
        message: error.message,
      },
    }
  }
  return { err: { type: typeof error, message: String(error) } }
}

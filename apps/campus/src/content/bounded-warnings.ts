/**
 * A bound on content warnings. Each 404 on a plausible path logs a structured warning that
 * carries request-chosen text (slugs); a client walking made-up URLs would otherwise write as
 * many lines as it sends requests. At most `perMinute` warnings are written per minute and
 * process; the rest are counted and reported in one line when the next minute's first warning
 * is written. Debug, info and error lines pass untouched. See docs/SECURITY.md.
 *
 * @module
 */
import type { ContentLogger } from './context.js'

/** Warnings written per minute and process by `main.ts`. */
export const CONTENT_WARNINGS_PER_MINUTE = 100

const WINDOW_MS = 60_000

/** `logger` with at most `perMinute` warnings a minute. */
export function boundWarnings(
  logger: ContentLogger,
  perMinute: number,
  now: () => number = Date.now,
): ContentLogger {
  let windowStart = now()
  let written = 0
  let suppressed = 0
  return {
    debug: (fields, message) => logger.debug(fields, message),
    info: (fields, message) => logger.info(fields, message),
    error: (fields, message) => logger.error(fields, message),
    warn(fields, message) {
      const at = now()
      if (at - windowStart >= WINDOW_MS) {
        if (suppressed > 0) {
          logger.warn({ suppressed, windowMs: WINDOW_MS }, 'content warnings suppressed')
        }
        windowStart = at
        written = 0
        suppressed = 0
      }
      if (written >= perMinute) {
        suppressed++
        return
      }
      written++
      logger.warn(fields, message)
    },
  }
}

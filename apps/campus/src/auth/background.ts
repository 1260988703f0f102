/**
 * Work a request starts but does not wait for (mail of a magic-link request): the answer must
 * not depend on whether an account exists, in content or in time. Tracked so tests and a
 * graceful shutdown can wait for it, and failures are logged rather than lost.
 *
 * @module
 */
import type { CampusLogger } from '../logger.js'

/** A set of in-flight background tasks. */
export interface BackgroundTasks {
  /** Starts `task` without awaiting it; a rejection is logged with `what`. */
  run(what: string, task: () => Promise<unknown>): void
  /** Resolves when every task started so far has settled. */
  settled(): Promise<void>
}

/** Creates a task set that logs failures to `logger`. */
export function createBackgroundTasks(logger: CampusLogger): BackgroundTasks {
  const pending = new Set<Promise<unknown>>()
  return {
    run(what, task) {
      const p = Promise.resolve()
        .then(task)
        .catch((err: unknown) => logger.error({ err: err }, `${what} failed`))
        .finally(() => pending.delete(p))
      pending.add(p)
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending])
    },
  }
}

import { createHook } from 'node:async_hooks'

/**
 * Records every timer satchel's own code creates (`setTimeout`/`setInterval` called from a file
 * under `src/`) until `stop()`, and which of them are still pending.
 *
 * Counting `process.getActiveResourcesInfo()` would include the test runner's own short-lived
 * RPC timers, which come and go independently and make a baseline comparison flaky; creation
 * stacks attribute each timer to its owner.
 */
export function trackTimers(): { pending(): Promise<string[]>; stop(): void } {
  const live = new Map<number, string>()
  const hook = createHook({
    init(id, type) {
      if (type !== 'Timeout') return
      const limit = Error.stackTraceLimit
      Error.stackTraceLimit = 20
      const stack = new Error().stack ?? ''
      Error.stackTraceLimit = limit
      const frame = stack.split('\n').find((line) => /[\\/]satchel[\\/]src[\\/]/.test(line))
      if (frame) live.set(id, frame.trim())
    },
    destroy(id) {
      live.delete(id)
    },
  }).enable()
  return {
    async pending() {
      // The gateway's shared deadline timer stops one tick after the last command settles.
      await new Promise((r) => setTimeout(r, 25))
      return [...live.values()]
    },
    stop: () => hook.disable(),
  }
}

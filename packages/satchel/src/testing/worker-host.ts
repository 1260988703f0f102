/**
 * The worker side of `worker-processes.ts`: registers named commands and answers the parent's
 * calls.
 *
 * @example
 * ```ts
 * // test/workers/cache-worker.ts
 * const satchel = createSatchel({ redis: process.env.REDIS_URL })
 * serveCommands({ get: (args: { key: string }) => satchel.cache.get(args.key) })
 * ```
 *
 * @module
 */
type Handler = (args: never) => unknown

/** Answers the parent's `call`s with the given handlers; signals readiness once registered. */
export function serveCommands(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('serveCommands: not started by startWorkers (no IPC channel)')
  const send = process.send.bind(process)
  process.on(
    'message',
    async (message: { type: string; id: number; command: string; args: never }) => {
      if (message.type !== 'call') return
      const handler = handlers[message.command]
      try {
        if (!handler) throw new Error(`unknown worker command "${message.command}"`)
        const value = await handler(message.args)
        send({ type: 'reply', id: message.id, ok: true, value })
      } catch (error) {
        const e = error as { message?: string; code?: string; stack?: string }
        send({
          type: 'reply',
          id: message.id,
          ok: false,
          error: { message: String(e?.message ?? error), code: e?.code, stack: e?.stack },
        })
      }
    },
  )
  // The parent going away (test runner killed) must not leave this process running.
  process.on('disconnect', () => process.exit(0))
  send({ type: 'ready' })
}

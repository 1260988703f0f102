// One place for the satchel settings the cache handler and the route handlers share. The
// handler module is loaded by Next's server directly and the route handlers are bundled, so each
// side imports this file; sharedSatchel() keys the process-wide instance on these options.
export const satchelOptions = {
  redis: process.env.REDIS_URL,
  prefix: process.env.SATCHEL_PREFIX ?? 'next-app',
  // 250 ms: see `timeouts` in satchel/next's options (renders share the event loop).
  timeouts: { connectMs: 1000, commandMs: Number(process.env.SATCHEL_COMMAND_MS ?? 250) },
}

import type { Redis } from 'ioredis'

/**
 * Total commands the server has executed, from `INFO commandstats`, leaving out INFO itself
 * (the probe must not count as the work being measured).
 */
export async function commandCount(
  admin: Redis,
): Promise<{ total: number; byCommand: Record<string, number> }> {
  const info = await admin.info('commandstats')
  const byCommand: Record<string, number> = {}
  let total = 0
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const command = match[1] as string
    if (command === 'info') continue
    const calls = Number(match[2])
    byCommand[command] = calls
    total += calls
  }
  return { total, byCommand }
}

/** Commands executed between two {@link commandCount} snapshots. */
export function commandDelta(
  before: Awaited<ReturnType<typeof commandCount>>,
  after: Awaited<ReturnType<typeof commandCount>>,
): { total: number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {}
  for (const [command, calls] of Object.entries(after.byCommand)) {
    const delta = calls - (before.byCommand[command] ?? 0)
    if (delta > 0) byCommand[command] = delta
  }
  return { total: after.total - before.total, byCommand }
}

/**
 * Waits until the server has executed no command for one polling interval (background work such
 * as batched bus publishes has drained), then returns the count. Gives up after `maxMs`.
 */
export async function quietCommandCount(
  admin: Redis,
  intervalMs = 100,
  maxMs = 5000,
): Promise<Awaited<ReturnType<typeof commandCount>>> {
  const deadline = performance.now() + maxMs
  let previous = await commandCount(admin)
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
    const current = await commandCount(admin)
    if (current.total === previous.total || performance.now() > deadline) return current
    previous = current
  }
}

import type { Contender } from './cache-contenders.js'

/** Fires `requests` concurrent getOrSet calls for one cold key; returns how often the factory ran. */
export async function stampedeWith(
  cache: Contender,
  keyParts: (string | number)[],
  requests: number,
  factoryMs: number,
): Promise<{ calls: number; errors: number; diagnostics?: Record<string, number> }> {
  const before = cache.diagnostics?.()
  let calls = 0
  const factory = async (): Promise<{ value: number }> => {
    calls++
    await new Promise((resolve) => setTimeout(resolve, factoryMs))
    return { value: 42 }
  }
  const key = cache.key(...keyParts)
  const settled = await Promise.allSettled(
    Array.from({ length: requests }, () => cache.getOrSet(key, factory)),
  )
  const errors = settled.filter((s) => s.status === 'rejected').length
  const after = cache.diagnostics?.()
  if (!before || !after) return { calls, errors }
  const diagnostics = Object.fromEntries(
    Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]),
  )
  return { calls, errors, diagnostics }
}

import type { Logger } from '../src/core/logger.js'

/** A logger that keeps what it is given, so tests can count lines. */
export function memoryLogger(): Logger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = []
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 5,
): Promise<number> {
  const start = performance.now()
  for (;;) {
    if (await predicate()) return performance.now() - start
    if (performance.now() - start > timeoutMs) {
      throw new Error(`condition not met within ${timeoutMs} ms`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** Milliseconds a promise takes to settle, and how it settled. */
export async function timed<T>(
  promise: Promise<T>,
): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now()
  try {
    const value = await promise
    return { ms: performance.now() - start, value }
  } catch (error) {
    return { ms: performance.now() - start, error }
  }
}

/**
 * Reconnect delay with exponential growth, full jitter and a cap: `random(0, min(cap, base·2^n))`.
 *
 * Full jitter (rather than equal or no jitter) spreads a fleet's reconnects after a Redis restart,
 * so a hundred processes do not knock on the door in the same millisecond.
 *
 * @example
 * ```ts
 * const delay = fullJitterBackoff({ baseMs: 50, capMs: 2000 })
 * delay(1) // somewhere in [0, 100)
 * ```
 */
export function fullJitterBackoff(options: {
  baseMs: number
  capMs: number
  random?: () => number
}): (attempt: number) => number {
  const { baseMs, capMs, random = Math.random } = options
  return (attempt: number) => {
    // 2^attempt overflows to Infinity for large attempts; Math.min keeps it at the cap.
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt))
    return Math.floor(random() * ceiling)
  }
}

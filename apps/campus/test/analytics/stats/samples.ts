/**
 * Deterministic samples for the statistics tests: mulberry32 (a small, well-known 32-bit PRNG)
 * and Box–Muller normals, so a reference computed elsewhere from the same generator applies.
 */

/** mulberry32: the next uniform in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** n standard normals by Box–Muller (pairs: r·cos, r·sin) from mulberry32(seed). */
export function normals(n: number, seed: number): number[] {
  const next = mulberry32(seed)
  const out: number[] = []
  while (out.length < n) {
    const u1 = next()
    const u2 = next()
    const r = Math.sqrt(-2 * Math.log(1 - u1))
    out.push(r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2))
  }
  return out.slice(0, n)
}

/** Sum of an array. */
export function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0)
}

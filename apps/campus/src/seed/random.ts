/**
 * A seeded pseudo-random generator for the data generator: the same seed yields the same
 * sequence on every machine, so `campus seed --seed N` writes the same rows everywhere.
 *
 * Hand-written mulberry32 rather than `pure-rand`: `pure-rand` is only installed as a
 * transitive dependency of fast-check (a devDependency), its root entry is not importable
 * (`import('pure-rand')` fails: only subpaths are exported), and `campus seed` must run in a
 * production install. Thirty-two bits of state are plenty for generating fixtures.
 *
 * @module
 */

/** Seeded helpers over one mulberry32 stream. Every call advances the stream. */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T
  /** A shuffled copy (Fisher–Yates); the input is left alone. */
  shuffle<T>(items: readonly T[]): T[]
  /** True with probability `p`. */
  chance(p: number): boolean
}

/** Thrown when a helper is called with arguments it cannot honour. */
export class RandomError extends Error {
  readonly code = 'E_CAMPUS_RANDOM'
}

/**
 * Creates a generator from a 32-bit seed (other numbers are truncated to 32 bits).
 *
 * @example
 * const random = createRandom(42)
 * random.int(1, 6) // the same die roll on every run
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RandomError(`int(${min}, ${max}): bounds must be integers with min <= max`)
    }
    return min + Math.floor(next() * (max - min + 1))
  }
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RandomError('pick() needs a non-empty array')
      return items[int(0, items.length - 1)] as T
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = items.slice()
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i)
        const a = copy[i] as T
        copy[i] = copy[j] as T
        copy[j] = a
      }
      return copy
    },
    chance: (p) => next() < p,
  }
}

/**
 * The Shapiro–Wilk W test of normality, hand-written because neither simple-statistics nor jStat
 * has it. Algorithm: P. Royston (1995), "Remark AS R94: A remark on Algorithm AS 181: The
 * W-test for normality", Applied Statistics 44(4), 547–551 — the coefficients from his
 * polynomial approximations, the exact p for n = 3, and for n ≥ 4 a normalizing transformation
 * of 1 − W (log-normal-of-gamma−log form for n ≤ 11, log-normal for n ≥ 12). Valid for
 * 3 ≤ n ≤ 5000; uncensored samples only.
 *
 * @module
 */
import { normalCdf, normalQuantile } from './distributions.js'
import { assertFinite, StatsError, sortedCopy } from './errors.js'

/** Result of {@link shapiroWilk}. */
export interface ShapiroWilk {
  w: number
  p: number
  n: number
}

// Royston's polynomial coefficients (lowest order first).
const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056] // a_n in 1/√n
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633] // a_(n−1) in 1/√n
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4] // mean, 4 ≤ n ≤ 11, in n
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322] // log sd, 4 ≤ n ≤ 11, in n
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915] // mean, n ≥ 12, in ln n
const C6 = [-0.4803, -0.082676, 0.0030302] // log sd, n ≥ 12, in ln n
const G = [-2.273, 0.459] // γ, 4 ≤ n ≤ 11, in n

function poly(c: readonly number[], x: number): number {
  let r = 0
  for (let i = c.length - 1; i >= 0; i--) r = r * x + c[i]!
  return r
}

/** Half of the antisymmetric coefficient vector a (a[i] pairs x_(n−i) with x_(i+1)), Σ a² = ½. */
export function swCoefficients(n: number): number[] {
  const half = Math.floor(n / 2)
  if (n === 3) return [Math.SQRT1_2]
  // m_i: expected normal order statistics approximated by Blom's Φ⁻¹((i − 3/8)/(n + 1/4)).
  const m: number[] = []
  let summ2 = 0
  for (let i = 1; i <= half; i++) {
    const mi = normalQuantile((i - 0.375) / (n + 0.25))
    m.push(mi)
    summ2 += mi * mi
  }
  summ2 *= 2
  const ssumm2 = Math.sqrt(summ2)
  const rsn = 1 / Math.sqrt(n)
  const a = new Array<number>(half)
  const a1 = poly(C1, rsn) - m[0]! / ssumm2
  a[0] = a1
  let first: number
  let fac: number
  if (n > 5) {
    const a2 = poly(C2, rsn) - m[1]! / ssumm2
    a[1] = a2
    first = 2
    fac = Math.sqrt((summ2 - 2 * m[0]! ** 2 - 2 * m[1]! ** 2) / (1 - 2 * a1 ** 2 - 2 * a2 ** 2))
  } else {
    first = 1
    fac = Math.sqrt((summ2 - 2 * m[0]! ** 2) / (1 - 2 * a1 ** 2))
  }
  for (let i = first; i < half; i++) a[i] = -m[i]! / fac
  return a
}

/** The p-value of W for a sample of n (Royston's approximations; exact for n = 3). */
export function swPValue(w: number, n: number): number {
  if (n === 3) {
    // Exact: p = (6/π)(asin √W − asin √(3/4)), W ∈ [3/4, 1].
    return Math.min(1, Math.max(0, (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3)))
  }
  let y = Math.log(1 - w)
  let mu: number
  let sigma: number
  if (n <= 11) {
    const gamma = poly(G, n)
    // Past the transformation's support: W this small has a vanishing p.
    if (y >= gamma) return 1e-99
    y = -Math.log(gamma - y)
    mu = poly(C3, n)
    sigma = Math.exp(poly(C4, n))
  } else {
    const ln = Math.log(n)
    mu = poly(C5, ln)
    sigma = Math.exp(poly(C6, ln))
  }
  // Upper tail: large (transformed) 1 − W means non-normal.
  return 1 - normalCdf(y, mu, sigma)
}

/**
 * Shapiro–Wilk W and p (Royston 1995, AS R94). Throws `E_STATS_RANGE` when n < 3, n > 5000 or all
 * values are equal; `E_STATS_INPUT` on a non-finite value.
 * @example shapiroWilk([48.4, 49, 59.5, 59.6, 60.7, 88.8, 98.2, 109.4, 169.1, 227.1]) // w ≈ 0.8078, p ≈ 0.018
 */
export function shapiroWilk(values: readonly number[]): ShapiroWilk {
  assertFinite(values)
  const n = values.length
  if (n < 3) throw new StatsError('E_STATS_RANGE', `Shapiro–Wilk needs n ≥ 3 (n = ${n})`)
  if (n > 5000)
    throw new StatsError('E_STATS_RANGE', `Shapiro–Wilk is valid up to n = 5000 (n = ${n})`)
  const x = sortedCopy(values)
  const range = x[n - 1]! - x[0]!
  if (range === 0) throw new StatsError('E_STATS_RANGE', 'Shapiro–Wilk: all values are equal')
  const a = swCoefficients(n)
  // Work on (x − x̄)/range: the ratio is scale-free and this keeps the sums well conditioned.
  let sum = 0
  for (const v of x) sum += v
  const centre = sum / n
  let ss = 0
  for (const v of x) ss += ((v - centre) / range) ** 2
  let b = 0
  for (let i = 0; i < a.length; i++) b += a[i]! * ((x[n - 1 - i]! - x[i]!) / range)
  // W = (Σ aᵢ x₍ᵢ₎)² / Σ(x − x̄)², with the full a (Σ a² = 1) folded onto its antisymmetric half.
  const w = Math.min(1, (b * b) / ss)
  return { w, p: swPValue(w, n), n }
}

/** Percentiles read off a {@link LatencyHistogram}, in milliseconds. */
export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
  mean: number
}

// 8 sub-buckets per power of two: upper bounds within 9% of the true value, which is plenty for
// operational percentiles, over 1 µs .. ~1 h in 8·32 = 256 counters.
const SUB_BUCKETS = 8
const OCTAVES = 32
const BUCKETS = SUB_BUCKETS * OCTAVES

/**
 * A fixed-memory log-linear latency histogram.
 *
 * Hand-written because it sits on every Redis round trip: `record` is one `Math.log2` and one
 * array increment, with no allocation and no label lookup (prom-client's Histogram does both and
 * needs buckets chosen up front; hdr-histogram-js brings a WebAssembly build for the same job).
 */
export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKETS)
  #count = 0
  #sum = 0
  #max = 0

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    const us = ms * 1000
    const index = us <= 1 ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log2(us) * SUB_BUCKETS))
    this.#counts[index]! += 1
    this.#count++
    this.#sum += ms
    if (ms > this.#max) this.#max = ms
  }

  /** Upper bound (ms) of the bucket holding quantile `q` (0..1). */
  quantile(q: number): number {
    if (this.#count === 0) return 0
    const target = Math.max(1, Math.ceil(q * this.#count))
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!
      if (seen >= target) return Math.min(this.#max, 2 ** ((i + 1) / SUB_BUCKETS) / 1000)
    }
    return this.#max
  }

  summary(): LatencySummary {
    return {
      count: this.#count,
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      max: round(this.#max),
      mean: this.#count === 0 ? 0 : round(this.#sum / this.#count),
    }
  }

  get count(): number {
    return this.#count
  }

  get sum(): number {
    return this.#sum
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

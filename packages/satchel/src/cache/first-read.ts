/**
 * How a `getOrSet` under the distributed lock reads Redis first, chosen from the recent share of
 * misses among such reads.
 *
 * - **`get`**: a plain `GET` (coalesced per turn). The cheapest hit; a miss then needs
 *   `READ_OR_LOCK` and the compare-and-set write: three round trips.
 * - **`read-or-lock`**: the `READ_OR_LOCK` script straight away, which reads and, when the key
 *   is absent, takes the stampede lock in the same round trip. A miss is then two round trips
 *   (the peers' count, with cross-process single flight kept), but every hit pays a script call:
 *   10–12 µs more than a `GET` on loopback (`docs/PERFORMANCE.md`).
 *
 * With a round trip of about 80 µs, reading with the script wins once more than about one read
 * in nine misses. The policy switches to it above a quarter of misses and back below an eighth:
 * the gap keeps a workload near the line from flipping every few calls. The share is a moving
 * average over roughly the last 32 reads, so a cold start (every read a miss) switches after
 * about ten misses and a warm cache switches back after some seventy hits.
 *
 * @module
 */

import type { CacheFirstReadStats } from './types.js'

/** Weight of the newest read in the moving average (about the last 32 reads count). */
const WEIGHT = 1 / 32
/** Above this share of misses, read with the script. */
const ENTER = 0.25
/** Below this share, back to `GET`. */
const LEAVE = 0.125

/** The first-read policy of one cache (shared by its namespaces). */
export class FirstRead {
  #missShare = 0
  #lockFirst = false

  /** Whether the next eligible read should be `READ_OR_LOCK`. */
  get lockFirst(): boolean {
    return this.#lockFirst
  }

  /** The current mode and the share of misses it was chosen from, for `stats()`. */
  stats(): CacheFirstReadStats {
    return { mode: this.#lockFirst ? 'read-or-lock' : 'get', missShare: this.#missShare }
  }

  /** Records what one eligible first read found (a read Redis could not answer is not one). */
  record(missed: boolean): void {
    const share = this.#missShare + ((missed ? 1 : 0) - this.#missShare) * WEIGHT
    this.#missShare = share
    if (this.#lockFirst ? share < LEAVE : share > ENTER) this.#lockFirst = !this.#lockFirst
  }
}

/**
 * Calls issued in one turn of the event loop, sent to Redis together (DataLoader-style). Under
 * concurrency the socket write per command, not Redis, is what limits throughput; a lone call
 * waits only for the current microtask queue to drain.
 *
 * @module
 */

interface Pending<A, R> {
  args: A[]
  resolves: ((reply: R) => void)[]
  rejects: ((error: unknown) => void)[]
}

/**
 * Most calls one batch carries; a fuller batch is sent and a new one started. Smaller batches
 * overlap: Redis runs the first one (a script over 32 keys takes it ~100 µs) while this process
 * still encodes the next, and its reply is being handled while Redis runs the next. One batch of
 * 64 made the two wait on each other: 64 concurrent misses went from ~25,000 to ~33,000 ops/s
 * when the cap went from 256 to 32 (`docs/PERFORMANCE.md`); L2 hits (MGET) did not change.
 */
const MAX_BATCH = 32

/** Collects calls until the next tick, then sends them with one `send`. */
export class TurnBatcher<A, R> {
  #pending: Pending<A, R> | undefined

  /**
   * @param send - answers every argument of a batch, in order; a rejection fails them all.
   * @param sendOne - answers a batch of one (a serial caller's every call) straight through the
   *   caller's callbacks, without the array round trip through `send`; optional. It runs inside
   *   the batch's `nextTick`, so it may answer synchronously.
   */
  constructor(
    readonly send: (args: A[]) => Promise<R[]>,
    readonly sendOne?: (
      arg: A,
      onReply: (reply: R) => void,
      onError: (error: unknown) => void,
    ) => void,
  ) {}

  add(arg: A): Promise<R> {
    return new Promise<R>((resolve, reject) => this.push(arg, resolve, reject))
  }

  /**
   * Like {@link add}, answering through callbacks instead of a promise: a caller that settles a
   * promise of its own from the reply saves one promise and one microtask hop per call.
   * `onError` gets the batch's rejection; `onReply` must not throw (the batch's later callers
   * would not be answered).
   */
  push(arg: A, onReply: (reply: R) => void, onError: (error: unknown) => void): void {
    let batch = this.#pending
    if (batch === undefined || batch.args.length >= MAX_BATCH) {
      batch = { args: [], resolves: [], rejects: [] }
      this.#pending = batch
      process.nextTick(flushBatch, this, batch)
    }
    batch.args.push(arg)
    batch.resolves.push(onReply)
    batch.rejects.push(onError)
  }

  /** Sends one batch. Internal to {@link flushBatch}. */
  flush(batch: Pending<A, R>): void {
    if (this.#pending === batch) this.#pending = undefined
    const { resolves, rejects } = batch
    if (resolves.length === 1 && this.sendOne !== undefined) {
      // The caller's own callbacks settle it: no closure and no array for a lone call.
      this.sendOne(batch.args[0] as A, resolves[0]!, rejects[0]!)
      return
    }
    this.send(batch.args).then(
      (replies) => {
        for (let i = 0; i < resolves.length; i++) (resolves[i] as (r: R) => void)(replies[i] as R)
      },
      (error: unknown) => {
        for (const reject of rejects) reject(error)
      },
    )
  }
}

/** `process.nextTick` callback (a plain function: no closure per batch). */
function flushBatch<A, R>(batcher: TurnBatcher<A, R>, batch: Pending<A, R>): void {
  batcher.flush(batch)
}

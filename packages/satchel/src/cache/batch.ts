/**
 * Calls issued in one turn of the event loop, sent to Redis together (DataLoader-style). Under
 * concurrency the socket write per command, not Redis, is what limits throughput; a lone call
 * waits only for the current microtask queue to drain.
 *
 * @module
 */

interface Pending<A, R> {
  args: A[]
  settle: ((reply: R | Error) => void)[]
}

/** Most calls one batch carries; a fuller batch is sent and a new one started. */
const MAX_BATCH = 256

/** Collects calls until the next tick, then sends them with one `send`. */
export class TurnBatcher<A, R> {
  #pending: Pending<A, R> | undefined

  /** @param send - answers every argument of a batch, in order; a rejection fails them all. */
  constructor(readonly send: (args: A[]) => Promise<R[]>) {}

  add(arg: A): Promise<R> {
    let batch = this.#pending
    if (batch === undefined || batch.args.length >= MAX_BATCH) {
      batch = { args: [], settle: [] }
      this.#pending = batch
      process.nextTick(flushBatch, this, batch)
    }
    batch.args.push(arg)
    return new Promise<R>((resolve, reject) => {
      batch.settle.push((reply) => (reply instanceof Error ? reject(reply) : resolve(reply)))
    })
  }

  /** Sends one batch. Internal to {@link flushBatch}. */
  flush(batch: Pending<A, R>): void {
    if (this.#pending === batch) this.#pending = undefined
    const { settle } = batch
    this.send(batch.args).then(
      (replies) => {
        for (let i = 0; i < settle.length; i++) (settle[i] as (r: R) => void)(replies[i] as R)
      },
      (error: Error) => {
        for (const s of settle) s(error)
      },
    )
  }
}

/** `process.nextTick` callback (a plain function: no closure per batch). */
function flushBatch<A, R>(batcher: TurnBatcher<A, R>, batch: Pending<A, R>): void {
  batcher.flush(batch)
}

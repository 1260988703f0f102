/**
 * Passing a handler's response body through to the client while keeping a bounded copy for the
 * idempotency record.
 *
 * A body that is already in memory (`Response.json(...)`, a string, bytes) and fits in
 * `maxBytes` is read whole before the response is returned, so its record is complete before the
 * client sees anything, as a plain buffered store would be. Anything else streams: the body is
 * never read ahead of the client by more than one queue's worth (`maxBytes`, at least 16 KiB), so
 * an endless `text/event-stream` flows as it is produced and a 10 MB export is not held in
 * memory; at most `maxBytes` are kept for the record.
 *
 * @module
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises'

/** How a streamed body ended, for the record. */
export type StreamOutcome =
  /** Read to its end; `body` is every byte when `kept` is true, else it passed `maxBytes`. */
  | { readonly kind: 'done'; readonly kept: true; readonly body: Uint8Array }
  | { readonly kind: 'done'; readonly kept: false; readonly bytes: number }
  /** The consumer cancelled (the client went away) before the end. */
  | { readonly kind: 'cancelled' }
  /** The handler's own stream failed. */
  | { readonly kind: 'errored'; readonly error: unknown }

type Read = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>

/** What {@link prefetchBody} found. */
export type Prefetched =
  /** The whole body, within `maxBytes`, read without waiting on the producer. */
  | { readonly whole: true; readonly body: Uint8Array }
  /** A body that is still being produced or is over `maxBytes`: stream it with {@link teeForRecord}. */
  | { readonly whole: false; readonly stream: PartialBody }

/** A body read up to a point: the chunks so far and, maybe, a read still waiting on the producer. */
export interface PartialBody {
  readonly reader: ReadableStreamDefaultReader<Uint8Array>
  readonly head: Uint8Array[]
  readonly total: number
  readonly pending: Promise<Read> | undefined
}

/**
 * Reads `source` as long as its chunks are already there: each read must settle before the next
 * macrotask (an in-memory body does; a producer waiting on a timer, a socket or a database does
 * not). Stops at the end, at `maxBytes`, or at the first chunk that is not ready yet.
 * @example const p = await prefetchBody(response.body, 1 << 20); if (p.whole) store(p.body)
 */
export async function prefetchBody(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Prefetched> {
  const reader = source.getReader()
  const head: Uint8Array[] = []
  let total = 0
  for (;;) {
    const read = reader.read()
    const ready = await Promise.race([read, nextMacrotask(undefined, { ref: false })])
    if (ready === undefined) {
      // Awaited later by the stream; until then a failure must not count as unhandled.
      read.catch(() => {})
      return { whole: false, stream: { reader, head, total, pending: read } }
    }
    if (ready.done) return { whole: true, body: concat(head, total) }
    // Copies: the producer may reuse its buffer once the chunk is consumed.
    head.push(ready.value.slice())
    total += ready.value.byteLength
    if (total > maxBytes)
      return { whole: false, stream: { reader, head, total, pending: undefined } }
  }
}

/**
 * Streams a {@link PartialBody} on: the returned stream yields the prefetched chunks, then the
 * rest; `settle` is called once with how it ended, and the returned stream closes only after
 * `settle`'s promise resolves, so a client that read the whole response and retries finds the
 * record completed.
 *
 * @example
 * ```ts
 * const body = teeForRecord(partial, 1 << 20, async (outcome) => { await record.complete(...) })
 * return new Response(body, response)
 * ```
 */
export function teeForRecord(
  partial: PartialBody,
  maxBytes: number,
  settle: (outcome: StreamOutcome) => Promise<void>,
): ReadableStream<Uint8Array> {
  const { reader } = partial
  let kept: Uint8Array[] = partial.total <= maxBytes ? [...partial.head] : []
  const queued = [...partial.head]
  let pending = partial.pending
  let total = partial.total
  let settled = false
  let cancelled = false
  const finish = (outcome: StreamOutcome): Promise<void> => {
    if (settled) return Promise.resolve()
    settled = true
    kept = []
    return settle(outcome).catch(() => {})
  }
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const first = queued.shift()
        if (first) {
          controller.enqueue(first)
          return
        }
        let chunk: Read
        try {
          chunk = await (pending ?? reader.read())
          pending = undefined
        } catch (error) {
          await finish({ kind: 'errored', error })
          if (!cancelled) controller.error(error)
          return
        }
        // A read that ends because the consumer cancelled: cancel() has settled already.
        if (cancelled) return
        if (chunk.done) {
          await finish(
            total <= maxBytes
              ? { kind: 'done', kept: true, body: concat(kept, total) }
              : { kind: 'done', kept: false, bytes: total },
          )
          controller.close()
          return
        }
        const bytes = chunk.value
        total += bytes.byteLength
        if (total <= maxBytes) kept.push(bytes.slice())
        else kept = []
        controller.enqueue(bytes)
      },
      async cancel(reason) {
        cancelled = true
        await finish({ kind: 'cancelled' })
        await reader.cancel(reason)
      },
    },
    // Read ahead of the client by at most the record's size (at least 16 KiB): chunks flow on as
    // they are produced, and nothing larger than that is ever queued.
    new ByteLengthQueuingStrategy({ highWaterMark: Math.max(maxBytes, 16 * 1024) }),
  )
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

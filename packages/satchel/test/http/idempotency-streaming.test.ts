import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { idempotency, NOT_REPLAYABLE_TYPE } from '../../src/http/idempotency.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

const MiB = 1024 * 1024
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Rejects when `promise` has not settled within a generous sanity bound. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms)
  })
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer))
}

function post(key: string): Request {
  return new Request('http://campus.test/api/exports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: '{"format":"csv"}',
  })
}

describe('idempotency middleware streams the response (real server)', () => {
  let server: RedisServer
  let admin: Redis
  let satchel: Satchel
  let n = 0

  beforeAll(async () => {
    server = await startRedis()
    admin = new Redis(server.url)
  })
  afterAll(async () => {
    admin.disconnect()
    await server.stop()
  })
  afterEach(async () => {
    await satchel?.close({ deadlineMs: 100 })
  })

  async function setup(maxBodyBytes = MiB) {
    satchel = createSatchel({
      redis: server.url,
      prefix: `st${++n}`,
      timeouts: { commandMs: 2000 },
    })
    await satchel.connect()
    const idem = satchel.idempotency({ maxBodyBytes })
    return idempotency(idem, { identify: () => ({ orgId: 'org-1', principal: 'u-1' }) })
  }

  async function recordBody(): Promise<Buffer | null> {
    const [cursor, keys] = await admin.scan('0', 'MATCH', `st${n}:idem:*`, 'COUNT', 1000)
    expect(cursor).toBe('0')
    expect(keys).toHaveLength(1)
    return admin.hgetBuffer(keys[0]!, 'body')
  }

  it('an endless text/event-stream flows event by event; a duplicate meanwhile gets 409', async () => {
    const guard = await setup()
    let calls = 0
    let push: ((event: string) => void) | undefined
    const handler = async () => {
      calls++
      const events = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (event) => controller.enqueue(encoder.encode(`data: ${event}\n\n`))
        },
      })
      return new Response(events, { headers: { 'content-type': 'text/event-stream' } })
    }
    // The stream never ends: buffering it would never return a response.
    const response = await within(guard(post('k-sse'), handler), 'the streaming response')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const reader = response.body!.getReader()
    for (const event of ['one', 'two', 'three']) {
      push!(event)
      const { value } = await within(reader.read(), `event ${event}`)
      expect(decoder.decode(value)).toBe(`data: ${event}\n\n`)
    }
    // Still streaming: the record is pending.
    expect((await guard(post('k-sse'), handler)).status).toBe(409)
    // The client goes away: the operation ran, but its response cannot be replayed.
    await reader.cancel()
    const duplicate = await guard(post('k-sse'), handler)
    expect(duplicate.status).toBe(410)
    expect(await duplicate.json()).toMatchObject({
      type: NOT_REPLAYABLE_TYPE,
      status: 410,
      'original-status': 200,
      reason: 'incomplete',
    })
    expect(calls).toBe(1)
  })

  it('a 10 MB export is not buffered: the response returns after about maxBodyBytes, the record says too large', async () => {
    const guard = await setup(MiB)
    const CHUNK = 64 * 1024
    const TOTAL = 10 * MiB
    let produced = 0
    let calls = 0
    const handler = async () => {
      calls++
      const rows = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (produced >= TOTAL) return controller.close()
            controller.enqueue(new Uint8Array(CHUNK).fill((produced / CHUNK) % 251))
            produced += CHUNK
          },
        },
        { highWaterMark: 0 },
      )
      return new Response(rows, {
        status: 201,
        headers: { 'content-type': 'text/csv', location: '/api/exports/7' },
      })
    }
    const response = await within(guard(post('k-export'), handler), 'the export response')
    // Read ahead by at most the record's size plus one queue of the same size: far from 10 MB.
    expect(produced).toBeLessThanOrEqual(2 * MiB + 2 * CHUNK)
    expect(response.status).toBe(201)
    const reader = response.body!.getReader()
    let received = 0
    let chunkIndex = 0
    let carry = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      // Every byte arrives in order: chunk i is filled with i % 251.
      for (let offset = 0; offset < value.byteLength; ) {
        const take = Math.min(CHUNK - carry, value.byteLength - offset)
        expect(value[offset]).toBe(chunkIndex % 251)
        expect(value[offset + take - 1]).toBe(chunkIndex % 251)
        offset += take
        carry += take
        if (carry === CHUNK) {
          carry = 0
          chunkIndex++
        }
      }
      received += value.byteLength
    }
    expect(received).toBe(TOTAL)
    // The record holds no body, and a duplicate is told so instead of running the export again.
    expect((await recordBody())?.byteLength).toBe(0)
    const duplicate = await guard(post('k-export'), handler)
    expect(duplicate.status).toBe(410)
    expect(duplicate.headers.get('location')).toBe('/api/exports/7')
    expect(duplicate.headers.get('idempotent-replayed')).toBe('true')
    expect(await duplicate.json()).toMatchObject({ 'original-status': 201, reason: 'too-large' })
    expect(calls).toBe(1)
  })

  it('a streamed body within maxBodyBytes is recorded whole and replayed byte for byte', async () => {
    const guard = await setup(64 * 1024)
    let calls = 0
    let push: ((chunk: string | null) => void) | undefined
    const handler = async () => {
      calls++
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (chunk) =>
            chunk === null ? controller.close() : controller.enqueue(encoder.encode(chunk))
        },
      })
      return new Response(body, { status: 201, headers: { 'content-type': 'text/plain' } })
    }
    const response = await within(guard(post('k-small'), handler), 'the response')
    const reading = response.text()
    push!('first part, ')
    push!('second part')
    push!(null)
    expect(await reading).toBe('first part, second part')
    // Read to its end: the record was completed before the stream closed.
    const replay = await guard(post('k-small'), handler)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await replay.text()).toBe('first part, second part')
    expect(calls).toBe(1)
  })

  it('a handler stream that fails mid-way removes the record, as a throw does: the retry runs', async () => {
    const guard = await setup()
    let calls = 0
    let source: ReadableStreamDefaultController<Uint8Array> | undefined
    const handler = async () => {
      calls++
      if (calls > 1) return new Response('complete', { status: 200 })
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          source = controller
        },
      })
      return new Response(body, { status: 200 })
    }
    const first = await within(guard(post('k-fail'), handler), 'the response')
    const reader = first.body!.getReader()
    source!.enqueue(encoder.encode('partial'))
    expect(decoder.decode((await reader.read()).value)).toBe('partial')
    source!.error(new Error('database cursor lost'))
    await expect(reader.read()).rejects.toThrow('database cursor lost')
    const retry = await guard(post('k-fail'), handler)
    expect(await retry.text()).toBe('complete')
    expect(calls).toBe(2)
  })
})

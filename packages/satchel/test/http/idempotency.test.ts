import { Hono } from 'hono'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import {
  honoIdempotency,
  type IdempotencyMiddlewareOptions,
  idempotency,
} from '../../src/http/idempotency.js'
import type { IdempotencyOptions } from '../../src/idempotency/index.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { LOADED_MACHINE_SLACK_MS, sleep, useRedis, waitFor } from '../helpers.js'

// Fault tests use the contract's 50 ms; functional tests a generous bound, so a loaded CI
// machine does not turn a slow answer into a (correct, but here unwanted) best-effort bypass.
const COMMAND_MS = 50
const RELAXED_COMMAND_MS = 2000
// Binary body: every byte value, so any text decoding on the way would show.
const BINARY = new Uint8Array(1024).map((_, i) => (i * 131 + 7) % 256)

const identify: IdempotencyMiddlewareOptions['identify'] = (request) => ({
  orgId: request.headers.get('x-org') ?? 'org-1',
  principal: request.headers.get('x-user') ?? 'user-1',
})

function post(
  key: string | undefined,
  body: string | null = '{"title":"Report","grade":5}',
  headers: Record<string, string> = {},
  path = '/api/reports',
): Request {
  return new Request(`http://campus.test${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
      ...headers,
    },
    body,
  })
}

async function expectProblem(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const problem = (await response.json()) as { status: number; title: string }
  expect(problem.status).toBe(status)
  expect(problem.title.length).toBeGreaterThan(0)
}

describe('idempotency middleware (Fetch API) against a real server', () => {
  const server = useRedis({ heal: true })
  let satchel: Satchel
  let prefixCounter = 0
  afterEach(async () => {
    await satchel?.close({ deadlineMs: 100 })
  })

  async function setup(
    options: IdempotencyOptions = {},
    middleware: Partial<IdempotencyMiddlewareOptions> = {},
    flags?: string,
    commandMs = RELAXED_COMMAND_MS,
  ) {
    satchel = createSatchel({
      redis: server.url,
      prefix: `h${++prefixCounter}`,
      timeouts: { commandMs, connectMs: 500 },
      breaker: { failureThreshold: 1000 },
      flags,
    })
    await satchel.connect()
    const idem = satchel.idempotency(options)
    return { idem, guard: idempotency(idem, { identify, ...middleware }) }
  }

  /** A handler that counts its runs and answers 201 with a binary body. */
  function counting(delayMs = 0) {
    const handler = Object.assign(
      async (request: Request) => {
        handler.calls++
        await request.text() // the handler can still read the body
        if (delayMs > 0) await sleep(delayMs)
        return new Response(BINARY, {
          status: 201,
          headers: {
            'content-type': 'application/octet-stream',
            location: `/api/reports/${handler.calls}`,
            'set-cookie': 'session=abc',
            'x-request-id': String(handler.calls),
          },
        })
      },
      { calls: 0 },
    )
    return handler
  }

  it('50 concurrent identical requests run the handler once; the rest get 409 or the replay', async () => {
    const { guard } = await setup()
    const bypassed: string[] = []
    satchel.events.on('idempotency:outcome', (e) => {
      if (e.outcome === 'bypass' || e.outcome === 'store-down') bypassed.push(e.outcome)
    })
    let conflicts = 0
    const inner = counting()
    // The handler finishes only once 20 duplicates have been turned away, so the run is
    // certainly concurrent with them; later arrivals may see the completed record.
    const handler = async (request: Request) => {
      await waitFor(() => conflicts >= 20, 5_000)
      return inner(request)
    }
    const send = () =>
      guard(post('k-50'), handler).then((r) => {
        if (r.status === 409) conflicts++
        return r
      })
    const responses = await Promise.all(Array.from({ length: 50 }, send))
    // Then 50 more at once, all after completion: all replays.
    const later = await Promise.all(Array.from({ length: 50 }, send))
    expect(bypassed).toEqual([])
    expect(inner.calls).toBe(1)
    const original = responses.filter(
      (r) => r.status === 201 && !r.headers.has('idempotent-replayed'),
    )
    const replays = responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')
    const inFlight = responses.filter((r) => r.status === 409)
    expect(original).toHaveLength(1)
    expect(inFlight.length).toBeGreaterThanOrEqual(20)
    expect(replays.length + inFlight.length).toBe(49)
    expect(later.every((r) => r.headers.get('idempotent-replayed') === 'true')).toBe(true)
    for (const r of inFlight) {
      await expectProblem(r, 409)
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    }
    for (const r of [...original, ...replays, ...later]) {
      expect(r.status).toBe(201)
      expect(Buffer.from(await r.arrayBuffer()).equals(Buffer.from(BINARY))).toBe(true)
      expect(r.headers.get('content-type')).toBe('application/octet-stream')
      expect(r.headers.get('location')).toBe('/api/reports/1')
    }
  })

  it('replays status, allow-listed headers and body bytes, with Idempotent-Replayed: true', async () => {
    const { guard } = await setup()
    const handler = counting()
    const first = await guard(post('k-replay'), handler)
    expect(first.status).toBe(201)
    expect(first.headers.get('set-cookie')).toBe('session=abc')
    expect(first.headers.has('idempotent-replayed')).toBe(false)
    const firstBytes = Buffer.from(await first.arrayBuffer())
    // Same object, re-serialised differently: still the same payload.
    const second = await guard(post('"k-replay"', '{ "grade": 5, "title": "Report" }'), handler)
    expect(handler.calls).toBe(1)
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(second.headers.get('location')).toBe('/api/reports/1')
    expect(second.headers.get('content-type')).toBe('application/octet-stream')
    expect(second.headers.has('set-cookie')).toBe(false)
    expect(second.headers.has('x-request-id')).toBe(false)
    const secondBytes = Buffer.from(await second.arrayBuffer())
    expect(secondBytes.equals(firstBytes)).toBe(true)
    expect(secondBytes.equals(Buffer.from(BINARY))).toBe(true)
  })

  it('replays empty-body statuses such as 204', async () => {
    const { guard } = await setup()
    let calls = 0
    const handler = async () => {
      calls++
      return new Response(null, { status: 204, headers: { etag: '"v1"' } })
    }
    await guard(post('k-204'), handler)
    const replay = await guard(post('k-204'), handler)
    expect(calls).toBe(1)
    expect(replay.status).toBe(204)
    expect(replay.headers.get('etag')).toBe('"v1"')
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
  })

  it('same key with a different body is 422; other principal, org or endpoint is independent', async () => {
    const { guard } = await setup()
    const handler = counting()
    await guard(post('k-bind'), handler)
    await expectProblem(await guard(post('k-bind', '{"title":"Other"}'), handler), 422)
    expect(handler.calls).toBe(1)
    for (const [headers, path] of [
      [{ 'x-user': 'user-2' }, '/api/reports'],
      [{ 'x-org': 'org-2' }, '/api/reports'],
      [{}, '/api/other'],
    ] as const) {
      const r = await guard(post('k-bind', '{"title":"Other"}', headers, path), handler)
      expect(r.status).toBe(201)
      expect(r.headers.has('idempotent-replayed')).toBe(false)
    }
    expect(handler.calls).toBe(4)
  })

  it('same key with a number that differs beyond 2^53 or a double is 422, not a replay', async () => {
    const { guard } = await setup()
    const handler = counting()
    expect((await guard(post('k-big', '{"to_account":9007199254740993}'), handler)).status).toBe(
      201,
    )
    await expectProblem(await guard(post('k-big', '{"to_account":9007199254740992}'), handler), 422)
    expect((await guard(post('k-huge', '{"amount":1e400}'), handler)).status).toBe(201)
    await expectProblem(await guard(post('k-huge', '{"amount":null}'), handler), 422)
    // The same value re-serialised is still the same request: replayed.
    const replay = await guard(post('k-big', '{ "to_account": 9007199254740993.0 }'), handler)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(handler.calls).toBe(2)
  })

  it('a handler that throws removes the record: the retry runs (two calls in total)', async () => {
    const { guard } = await setup()
    let calls = 0
    const handler = async () => {
      calls++
      if (calls === 1) throw new Error('database went away')
      return Response.json({ ok: true }, { status: 201 })
    }
    await expect(guard(post('k-throw'), handler)).rejects.toThrow('database went away')
    const retry = await guard(post('k-throw'), handler)
    expect(retry.status).toBe(201)
    expect(calls).toBe(2)
    const replay = await guard(post('k-throw'), handler)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(calls).toBe(2)
  })

  it('a 5xx answer is returned but not stored, so the retry runs', async () => {
    const { guard } = await setup()
    let calls = 0
    const handler = async () => {
      calls++
      return new Response('unavailable', { status: calls === 1 ? 503 : 200 })
    }
    expect((await guard(post('k-5xx'), handler)).status).toBe(503)
    expect((await guard(post('k-5xx'), handler)).status).toBe(200)
    expect((await guard(post('k-5xx'), handler)).headers.get('idempotent-replayed')).toBe('true')
    expect(calls).toBe(2)
  })

  it('missing key: 400 when required, unrecorded run otherwise; malformed key: 400', async () => {
    const { idem } = await setup()
    const handler = counting()
    const strict = idempotency(idem, { identify, required: true })
    await expectProblem(await strict(post(undefined), handler), 400)
    for (const bad of ['"unterminated', 'a b', `"${'x'.repeat(256)}"`, '"tab\there"', '""']) {
      await expectProblem(await strict(post(bad), handler), 400)
    }
    expect(handler.calls).toBe(0)
    const lenient = idempotency(idem, { identify })
    expect((await lenient(post(undefined), handler)).status).toBe(201)
    expect((await lenient(post(undefined), handler)).status).toBe(201)
    expect(handler.calls).toBe(2)
    // Methods outside the list pass straight through, key or not.
    const get = new Request('http://campus.test/api/reports', {
      headers: { 'idempotency-key': 'g' },
    })
    expect((await strict(get, handler)).status).toBe(201)
    expect((await strict(get, handler)).headers.has('idempotent-replayed')).toBe(false)
    expect(handler.calls).toBe(4)
  })

  it('renews the lease while a slow handler runs, so a retry gets 409 instead of a second run', async () => {
    const { guard } = await setup({ lease: 300 })
    const handler = counting(900)
    const first = guard(post('k-slow'), handler)
    await sleep(650) // past two leases: without renewal the record would be gone
    await expectProblem(await guard(post('k-slow'), handler), 409)
    expect((await first).status).toBe(201)
    expect(handler.calls).toBe(1)
  })

  it('flag off: the handler runs every time and nothing is replayed', async () => {
    const { guard } = await setup({}, {}, 'all,-idempotency')
    const handler = counting()
    for (let i = 0; i < 3; i++) {
      const r = await guard(post('k-flag'), handler)
      expect(r.status).toBe(201)
      expect(r.headers.has('idempotent-replayed')).toBe(false)
    }
    expect(handler.calls).toBe(3)
  })

  describe('Redis down', () => {
    // The contract: the handler starts within commandMs of the request (+ a few ms, measured by
    // the benchmark). Here a sanity bound: the server stays paused, so a begin that waited for
    // it would never return.
    const BOUND_MS = COMMAND_MS + LOADED_MACHINE_SLACK_MS

    for (const fault of ['paused', 'killed'] as const) {
      it(`${fault}: onStoreDown 'proceed' runs the handler without waiting for Redis, unrecorded`, async () => {
        const { guard } = await setup({ onStoreDown: 'proceed' }, {}, undefined, COMMAND_MS)
        await guard(post('warm-up'), counting()) // connection and scripts warm
        if (fault === 'paused') await server.pause()
        else await server.kill()
        for (let i = 0; i < 3; i++) {
          let startedAfter = Number.NaN
          const start = performance.now()
          const response = await guard(post(`k-down-${i}`), async () => {
            startedAfter = performance.now() - start
            return new Response('ran', { status: 201 })
          })
          expect(response.status).toBe(201)
          expect(response.headers.get('idempotency-recorded')).toBe('false')
          expect(await response.text()).toBe('ran')
          expect(startedAfter).toBeLessThan(BOUND_MS)
        }
      })

      it(`${fault}: onStoreDown 'reject' answers 503 problem+json without running the handler`, async () => {
        const { guard } = await setup({ onStoreDown: 'reject' }, {}, undefined, COMMAND_MS)
        await guard(post('warm-up'), counting())
        if (fault === 'paused') await server.pause()
        else await server.kill()
        const handler = counting()
        const start = performance.now()
        const response = await guard(post('k-reject'), handler)
        expect(performance.now() - start).toBeLessThan(BOUND_MS)
        await expectProblem(response, 503)
        expect(response.headers.get('retry-after')).toBe('1')
        expect(handler.calls).toBe(0)
      })
    }
  })

  describe('a begin cut off by a paused server', () => {
    // Long enough that the server, once resumed, answers in time on a loaded machine; the
    // paused server never answers, so the first begin times out whatever the bound.
    const HICCUP_COMMAND_MS = 400

    it('proceed: the unrecorded run says so, and the retry runs once more instead of a 409', async () => {
      const { guard } = await setup({ onStoreDown: 'proceed' }, {}, undefined, HICCUP_COMMAND_MS)
      await guard(post('warm-up'), counting())
      const handler = counting()
      await server.pause()
      const first = await guard(post('k-hiccup'), handler)
      await server.resume()
      // The begin sent while paused has now run on the server; without the orphan release its
      // pending record (owned by nobody) would refuse this retry with 409 for a whole lease.
      const second = await guard(post('k-hiccup'), handler)
      const third = await guard(post('k-hiccup'), handler)
      expect([first.status, second.status, third.status]).toEqual([201, 201, 201])
      // The client can tell the first run was not recorded, so a second run is no surprise.
      expect(first.headers.get('idempotency-recorded')).toBe('false')
      expect(second.headers.has('idempotency-recorded')).toBe(false)
      expect(third.headers.get('idempotent-replayed')).toBe('true')
      expect(third.headers.get('x-request-id')).toBeNull()
      expect(third.headers.get('location')).toBe('/api/reports/2')
      expect(handler.calls).toBe(2)
    })

    it('a retry sent while the server is still paused runs behind the release, not before it', async () => {
      // Only the begin script is cached on the server (as after a restart or failover followed
      // by traffic): the orphan release must still run before anything sent after it, which an
      // EVALSHA answered NOSCRIPT and then re-sent as EVAL would not.
      const admin = new Redis(server.url)
      try {
        await admin.script('FLUSH')
      } finally {
        admin.disconnect()
      }
      const { guard } = await setup({ onStoreDown: 'proceed' }, {}, undefined, HICCUP_COMMAND_MS)
      await guard(post('warm-up'), counting())
      const handler = counting()
      await server.pause()
      const first = await guard(post('k-queued'), handler)
      // The retry's begin is written behind the first begin and its release, then the server
      // wakes up and runs the three in that order.
      const second = guard(post('k-queued'), handler)
      await server.resume()
      expect([first.status, (await second).status]).toEqual([201, 201])
      expect(first.headers.get('idempotency-recorded')).toBe('false')
      expect(handler.calls).toBe(2)
    })

    it('reject: the 503 leaves nothing behind, so the retry runs instead of a 409', async () => {
      const { guard } = await setup({ onStoreDown: 'reject' }, {}, undefined, HICCUP_COMMAND_MS)
      await guard(post('warm-up'), counting())
      const handler = counting()
      await server.pause()
      const first = await guard(post('k-hiccup-503'), handler)
      await server.resume()
      const second = await guard(post('k-hiccup-503'), handler)
      expect([first.status, second.status]).toEqual([503, 201])
      expect(handler.calls).toBe(1)
      const replay = await guard(post('k-hiccup-503'), handler)
      expect(replay.headers.get('idempotent-replayed')).toBe('true')
      expect(handler.calls).toBe(1)
    })
  })

  it('works as a Next.js route handler: export async function POST(request: Request)', async () => {
    const { idem } = await setup()
    const guard = idempotency(idem, { identify, required: true })
    let created = 0
    async function POST(request: Request): Promise<Response> {
      return guard(request, async (req) => {
        const input = (await req.json()) as { title: string }
        created++
        return Response.json({ id: created, title: input.title }, { status: 201 })
      })
    }
    const first = await POST(post('next-1'))
    const replay = await POST(post('next-1'))
    expect(first.status).toBe(201)
    expect(await first.json()).toEqual({ id: 1, title: 'Report' })
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.headers.get('content-type')).toBe(first.headers.get('content-type'))
    expect(await replay.json()).toEqual({ id: 1, title: 'Report' })
    await expectProblem(await POST(post('next-1', '{"title":"Changed"}')), 422)
    await expectProblem(await POST(post(undefined)), 400)
    expect(created).toBe(1)
  })

  it('works in a real Hono app (app.request), including routes that throw', async () => {
    const { idem } = await setup()
    const app = new Hono()
    let created = 0
    let failNext = false
    app.onError((error, c) => c.json({ error: error.message }, 500))
    app.use('/api/*', async (c, next) => {
      await next()
      c.header('x-served-by', 'campus') // a later middleware still decorates replays
    })
    app.post('/api/reports', honoIdempotency(idem, { identify, required: true }), async (c) => {
      if (failNext) {
        failNext = false
        throw new Error('boom')
      }
      const input = await c.req.json<{ title: string }>()
      created++
      c.header('set-cookie', 'flash=created')
      return c.json({ id: created, title: input.title }, 201, {
        location: `/api/reports/${created}`,
      })
    })
    const send = (key: string | undefined, body?: string) =>
      app.request(post(key, body ?? '{"title":"Report","grade":5}'))

    const first = await send('hono-1')
    expect(first.status).toBe(201)
    const firstBody = await first.text()
    const replay = await send('hono-1')
    expect(replay.status).toBe(201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.headers.get('location')).toBe('/api/reports/1')
    expect(replay.headers.get('x-served-by')).toBe('campus')
    expect(replay.headers.has('set-cookie')).toBe(false)
    expect(await replay.text()).toBe(firstBody)
    await expectProblem(await send('hono-1', '{"title":"Other"}'), 422)
    await expectProblem(await send(undefined), 400)
    await expectProblem(await send('bad key'), 400)
    expect(created).toBe(1)

    failNext = true
    const failed = await send('hono-2')
    expect(failed.status).toBe(500)
    expect(await failed.json()).toEqual({ error: 'boom' })
    const retried = await send('hono-2')
    expect(retried.status).toBe(201)
    expect(retried.headers.has('idempotent-replayed')).toBe(false)
    expect(created).toBe(2)

    // Concurrent duplicates through Hono: one run.
    const burst = await Promise.all(Array.from({ length: 10 }, () => send('hono-3')))
    expect(created).toBe(3)
    expect(
      burst.filter((r) => r.status === 409 || r.headers.has('idempotent-replayed')),
    ).toHaveLength(9)
  })
})

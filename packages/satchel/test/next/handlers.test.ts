/**
 * satchel/next's handlers as Next drives them, two "instances" (two satchels) on one real
 * redis-server. The Next.js app itself is exercised in examples/next-app/test.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createSatchel, type Satchel } from '../../src/index.js'
import {
  createCacheHandler,
  createUseCacheHandler,
  type NextCacheValue,
  type NextUseCacheEntry,
} from '../../src/next/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'
import { cacheBusReady, waitFor } from '../helpers.js'

let server: RedisServer
const opened: Satchel[] = []

beforeAll(async () => {
  server = await startRedis()
})
afterAll(async () => {
  await server?.stop()
})
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close()
  if (server.state === 'running') {
    const admin = await import('ioredis').then(({ Redis }) => new Redis(server.url))
    await admin.flushall()
    admin.disconnect()
  }
})

async function instance(): Promise<Satchel> {
  const s = createSatchel({ redis: server.url, prefix: 'nx', timeouts: { commandMs: 50 } })
  opened.push(s)
  await cacheBusReady(s)
  return s
}

/** Bus messages this satchel has received from other instances. */
const heard = (s: Satchel) => s.stats().cache.bus?.received ?? 0

function page(html: string, tags: string): NextCacheValue {
  return {
    kind: 'APP_PAGE',
    html,
    rscData: Buffer.from(`rsc:${html}`),
    headers: { 'x-next-cache-tags': tags },
    postponed: undefined,
    status: 200,
    segmentData: new Map([['/_tree', Buffer.from('tree')]]),
  } as NextCacheValue
}

const pageGet = { kind: 'APP_PAGE', isFallback: false }
const cacheControl = { revalidate: 60, expire: 3600 }

describe('createCacheHandler (incremental cache)', () => {
  it('stores a page on one instance and serves it, binary fields intact, on another', async () => {
    const A = createCacheHandler({ satchel: await instance() })
    const B = createCacheHandler({ satchel: await instance() })
    const a = new A({})
    const b = new B({})
    const big = `<html>${'x'.repeat(200_000)}</html>`
    await a.set('/p/1', page(big, '_N_T_/layout,_N_T_/p/1,course:1'), { cacheControl })

    const got = await b.get('/p/1', pageGet)
    expect(got).not.toBeNull()
    const value = got!.value as unknown as {
      html: string
      rscData: Buffer
      segmentData: Map<string, Buffer>
    }
    expect(value.html).toBe(big)
    expect(Buffer.isBuffer(value.rscData)).toBe(true)
    expect(value.rscData.toString()).toBe(`rsc:${big}`)
    expect(Buffer.isBuffer(value.segmentData.get('/_tree'))).toBe(true)
    expect(got!.cacheControl).toEqual(cacheControl)
    expect(got!.lastModified).toBeLessThanOrEqual(Date.now())
    expect(await b.get('/p/other', pageGet)).toBeNull()
  })

  it('revalidateTag on one instance is a miss on another that holds the page in L1', async () => {
    const sa = await instance()
    const sb = await instance()
    const a = new (createCacheHandler({ satchel: sa }))({})
    const b = new (createCacheHandler({ satchel: sb }))({})
    const set = heard(sb)
    await a.set('/p/2', page('v1', '_N_T_/p/2,course:2'), { cacheControl })
    // A's write is announced (B evicts the key); B's read after that fills its L1.
    await waitFor(() => heard(sb) > set, 5000)
    expect(await b.get('/p/2', pageGet)).not.toBeNull()
    expect(sb.stats().l1.entries).toBeGreaterThan(0)

    const before = heard(sb)
    await a.revalidateTag('course:2')
    await waitFor(() => heard(sb) > before, 5000)
    expect(await b.get('/p/2', pageGet)).toBeNull()
  })

  it('revalidatePath (an implicit tag) reaches an instance that never saw the page', async () => {
    const a = new (createCacheHandler({ satchel: await instance() }))({})
    await a.set('/p/3', page('v1', '_N_T_/layout,_N_T_/p/3'), { cacheControl })
    await a.revalidateTag(['_N_T_/p/3'])
    // A fresh instance reads the tag stamps with the value: no bus message needed.
    const c = new (createCacheHandler({ satchel: await instance() }))({})
    expect(await c.get('/p/3', pageGet)).toBeNull()
    // Other pages under the same layout tag are untouched.
    await a.set('/p/4', page('v1', '_N_T_/layout,_N_T_/p/4'), { cacheControl })
    expect(await c.get('/p/4', pageGet)).not.toBeNull()
  })

  it('checks a fetch entry against the reading route’s soft tags', async () => {
    const a = new (createCacheHandler({ satchel: await instance() }))({})
    const b = new (createCacheHandler({ satchel: await instance() }))({})
    const fetchValue = {
      kind: 'FETCH',
      data: { headers: {}, body: '{"n":1}', url: 'https://api.test/x', status: 200 },
      revalidate: 300,
      tags: ['api'],
    } as NextCacheValue
    const read = { kind: 'FETCH', tags: ['api'], softTags: ['_N_T_/layout', '_N_T_/q'] }
    // Next reads before it fetches: the miss creates the soft tags' epochs.
    expect(await a.get('fetch-key', read)).toBeNull()
    await a.set('fetch-key', fetchValue, { fetchCache: true, tags: ['api'] })
    expect((await b.get('fetch-key', read))?.value).toMatchObject({ kind: 'FETCH', tags: ['api'] })

    await a.revalidateTag('_N_T_/q') // revalidatePath('/q')
    const sc = await instance()
    const c = new (createCacheHandler({ satchel: sc }))({})
    expect(await c.get('fetch-key', read)).toBeNull()
    // Refetched and written again (C hears of the write, which evicts the old copy it read).
    const set = heard(sc)
    await a.set('fetch-key', fetchValue, { fetchCache: true, tags: ['api'] })
    await waitFor(() => heard(sc) > set, 5000)
    expect(await c.get('fetch-key', read)).not.toBeNull()
    // Its own tag invalidates it for every reader.
    await a.revalidateTag('api')
    const d = new (createCacheHandler({ satchel: await instance() }))({})
    expect(await d.get('fetch-key', read)).toBeNull()
  })

  it('fails open with Redis down: answers from L1 or misses, never throws', async () => {
    const s = await instance()
    const h = new (createCacheHandler({ satchel: s }))({})
    await h.set('/p/5', page('v1', '_N_T_/p/5'), { cacheControl })
    expect(await h.get('/p/5', pageGet)).not.toBeNull()
    await server.kill()
    try {
      // Each call is bounded by satchel's command deadline (50 ms here; generous bound).
      const started = performance.now()
      expect(await h.get('/p/5', pageGet)).not.toBeNull() // L1
      expect(await h.get('/p/none', pageGet)).toBeNull()
      await h.set('/p/6', page('v2', '_N_T_/p/6'), { cacheControl })
      await h.revalidateTag('anything')
      expect(performance.now() - started).toBeLessThan(5000)
    } finally {
      await server.restart()
    }
  })
})

function entry(text: string, tags: string[], pending?: Promise<void>): NextUseCacheEntry {
  const bytes = new TextEncoder().encode(text)
  return {
    value: new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(bytes.slice(0, 3))
        if (pending) await pending
        controller.enqueue(bytes.slice(3))
        controller.close()
      },
    }),
    tags,
    stale: 30,
    timestamp: Date.now(),
    expire: 3600,
    revalidate: 60,
  }
}

const text = async (e: NextUseCacheEntry | undefined) =>
  e === undefined ? undefined : new Response(e.value).text()

describe('createUseCacheHandler (use cache)', () => {
  it('shares entries across instances, with a new stream per get', async () => {
    const a = createUseCacheHandler({ satchel: await instance() })
    const b = createUseCacheHandler({ satchel: await instance() })
    await a.set('k1', Promise.resolve(entry('hello world', ['t1'])))
    const first = await b.get('k1', [])
    const second = await b.get('k1', [])
    expect(await text(first)).toBe('hello world')
    expect(await text(second)).toBe('hello world')
    expect(first).toMatchObject({ tags: ['t1'], stale: 30, expire: 3600, revalidate: 60 })
    expect(await a.getExpiration(['t1'])).toBe(Number.POSITIVE_INFINITY)
  })

  it('a get during a pending set waits for it instead of missing', async () => {
    const a = createUseCacheHandler({ satchel: await instance() })
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const setting = a.set('k2', Promise.resolve(entry('slow value', [], gate)))
    const getting = a.get('k2', [])
    release()
    await setting
    expect(await text(await getting)).toBe('slow value')
  })

  it('updateTags and soft tags expire entries on every instance', async () => {
    const sa = await instance()
    const a = createUseCacheHandler({ satchel: sa })
    const b = createUseCacheHandler({ satchel: await instance() })
    expect(await b.get('k3', ['_N_T_/r'])).toBeUndefined() // creates the soft tag's epoch
    await a.set('k3', Promise.resolve(entry('v', ['course:3'])))
    expect(await text(await b.get('k3', ['_N_T_/r']))).toBe('v')

    await b.updateTags(['_N_T_/r'])
    const sc = await instance()
    const c = createUseCacheHandler({ satchel: sc })
    expect(await c.get('k3', ['_N_T_/r'])).toBeUndefined()
    const set = heard(sc)
    await a.set('k3', Promise.resolve(entry('v2', ['course:3'])))
    await waitFor(() => heard(sc) > set, 5000)
    expect(await text(await c.get('k3', ['_N_T_/r']))).toBe('v2')
    await c.updateTags(['course:3'])
    const d = createUseCacheHandler({ satchel: await instance() })
    expect(await d.get('k3', [])).toBeUndefined()
  })

  it('keeps nothing from a stream that fails part-way', async () => {
    const a = createUseCacheHandler({ satchel: await instance() })
    const broken: NextUseCacheEntry = {
      ...entry('x', []),
      value: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array([1, 2, 3]))
          controller.error(new Error('render failed'))
        },
      }),
    }
    await a.set('k4', Promise.resolve(broken))
    expect(await a.get('k4', [])).toBeUndefined()
  })
})

/**
 * The example app built once on the packed satchel, then two `next start` instances on one
 * private redis-server: Next's cache shared through satchel/next, revalidation reaching the other
 * instance, both instances serving through a Redis outage, sharing resuming after it, and
 * satchel/http's rate limit shared across them.
 */
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type RedisServer, startRedis } from '../../../packages/satchel/src/testing/index.js'
import { buildApp, cacheStats, type Instance, page, startInstance } from './instances.js'

// A request must never wait on Redis for long: satchel bounds each command by commandMs (250 ms
// here) and the breaker stops paying even that. Rendering dominates on a loaded 2-core machine,
// so this is a sanity bound against hangs, not a latency figure.
const REQUEST_BOUND_MS = 5000
const PREFIX = 'next-app-test'

let redis: RedisServer
let admin: Redis
let A: Instance
let B: Instance

/** Resolves when `check` holds; polls every 100 ms up to `timeoutMs`. */
async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Keys of the ISR page entries in Redis (test-only SCAN). Next 16's keys name the route by a
 * hash, not by its path, so a test learns that a render was stored by a key appearing.
 */
async function pageKeys(): Promise<Set<string>> {
  const keys = new Set<string>()
  let cursor = '0'
  do {
    const [next, batch] = await admin.scan(
      cursor,
      'MATCH',
      `${PREFIX}:ns:next:*APP_PAGE*`,
      'COUNT',
      1000,
    )
    for (const key of batch) keys.add(key)
    cursor = next
  } while (cursor !== '0')
  return keys
}

/** Requests `path` on `instance` and waits until the page entry it rendered is in Redis. */
async function renderAndStore(instance: Instance, path: string, timeoutMs = 30_000) {
  const before = await pageKeys()
  const rendered = await page(instance, path)
  // Next writes the entry just after it answers.
  await until(
    async () => [...(await pageKeys())].some((key) => !before.has(key)),
    timeoutMs,
    `the entry of ${path} in Redis`,
  )
  return rendered
}

beforeAll(async () => {
  const buildMs = await buildApp(inject('satchelTarball'))
  console.log(`example app installed and built in ${Math.round(buildMs)} ms`)
  redis = await startRedis()
  admin = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  admin.on('error', () => {}) // refused while the test has Redis killed
  const env = { REDIS_URL: redis.url, SATCHEL_PREFIX: PREFIX, SATCHEL_COMMAND_MS: '250' }
  ;[A, B] = await Promise.all([startInstance('A', env), startInstance('B', env)])
  // The bus's first subscription drops L1; wait for it so it cannot race the assertions.
  await until(
    async () =>
      (await cacheStats(A)).bus?.subscribed === true &&
      (await cacheStats(B)).bus?.subscribed === true,
    30_000,
    'both instances’ cache bus',
  )
})

afterAll(async () => {
  await Promise.all([A?.stop(), B?.stop()])
  admin?.disconnect()
  await redis?.stop()
})

describe('examples/next-app: two next start instances on one Redis', () => {
  it('renders an ISR page once and serves it from both instances', async () => {
    const first = await renderAndStore(A, '/courses/algebra-1')
    expect(first).toMatchObject({ status: 200, cache: 'MISS', instance: 'A' })
    expect(first.render).toMatch(/^[0-9a-f-]{36}$/)

    const fromB = await page(B, '/courses/algebra-1')
    expect(fromB).toMatchObject({ status: 200, cache: 'HIT', instance: 'A', render: first.render })
    const again = await page(A, '/courses/algebra-1')
    expect(again).toMatchObject({ cache: 'HIT', render: first.render })
  })

  it('revalidateTag and revalidatePath on A make B render fresh on its next request', async () => {
    const held = await page(B, '/courses/algebra-1') // in B's L1 now
    expect(held.cache).toBe('HIT')
    const heard = (await cacheStats(B)).bus!.received
    const response = await fetch(`${A.url}/api/revalidate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tag: 'course:algebra-1' }),
    })
    expect(response.status).toBe(200)
    // The invalidation reaches B on satchel's bus (the event), and B's next request is fresh.
    await until(async () => (await cacheStats(B)).bus!.received > heard, 15_000, 'B hearing it')
    const fresh = await page(B, '/courses/algebra-1')
    expect(fresh).toMatchObject({ status: 200, instance: 'B' })
    expect(fresh.render).not.toBe(held.render)
    expect(fresh.load).not.toBe(held.load) // the tagged data was reloaded too

    // revalidatePath: the page's implicit tag.
    const other = await renderAndStore(A, '/courses/biology')
    expect((await page(B, '/courses/biology')).render).toBe(other.render)
    const heardPath = (await cacheStats(B)).bus!.received
    await fetch(`${A.url}/api/revalidate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/courses/biology' }),
    })
    await until(async () => (await cacheStats(B)).bus!.received > heardPath, 15_000, 'B hearing it')
    const refreshed = await page(B, '/courses/biology')
    expect(refreshed.render).not.toBe(other.render)
  })

  it('shares satchel/http’s rate limit across instances', async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 1}`
    const enroll = (instance: Instance) =>
      fetch(`${instance.url}/api/enroll`, { method: 'POST', headers: { 'x-forwarded-for': ip } })
    const statuses: number[] = []
    for (const instance of [A, A, A, B, B]) statuses.push((await enroll(instance)).status)
    expect(statuses).toEqual([201, 201, 201, 201, 201])
    const limited = await enroll(A)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('content-type')).toContain('application/problem+json')
    expect(limited.headers.get('ratelimit-policy')).toContain('"enroll"')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('keeps answering 200 with Redis down, without waiting on it', async () => {
    await page(B, '/courses/algebra-1') // cached in B's L1 before the outage
    await redis.kill()
    const paths = ['/courses/algebra-1', '/courses/during-outage', '/', '/courses/algebra-1']
    for (const instance of [A, B]) {
      for (const path of paths) {
        const r = await page(instance, path)
        expect(r.status, `${instance.name} ${path}`).toBe(200)
        expect(r.ms, `${instance.name} ${path}`).toBeLessThan(REQUEST_BOUND_MS)
      }
    }
    // Nothing shared while Redis is down: each instance rendered the new page itself.
    const a = await page(A, '/courses/during-outage')
    const b = await page(B, '/courses/during-outage')
    expect(a.instance).toBe('A')
    expect(b.instance).toBe('B')
    const enroll = await fetch(`${A.url}/api/enroll`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '198.51.100.250' },
    })
    expect(enroll.status).toBe(201) // the limiter fails open
  })

  it('shares again once Redis is back', async () => {
    await redis.restart()
    await admin.connect().catch(() => {})
    await until(
      async () =>
        (await cacheStats(A)).bus?.subscribed === true &&
        (await cacheStats(B)).bus?.subscribed === true,
      60_000,
      'both buses re-subscribed',
    )
    // Until each instance's breaker has probed Redis, a render may stay local; a fresh page per
    // attempt shows when sharing is back.
    let shared = false
    for (let attempt = 0; attempt < 30 && !shared; attempt++) {
      const slug = `after-outage-${attempt}`
      const a = await renderAndStore(A, `/courses/${slug}`, 3000).catch(() => undefined)
      if (a === undefined) continue // not written to Redis yet: A's breaker still open
      expect(a.status).toBe(200)
      const b = await page(B, `/courses/${slug}`)
      shared = b.render === a.render && b.instance === 'A'
    }
    expect(shared).toBe(true)
  })
})

/**
 * The dispatch cache on a real Redis: each entry lives its documented TTL under an
 * organisation-scoped key; each write makes the next read fresh (tenant edit → tenant,
 * dispatch edit → status and every list page of its tenant, launch or commit → dashboard) while other
 * tenants' and organisations' entries stay in Redis untouched; the tenant id reaches the list
 * SCAN pattern escaped; and with Redis gone every read still answers from the database.
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DISPATCH_TTL } from '../../src/dispatch/cache.js'
import { updateDispatch, updateTenant } from '../../src/dispatch/manage.js'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import type { DispatchRuntime } from '../../src/dispatch/runtime.js'
import { tenantInputSchema } from '../../src/dispatch/schemas.js'
import { SCHOOL_A, SCHOOL_B } from '../admin-area/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { commit, dispatchFixture, importFixture, launch, play } from './support.js'

const MS = { '1h': 3_600_000, '10m': 600_000, '5m': 300_000, '1m': 60_000 } as const

describe('dispatch cache', () => {
  let redis: RedisServer
  let campus: TestCampus
  let rt: DispatchRuntime

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    rt = dispatchRuntimeOf(campus.deps)
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  const inRedis = async (key: string): Promise<boolean> =>
    (await campus.satchel.redis.client?.exists(key)) === 1

  /** The key holds an entry whose remaining life is the TTL (within the ±10 % jitter). */
  async function expectTtl(key: string, ttl: keyof typeof MS): Promise<void> {
    expect(await inRedis(key)).toBe(true)
    const left = await campus.satchel.cache.ttl(key)
    expect(left).toBeGreaterThan(MS[ttl] * 0.85)
    expect(left).toBeLessThanOrEqual(MS[ttl] * 1.1)
  }

  it('caches each family for its TTL under organisation-scoped keys', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A)
    const { keys } = rt.cache
    await rt.cache.tenant(SCHOOL_A, f.tenant.id)
    await rt.cache.course(SCHOOL_A, f.packageId)
    await rt.cache.dispatch(SCHOOL_A, f.dispatch.id)
    await rt.cache.dispatchList(SCHOOL_A, f.tenant.id)
    await rt.cache.dashboard(SCHOOL_A, f.tenant.id)
    await expectTtl(keys.tenant(SCHOOL_A, f.tenant.id), DISPATCH_TTL.tenant)
    await expectTtl(keys.course(SCHOOL_A, f.packageId), DISPATCH_TTL.course)
    await expectTtl(keys.dispatch(SCHOOL_A, f.dispatch.id), DISPATCH_TTL.dispatch)
    await expectTtl(
      keys.dispatchList(SCHOOL_A, f.tenant.id, 'status=all'),
      DISPATCH_TTL.dispatchList,
    )
    await expectTtl(keys.dashboard(SCHOOL_A, f.tenant.id), DISPATCH_TTL.dashboard)
    for (const key of [
      keys.tenant(SCHOOL_A, f.tenant.id),
      keys.dashboard(SCHOOL_A, f.tenant.id),
      keys.dispatchList(SCHOOL_A, f.tenant.id, 'status=all'),
    ]) {
      expect(key.startsWith(`campus:o:${SCHOOL_A}:scorm-`)).toBe(true)
    }

    // A warm read is served without the database.
    const before = campus.database.queryCount
    await rt.cache.tenant(SCHOOL_A, f.tenant.id)
    await rt.cache.dashboard(SCHOOL_A, f.tenant.id)
    expect(campus.database.queryCount).toBe(before)

    // A row of another organisation is not found, and the miss is not cached.
    expect(await rt.cache.tenant(SCHOOL_B, f.tenant.id)).toBeNull()
    expect(await inRedis(keys.tenant(SCHOOL_B, f.tenant.id))).toBe(false)
  })

  it('a tenant edit makes its next read fresh and leaves other tenants alone', async () => {
    const a = await dispatchFixture(rt, SCHOOL_A)
    const b = await dispatchFixture(rt, SCHOOL_A)
    await rt.cache.tenant(SCHOOL_A, a.tenant.id)
    await rt.cache.tenant(SCHOOL_A, b.tenant.id)
    await updateTenant(
      rt,
      SCHOOL_A,
      a.tenant.id,
      tenantInputSchema.parse({ name: `${a.tenant.name} renamed`, allowedDomains: ['x.example'] }),
    )
    expect(await inRedis(rt.cache.keys.tenant(SCHOOL_A, a.tenant.id))).toBe(false)
    expect(await inRedis(rt.cache.keys.tenant(SCHOOL_A, b.tenant.id))).toBe(true)
    expect(await rt.cache.tenant(SCHOOL_A, a.tenant.id)).toMatchObject({
      name: `${a.tenant.name} renamed`,
      allowedDomains: ['x.example'],
    })
  })

  it('a dispatch edit drops its status and every list page of its tenant, only those', async () => {
    const a = await dispatchFixture(rt, SCHOOL_A, { title: 'Decimals' })
    const b = await dispatchFixture(rt, SCHOOL_A)
    const { keys } = rt.cache
    for (const filter of ['all', 'enabled', 'disabled'] as const) {
      await rt.cache.dispatchList(SCHOOL_A, a.tenant.id, filter)
      await rt.cache.dispatchList(SCHOOL_A, b.tenant.id, filter)
    }
    await rt.cache.dispatch(SCHOOL_A, a.dispatch.id)
    await rt.cache.dispatch(SCHOOL_A, b.dispatch.id)

    await updateDispatch(rt, SCHOOL_A, a.dispatch.id, {
      title: 'Decimals, second edition',
      enabled: false,
      registrationCap: 5,
      expiresAt: null,
    })
    for (const filter of ['all', 'enabled', 'disabled']) {
      expect(await inRedis(keys.dispatchList(SCHOOL_A, a.tenant.id, `status=${filter}`))).toBe(
        false,
      )
      expect(await inRedis(keys.dispatchList(SCHOOL_A, b.tenant.id, `status=${filter}`))).toBe(true)
    }
    expect(await inRedis(keys.dispatch(SCHOOL_A, a.dispatch.id))).toBe(false)
    expect(await inRedis(keys.dispatch(SCHOOL_A, b.dispatch.id))).toBe(true)

    expect(await rt.cache.dispatch(SCHOOL_A, a.dispatch.id)).toMatchObject({
      title: 'Decimals, second edition',
      enabled: false,
      registrationCap: 5,
    })
    expect((await rt.cache.dispatchList(SCHOOL_A, a.tenant.id, 'enabled')).length).toBe(0)
    expect(
      (await rt.cache.dispatchList(SCHOOL_A, a.tenant.id, 'disabled')).map((d) => d.title),
    ).toEqual(['Decimals, second edition'])
  })

  it('a launch and a commit make the next dashboard read fresh, for that tenant only', async () => {
    const packageId = await importFixture(campus.deps.scorm, SCHOOL_A, 'Dashboard course')
    const a = await dispatchFixture(rt, SCHOOL_A, { packageId })
    const b = await dispatchFixture(rt, SCHOOL_A)
    expect((await rt.cache.dashboard(SCHOOL_A, a.tenant.id)).totals.registrations).toBe(0)
    await rt.cache.dashboard(SCHOOL_A, b.tenant.id)

    const res = await launch(campus.app, a.dispatch.id, { key: a.key, learnerId: 'd1' })
    const grant = (await res.json()) as { launchUrl: string }
    expect(await inRedis(rt.cache.keys.dashboard(SCHOOL_A, b.tenant.id))).toBe(true)
    expect((await rt.cache.dashboard(SCHOOL_A, a.tenant.id)).totals).toMatchObject({
      registrations: 1,
      completions: 0,
    })

    const commitUrl = await play(campus.app, grant.launchUrl)
    const r = await commit(campus.app, commitUrl, {
      'cmi.core.lesson_status': 'failed',
      'cmi.core.session_time': '0000:05:00',
    })
    expect(r.status).toBe(200)
    expect(await inRedis(rt.cache.keys.dashboard(SCHOOL_A, b.tenant.id))).toBe(true)
    const stats = await rt.cache.dashboard(SCHOOL_A, a.tenant.id)
    expect(stats.totals).toMatchObject({
      registrations: 1,
      completions: 1,
      passed: 0,
      failed: 1,
      passRate: 0,
      totalSeconds: 300,
    })
    expect(stats.byCourse).toEqual([
      expect.objectContaining({ dispatchId: a.dispatch.id, registrations: 1, completions: 1 }),
    ])
    const today = new Date().toISOString().slice(0, 10)
    expect(stats.overTime.at(-1)).toEqual({ day: today, registrations: 1, completions: 1 })
  })

  it('escapes the tenant id in the list pattern: a glob id clears only its own lists', async () => {
    const { keys } = rt.cache
    const cache = campus.satchel.cache
    const glob = 'tenant-*'
    const near = 'tenant-abc'
    await cache.set(keys.dispatchList(SCHOOL_A, glob, 'status=all'), ['glob'])
    await cache.set(keys.dispatchList(SCHOOL_A, near, 'status=all'), ['near'])
    await cache.set(keys.dispatchList(SCHOOL_B, glob, 'status=all'), ['other org'])
    expect(keys.dispatchListPattern(SCHOOL_A, glob)).not.toContain('tenant-*')

    await rt.cache.dispatchChanged(SCHOOL_A, glob, '00000000-0000-0000-0000-000000000000')
    expect(await inRedis(keys.dispatchList(SCHOOL_A, glob, 'status=all'))).toBe(false)
    expect(await inRedis(keys.dispatchList(SCHOOL_A, near, 'status=all'))).toBe(true)
    expect(await inRedis(keys.dispatchList(SCHOOL_B, glob, 'status=all'))).toBe(true)
  })

  it('answers from the database while Redis is gone', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A)
    await redis.kill()
    // L1 copies of other tests' entries may remain; a new dispatch is in neither tier.
    const g = await dispatchFixture(rt, SCHOOL_A)
    expect(await rt.cache.tenant(SCHOOL_A, g.tenant.id)).toMatchObject({ id: g.tenant.id })
    expect(await rt.cache.dispatch(SCHOOL_A, f.dispatch.id)).toMatchObject({ id: f.dispatch.id })
    const res = await launch(campus.app, g.dispatch.id, { key: g.key, learnerId: 'offline' })
    expect(res.status).toBe(201)
    expect((await rt.cache.dashboard(SCHOOL_A, g.tenant.id)).totals.registrations).toBe(1)
  })
})

/**
 * Dispatch launches through the launcher's API: a new learner gets a registration (201), the
 * same learner resumes it (200) without using the cap, and every refused launch — bad key,
 * disabled or expired tenant or dispatch, a page outside the allowed domains, beyond a cap,
 * malformed input — answers problem+json with its own code and leaves every row as it was.
 * The player's run-time commits land on the registration under the launch token.
 */
import { eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scormDispatches, scormRegistrations } from '../../src/db/schema.js'
import { revokeDispatchKeys, updateDispatch, updateTenant } from '../../src/dispatch/manage.js'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import type { DispatchRuntime } from '../../src/dispatch/runtime.js'
import { tenantInputSchema } from '../../src/dispatch/schemas.js'
import { SCHOOL_A } from '../admin-area/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import {
  commit,
  dispatchFixture,
  importFixture,
  LMS_ORIGIN,
  launch,
  play,
  snapshot,
} from './support.js'

type Problem = { code: string; status: number; detail: string; errors?: { field: string }[] }

describe('dispatch launches', () => {
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

  /** Launches and expects a refusal with `code` that changed no row. */
  async function refused(
    dispatchId: string,
    body: Record<string, unknown>,
    code: string,
    status: number,
    headers?: Record<string, string>,
  ): Promise<Problem> {
    const before = await snapshot(campus.database.db)
    const res = await launch(campus.app, dispatchId, body, headers)
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const problem = (await res.json()) as Problem
    expect(problem.code).toBe(code)
    expect(await snapshot(campus.database.db)).toEqual(before)
    return problem
  }

  it('registers a new learner once and resumes them on a relaunch', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A, { dispatch: { registrationCap: 1 } })
    const first = await launch(campus.app, f.dispatch.id, {
      key: f.key,
      learnerId: 'lms-learner-1',
      learnerName: 'Ada',
    })
    expect(first.status).toBe(201)
    expect(first.headers.get('access-control-allow-origin')).toBe(LMS_ORIGIN)
    const grant = (await first.json()) as {
      registrationId: string
      resumed: boolean
      token: string
      launchUrl: string
    }
    expect(grant.resumed).toBe(false)
    expect(grant.launchUrl).toContain(`/dispatch/play/${grant.registrationId}`)
    const [row] = await campus.database.db
      .select()
      .from(scormRegistrations)
      .where(eq(scormRegistrations.id, grant.registrationId))
    expect(row).toMatchObject({
      dispatchId: f.dispatch.id,
      packageId: f.packageId,
      orgSourcedId: SCHOOL_A,
      learnerId: 'lms-learner-1',
      learnerName: 'Ada',
    })

    // The cap is 1 and reached, but the same learner resumes their registration.
    const again = await launch(campus.app, f.dispatch.id, {
      key: f.key,
      learnerId: 'lms-learner-1',
    })
    expect(again.status).toBe(200)
    const resumed = (await again.json()) as { registrationId: string; resumed: boolean }
    expect(resumed).toMatchObject({ registrationId: grant.registrationId, resumed: true })
    const [d] = await campus.database.db
      .select({ n: scormDispatches.registrationCount })
      .from(scormDispatches)
      .where(eq(scormDispatches.id, f.dispatch.id))
    expect(d?.n).toBe(1)

    // A Referer names the page when a browser sends no Origin.
    const viaReferer = await launch(
      campus.app,
      f.dispatch.id,
      { key: f.key, learnerId: 'lms-learner-1' },
      { referer: 'https://courses.district.example.org/mod/scorm/player.php?id=4' },
    )
    expect(viaReferer.status).toBe(200)
  })

  it('refuses a launch beyond the dispatch cap, and beyond the tenant cap', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A, { dispatch: { registrationCap: 2 } })
    for (const learnerId of ['a', 'b']) {
      expect((await launch(campus.app, f.dispatch.id, { key: f.key, learnerId })).status).toBe(201)
    }
    const problem = await refused(
      f.dispatch.id,
      { key: f.key, learnerId: 'c' },
      'E_DISPATCH_CAP_REACHED',
      409,
    )
    expect(problem).toMatchObject({ cap: 2 })

    const t = await dispatchFixture(rt, SCHOOL_A, { tenant: { registrationCap: 1 } })
    expect((await launch(campus.app, t.dispatch.id, { key: t.key, learnerId: 'x' })).status).toBe(
      201,
    )
    await refused(t.dispatch.id, { key: t.key, learnerId: 'y' }, 'E_TENANT_CAP_REACHED', 409)
  })

  it('holds the cap in the database when the fast-path counter is behind', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A, { dispatch: { registrationCap: 3 } })
    // The counter reads 0 and keeps it in Redis; then the database moves on without it (as
    // after a process died between its commit and its increment).
    expect(await rt.caps.dispatches.get(f.dispatch.id)).toBe(0)
    await campus.database.db
      .update(scormDispatches)
      .set({ registrationCount: 3 })
      .where(eq(scormDispatches.id, f.dispatch.id))
    expect(await rt.caps.dispatches.get(f.dispatch.id)).toBe(0)
    await refused(f.dispatch.id, { key: f.key, learnerId: 'late' }, 'E_DISPATCH_CAP_REACHED', 409)
  })

  it('refuses launches after expiry', async () => {
    const past = new Date(Date.now() - 60_000).toISOString()
    const d = await dispatchFixture(rt, SCHOOL_A, { dispatch: { expiresAt: new Date(past) } })
    const problem = await refused(
      d.dispatch.id,
      { key: d.key, learnerId: 'l1' },
      'E_DISPATCH_EXPIRED',
      410,
    )
    expect(problem).toMatchObject({ expiredAt: past })
    const t = await dispatchFixture(rt, SCHOOL_A, { tenant: { expiresAt: past } })
    await refused(t.dispatch.id, { key: t.key, learnerId: 'l1' }, 'E_TENANT_EXPIRED', 410)
  })

  it('refuses launches of a disabled tenant or dispatch, also right after the change', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A)
    // Warm the cached tenant and dispatch, then disable through the admin writes.
    expect((await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'w' })).status).toBe(
      201,
    )
    await updateTenant(
      rt,
      SCHOOL_A,
      f.tenant.id,
      tenantInputSchema.parse({
        name: f.tenant.name,
        allowedDomains: f.tenant.allowedDomains,
        enabled: false,
      }),
    )
    await refused(f.dispatch.id, { key: f.key, learnerId: 'n1' }, 'E_TENANT_DISABLED', 403)

    const g = await dispatchFixture(rt, SCHOOL_A)
    expect((await launch(campus.app, g.dispatch.id, { key: g.key, learnerId: 'w' })).status).toBe(
      201,
    )
    await updateDispatch(rt, SCHOOL_A, g.dispatch.id, {
      enabled: false,
      registrationCap: null,
      expiresAt: null,
    })
    await refused(g.dispatch.id, { key: g.key, learnerId: 'n1' }, 'E_DISPATCH_DISABLED', 403)
  })

  it('refuses a launch from a domain not allowed, or naming no page', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A)
    const body = { key: f.key, learnerId: 'l1' }
    const problem = await refused(f.dispatch.id, body, 'E_DOMAIN_NOT_ALLOWED', 403, {
      origin: 'https://evil.example.com',
    })
    expect(problem.detail).toContain('evil.example.com')
    // A look-alike of a wildcard domain is not a subdomain of it.
    await refused(f.dispatch.id, body, 'E_DOMAIN_NOT_ALLOWED', 403, {
      origin: 'https://notdistrict.example.org',
    })
    await refused(f.dispatch.id, body, 'E_DOMAIN_NOT_ALLOWED', 403, {})
    await refused(f.dispatch.id, body, 'E_DOMAIN_NOT_ALLOWED', 403, { origin: 'null' })
  })

  it('refuses a bad key, a revoked key, another dispatch’s key and malformed input', async () => {
    const f = await dispatchFixture(rt, SCHOOL_A)
    const g = await dispatchFixture(rt, SCHOOL_A)
    await refused(
      f.dispatch.id,
      { key: 'x'.repeat(43), learnerId: 'l' },
      'E_DISPATCH_KEY_INVALID',
      401,
    )
    await refused(f.dispatch.id, { key: g.key, learnerId: 'l' }, 'E_DISPATCH_KEY_INVALID', 401)
    await refused('not-a-uuid', { key: f.key, learnerId: 'l' }, 'E_DISPATCH_KEY_INVALID', 401)
    const problem = await refused(
      f.dispatch.id,
      { key: f.key, learnerId: '', extra: 1 },
      'E_VALIDATION',
      400,
    )
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['(body)', 'learnerId'])

    const res = await campus.app.request(
      '/admin/dispatches/00000000-0000-0000-0000-000000000000/revoke-keys',
      { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' } },
    )
    expect(res.status).toBe(404)
    expect(await revokeDispatchKeys(rt, SCHOOL_A, f.dispatch.id)).toBe(1)
    await refused(f.dispatch.id, { key: f.key, learnerId: 'l' }, 'E_DISPATCH_KEY_INVALID', 401)
  })

  it('stores the player’s commits under the launch token and refuses bad ones unchanged', async () => {
    const packageId = await importFixture(campus.deps.scorm, SCHOOL_A, 'Primes')
    const f = await dispatchFixture(rt, SCHOOL_A, { packageId })
    const res = await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'r1' })
    const grant = (await res.json()) as { registrationId: string; launchUrl: string }
    const commitUrl = await play(campus.app, grant.launchUrl)
    expect(commitUrl).toContain(`/api/dispatch/registrations/${grant.registrationId}/scos/`)

    const ok = await commit(campus.app, commitUrl, {
      'cmi.core.lesson_status': 'passed',
      'cmi.core.score.raw': '90',
      'cmi.core.score.min': '0',
      'cmi.core.score.max': '100',
      'cmi.core.session_time': '0000:02:00',
    })
    expect(ok.status).toBe(200)
    const [row] = await campus.database.db
      .select()
      .from(scormRegistrations)
      .where(eq(scormRegistrations.id, grant.registrationId))
    expect(row).toMatchObject({
      completionStatus: 'completed',
      successStatus: 'passed',
      scoreRaw: 90,
      totalTimeSeconds: 120,
      learnerId: 'r1',
    })
    expect(row?.completedAt).toBeInstanceOf(Date)

    // A relaunch of the same learner resumes from what the run-time stored.
    const suspended = await commit(campus.app, commitUrl, {
      'cmi.core.lesson_location': 'q7',
      'cmi.suspend_data': 'answer=b',
      'cmi.core.exit': 'suspend',
    })
    expect(suspended.status).toBe(200)
    const again = await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'r1' })
    expect(again.status).toBe(200)
    const relaunch = new URL(((await again.json()) as { launchUrl: string }).launchUrl)
    const html = await (await campus.app.request(relaunch.pathname + relaunch.search)).text()
    const attribute = /data-state="([^"]+)"/.exec(html)?.[1] ?? '{}'
    const state = JSON.parse(
      attribute.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'),
    )
    expect(state).toMatchObject({
      'cmi.core.entry': 'resume',
      'cmi.core.lesson_location': 'q7',
      'cmi.suspend_data': 'answer=b',
      'cmi.core.student_id': 'r1',
    })

    const bad = async (url: string, body: Record<string, string>, code: string, status: number) => {
      const before = await snapshot(campus.database.db)
      const r = await commit(campus.app, url, body)
      expect(r.status).toBe(status)
      expect(((await r.json()) as Problem).code).toBe(code)
      expect(await snapshot(campus.database.db)).toEqual(before)
    }
    const valid = { 'cmi.core.lesson_status': 'incomplete' }
    const wrongToken = commitUrl.replace(/token=[^&]+/, 'token=wrong-token')
    await bad(wrongToken, valid, 'E_LAUNCH_TOKEN_INVALID', 401)
    await bad(commitUrl, { 'cmi.core.lesson_status': 'done' }, 'E_CMI_INVALID', 422)
    await bad(commitUrl, { 'cmi.core.score.raw': '101' }, 'E_CMI_INVALID', 422)
    // Another registration's token does not open this one.
    const other = await launch(campus.app, f.dispatch.id, { key: f.key, learnerId: 'r2' })
    const otherUrl = await play(
      campus.app,
      ((await other.json()) as { launchUrl: string }).launchUrl,
    )
    const foreign = `${commitUrl.split('?')[0]}?${otherUrl.split('?')[1]}`
    await bad(foreign, valid, 'E_LAUNCH_TOKEN_INVALID', 401)
  })
})

/**
 * A multi-SCO package under a dispatch: the player offers every SCO (table of contents and
 * previous/next links carrying the launch token), each SCO commits to its own CMI state in the
 * one registration, a relaunch opens the SCO used last and gives it back its own state, and a
 * SCO of another package is a 404.
 */
import { and, eq } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scormRegistrations, scormScoStates } from '../../src/db/schema.js'
import { dispatchRuntimeOf } from '../../src/dispatch/routes.js'
import type { DispatchRuntime } from '../../src/dispatch/runtime.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { SCHOOL_A } from '../admin-area/support.js'
import { buildPackage } from '../scorm/fixtures.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { commit, dispatchFixture, launch } from './support.js'

describe('multi-SCO dispatch player', () => {
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

  const unescapeHtml = (s: string) => s.replaceAll('&amp;', '&')
  async function open(path: string) {
    const res = await campus.app.request(unescapeHtml(path))
    expect(res.status).toBe(200)
    const html = await res.text()
    const attr = (name: string) =>
      unescapeHtml(new RegExp(`${name}="([^"]+)"`).exec(html)?.[1] ?? '')
    return {
      html,
      commitUrl: attr('data-commit-url'),
      state: JSON.parse(attr('data-state').replaceAll('&quot;', '"')) as Record<string, string>,
      next: /href="([^"]+)" rel="next"/.exec(html)?.[1],
      previous: /href="([^"]+)" rel="prev"/.exec(html)?.[1],
      toc: [...html.matchAll(/<li class="depth-\d"><a href="([^"]+)"/g)].map((m) => m[1] ?? ''),
    }
  }

  it.each(['1.2', '2004'] as const)(
    'SCORM %s: every SCO, each with its own state',
    async (version) => {
      const { packageId } = await importScormPackage(campus.deps.scorm, {
        orgId: SCHOOL_A,
        bytes: buildPackage({ version, scos: 3, title: `Dispatched multi ${version}` }),
        origin: 'multi.zip',
        via: 'cli',
      })
      const f = await dispatchFixture(rt, SCHOOL_A, { packageId })
      const res = await launch(campus.app, f.dispatch.id, {
        key: f.key,
        learnerId: `multi-${version}`,
      })
      expect(res.status).toBe(201)
      const { launchUrl } = (await res.json()) as { launchUrl: string }
      const path = new URL(launchUrl).pathname + new URL(launchUrl).search

      const first = await open(path)
      expect(first.toc).toHaveLength(3)
      expect(first.html).toContain('aria-current="page"')
      expect(first.previous).toBeUndefined()
      expect(first.next).toContain('token=')
      const loc = version === '1.2' ? 'cmi.core.lesson_location' : 'cmi.location'
      expect((await commit(campus.app, first.commitUrl, { [loc]: 'first page' })).status).toBe(200)

      // Next: the second SCO, its own commit URL and a fresh state.
      const second = await open(first.next ?? '')
      expect(second.commitUrl).not.toBe(first.commitUrl)
      expect(second.state[loc]).toBeUndefined()
      expect(second.previous).toBeDefined()
      expect((await commit(campus.app, second.commitUrl, { [loc]: 'second page' })).status).toBe(
        200,
      )

      // A relaunch opens the SCO used last, with its own state; the first keeps its own.
      const again = await open(path)
      expect(again.commitUrl).toBe(second.commitUrl)
      expect(again.state[loc]).toBe('second page')
      const back = await open(again.previous ?? '')
      expect(back.state[loc]).toBe('first page')

      // The last SCO has no "next"; a SCO of no package of this dispatch is a 404.
      const third = await open(first.toc[2] ?? '')
      expect(third.next).toBeUndefined()
      const stranger = await campus.app.request(`${path}&sco=00000000-0000-0000-0000-000000000000`)
      expect(stranger.status).toBe(404)

      const [registration] = await campus.database.db
        .select()
        .from(scormRegistrations)
        .where(
          and(
            eq(scormRegistrations.dispatchId, f.dispatch.id),
            eq(scormRegistrations.learnerId, `multi-${version}`),
          ),
        )
      const states = await campus.database.db
        .select()
        .from(scormScoStates)
        .where(eq(scormScoStates.registrationId, registration?.id ?? ''))
      expect(states).toHaveLength(3)
      expect(states.map((s) => s.location).sort()).toEqual(
        ['first page', 'second page', null].sort(),
      )
    },
  )
})

/**
 * Packages shaped like the public sample courses (sample-shaped.ts), SCORM 1.2 and 2004 3rd
 * edition: accepted with their schema files and shared folder, every SCO launchable from its
 * folder, and the shared files served with their media types. This is what uploading one of
 * the public samples exercises (docs/scorm.md, "Trying a public sample package").
 */
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importScormPackage } from '../../src/scorm/import.js'
import { members, signIn } from '../admin-area/support.js'
import { send } from '../auth/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildSampleShaped, SAMPLE_SCOS } from './sample-shaped.js'

const ORG = 'org-school-01'

describe('sample-shaped packages', () => {
  let redis: RedisServer
  let campus: TestCampus
  let cookie = ''

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
    const [student] = await members(campus, ORG, 'student')
    cookie = (await signIn(campus, student?.id ?? '', ORG, 'student')).cookie
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  it.each(['1.2', '2004'] as const)('SCORM %s: imported, every SCO launchable', async (version) => {
    const result = await importScormPackage(campus.deps.scorm, {
      orgId: ORG,
      bytes: buildSampleShaped(version),
      origin: `golf-${version}.zip`,
      via: 'cli',
    })
    expect(result).toMatchObject({ created: true, version, scoCount: SAMPLE_SCOS.length })
    const first = await send(campus.app, `/scorm/packages/${result.packageId}`, {}, { cookie })
    expect(first.status).toBe(200)
    const html = await first.text()
    const scoLinks = [...html.matchAll(/href="\/scorm\/packages\/[^"?]+\?sco=([^"]+)"/g)].map(
      (m) => m[1] ?? '',
    )
    expect(new Set(scoLinks).size).toBe(SAMPLE_SCOS.length)
    for (const [i, [dir]] of SAMPLE_SCOS.entries()) {
      const res = await send(
        campus.app,
        `/scorm/packages/${result.packageId}?sco=${scoLinks[i]}`,
        {},
        { cookie },
      )
      const page = await res.text()
      const launch = /data-launch-url="([^"]+)"/.exec(page)?.[1] ?? ''
      expect(launch).toBe(`/scorm/content/${result.packageId}/${dir}/${dir}.html`)
      const content = await send(campus.app, launch, {}, { cookie })
      expect(content.status).toBe(200)
      expect(await content.text()).toContain('../shared/scormfunctions.js')
    }
    const image = await send(
      campus.app,
      `/scorm/content/${result.packageId}/shared/background.jpg`,
      {},
      { cookie },
    )
    expect(image.headers.get('content-type')).toBe('image/jpeg')
    const script = await send(
      campus.app,
      `/scorm/content/${result.packageId}/shared/scormfunctions.js`,
      {},
      { cookie },
    )
    expect(script.headers.get('content-type')).toContain('javascript')
  })
})

/**
 * Campus with each capability flag off (and with all of them off): the login-link flow, the
 * admin pages and a content page still work, on the database alone where Redis would have
 * helped. The database (seeded once) and the Redis server are shared; each flag gets its own
 * campus instance.
 */
import { eq } from 'drizzle-orm'
import { FLAG_NAMES } from 'satchel'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mailOutbox } from '../../src/db/schema.js'
import { generateDataset, SMALL_FIXTURES } from '../../src/seed/generate.js'
import { writeDataset } from '../../src/seed/write.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { fileRequest, members, pendingInDatabase, SCHOOL_A, signIn } from './support.js'

describe('campus with a flag off', () => {
  let redis: RedisServer
  let database: CampusTestDatabase
  let studentEmails: string[] = []
  let adminId = ''

  beforeAll(async () => {
    redis = await startRedis()
    database = await openCampusTestDatabase()
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
  })
  afterAll(async () => {
    await database?.close()
    await redis?.stop()
  })

  const cases = [
    ...FLAG_NAMES.map((f) => ({ flags: `-${f}`, off: [f] })),
    { flags: 'none', off: [...FLAG_NAMES] },
  ]

  it.each(cases)(
    'SATCHEL_FLAGS=$flags: request, count, approve once, pages',
    async ({ flags, off }) => {
      const campus: TestCampus = await startTestCampus({
        redisUrl: redis.url,
        database,
        satchel: { flags },
      })
      try {
        for (const name of off) expect(campus.satchel.flags.enabled(name)).toBe(false)
        if (studentEmails.length === 0) {
          studentEmails = (await members(campus, SCHOOL_A, 'student')).map((s) => s.email)
          adminId = (await members(campus, SCHOOL_A, 'teacher'))[0]?.id ?? ''
        }
        const email = studentEmails[cases.findIndex((c) => c.flags === flags)] ?? ''
        const { cookie } = await signIn(campus, adminId, SCHOOL_A, 'administrator')
        const id = await fileRequest(campus, SCHOOL_A, email)

        const count = await campus.app.request('/api/admin/login-link-requests/count', {
          headers: { cookie },
        })
        expect(count.status).toBe(200)
        expect(((await count.json()) as { pending: number }).pending).toBe(
          await pendingInDatabase(campus, SCHOOL_A),
        )

        const approve = () =>
          campus.app.request(`/api/admin/login-link-requests/${id}/approve`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json', 'idempotency-key': `k-${id}` },
            body: '{}',
          })
        const [a, b] = await Promise.all([approve(), approve()])
        const statuses = [a.status, b.status].sort()
        // Two at once: exactly one approval; the other is a 409, or, with idempotency on, the
        // in-flight 409 or the replay of the first answer.
        expect(statuses[0]).toBe(200)
        expect([200, 409]).toContain(statuses[1])
        if (statuses[1] === 200) {
          expect([a, b].some((r) => r.headers.get('idempotent-replayed') === 'true')).toBe(true)
        }
        const mail = await campus.database.db
          .select()
          .from(mailOutbox)
          .where(eq(mailOutbox.recipient, email))
        expect(mail).toHaveLength(1)

        for (const path of [
          '/admin/login-link-requests',
          '/admin/users',
          SMALL_FIXTURES.course.path,
        ]) {
          const res = await campus.app.request(path, { headers: { cookie } })
          expect(res.status, path).toBe(200)
        }
        const panel = await (
          await campus.app.request('/admin/login-link-requests', { headers: { cookie } })
        ).text()
        expect(panel).toContain(`data-pending-count="" data-org="${SCHOOL_A}"`)
      } finally {
        await campus.close()
      }
    },
  )
})

/**
 * `npm run bench -w campus -- dispatch [--views N]`
 *
 * Server time of the tenant dashboard (`GET /admin/tenants/:id/dashboard`, an administrator's
 * session): a tenant with 8 dispatches and 5,000 registrations spread over 30 days. Measured
 * in process (`app.request`, no socket), so the figure is campus's own time: session lookup,
 * access check, cached tenant and statistics, rendering with the SVG charts.
 *
 * - cold: the dashboard entry deleted before each request (statistics computed in PostgreSQL);
 * - warm: N requests in a row, served from the cache.
 *
 * Uses DATABASE_URL (a private schema) when set, else an in-memory PGlite, and a private
 * redis-server. Writes bench/results/dispatch.json.
 */
import { and, eq } from 'drizzle-orm'
import { pino } from 'pino'
import { createSatchel } from 'satchel'
import { startRedis } from 'satchel/testing'
import { createApp } from '../src/app.js'
import type { DatabaseHandle } from '../src/db/client.js'
import { scormPackages, scormRegistrations, userRoles } from '../src/db/schema.js'
import { createCampusDeps } from '../src/deps.js'
import { createDispatch, createTenant } from '../src/dispatch/manage.js'
import { dispatchRuntimeOf } from '../src/dispatch/routes.js'
import { dispatchInputSchema, tenantInputSchema } from '../src/dispatch/schemas.js'
import { generateDataset } from '../src/seed/generate.js'
import { writeDataset } from '../src/seed/write.js'
import { openBenchDatabase } from './database.js'
import { machine, percentile, writeResult } from './report.js'

const ORG = 'org-school-01'
const DISPATCHES = 8
const REGISTRATIONS = 5000
const COLD_RUNS = 20

function summary(samples: number[]) {
  return {
    n: samples.length,
    p50Ms: +percentile(samples, 0.5).toFixed(3),
    p95Ms: +percentile(samples, 0.95).toFixed(3),
    p99Ms: +percentile(samples, 0.99).toFixed(3),
  }
}

/** Runs the dashboard benchmark. */
export async function dispatchBench(options: { views: number }): Promise<void> {
  const redis = await startRedis()
  const database = await openBenchDatabase('dispatch')
  const satchel = createSatchel({ redis: redis.url, prefix: 'campus' })
  await satchel.connect()
  try {
    await writeDataset(database.db, generateDataset({ scale: 'small' }))
    const deps = createCampusDeps({ satchel, database, logger: pino({ level: 'silent' }) })
    const app = createApp(deps)
    const rt = dispatchRuntimeOf(deps)
    const tenant = await createTenant(
      rt,
      ORG,
      tenantInputSchema.parse({ name: 'Bench LMS', allowedDomains: ['lms.example.edu'] }),
    )
    const dispatchIds: string[] = []
    for (let i = 0; i < DISPATCHES; i++) {
      const [pkg] = await database.db
        .insert(scormPackages)
        .values({
          orgSourcedId: ORG,
          title: `Course ${i + 1}`,
          version: '1.2',
          contentHash: `bench-${i}`,
          storagePath: `bench/${i}`,
          byteSize: 1,
          fileCount: 1,
          manifest: {
            identifier: `bench-${i}`,
            schemaVersion: '1.2',
            edition: null,
            defaultOrganization: 'o',
            organizationCount: 1,
            itemCount: 1,
            scoCount: 1,
            resourceCount: 1,
            hasSequencing: false,
          },
        })
        .returning({ id: scormPackages.id })
      const dispatch = await createDispatch(
        rt,
        ORG,
        dispatchInputSchema.parse({ tenantId: tenant.id, packageId: pkg?.id }),
      )
      dispatchIds.push(dispatch.id)
    }
    const now = Date.now()
    const rows = Array.from({ length: REGISTRATIONS }, (_, i) => {
      const createdAt = new Date(now - (i % 30) * 86_400_000 - (i % 997) * 1000)
      const done = i % 3 !== 0
      return {
        orgSourcedId: ORG,
        packageId: '',
        dispatchId: dispatchIds[i % DISPATCHES] ?? '',
        learnerId: `learner-${i}`,
        learnerName: `Learner ${i}`,
        completionStatus: done ? 'completed' : 'incomplete',
        successStatus: done ? (i % 5 === 0 ? 'failed' : 'passed') : 'unknown',
        scoreScaled: done ? (i % 100) / 100 : null,
        totalTimeSeconds: 60 + (i % 1800),
        createdAt,
        completedAt: done ? new Date(createdAt.getTime() + 3_600_000) : null,
      }
    })
    const packageOf = new Map<string, string>()
    for (const id of dispatchIds) {
      const d = await rt.cache.dispatch(ORG, id)
      if (d) packageOf.set(id, d.packageId)
    }
    for (let i = 0; i < rows.length; i += 500) {
      await database.db
        .insert(scormRegistrations)
        .values(
          rows
            .slice(i, i + 500)
            .map((r) => ({ ...r, packageId: packageOf.get(r.dispatchId) ?? '' })),
        )
    }

    const { token } = await deps.auth.sessions.create({
      userId: (await firstAdmin(database)) ?? '',
      orgId: ORG,
      role: 'administrator',
    })
    const path = `/admin/tenants/${tenant.id}/dashboard`
    const view = async (): Promise<number> => {
      const started = performance.now()
      const res = await app.request(path, { headers: { cookie: `campus_session=${token}` } })
      await res.text()
      const ms = performance.now() - started
      if (res.status !== 200) throw new Error(`dashboard answered ${res.status}`)
      return ms
    }
    const cold: number[] = []
    for (let i = 0; i < COLD_RUNS; i++) {
      await rt.cache.registrationsChanged(ORG, tenant.id)
      cold.push(await view())
    }
    await view()
    const queriesBefore = database.queryCount
    const warm: number[] = []
    for (let i = 0; i < options.views; i++) warm.push(await view())
    const result = {
      machine: machine(),
      database: database.kind,
      dispatches: DISPATCHES,
      registrations: REGISTRATIONS,
      cold: summary(cold),
      warm: summary(warm),
      warmDatabaseQueriesPerView: (database.queryCount - queriesBefore) / options.views,
    }
    console.table({ cold: result.cold, warm: result.warm })
    console.log(`warm database queries per view: ${result.warmDatabaseQueriesPerView}`)
    console.log(`written: ${await writeResult('dispatch', result)}`)
    deps.adminArea.close()
    deps.content.metrics.detach()
    deps.opsMetrics.detach()
    await deps.auth.background.settled()
  } finally {
    await satchel.close()
    await database.close()
    await database.drop()
    await redis.stop()
  }
}

/** A member of the school to sign in as its administrator. */
async function firstAdmin(database: DatabaseHandle): Promise<string | undefined> {
  const [row] = await database.db
    .select({ id: userRoles.userSourcedId })
    .from(userRoles)
    .where(and(eq(userRoles.orgSourcedId, ORG), eq(userRoles.role, 'teacher')))
    .limit(1)
  return row?.id
}

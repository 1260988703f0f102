/**
 * Fixtures of the dispatch tests: a package row (where the package's content does not matter)
 * or a real imported fixture package (where it is played), tenants and dispatches made through
 * the dispatch module's own writes, launches and commits through the HTTP API as the launcher
 * and the player send them, and a snapshot of every row a launch or commit may change, to
 * prove a refusal changed nothing.
 */
import { randomBytes } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { Hono } from 'hono'
import type { Database } from '../../src/db/client.js'
import {
  scormDispatches,
  scormDispatchLaunches,
  scormPackages,
  scormRegistrations,
  scormTenants,
} from '../../src/db/schema.js'
import { createDispatch, createTenant, mintDispatchKey } from '../../src/dispatch/manage.js'
import type { DispatchRuntime } from '../../src/dispatch/runtime.js'
import {
  type DispatchInput,
  dispatchInputSchema,
  tenantInputSchema,
} from '../../src/dispatch/schemas.js'
import type { ScormContext } from '../../src/scorm/context.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { buildPackage } from '../scorm/fixtures.js'

/** The LMS page origin tenants allow in these tests. */
export const LMS_ORIGIN = 'https://lms.example.edu'

/** Inserts an active SCORM package of `orgId` and returns its id. */
export async function insertPackage(db: Database, orgId: string, title: string): Promise<string> {
  const hash = randomBytes(16).toString('hex')
  const [row] = await db
    .insert(scormPackages)
    .values({
      orgSourcedId: orgId,
      title,
      version: '1.2',
      contentHash: hash,
      storagePath: `packages/${hash}`,
      byteSize: 1024,
      fileCount: 2,
      manifest: {
        identifier: `pkg-${hash}`,
        schemaVersion: '1.2',
        edition: null,
        defaultOrganization: 'org',
        organizationCount: 1,
        itemCount: 1,
        scoCount: 1,
        resourceCount: 1,
        hasSequencing: false,
      },
    })
    .returning({ id: scormPackages.id })
  if (!row) throw new Error('package insert returned no row')
  return row.id
}

/** A tenant, one dispatch of a new package to it, and a key of that dispatch. */
export async function dispatchFixture(
  rt: DispatchRuntime,
  orgId: string,
  options: {
    tenant?: Partial<Record<string, unknown>>
    dispatch?: Partial<DispatchInput>
    title?: string
    /** An existing package to dispatch instead of a new row. */
    packageId?: string
  } = {},
) {
  const tenant = await createTenant(
    rt,
    orgId,
    tenantInputSchema.parse({
      name: `Tenant ${randomBytes(4).toString('hex')}`,
      allowedDomains: ['lms.example.edu', '*.district.example.org'],
      ...options.tenant,
    }),
  )
  const packageId =
    options.packageId ?? (await insertPackage(rt.db, orgId, options.title ?? 'Fractions'))
  const dispatch = await createDispatch(
    rt,
    orgId,
    dispatchInputSchema.parse({ tenantId: tenant.id, packageId, ...options.dispatch }),
  )
  const { key } = await mintDispatchKey(rt, orgId, dispatch.id, null)
  return { tenant, dispatch, packageId, key }
}

/** The launcher's launch request. */
export function launch(
  app: Hono,
  dispatchId: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = { origin: LMS_ORIGIN },
) {
  return app.request(`/api/dispatch/${dispatchId}/launch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/**
 * Opens a launch's player page (as the launcher's frame does) and answers its commit URL;
 * this also creates the SCO's state, as a real launch does.
 */
export async function play(app: Hono, launchUrl: string): Promise<string> {
  const res = await app.request(new URL(launchUrl).pathname + new URL(launchUrl).search)
  if (res.status !== 200) throw new Error(`player answered ${res.status}: ${await res.text()}`)
  const html = await res.text()
  const url = /data-commit-url="([^"]+)"/.exec(html)?.[1]
  if (!url) throw new Error('no commit URL on the player')
  return url.replaceAll('&amp;', '&')
}

/** A run-time commit of flattened CMI values, as the player sends it. */
export function commit(app: Hono, commitUrl: string, body: Record<string, string>) {
  return app.request(commitUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** Imports a real SCORM 1.2 fixture package (one SCO) into `orgId`; answers its id. */
export async function importFixture(ctx: ScormContext, orgId: string, title: string) {
  const result = await importScormPackage(ctx, {
    orgId,
    bytes: buildPackage({ version: '1.2', title }),
    origin: `${title}.zip`,
    via: 'cli',
  })
  return result.packageId
}

/** Every row a launch or commit may write, in a comparable form. */
export async function snapshot(db: Database) {
  const [tenants, dispatches, registrations, launches] = await Promise.all([
    db
      .select({ id: scormTenants.id, n: scormTenants.registrationCount })
      .from(scormTenants)
      .orderBy(scormTenants.id),
    db
      .select({ id: scormDispatches.id, n: scormDispatches.registrationCount })
      .from(scormDispatches)
      .orderBy(scormDispatches.id),
    db.select().from(scormRegistrations).orderBy(scormRegistrations.id),
    db.select({ n: sql<number>`count(*)::int` }).from(scormDispatchLaunches),
  ])
  return { tenants, dispatches, registrations, launches: launches[0]?.n ?? 0 }
}

/** Registrations of one dispatch in the database. */
export async function registrationsOf(db: Database, dispatchId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(scormRegistrations)
    .where(eq(scormRegistrations.dispatchId, dispatchId))
  return Number(row?.n ?? 0)
}

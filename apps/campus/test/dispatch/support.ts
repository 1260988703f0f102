/**
 * Fixtures of the dispatch tests: a package row (the upload itself is the SCORM importer's
 * business and tested there), tenants and dispatches made through the dispatch module's own
 * writes, launches through the HTTP API as the launcher sends them, and a snapshot of every
 * row a launch or report may change, to prove a refusal changed nothing.
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

/** The launcher's report of a registration's progress. */
export function report(
  app: Hono,
  registrationId: string,
  token: string,
  body: Record<string, unknown>,
  origin = LMS_ORIGIN,
) {
  return app.request(`/api/dispatch/registrations/${registrationId}/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin },
    body: JSON.stringify(body),
  })
}

/** Every row a launch or report may write, in a comparable form. */
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

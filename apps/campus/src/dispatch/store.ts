/**
 * Database reads of tenants and dispatches, always within one organisation: a row of another
 * organisation reads as missing. These are the loaders the cache (`cache.ts`) calls on a miss.
 *
 * @module
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { scormDispatches, scormTenants } from '../db/schema.js'
import type { DispatchView, TenantView } from './types.js'

type TenantRow = typeof scormTenants.$inferSelect
type DispatchRow = typeof scormDispatches.$inferSelect

/** The cached view of a tenant row (its running count left out). */
export function tenantView(row: TenantRow): TenantView {
  return {
    id: row.id,
    orgId: row.orgSourcedId,
    name: row.name,
    kind: row.kind,
    targetOrgId: row.targetOrgSourcedId,
    enabled: row.enabled,
    registrationCap: row.registrationCap,
    expiresAt: row.expiresAt,
    allowedDomains: row.allowedDomains,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** The cached view of a dispatch row (its running count left out). */
export function dispatchView(row: DispatchRow): DispatchView {
  return {
    id: row.id,
    orgId: row.orgSourcedId,
    tenantId: row.tenantId,
    packageId: row.packageId,
    title: row.title,
    enabled: row.enabled,
    registrationCap: row.registrationCap,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** A tenant of `orgId`, or null. */
export async function loadTenant(
  db: Database,
  orgId: string,
  tenantId: string,
): Promise<TenantView | null> {
  const [row] = await db
    .select()
    .from(scormTenants)
    .where(and(eq(scormTenants.orgSourcedId, orgId), eq(scormTenants.id, tenantId)))
  return row ? tenantView(row) : null
}

/** Every tenant of `orgId`, by name. */
export async function loadTenants(db: Database, orgId: string): Promise<TenantView[]> {
  const rows = await db
    .select()
    .from(scormTenants)
    .where(eq(scormTenants.orgSourcedId, orgId))
    .orderBy(asc(scormTenants.name))
  return rows.map(tenantView)
}

/** A dispatch of `orgId`, or null. */
export async function loadDispatch(
  db: Database,
  orgId: string,
  dispatchId: string,
): Promise<DispatchView | null> {
  const [row] = await db
    .select()
    .from(scormDispatches)
    .where(and(eq(scormDispatches.orgSourcedId, orgId), eq(scormDispatches.id, dispatchId)))
  return row ? dispatchView(row) : null
}

/** The dispatches of one tenant of `orgId`, by title. */
export async function loadDispatchList(
  db: Database,
  orgId: string,
  tenantId: string,
): Promise<DispatchView[]> {
  const rows = await db
    .select()
    .from(scormDispatches)
    .where(and(eq(scormDispatches.orgSourcedId, orgId), eq(scormDispatches.tenantId, tenantId)))
    .orderBy(asc(scormDispatches.title), asc(scormDispatches.id))
  return rows.map(dispatchView)
}

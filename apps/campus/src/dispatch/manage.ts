/**
 * Administrators' writes: tenants, dispatches and dispatch keys, always within the caller's
 * organisation, each followed by the cache invalidation its change needs (`cache.ts`). A row
 * of another organisation is "not found", exactly like a missing one.
 *
 * @module
 */
import { and, eq, isNull } from 'drizzle-orm'
import { pgCode } from '../admin/errors.js'
import { orgs, scormDispatches, scormDispatchKeys, scormTenants } from '../db/schema.js'
import { DispatchError, dispatchNotFound } from './errors.js'
import type { DispatchRuntime } from './runtime.js'
import type { DispatchInput, TenantInput } from './schemas.js'
import { dispatchView, tenantView } from './store.js'
import { hashSecret, newSecret } from './tokens.js'
import type { DispatchView, TenantView } from './types.js'

const UNIQUE_VIOLATION = '23505'

function nameTaken(name: string): DispatchError {
  return new DispatchError('E_TENANT_NAME_TAKEN', 409, `a tenant named ${name} exists already`, {
    errors: [{ field: 'name', message: 'another tenant of this organisation has this name' }],
  })
}

async function checkTargetOrg(rt: DispatchRuntime, input: TenantInput): Promise<void> {
  if (input.targetOrgId === null) return
  const [row] = await rt.db
    .select({ id: orgs.sourcedId })
    .from(orgs)
    .where(eq(orgs.sourcedId, input.targetOrgId))
  if (!row) {
    throw new DispatchError('E_VALIDATION', 400, 'Invalid input: targetOrgId', {
      errors: [{ field: 'targetOrgId', message: `no organisation ${input.targetOrgId}` }],
    })
  }
}

function tenantColumns(input: TenantInput) {
  return {
    name: input.name,
    kind: input.kind,
    targetOrgSourcedId: input.targetOrgId,
    enabled: input.enabled,
    registrationCap: input.registrationCap,
    expiresAt: input.expiresAt,
    allowedDomains: [...new Set(input.allowedDomains)],
  }
}

/** Creates a tenant of `orgId`. */
export async function createTenant(
  rt: DispatchRuntime,
  orgId: string,
  input: TenantInput,
): Promise<TenantView> {
  await checkTargetOrg(rt, input)
  try {
    const [row] = await rt.db
      .insert(scormTenants)
      .values({ orgSourcedId: orgId, ...tenantColumns(input) })
      .returning()
    if (!row) throw new Error('tenant insert returned no row')
    await rt.cache.tenantChanged(orgId, row.id)
    return tenantView(row)
  } catch (error) {
    if (pgCode(error) === UNIQUE_VIOLATION) throw nameTaken(input.name)
    throw error
  }
}

/** Replaces a tenant's settings (its registration count stays). */
export async function updateTenant(
  rt: DispatchRuntime,
  orgId: string,
  tenantId: string,
  input: TenantInput,
): Promise<TenantView> {
  await checkTargetOrg(rt, input)
  try {
    const [row] = await rt.db
      .update(scormTenants)
      .set({ ...tenantColumns(input), updatedAt: new Date() })
      .where(and(eq(scormTenants.id, tenantId), eq(scormTenants.orgSourcedId, orgId)))
      .returning()
    if (!row) throw dispatchNotFound('tenant')
    await rt.cache.tenantChanged(orgId, tenantId)
    return tenantView(row)
  } catch (error) {
    if (pgCode(error) === UNIQUE_VIOLATION) throw nameTaken(input.name)
    throw error
  }
}

async function checkDispatchRefs(
  rt: DispatchRuntime,
  orgId: string,
  input: DispatchInput,
): Promise<{ title: string }> {
  const [tenant, course] = await Promise.all([
    rt.cache.tenant(orgId, input.tenantId),
    rt.cache.course(orgId, input.packageId),
  ])
  const errors = [
    ...(tenant ? [] : [{ field: 'tenantId', message: 'no such tenant in this organisation' }]),
    ...(course
      ? []
      : [{ field: 'packageId', message: 'no such SCORM package in this organisation' }]),
  ]
  if (!tenant || !course) {
    const fields = errors.map((e) => e.field).join(', ')
    throw new DispatchError('E_VALIDATION', 400, `Invalid input: ${fields}`, { errors })
  }
  return { title: input.title ?? course.title }
}

/** Creates a dispatch of one package of `orgId` to one of its tenants. */
export async function createDispatch(
  rt: DispatchRuntime,
  orgId: string,
  input: DispatchInput,
): Promise<DispatchView> {
  const { title } = await checkDispatchRefs(rt, orgId, input)
  const [row] = await rt.db
    .insert(scormDispatches)
    .values({
      orgSourcedId: orgId,
      tenantId: input.tenantId,
      packageId: input.packageId,
      title,
      enabled: input.enabled,
      registrationCap: input.registrationCap,
      expiresAt: input.expiresAt,
    })
    .returning()
  if (!row) throw new Error('dispatch insert returned no row')
  await rt.cache.dispatchChanged(orgId, row.tenantId, row.id)
  return dispatchView(row)
}

/**
 * Replaces a dispatch's settings. Its tenant and package stay (a dispatch's registrations
 * belong to them); moving one is a new dispatch.
 */
export async function updateDispatch(
  rt: DispatchRuntime,
  orgId: string,
  dispatchId: string,
  input: Omit<DispatchInput, 'tenantId' | 'packageId'>,
): Promise<DispatchView> {
  const current = await rt.cache.dispatch(orgId, dispatchId)
  if (!current) throw dispatchNotFound('dispatch')
  const [row] = await rt.db
    .update(scormDispatches)
    .set({
      ...(input.title === undefined ? {} : { title: input.title }),
      enabled: input.enabled,
      registrationCap: input.registrationCap,
      expiresAt: input.expiresAt,
      updatedAt: new Date(),
    })
    .where(and(eq(scormDispatches.id, dispatchId), eq(scormDispatches.orgSourcedId, orgId)))
    .returning()
  if (!row) throw dispatchNotFound('dispatch')
  await rt.cache.dispatchChanged(orgId, row.tenantId, row.id)
  return dispatchView(row)
}

/**
 * Mints a key for a dispatch package of `orgId`; the raw key is returned once (it goes into
 * the package) and only its hash is kept.
 */
export async function mintDispatchKey(
  rt: DispatchRuntime,
  orgId: string,
  dispatchId: string,
  createdBy: string | null,
): Promise<{ dispatch: DispatchView; key: string; keyId: string }> {
  const dispatch = await rt.cache.dispatch(orgId, dispatchId)
  if (!dispatch) throw dispatchNotFound('dispatch')
  const key = newSecret()
  const [row] = await rt.db
    .insert(scormDispatchKeys)
    .values({ orgSourcedId: orgId, dispatchId, keyHash: hashSecret(key), createdBy })
    .returning({ id: scormDispatchKeys.id })
  if (!row) throw new Error('key insert returned no row')
  return { dispatch, key, keyId: row.id }
}

/** Revokes every key of a dispatch: every package downloaded so far stops launching. */
export async function revokeDispatchKeys(
  rt: DispatchRuntime,
  orgId: string,
  dispatchId: string,
): Promise<number> {
  const rows = await rt.db
    .update(scormDispatchKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(scormDispatchKeys.dispatchId, dispatchId),
        eq(scormDispatchKeys.orgSourcedId, orgId),
        isNull(scormDispatchKeys.revokedAt),
      ),
    )
    .returning({ id: scormDispatchKeys.id })
  return rows.length
}

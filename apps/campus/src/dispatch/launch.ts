/**
 * A dispatch launch: the launcher in the tenant LMS presents the dispatch key and the LMS's
 * learner; campus checks, in order, the key, the tenant (enabled, not expired), the dispatch
 * (enabled, not expired), the launching page's domain, and for a new learner the caps, then
 * creates or resumes the learner's registration and issues a launch token.
 *
 * The caps hold under concurrent launches from any number of processes:
 *
 * 1. fast path: the satchel counters (`cap-counters.ts`) refuse a launch once a cap is reached,
 *    without opening a write transaction;
 * 2. final guard: in one transaction, a conditional `UPDATE … SET registration_count =
 *    registration_count + 1 WHERE … registration_count < registration_cap` on the tenant row,
 *    then on the dispatch row (always in that order, so two launches cannot deadlock), then the
 *    registration insert. The update takes the row lock, so concurrent launches of one dispatch
 *    queue on it and each sees the count its predecessor committed; when either update matches
 *    no row the transaction rolls back and nothing was written. The same `WHERE` re-checks the
 *    switch and the expiry, so a tenant disabled a moment ago is refused even if a cached copy
 *    still said enabled.
 *
 * Every refusal is a {@link DispatchError} with its own code, and leaves every row as it was.
 *
 * @module
 */
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import {
  scormDispatches,
  scormDispatchKeys,
  scormDispatchLaunches,
  scormPackages,
  scormRegistrations,
  scormTenants,
} from '../db/schema.js'
import { domainAllowed, launchingPage } from './domains.js'
import { DispatchError } from './errors.js'
import type { DispatchRuntime } from './runtime.js'
import { hashSecret, newSecret } from './tokens.js'
import type { DispatchView, TenantView } from './types.js'

/** How long a launch token opens its registration's player and takes its commits. */
export const LAUNCH_TOKEN_TTL_MS = 12 * 3_600_000

/** What a launch needs from the request. */
export interface LaunchRequest {
  dispatchId: string
  key: string
  learnerId: string
  learnerName: string
  origin: string | undefined
  referer: string | undefined
  now?: Date
}

/** A granted launch. */
export interface LaunchGrant {
  registrationId: string
  orgId: string
  tenantId: string
  packageId: string
  /** True when the learner had a registration already (no cap was consumed). */
  resumed: boolean
  /** Token of the launch: player, package files, commits (only its hash is stored). */
  token: string
  expiresAt: Date
  /** The launching page's origin (for the response's CORS header). */
  origin: string
}

/** Thrown inside the transaction when a concurrent launch registered the same learner first. */
class RegisteredMeanwhile extends Error {}

function expired(at: Date | null, now: Date): boolean {
  return at !== null && at.getTime() <= now.getTime()
}

/** The checks that need no write, on cached tenant and dispatch status. */
function checkStatus(
  tenant: TenantView,
  dispatch: DispatchView,
  page: { origin: string; host: string } | null,
  now: Date,
): { origin: string; host: string } {
  if (!tenant.enabled) {
    throw new DispatchError('E_TENANT_DISABLED', 403, `tenant ${tenant.name} is disabled`)
  }
  if (expired(tenant.expiresAt, now)) {
    throw new DispatchError('E_TENANT_EXPIRED', 410, `tenant ${tenant.name} has expired`, {
      extra: { expiredAt: tenant.expiresAt?.toISOString() },
    })
  }
  if (!dispatch.enabled) {
    throw new DispatchError('E_DISPATCH_DISABLED', 403, `dispatch ${dispatch.title} is disabled`)
  }
  if (expired(dispatch.expiresAt, now)) {
    throw new DispatchError('E_DISPATCH_EXPIRED', 410, `dispatch ${dispatch.title} has expired`, {
      extra: { expiredAt: dispatch.expiresAt?.toISOString() },
    })
  }
  if (!page || !domainAllowed(page.host, tenant.allowedDomains)) {
    throw new DispatchError(
      'E_DOMAIN_NOT_ALLOWED',
      403,
      page
        ? `launches from ${page.host} are not allowed for tenant ${tenant.name}`
        : 'the launch names no page (no Origin or Referer header)',
      { extra: { origin: page?.origin ?? null } },
    )
  }
  return page
}

function capReached(which: 'tenant' | 'dispatch', name: string, cap: number): DispatchError {
  return which === 'tenant'
    ? new DispatchError(
        'E_TENANT_CAP_REACHED',
        409,
        `tenant ${name} has reached its registration cap of ${cap}`,
        { extra: { cap } },
      )
    : new DispatchError(
        'E_DISPATCH_CAP_REACHED',
        409,
        `dispatch ${name} has reached its registration cap of ${cap}`,
        { extra: { cap } },
      )
}

/** Launches (see the module comment). */
export async function launchDispatch(
  rt: DispatchRuntime,
  req: LaunchRequest,
): Promise<LaunchGrant> {
  const now = req.now ?? new Date()
  const [keyRow] = await rt.db
    .select({ orgId: scormDispatchKeys.orgSourcedId, dispatchId: scormDispatchKeys.dispatchId })
    .from(scormDispatchKeys)
    .where(
      and(eq(scormDispatchKeys.keyHash, hashSecret(req.key)), isNull(scormDispatchKeys.revokedAt)),
    )
  // A valid key of another dispatch is as useless here as no key at all.
  if (!keyRow || keyRow.dispatchId !== req.dispatchId) {
    throw new DispatchError('E_DISPATCH_KEY_INVALID', 401, 'the dispatch key is invalid or revoked')
  }
  const { orgId } = keyRow
  const dispatch = await rt.cache.dispatch(orgId, req.dispatchId)
  const tenant = dispatch ? await rt.cache.tenant(orgId, dispatch.tenantId) : null
  if (!dispatch || !tenant) {
    throw new DispatchError('E_DISPATCH_KEY_INVALID', 401, 'the dispatch key is invalid or revoked')
  }
  const page = checkStatus(tenant, dispatch, launchingPage(req), now)
  const grant = (registrationId: string, resumed: boolean, token: string, expiresAt: Date) => ({
    registrationId,
    orgId,
    tenantId: tenant.id,
    packageId: dispatch.packageId,
    resumed,
    token,
    expiresAt,
    origin: page.origin,
  })

  await refuseArchived(rt.db, orgId, dispatch.packageId)
  const resumed = await resume(rt, orgId, dispatch.id, req.learnerId, page.origin, now)
  if (resumed) return grant(resumed.id, true, resumed.token, resumed.expiresAt)

  if (tenant.registrationCap !== null) {
    if ((await rt.caps.tenants.get(tenant.id)) >= tenant.registrationCap) {
      throw capReached('tenant', tenant.name, tenant.registrationCap)
    }
  }
  if (dispatch.registrationCap !== null) {
    if ((await rt.caps.dispatches.get(dispatch.id)) >= dispatch.registrationCap) {
      throw capReached('dispatch', dispatch.title, dispatch.registrationCap)
    }
  }

  const token = newSecret()
  const expiresAt = new Date(now.getTime() + LAUNCH_TOKEN_TTL_MS)
  let registrationId: string
  try {
    registrationId = await rt.db.transaction(async (tx) => {
      const open = (table: typeof scormTenants | typeof scormDispatches) =>
        and(
          eq(table.enabled, true),
          or(isNull(table.expiresAt), gt(table.expiresAt, now)),
          or(isNull(table.registrationCap), lt(table.registrationCount, table.registrationCap)),
        )
      const t = await tx
        .update(scormTenants)
        .set({ registrationCount: sql`${scormTenants.registrationCount} + 1` })
        .where(
          and(
            eq(scormTenants.id, tenant.id),
            eq(scormTenants.orgSourcedId, orgId),
            open(scormTenants),
          ),
        )
        .returning({ id: scormTenants.id })
      if (t.length === 0) throw await refusal(tx, 'tenant', tenant.id, now)
      const d = await tx
        .update(scormDispatches)
        .set({ registrationCount: sql`${scormDispatches.registrationCount} + 1` })
        .where(and(eq(scormDispatches.id, dispatch.id), open(scormDispatches)))
        .returning({ id: scormDispatches.id })
      if (d.length === 0) throw await refusal(tx, 'dispatch', dispatch.id, now)
      const inserted = await tx
        .insert(scormRegistrations)
        .values({
          orgSourcedId: orgId,
          packageId: dispatch.packageId,
          dispatchId: dispatch.id,
          learnerId: req.learnerId,
          learnerName: req.learnerName,
          createdAt: now,
          firstLaunchedAt: now,
          lastAccessedAt: now,
        })
        // The only unique index a new dispatch row can meet is (dispatch, learner, attempt).
        .onConflictDoNothing()
        .returning({ id: scormRegistrations.id })
      if (!inserted[0]) throw new RegisteredMeanwhile()
      await tx.insert(scormDispatchLaunches).values({
        orgSourcedId: orgId,
        dispatchId: dispatch.id,
        registrationId: inserted[0].id,
        tokenHash: hashSecret(token),
        origin: page.origin,
        createdAt: now,
        expiresAt,
      })
      return inserted[0].id
    })
  } catch (error) {
    if (!(error instanceof RegisteredMeanwhile)) throw error
    // The same learner launched twice at once: the other launch registered them; resume it.
    const again = await resume(rt, orgId, dispatch.id, req.learnerId, page.origin, now)
    if (!again) throw error
    return grant(again.id, true, again.token, again.expiresAt)
  }
  // After the commit, as the counters expect; a failure here is drift the next recount fixes.
  await Promise.all([
    rt.caps.tenants.incr(tenant.id),
    rt.caps.dispatches.incr(dispatch.id),
    rt.cache.registrationsChanged(orgId, tenant.id),
  ])
  return grant(registrationId, false, token, expiresAt)
}

/**
 * The learner's latest registration on the dispatch with a new launch (and token); null when
 * the learner has none.
 */
async function resume(
  rt: DispatchRuntime,
  orgId: string,
  dispatchId: string,
  learnerId: string,
  origin: string,
  now: Date,
): Promise<{ id: string; token: string; expiresAt: Date } | null> {
  const [row] = await rt.db
    .select({ id: scormRegistrations.id })
    .from(scormRegistrations)
    .where(
      and(
        eq(scormRegistrations.orgSourcedId, orgId),
        eq(scormRegistrations.dispatchId, dispatchId),
        eq(scormRegistrations.learnerId, learnerId),
      ),
    )
    .orderBy(desc(scormRegistrations.attempt))
    .limit(1)
  if (!row) return null
  const token = newSecret()
  const expiresAt = new Date(now.getTime() + LAUNCH_TOKEN_TTL_MS)
  await rt.db.transaction(async (tx) => {
    await tx
      .update(scormRegistrations)
      .set({ lastAccessedAt: now })
      .where(eq(scormRegistrations.id, row.id))
    await tx.insert(scormDispatchLaunches).values({
      orgSourcedId: orgId,
      dispatchId,
      registrationId: row.id,
      tokenHash: hashSecret(token),
      origin,
      createdAt: now,
      expiresAt,
    })
  })
  return { id: row.id, token, expiresAt }
}

/**
 * An archived package is launched by nobody, resumed learners included. Read from PostgreSQL
 * on every launch: the archive must hold at once, whatever a cache still says.
 */
async function refuseArchived(db: Database, orgId: string, packageId: string): Promise<void> {
  const [pkg] = await db
    .select({ title: scormPackages.title, archivedAt: scormPackages.archivedAt })
    .from(scormPackages)
    .where(and(eq(scormPackages.id, packageId), eq(scormPackages.orgSourcedId, orgId)))
  if (pkg?.archivedAt) {
    throw new DispatchError(
      'E_DISPATCH_PACKAGE_ARCHIVED',
      410,
      `the package ${JSON.stringify(pkg.title)} was archived and can no longer be launched`,
      { extra: { archivedAt: pkg.archivedAt.toISOString() } },
    )
  }
}

/** Why the guard's conditional update matched no row, read from the row itself. */
async function refusal(
  db: Pick<Database, 'select'>,
  which: 'tenant' | 'dispatch',
  id: string,
  now: Date,
): Promise<DispatchError> {
  const table = which === 'tenant' ? scormTenants : scormDispatches
  const [row] = await db
    .select({
      name: which === 'tenant' ? scormTenants.name : scormDispatches.title,
      enabled: table.enabled,
      expiresAt: table.expiresAt,
      cap: table.registrationCap,
    })
    .from(table)
    .where(eq(table.id, id))
  const upper = which === 'tenant' ? 'TENANT' : 'DISPATCH'
  if (!row?.enabled) {
    return new DispatchError(`E_${upper}_DISABLED`, 403, `${which} ${row?.name ?? id} is disabled`)
  }
  if (expired(row.expiresAt, now)) {
    return new DispatchError(`E_${upper}_EXPIRED`, 410, `${which} ${row.name} has expired`, {
      extra: { expiredAt: row.expiresAt?.toISOString() },
    })
  }
  return capReached(which, row.name, row.cap ?? 0)
}

/**
 * Cache keys of tenants, dispatches and the tenant dashboard. Everything is tenant data, so
 * every key is organisation-scoped (`campus:o:<org>:…`); ids and list parameters go through
 * satchel's key builder, which escapes separators and glob characters, so an id can neither
 * reach another organisation's keys nor widen the SCAN pattern that clears a tenant's lists.
 *
 * | key | TTL | holds |
 * |---|---|---|
 * | `scorm-tenant:<tenantId>` | 1 h | a tenant's settings |
 * | `scorm-course:<packageId>` | 10 min | a dispatched package's summary |
 * | `scorm-dispatch:<dispatchId>` | 5 min | a dispatch's status (switch, cap, expiry) |
 * | `scorm-dispatch-list:<tenantId>:<query>` | 5 min | a page of a tenant's dispatches |
 * | `scorm-dashboard:<tenantId>` | 1 min | the tenant dashboard's statistics |
 *
 * docs/scorm-dispatch.md lists what invalidates each.
 *
 * @module
 */
import type { Satchel } from 'satchel'

/** Key builders of the dispatch cache. */
export function dispatchKeys(satchel: Satchel) {
  const org = (orgId: string) => satchel.keys.org(orgId)
  return {
    tenant: (orgId: string, tenantId: string) => org(orgId).key('scorm-tenant', tenantId),
    course: (orgId: string, packageId: string) => org(orgId).key('scorm-course', packageId),
    dispatch: (orgId: string, dispatchId: string) => org(orgId).key('scorm-dispatch', dispatchId),
    dispatchList: (orgId: string, tenantId: string, query: string) =>
      org(orgId).key('scorm-dispatch-list', tenantId, query),
    /** SCAN pattern of every cached list page of one tenant (and of no other tenant). */
    dispatchListPattern: (orgId: string, tenantId: string) =>
      org(orgId).pattern('scorm-dispatch-list', tenantId),
    dashboard: (orgId: string, tenantId: string) => org(orgId).key('scorm-dashboard', tenantId),
  }
}

/** The key builders {@link dispatchKeys} returns. */
export type DispatchKeys = ReturnType<typeof dispatchKeys>

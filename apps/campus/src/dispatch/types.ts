/**
 * What the dispatch module reads and caches: plain rows without the counters that change on
 * every launch (those are read where they are needed, under the launch's row lock or in the
 * dashboard statistics), so a cached tenant or dispatch stays valid until an administrator
 * edits it.
 *
 * @module
 */
import type { ScormTenantKind } from '../db/schema.js'

/** A tenant's settings. */
export interface TenantView {
  id: string
  orgId: string
  name: string
  kind: ScormTenantKind
  targetOrgId: string | null
  enabled: boolean
  /** Registrations allowed over all the tenant's dispatches; null = no limit. */
  registrationCap: number | null
  expiresAt: Date | null
  allowedDomains: string[]
  createdAt: Date
  updatedAt: Date
}

/** A dispatch's status: its switch, cap and expiry, and what it dispatches to whom. */
export interface DispatchView {
  id: string
  orgId: string
  tenantId: string
  packageId: string
  title: string
  enabled: boolean
  registrationCap: number | null
  expiresAt: Date | null
  createdAt: Date
  updatedAt: Date
}

/** The summary of a dispatched package (the "course" the tenant LMS shows). */
export interface CourseView {
  id: string
  orgId: string
  title: string
  /** `1.2` or `2004`. */
  scormVersion: string
}

/**
 * Reads of login-link requests for the admin area, always scoped to one organisation or, for
 * operators, to every one.
 *
 * @module
 */
import { and, desc, eq, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client.js'
import { loginLinkRequests, orgs } from '../../db/schema.js'

/** A request as the admin area shows it. */
export interface LoginLinkRequestView {
  readonly id: string
  readonly orgId: string
  readonly orgName: string
  readonly email: string
  /** Whether the email matched an account of the organisation (approval needs one). */
  readonly hasAccount: boolean
  readonly message: string
  readonly status: string
  readonly requestedAt: string
  readonly decidedAt: string | null
  readonly decidedBy: string | null
}

/** Lists requests, newest first; `orgId` undefined lists every organisation's (operators). */
export async function listLoginLinkRequests(
  db: Database,
  filter: {
    orgId: string | undefined
    status: 'pending' | 'approved' | 'rejected' | 'all'
    limit: number
  },
): Promise<LoginLinkRequestView[]> {
  const where: SQL[] = []
  if (filter.orgId !== undefined) where.push(eq(loginLinkRequests.orgSourcedId, filter.orgId))
  if (filter.status !== 'all') where.push(eq(loginLinkRequests.status, filter.status))
  const rows = await db
    .select({
      id: loginLinkRequests.id,
      orgId: loginLinkRequests.orgSourcedId,
      orgName: orgs.name,
      email: loginLinkRequests.email,
      userId: loginLinkRequests.userSourcedId,
      message: loginLinkRequests.message,
      status: loginLinkRequests.status,
      requestedAt: loginLinkRequests.requestedAt,
      decidedAt: loginLinkRequests.decidedAt,
      decidedBy: loginLinkRequests.decidedBy,
    })
    .from(loginLinkRequests)
    .innerJoin(orgs, eq(orgs.sourcedId, loginLinkRequests.orgSourcedId))
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(loginLinkRequests.requestedAt), desc(loginLinkRequests.id))
    .limit(filter.limit)
  return rows.map((r) => ({
    id: r.id,
    orgId: r.orgId,
    orgName: r.orgName,
    email: r.email,
    hasAccount: r.userId !== null,
    message: r.message,
    status: r.status,
    requestedAt: r.requestedAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
  }))
}

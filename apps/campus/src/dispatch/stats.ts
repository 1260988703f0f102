/**
 * The tenant dashboard's statistics, computed in PostgreSQL from the registrations the
 * run-time committed: registrations, completions, pass rate and time spent, in total, per
 * dispatched course and per day. Cached for a minute per tenant (`cache.ts`).
 *
 * @module
 */
import { and, asc, eq, gte, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { scormDispatches, scormRegistrations } from '../db/schema.js'

/** Days the "over time" series covers, today included. */
export const SERIES_DAYS = 30

/** Counts of one group of registrations. */
export interface RegistrationTotals {
  registrations: number
  completions: number
  passed: number
  failed: number
  /** passed / (passed + failed); null while nobody has a success status. */
  passRate: number | null
  /** Time spent, seconds. */
  totalSeconds: number
}

/** One dispatched course's line. */
export interface CourseStats extends RegistrationTotals {
  dispatchId: string
  title: string
}

/** One day of the series (UTC). */
export interface DayStats {
  /** `YYYY-MM-DD`. */
  day: string
  registrations: number
  completions: number
}

/** Everything the dashboard shows. */
export interface DashboardStats {
  tenantId: string
  totals: RegistrationTotals
  byCourse: CourseStats[]
  /** {@link SERIES_DAYS} entries, oldest first, days without activity included as zeros. */
  overTime: DayStats[]
  /** When these numbers were computed. */
  computedAt: Date
}

const r = scormRegistrations
const d = scormDispatches

const aggregates = {
  // count(id), not count(*): a dispatch without registrations joins one all-null row.
  registrations: sql<number>`count(${r.id})::int`,
  completions: sql<number>`count(*) filter (where ${r.completionStatus} = 'completed')::int`,
  passed: sql<number>`count(*) filter (where ${r.successStatus} = 'passed')::int`,
  failed: sql<number>`count(*) filter (where ${r.successStatus} = 'failed')::int`,
  totalSeconds: sql<number>`coalesce(round(sum(${r.totalTimeSeconds})), 0)::int`,
}

function totals(row: Omit<RegistrationTotals, 'passRate'> | undefined): RegistrationTotals {
  const t = row ?? { registrations: 0, completions: 0, passed: 0, failed: 0, totalSeconds: 0 }
  const decided = t.passed + t.failed
  return {
    registrations: Number(t.registrations),
    completions: Number(t.completions),
    passed: Number(t.passed),
    failed: Number(t.failed),
    passRate: decided === 0 ? null : t.passed / decided,
    totalSeconds: Number(t.totalSeconds),
  }
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** Computes the dashboard of one tenant of `orgId` (`now` fixes the series' last day). */
export async function computeDashboard(
  db: Database,
  orgId: string,
  tenantId: string,
  now: Date = new Date(),
): Promise<DashboardStats> {
  // Registrations of the tenant are those of its dispatches (scorm_registrations.dispatch_id).
  const ofTenant = and(eq(d.orgSourcedId, orgId), eq(d.tenantId, tenantId))
  const first = new Date(`${dayOf(new Date(now.getTime() - (SERIES_DAYS - 1) * 86_400_000))}Z`)
  const perDay = (column: typeof r.createdAt | typeof r.completedAt) =>
    db
      .select({
        day: sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD')`,
        n: aggregates.registrations,
      })
      .from(d)
      .innerJoin(r, eq(r.dispatchId, d.id))
      .where(and(ofTenant, gte(column, first)))
      .groupBy(sql`1`)
  const [all, courses, created, completed] = await Promise.all([
    db.select(aggregates).from(d).innerJoin(r, eq(r.dispatchId, d.id)).where(ofTenant),
    db
      .select({ dispatchId: d.id, title: d.title, ...aggregates })
      .from(d)
      .leftJoin(r, eq(r.dispatchId, d.id))
      .where(ofTenant)
      .groupBy(d.id, d.title)
      .orderBy(asc(d.title), asc(d.id)),
    perDay(r.createdAt),
    perDay(r.completedAt),
  ])
  const createdBy = new Map(created.map((row) => [row.day, Number(row.n)]))
  const completedBy = new Map(completed.map((row) => [row.day, Number(row.n)]))
  const overTime: DayStats[] = []
  for (let i = 0; i < SERIES_DAYS; i++) {
    const day = dayOf(new Date(first.getTime() + i * 86_400_000))
    overTime.push({
      day,
      registrations: createdBy.get(day) ?? 0,
      completions: completedBy.get(day) ?? 0,
    })
  }
  return {
    tenantId,
    totals: totals(all[0]),
    byCourse: courses.map((c) => ({ dispatchId: c.dispatchId, title: c.title, ...totals(c) })),
    overTime,
    computedAt: now,
  }
}

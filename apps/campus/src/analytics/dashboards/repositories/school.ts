/**
 * The school administrator's dashboard, over the session organisation's subtree: how many
 * classes, students and teachers; students and practice per grade level; usage (attempts per
 * day and per week, active learners) for the weeks up to the latest recorded attempt, so a
 * school between terms still shows its last active period; imported figures (IXL diagnostic
 * level per period, Toddle attendance). The pending login-link count is its own entry
 * (`pending.ts`): it changes on other events and is far cheaper to reload.
 *
 * Cached per organisation for one minute, tagged `dashboardsTag` (imports). Graded attempts do NOT drop
 * it: on a busy school that would be one reload per attempt of the most shared entry, and usage
 * figures a minute old are what the one-minute TTL promises.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import { type Satchel, type WarmEntry, withCacheParam } from 'satchel'
import type { Database } from '../../../db/client.js'
import { orgSubtree } from '../../scope.js'
import {
  type DashboardDeps,
  dashboardCache,
  dashboardKeys,
  dashboardOptions,
  dashboardsTag,
} from '../cache.js'
import { inList, rowsOf } from '../sql.js'
import { round1 } from './personal-view.js'

/** Days of daily usage shown, and weeks of weekly usage. */
export const USAGE_DAYS = 28
export const USAGE_WEEKS = 12

/** What the administrator's view shows. */
export interface SchoolDashboard {
  view: 'school'
  orgId: string
  orgs: number
  counts: { classes: number; students: number; teachers: number }
  grades: { grade: string; students: number; attempts: number; meanScore: number | null }[]
  usage: {
    /** Day of the latest attempt (YYYY-MM-DD), null without any. */
    latestDay: string | null
    daily: { day: string; attempts: number }[]
    weekly: { weekStart: string; attempts: number }[]
    /** Learners with an attempt in the 7 and 28 days up to the latest attempt. */
    activeLearners7d: number
    activeLearners28d: number
  }
  ixl: { period: string; subject: string; learners: number; meanLevel: number }[]
  attendance: { marks: number; presentShare: number | null }
  computedAt: string
}

const DAY_MS = 86_400_000

/** Reads the administrator's view from PostgreSQL (seven queries). */
export async function loadSchoolDashboard(db: Database, orgId: string): Promise<SchoolDashboard> {
  const subtree = await orgSubtree(db, orgId)
  const orgs = inList(subtree)
  const [[counts], grades, [activity], ixl, [attendance]] = await Promise.all([
    rowsOf<{ classes: number; students: number; teachers: number }>(
      db,
      sql`select (select count(*) from classes where school_sourced_id in ${orgs})::int as classes,
            (select count(distinct user_sourced_id) from user_roles
              where org_sourced_id in ${orgs} and role = 'student')::int as students,
            (select count(distinct user_sourced_id) from user_roles
              where org_sourced_id in ${orgs} and role = 'teacher')::int as teachers`,
    ),
    rowsOf<{ grade: string; students: number; attempts: number; mean: number | null }>(
      db,
      sql`with learners as (
            select distinct coalesce(u.grades[1], '') as grade, u.sourced_id
            from users u join user_roles ur on ur.user_sourced_id = u.sourced_id
            where ur.org_sourced_id in ${orgs} and ur.role = 'student'),
          practice as (
            select coalesce(grade_level, '') as grade, count(*)::int as attempts,
              avg(score_percent)::float8 as mean
            from practice_attempts where org_sourced_id in ${orgs} group by 1)
          select l.grade, count(*)::int as students, coalesce(max(p.attempts), 0)::int as attempts,
            max(p.mean) as mean
          from learners l left join practice p on p.grade = l.grade
          group by l.grade order by l.grade`,
    ),
    rowsOf<{ latest: Date | string | null; active7: number; active28: number }>(
      db,
      sql`with latest as (
            select max(submitted_at) as m from practice_attempts where org_sourced_id in ${orgs})
          select (select m from latest) as latest,
            (select count(distinct user_sourced_id) from practice_attempts, latest
              where org_sourced_id in ${orgs} and submitted_at > latest.m - interval '7 days')::int
              as active7,
            (select count(distinct user_sourced_id) from practice_attempts, latest
              where org_sourced_id in ${orgs} and submitted_at > latest.m - interval '28 days')::int
              as active28`,
    ),
    rowsOf<{ period: string; subject: string; learners: number; mean: number }>(
      db,
      sql`select period, subject, count(distinct user_sourced_id)::int as learners,
            avg(level)::float8 as mean
          from external_assessment_scores
          where org_sourced_id in ${orgs} and provider = 'ixl' and assessment = 'diagnostic'
            and strand = 'overall' and level is not null
          group by 1, 2 order by min(import_run_id::text), 1, 2`,
    ),
    rowsOf<{ marks: number; present: number | null }>(
      db,
      sql`select count(*)::int as marks,
            avg(case when status in ('present', 'late') then 1 else 0 end)::float8 as present
          from toddle_attendance where org_sourced_id in ${orgs}`,
    ),
  ])
  const latest = activity?.latest ? new Date(activity.latest) : null
  const usage = latest ? await dailyUsage(db, orgs, latest) : new Map<string, number>()
  return {
    view: 'school',
    orgId,
    orgs: subtree.length,
    counts: counts ?? { classes: 0, students: 0, teachers: 0 },
    grades: grades.map((g) => ({
      grade: g.grade,
      students: g.students,
      attempts: g.attempts,
      meanScore: g.mean === null ? null : round1(g.mean),
    })),
    usage: {
      latestDay: latest ? dayOf(latest.getTime()) : null,
      ...series(usage, latest),
      activeLearners7d: activity?.active7 ?? 0,
      activeLearners28d: activity?.active28 ?? 0,
    },
    ixl: ixl.map((i) => ({ ...i, meanLevel: Math.round(i.mean) })),
    attendance: {
      marks: attendance?.marks ?? 0,
      presentShare:
        attendance?.present == null ? null : Math.round(attendance.present * 1000) / 1000,
    },
    computedAt: new Date().toISOString(),
  }
}

/** Attempts per UTC day over the {@link USAGE_WEEKS} weeks up to `latest`. */
async function dailyUsage(
  db: Database,
  orgs: ReturnType<typeof inList>,
  latest: Date,
): Promise<Map<string, number>> {
  const from = new Date(startOfDay(latest.getTime()) - (USAGE_WEEKS * 7 - 1) * DAY_MS)
  const rows = await rowsOf<{ day: string; attempts: number }>(
    db,
    sql`select to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD') as day,
          count(*)::int as attempts
        from practice_attempts
        where org_sourced_id in ${orgs} and submitted_at >= ${from.toISOString()}
        group by 1`,
  )
  return new Map(rows.map((r) => [r.day, r.attempts]))
}

function series(usage: Map<string, number>, latest: Date | null) {
  if (!latest) return { daily: [], weekly: [] }
  const end = startOfDay(latest.getTime())
  const daily = Array.from({ length: USAGE_DAYS }, (_, i) => {
    const day = dayOf(end - (USAGE_DAYS - 1 - i) * DAY_MS)
    return { day, attempts: usage.get(day) ?? 0 }
  })
  const weekly = Array.from({ length: USAGE_WEEKS }, (_, w) => {
    const start = end - ((USAGE_WEEKS - w) * 7 - 1) * DAY_MS
    let attempts = 0
    for (let d = 0; d < 7; d++) attempts += usage.get(dayOf(start + d * DAY_MS)) ?? 0
    return { weekStart: dayOf(start), attempts }
  })
  return { daily, weekly }
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Key and options of the administrator's view (one definition for the read and the warmer). */
const school = {
  key: (satchel: Satchel, orgId: string) => dashboardKeys.school(satchel, orgId),
  options: (orgId: string) => dashboardOptions<SchoolDashboard>([dashboardsTag(orgId)]),
}

/** The administrator view's cache entry, for `cache.warm`. */
export function schoolEntry(deps: DashboardDeps, orgId: string): WarmEntry<SchoolDashboard> {
  return {
    key: school.key(deps.satchel, orgId),
    factory: () => loadSchoolDashboard(deps.db, orgId),
    options: school.options(orgId),
  }
}

/** Reads the administrator's view through the dashboards cache. */
export function schoolRepository(deps: DashboardDeps): (orgId: string) => Promise<SchoolDashboard> {
  return withCacheParam(
    () => dashboardCache(deps.satchel),
    (orgId: string) => school.key(deps.satchel, orgId),
    (orgId: string) => loadSchoolDashboard(deps.db, orgId),
    school.options,
  )
}

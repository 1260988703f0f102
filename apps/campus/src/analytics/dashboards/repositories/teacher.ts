/**
 * The teacher's dashboard: the classes they teach (OneRoster enrollment role `teacher`), who is
 * behind in them (the rule in `../behind.ts`), and item difficulty: the share of correct
 * responses per item over their classes' attempts, hardest first.
 *
 * Cached per (organisation, teacher) for one minute, tagged with the teacher (`userTag`: a
 * graded attempt of one of their learners drops it, see `invalidation-rules.ts`) and the session
 * organisation (`dashboardsTag`: imports).
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { Database } from '../../../db/client.js'
import { orgSubtree } from '../../scope.js'
import { type BehindReason, behindReasons, median, RECENT_ATTEMPTS } from '../behind.js'
import { dashboardKeys } from '../cache.js'
import { inList, rowsOf } from '../sql.js'
import { personalView, round1 } from './personal-view.js'

/** One class the teacher teaches. */
export interface TeacherClass {
  classId: string
  classTitle: string
  courseTitle: string
  students: number
  attempts: number
  meanScore: number | null
  behind: number
}

/** A learner the rule flags. */
export interface BehindLearner {
  classId: string
  classTitle: string
  userId: string
  name: string
  attempts: number
  recentMean: number | null
  passed: number
  classMedianPassed: number
  reasons: BehindReason[]
}

/** One item's difficulty. */
export interface ItemDifficulty {
  itemId: string
  itemTitle: string
  resourceTitle: string
  responses: number
  /** Share of correct responses, 0–1. */
  shareCorrect: number
}

/** What the teacher's view shows. */
export interface TeacherDashboard {
  view: 'teacher'
  orgId: string
  userId: string
  classes: TeacherClass[]
  behind: BehindLearner[]
  /** The hardest items (at least {@link MIN_RESPONSES} responses), at most 10. */
  items: ItemDifficulty[]
  computedAt: string
}

/** Items with fewer responses say little about difficulty. */
export const MIN_RESPONSES = 3

type Roster = { class_id: string; user_id: string; name: string }
type Figures = {
  class_id: string
  user_id: string
  attempts: number
  recent_mean: number | null
  passed: number
  mean: number
}

/** Reads the teacher's view from PostgreSQL (five queries). */
export async function loadTeacherDashboard(
  db: Database,
  orgId: string,
  userId: string,
): Promise<TeacherDashboard> {
  const subtree = await orgSubtree(db, orgId)
  const classes = await rowsOf<{ class_id: string; class_title: string; course_title: string }>(
    db,
    sql`select c.sourced_id as class_id, c.title as class_title, co.title as course_title
        from enrollments e
        join classes c on c.sourced_id = e.class_sourced_id
        join courses co on co.sourced_id = c.course_sourced_id
        where e.user_sourced_id = ${userId} and e.role = 'teacher'
          and c.school_sourced_id in ${inList(subtree)}
        order by c.title`,
  )
  const ids = inList(classes.map((c) => c.class_id))
  const [roster, figures, items] = await Promise.all([
    rowsOf<Roster>(
      db,
      sql`select e.class_sourced_id as class_id, u.sourced_id as user_id,
            trim(u.given_name || ' ' || u.family_name) as name
          from enrollments e join users u on u.sourced_id = e.user_sourced_id
          where e.class_sourced_id in ${ids} and e.role = 'student'
          order by u.family_name, u.given_name`,
    ),
    rowsOf<Figures>(
      db,
      sql`with ranked as (
            select class_sourced_id, user_sourced_id, score_percent, passed, resource_sourced_id,
              row_number() over (partition by class_sourced_id, user_sourced_id
                                 order by submitted_at desc) as rn
            from practice_attempts where class_sourced_id in ${ids})
          select class_sourced_id as class_id, user_sourced_id as user_id,
            count(*)::int as attempts,
            (avg(score_percent) filter (where rn <= ${RECENT_ATTEMPTS}))::float8 as recent_mean,
            (count(distinct resource_sourced_id) filter (where passed))::int as passed,
            avg(score_percent)::float8 as mean
          from ranked group by 1, 2`,
    ),
    rowsOf<{
      item_id: string
      item_title: string
      resource_title: string
      responses: number
      share: number
    }>(
      db,
      sql`select r.item_sourced_id as item_id, ai.title as item_title, res.title as resource_title,
            count(*)::int as responses, avg(case when r.correct then 1 else 0 end)::float8 as share
          from practice_attempts a
          join practice_item_responses r on r.attempt_id = a.id
          join assessment_items ai on ai.sourced_id = r.item_sourced_id
          join resources res on res.sourced_id = r.resource_sourced_id
          where a.class_sourced_id in ${ids}
          group by 1, 2, 3 having count(*) >= ${MIN_RESPONSES}
          order by share asc, responses desc, item_id limit 10`,
    ),
  ])
  const figuresOf = new Map(figures.map((f) => [`${f.class_id}\u0000${f.user_id}`, f]))
  const behind: BehindLearner[] = []
  const summaries = classes.map((c): TeacherClass => {
    const learners = roster.filter((r) => r.class_id === c.class_id)
    const rows = learners.map((l) => ({ l, f: figuresOf.get(`${c.class_id}\u0000${l.user_id}`) }))
    const classMedian = median(rows.map(({ f }) => f?.passed ?? 0))
    let flagged = 0
    for (const { l, f } of rows) {
      const figures = {
        attempts: f?.attempts ?? 0,
        recentMean: f?.recent_mean == null ? null : round1(f.recent_mean),
        passed: f?.passed ?? 0,
      }
      const reasons = behindReasons(figures, classMedian)
      if (reasons.length === 0) continue
      flagged++
      behind.push({
        classId: c.class_id,
        classTitle: c.class_title,
        userId: l.user_id,
        name: l.name,
        ...figures,
        classMedianPassed: classMedian,
        reasons,
      })
    }
    const attempts = rows.reduce((sum, { f }) => sum + (f?.attempts ?? 0), 0)
    const weighted = rows.reduce((sum, { f }) => sum + (f ? f.mean * f.attempts : 0), 0)
    return {
      classId: c.class_id,
      classTitle: c.class_title,
      courseTitle: c.course_title,
      students: learners.length,
      attempts,
      meanScore: attempts === 0 ? null : round1(weighted / attempts),
      behind: flagged,
    }
  })
  return {
    view: 'teacher',
    orgId,
    userId,
    classes: summaries,
    behind,
    items: items.map((i) => ({
      itemId: i.item_id,
      itemTitle: i.item_title,
      resourceTitle: i.resource_title,
      responses: i.responses,
      shareCorrect: Math.round(i.share * 1000) / 1000,
    })),
    computedAt: new Date().toISOString(),
  }
}

const teacherView = personalView(dashboardKeys.teacher, loadTeacherDashboard)

/** The teacher view's cache entry, for `cache.warm`. */
export const teacherEntry = teacherView.entry

/** Reads the teacher view through the dashboards cache. */
export const teacherRepository = teacherView.repository

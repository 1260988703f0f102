/**
 * `/cohorts` without a query: the cohorts the caller may open, as links. A teacher sees the
 * classes they teach; an administrator the schools, grade levels and classes of their
 * organisation and its descendants (capped, in id order).
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import type { OrgContext } from '../../auth/principal.js'
import type { Database } from '../../db/client.js'
import type { PageViewer } from '../../practice/viewer.js'
import { Layout } from '../../web/layout.js'
import { inOrgs } from './access.js'
import type { Scope } from './params.js'

/** Longest list per scope on the index. */
export const INDEX_CAP = 200

interface Entry {
  readonly id: string
  readonly label: string
}

/** The cohorts the caller may open, per scope. */
export interface CohortIndex {
  readonly schools: readonly Entry[]
  readonly grades: readonly Entry[]
  readonly classes: readonly Entry[]
}

async function entries(db: Database, query: ReturnType<typeof sql>): Promise<Entry[]> {
  const result = (await db.execute(query)) as unknown as { rows: { id: string; label: string }[] }
  return result.rows.map((r) => ({ id: String(r.id), label: String(r.label) }))
}

/** Reads the index for `ctx` (a teacher or an administrator) over `subtree`. */
export async function loadCohortIndex(
  db: Database,
  ctx: OrgContext,
  subtree: readonly string[],
): Promise<CohortIndex> {
  const orgs = inOrgs(subtree)
  const admin = ctx.principal.operator || ctx.principal.role === 'administrator'
  const classes = await entries(
    db,
    admin
      ? sql`select sourced_id as id, title as label from classes
          where school_sourced_id in ${orgs} order by sourced_id limit ${INDEX_CAP}`
      : sql`select c.sourced_id as id, c.title as label from classes c
          join enrollments e on e.class_sourced_id = c.sourced_id
          where c.school_sourced_id in ${orgs} and e.user_sourced_id = ${ctx.principal.userId}
            and e.role = 'teacher' and e.status = 'active'
          order by c.sourced_id limit ${INDEX_CAP}`,
  )
  if (!admin) return { schools: [], grades: [], classes }
  const [schools, grades] = await Promise.all([
    entries(
      db,
      sql`select sourced_id as id, name as label from orgs where sourced_id in ${orgs}
          and type = 'school' order by sourced_id limit ${INDEX_CAP}`,
    ),
    entries(
      db,
      sql`select distinct (u.grades)[1] as id, 'Grade ' || (u.grades)[1] as label from users u
          join user_roles ur on ur.user_sourced_id = u.sourced_id
          where ur.role = 'student' and ur.org_sourced_id in ${orgs} and (u.grades)[1] is not null
          order by 1 limit ${INDEX_CAP}`,
    ),
  ])
  return { schools, grades, classes }
}

function List(props: { title: string; scope: Scope; items: readonly Entry[] }) {
  if (props.items.length === 0) return null
  return (
    <section aria-labelledby={`index-${props.scope}`}>
      <h2 id={`index-${props.scope}`}>{props.title}</h2>
      <ul class="plain">
        {props.items.map((item) => (
          <li>
            <a
              href={`/cohorts?${new URLSearchParams({ scope: props.scope, id: item.id, score: 'quiz' })}`}
            >
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The index page. */
export function CohortIndexPage(props: { index: CohortIndex; viewer: PageViewer }) {
  const { index } = props
  const empty = index.schools.length + index.grades.length + index.classes.length === 0
  return (
    <Layout title="Cohorts" breadcrumbs={[{ label: 'Cohorts' }]} viewer={props.viewer}>
      <h1>Cohorts</h1>
      <p class="meta">
        Score distributions of a class, a grade level or a school. Each page starts with quiz
        scores; choose IXL levels or Toddle grades there.
      </p>
      {empty ? <p class="notice">There are no cohorts for you to open yet.</p> : null}
      <List title="Schools" scope="school" items={index.schools} />
      <List title="Grade levels" scope="grade" items={index.grades} />
      <List title="Classes" scope="class" items={index.classes} />
    </Layout>
  )
}

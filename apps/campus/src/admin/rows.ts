/**
 * Row lookups the course builder's checks share. Each runs inside the mutation's transaction,
 * so what a check saw is what the write changes.
 *
 * @module
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { componentResources, courseComponents, courses, resources } from '../db/schema.js'
import { notFound } from './errors.js'

/** A transaction, or the database itself: whatever the mutation runs on. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0] | Database

// Any constant works; it only has to be the same in every campus process sharing a database.
const COURSE_BUILDER_LOCK = 7_261_002

/**
 * Runs one course builder mutation in a transaction that first takes a transaction-scoped
 * advisory lock, so mutations run one at a time across every campus process. Their checks
 * (sibling slugs, one challenge holder, sort orders, reorder permutations) and metadata merges
 * read before they write: under READ COMMITTED two concurrent mutations could both pass a check,
 * or one could overwrite the other's merge. Builder writes are rare and short, and learner pages
 * never take the lock.
 */
export function builderTransaction<T>(db: Database, run: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${COURSE_BUILDER_LOCK})`)
    return run(tx)
  })
}

/** A course_components row. */
export type ComponentRow = typeof courseComponents.$inferSelect
/** A resources row. */
export type ResourceRow = typeof resources.$inferSelect
/** A component_resources row. */
export type PlacementRow = typeof componentResources.$inferSelect

const ACTIVE = 'active'

/** The course, or a 404 naming `field`. */
export async function requireCourse(tx: Tx, id: string, field?: string) {
  const [row] = await tx.select().from(courses).where(eq(courses.sourcedId, id))
  if (!row) throw notFound('course', id, field)
  return row
}

/** The component, or a 404 naming `field`. */
export async function requireComponent(tx: Tx, id: string, field?: string): Promise<ComponentRow> {
  const [row] = await tx.select().from(courseComponents).where(eq(courseComponents.sourcedId, id))
  if (!row) throw notFound('component', id, field)
  return row
}

/** The resource, or a 404 naming `field`. */
export async function requireResource(tx: Tx, id: string, field?: string): Promise<ResourceRow> {
  const [row] = await tx.select().from(resources).where(eq(resources.sourcedId, id))
  if (!row) throw notFound('resource', id, field)
  return row
}

/** The placement, or a 404. */
export async function requirePlacement(tx: Tx, id: string): Promise<PlacementRow> {
  const [row] = await tx
    .select()
    .from(componentResources)
    .where(eq(componentResources.sourcedId, id))
  if (!row) throw notFound('component resource', id)
  return row
}

/** Active children of `parentId` in a course (`null`: the top level, units and the holder). */
export function activeChildren(
  tx: Tx,
  courseId: string,
  parentId: string | null,
): Promise<ComponentRow[]> {
  return tx
    .select()
    .from(courseComponents)
    .where(
      and(
        eq(courseComponents.courseSourcedId, courseId),
        parentId === null
          ? isNull(courseComponents.parentSourcedId)
          : eq(courseComponents.parentSourcedId, parentId),
        eq(courseComponents.status, ACTIVE),
      ),
    )
}

/** Active placements of a component. */
export function activePlacements(tx: Tx, componentId: string): Promise<PlacementRow[]> {
  return tx
    .select()
    .from(componentResources)
    .where(
      and(
        eq(componentResources.courseComponentSourcedId, componentId),
        eq(componentResources.status, ACTIVE),
      ),
    )
}

/** The sortOrder after the last child, so a new child is appended. */
export function nextSortOrder(rows: readonly { sortOrder: number }[]): number {
  return rows.reduce((highest, row) => Math.max(highest, row.sortOrder + 1), 0)
}

/**
 * Every course a resource is placed in, whatever the rows' status: invalidating one course too
 * many costs a rebuild, one too few serves stale content for a TTL.
 */
export async function coursesOfResources(
  tx: Tx,
  resourceIds: readonly string[],
): Promise<string[]> {
  if (resourceIds.length === 0) return []
  const rows = await tx
    .selectDistinct({ courseId: courseComponents.courseSourcedId })
    .from(componentResources)
    .innerJoin(
      courseComponents,
      eq(courseComponents.sourcedId, componentResources.courseComponentSourcedId),
    )
    .where(inArray(componentResources.resourceSourcedId, [...resourceIds]))
  return rows.map((r) => r.courseId)
}

/** Resources placed in any of the components (for their `resource-courses` entries). */
export async function resourcesInComponents(
  tx: Tx,
  componentIds: readonly string[],
): Promise<string[]> {
  if (componentIds.length === 0) return []
  const rows = await tx
    .selectDistinct({ id: componentResources.resourceSourcedId })
    .from(componentResources)
    .where(inArray(componentResources.courseComponentSourcedId, [...componentIds]))
  return rows.map((r) => r.id)
}

/** Whether `id` is already a row of `table` (the duplicate-id check). */
export async function idTaken(
  tx: Tx,
  table: typeof courseComponents | typeof resources | typeof componentResources,
  id: string,
): Promise<boolean> {
  const [row] = await tx.select({ n: sql<number>`1` }).from(table).where(eq(table.sourcedId, id))
  return row !== undefined
}

/** The resources among `ids`, by id. */
export async function resourcesById(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, ResourceRow>> {
  if (ids.length === 0) return new Map()
  const rows = await tx
    .select()
    .from(resources)
    .where(inArray(resources.sourcedId, [...new Set(ids)]))
  return new Map(rows.map((r) => [r.sourcedId, r]))
}

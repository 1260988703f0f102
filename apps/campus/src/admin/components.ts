/**
 * Course builder mutations of course components: units (no parent), lessons (a unit's
 * children) and the course-challenge holder.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { eq, inArray } from 'drizzle-orm'
import type { z } from 'zod'
import type { Database } from '../db/client.js'
import { type ComponentMetadata, courseComponents } from '../db/schema.js'
import { type Affected, affected, type MutationResult } from './affected.js'
import { conflict, invalid } from './errors.js'
import { checkPlacementsAfterMove } from './placement-rules.js'
import {
  activeChildren,
  builderTransaction,
  type ComponentRow,
  idTaken,
  nextSortOrder,
  requireComponent,
  requireCourse,
  resourcesInComponents,
  type Tx,
} from './rows.js'
import type { createComponentBody, reorderComponentsBody, updateComponentBody } from './schemas.js'

const CHALLENGE_ROLE = 'course-challenge'
/** `/:subject/:course/challenge/:slug` would shadow a unit with this slug (content-model.md). */
const RESERVED_UNIT_SLUGS = new Set(['challenge'])

function isUnit(row: ComponentRow): boolean {
  return row.parentSourcedId === null && row.metadata.role !== CHALLENGE_ROLE
}

/** The parent a component may hang under: a unit of the same course. */
async function checkParent(tx: Tx, courseId: string, parentId: string): Promise<void> {
  const parent = await requireComponent(tx, parentId, 'parentSourcedId')
  if (parent.courseSourcedId !== courseId) {
    throw invalid('parentSourcedId', 'belongs to another course')
  }
  if (!isUnit(parent)) throw invalid('parentSourcedId', 'must be a unit (lessons cannot nest)')
}

/** Slugs are unique among siblings (`content-model.md`), or URLs become ambiguous. */
async function checkSlug(
  tx: Tx,
  courseId: string,
  parentId: string | null,
  slug: string | undefined,
  selfId: string,
  role: unknown,
): Promise<void> {
  if (slug === undefined) throw invalid('metadata.slug', 'is required')
  if (parentId === null && role !== CHALLENGE_ROLE && RESERVED_UNIT_SLUGS.has(slug)) {
    throw invalid('metadata.slug', `"${slug}" is reserved for unit slugs`)
  }
  const siblings = await activeChildren(tx, courseId, parentId)
  if (siblings.some((s) => s.sourcedId !== selfId && s.metadata.slug === slug)) {
    throw conflict('metadata.slug', `a sibling already uses the slug "${slug}"`)
  }
}

/** Creates a unit, a lesson (with `parentSourcedId`) or a course-challenge holder. */
export async function createComponent(
  db: Database,
  input: z.infer<typeof createComponentBody>,
): Promise<MutationResult<ComponentRow>> {
  return builderTransaction(db, async (tx) => {
    await requireCourse(tx, input.courseSourcedId, 'courseSourcedId')
    const sourcedId = input.sourcedId ?? `component-${randomUUID()}`
    if (await idTaken(tx, courseComponents, sourcedId)) {
      throw conflict('sourcedId', `component "${sourcedId}" already exists`)
    }
    const parentId = input.parentSourcedId ?? null
    if (parentId !== null) {
      await checkParent(tx, input.courseSourcedId, parentId)
      if (input.metadata.role === CHALLENGE_ROLE) {
        throw invalid('metadata.role', 'a course-challenge holder has no parent')
      }
    }
    const role = input.metadata.role
    await checkSlug(tx, input.courseSourcedId, parentId, input.metadata.slug, sourcedId, role)
    if (role === CHALLENGE_ROLE) {
      const top = await activeChildren(tx, input.courseSourcedId, null)
      if (top.some((c) => c.metadata.role === CHALLENGE_ROLE)) {
        throw conflict('metadata.role', 'the course already has a course-challenge holder')
      }
    }
    const sortOrder =
      input.sortOrder ?? nextSortOrder(await activeChildren(tx, input.courseSourcedId, parentId))
    const [row] = await tx
      .insert(courseComponents)
      .values({
        sourcedId,
        courseSourcedId: input.courseSourcedId,
        parentSourcedId: parentId,
        title: input.title,
        sortOrder,
        metadata: input.metadata as ComponentMetadata,
      })
      .returning()
    return { data: row as ComponentRow, affected: affected([input.courseSourcedId]) }
  })
}

/** Renames, re-slugs, reorders or moves (within its course) a component. */
export async function updateComponent(
  db: Database,
  id: string,
  input: z.infer<typeof updateComponentBody>,
): Promise<MutationResult<ComponentRow>> {
  return builderTransaction(db, async (tx) => {
    const current = await requireComponent(tx, id)
    const courseId = current.courseSourcedId
    const parentId =
      input.parentSourcedId === undefined ? current.parentSourcedId : input.parentSourcedId
    const moved = parentId !== current.parentSourcedId
    if (moved) {
      if (current.metadata.role === CHALLENGE_ROLE) {
        throw invalid('parentSourcedId', 'the course-challenge holder cannot be moved')
      }
      if (parentId !== null) {
        if (parentId === id)
          throw invalid('parentSourcedId', 'a component cannot be its own parent')
        await checkParent(tx, courseId, parentId)
        if ((await activeChildren(tx, courseId, id)).length > 0) {
          throw invalid('parentSourcedId', 'a unit with lessons cannot become a lesson')
        }
      }
      // A lesson's articles cannot live on a unit, nor a unit's quizzes on a lesson: the pages
      // would no longer find them.
      await checkPlacementsAfterMove(tx, current, parentId)
    }
    const metadata = { ...current.metadata, ...(input.metadata ?? {}) }
    if (moved || metadata.slug !== current.metadata.slug) {
      await checkSlug(tx, courseId, parentId, metadata.slug, id, metadata.role)
    }
    const sortOrder =
      input.sortOrder ??
      (moved ? nextSortOrder(await activeChildren(tx, courseId, parentId)) : current.sortOrder)
    const [row] = await tx
      .update(courseComponents)
      .set({
        title: input.title ?? current.title,
        sortOrder,
        parentSourcedId: parentId,
        metadata,
        dateLastModified: new Date(),
      })
      .where(eq(courseComponents.sourcedId, id))
      .returning()
    return { data: row as ComponentRow, affected: affected([courseId]) }
  })
}

/** Deletes a component, its lessons when it is a unit, and their placements (cascade). */
export async function deleteComponent(
  db: Database,
  id: string,
): Promise<MutationResult<{ deleted: string[] }>> {
  return builderTransaction(db, async (tx) => {
    const current = await requireComponent(tx, id)
    // Any status: a lesson marked tobedeleted must not outlive its unit as an orphan row.
    const children = await tx
      .select({ id: courseComponents.sourcedId })
      .from(courseComponents)
      .where(eq(courseComponents.parentSourcedId, id))
    const ids = [id, ...children.map((c) => c.id)]
    const placed = await resourcesInComponents(tx, ids)
    await tx.delete(courseComponents).where(inArray(courseComponents.sourcedId, ids))
    const result: Affected = affected([current.courseSourcedId])
    for (const resourceId of placed) result.placementsChanged.add(resourceId)
    return { data: { deleted: ids }, affected: result }
  })
}

/**
 * Sets the order of a parent's children (`null`: the course's units) to `order`, sortOrder
 * 0..n-1. `order` must list every active child exactly once, so no two siblings end up sharing a
 * position with one left out.
 */
export async function reorderComponents(
  db: Database,
  courseId: string,
  input: z.infer<typeof reorderComponentsBody>,
): Promise<MutationResult<{ order: string[] }>> {
  return builderTransaction(db, async (tx) => {
    await requireCourse(tx, courseId)
    const parentId = input.parentSourcedId
    if (parentId !== null) {
      const parent = await requireComponent(tx, parentId, 'parentSourcedId')
      if (parent.courseSourcedId !== courseId) {
        throw invalid('parentSourcedId', 'belongs to another course')
      }
    }
    const siblings = (await activeChildren(tx, courseId, parentId)).filter(
      (c) => c.metadata.role !== CHALLENGE_ROLE,
    )
    checkPermutation(
      input.order,
      siblings.map((s) => s.sourcedId),
      'a sibling',
    )
    for (const [index, componentId] of input.order.entries()) {
      await tx
        .update(courseComponents)
        .set({ sortOrder: index, dateLastModified: new Date() })
        .where(eq(courseComponents.sourcedId, componentId))
    }
    return { data: { order: input.order }, affected: affected([courseId]) }
  })
}

/** `order` must be exactly the ids of `expected`, each once; errors name `order.<i>`. */
export function checkPermutation(
  order: readonly string[],
  expected: readonly string[],
  what: string,
): void {
  const allowed = new Set(expected)
  const seen = new Set<string>()
  for (const [index, id] of order.entries()) {
    if (!allowed.has(id)) throw invalid(`order.${index}`, `"${id}" is not ${what}`)
    if (seen.has(id)) throw invalid(`order.${index}`, `"${id}" is listed twice`)
    seen.add(id)
  }
  const missing = expected.filter((id) => !seen.has(id))
  if (missing.length > 0) {
    throw invalid(
      'order',
      `must list every one; missing ${missing.map((m) => `"${m}"`).join(', ')}`,
    )
  }
}

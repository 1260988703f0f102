/**
 * Course builder mutations of component resources (a resource placed in a lesson, a unit or a
 * course-challenge holder).
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import type { Database } from '../db/client.js'
import { componentResources } from '../db/schema.js'
import { affected, type MutationResult } from './affected.js'
import { checkPermutation } from './components.js'
import { conflict, invalid } from './errors.js'
import { checkPlacementKind, checkSlugInComponent } from './placement-rules.js'
import {
  activePlacements,
  builderTransaction,
  type ComponentRow,
  idTaken,
  nextSortOrder,
  type PlacementRow,
  type ResourceRow,
  requireComponent,
  requirePlacement,
  requireResource,
  type Tx,
} from './rows.js'
import type { createPlacementBody, reorderPlacementsBody, updatePlacementBody } from './schemas.js'

/** Checks that `resource` may be placed in `component` (kind and slug rules). */
async function checkPlacement(
  tx: Tx,
  component: ComponentRow,
  resource: ResourceRow,
  placementId: string | undefined,
): Promise<void> {
  const type = resource.metadata.type
  if (type === undefined) throw invalid('resourceSourcedId', 'the resource has no metadata.type')
  checkPlacementKind(component, type, 'courseComponentSourcedId')
  await checkSlugInComponent(
    tx,
    component.sourcedId,
    resource.metadata.slug,
    { resourceId: resource.sourcedId, ...(placementId ? { placementId } : {}) },
    'resourceSourcedId',
  )
}

/** Places a resource in a component; appended unless `sortOrder` is given. */
export async function createPlacement(
  db: Database,
  input: z.infer<typeof createPlacementBody>,
): Promise<MutationResult<PlacementRow>> {
  return builderTransaction(db, async (tx) => {
    const component = await requireComponent(
      tx,
      input.courseComponentSourcedId,
      'courseComponentSourcedId',
    )
    const resource = await requireResource(tx, input.resourceSourcedId, 'resourceSourcedId')
    const sourcedId = input.sourcedId ?? `placement-${randomUUID()}`
    if (await idTaken(tx, componentResources, sourcedId)) {
      throw conflict('sourcedId', `component resource "${sourcedId}" already exists`)
    }
    await checkPlacement(tx, component, resource, undefined)
    const sortOrder =
      input.sortOrder ?? nextSortOrder(await activePlacements(tx, component.sourcedId))
    const [row] = await tx
      .insert(componentResources)
      .values({
        sourcedId,
        courseComponentSourcedId: component.sourcedId,
        resourceSourcedId: resource.sourcedId,
        title: input.title ?? resource.title,
        sortOrder,
      })
      .returning()
    const result = affected([component.courseSourcedId])
    result.placementsChanged.add(resource.sourcedId)
    return { data: row as PlacementRow, affected: result }
  })
}

/** Retitles, reorders, moves a placement to another component or points it at another resource. */
export async function updatePlacement(
  db: Database,
  id: string,
  input: z.infer<typeof updatePlacementBody>,
): Promise<MutationResult<PlacementRow>> {
  return builderTransaction(db, async (tx) => {
    const current = await requirePlacement(tx, id)
    const before = await requireComponent(tx, current.courseComponentSourcedId)
    const componentId = input.courseComponentSourcedId ?? current.courseComponentSourcedId
    const resourceId = input.resourceSourcedId ?? current.resourceSourcedId
    const moved = componentId !== current.courseComponentSourcedId
    const component = moved
      ? await requireComponent(tx, componentId, 'courseComponentSourcedId')
      : before
    if (moved || resourceId !== current.resourceSourcedId) {
      const resource = await requireResource(tx, resourceId, 'resourceSourcedId')
      await checkPlacement(tx, component, resource, id)
    }
    const sortOrder =
      input.sortOrder ??
      (moved ? nextSortOrder(await activePlacements(tx, componentId)) : current.sortOrder)
    const [row] = await tx
      .update(componentResources)
      .set({
        courseComponentSourcedId: componentId,
        resourceSourcedId: resourceId,
        title: input.title ?? current.title,
        sortOrder,
        dateLastModified: new Date(),
      })
      .where(eq(componentResources.sourcedId, id))
      .returning()
    const result = affected([before.courseSourcedId, component.courseSourcedId])
    if (moved || resourceId !== current.resourceSourcedId) {
      result.placementsChanged.add(current.resourceSourcedId)
      result.placementsChanged.add(resourceId)
    }
    return { data: row as PlacementRow, affected: result }
  })
}

/** Removes a placement (the resource itself stays). */
export async function deletePlacement(
  db: Database,
  id: string,
): Promise<MutationResult<{ deleted: string }>> {
  return builderTransaction(db, async (tx) => {
    const current = await requirePlacement(tx, id)
    const component = await requireComponent(tx, current.courseComponentSourcedId)
    await tx.delete(componentResources).where(eq(componentResources.sourcedId, id))
    const result = affected([component.courseSourcedId])
    result.placementsChanged.add(current.resourceSourcedId)
    return { data: { deleted: id }, affected: result }
  })
}

/** Sets the order of a component's placements to `order` (every active placement, once each). */
export async function reorderPlacements(
  db: Database,
  componentId: string,
  input: z.infer<typeof reorderPlacementsBody>,
): Promise<MutationResult<{ order: string[] }>> {
  return builderTransaction(db, async (tx) => {
    const component = await requireComponent(tx, componentId)
    const placements = await activePlacements(tx, componentId)
    checkPermutation(
      input.order,
      placements.map((p) => p.sourcedId),
      `a placement of "${componentId}"`,
    )
    for (const [index, placementId] of input.order.entries()) {
      await tx
        .update(componentResources)
        .set({ sortOrder: index, dateLastModified: new Date() })
        .where(eq(componentResources.sourcedId, placementId))
    }
    return { data: { order: input.order }, affected: affected([component.courseSourcedId]) }
  })
}

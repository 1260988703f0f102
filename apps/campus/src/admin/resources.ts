/**
 * Course builder mutations of resources. A resource may be placed in several courses (shared
 * resources), so a change affects every course it is placed in.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import { readResourceMetadata } from '../content/metadata.js'
import type { Database } from '../db/client.js'
import { componentResources, type ResourceMetadata, resources } from '../db/schema.js'
import { affected, type MutationResult } from './affected.js'
import { conflict, invalid } from './errors.js'
import { checkPlacementKind, checkSlugInComponent } from './placement-rules.js'
import {
  builderTransaction,
  coursesOfResources,
  idTaken,
  type ResourceRow,
  requireComponent,
  requireResource,
} from './rows.js'
import type { createResourceBody, updateResourceBody } from './schemas.js'

/** The pages' own metadata check, so the builder cannot save what a page would 404 on. */
function validMetadata(metadata: Record<string, unknown>): ResourceMetadata {
  const result = readResourceMetadata(metadata)
  if (!result.ok) throw invalid(result.field, result.reason)
  return metadata as ResourceMetadata
}

/** Creates a resource (not yet placed anywhere, so no course is affected). */
export async function createResource(
  db: Database,
  input: z.infer<typeof createResourceBody>,
): Promise<MutationResult<ResourceRow>> {
  const metadata = validMetadata(input.metadata)
  return builderTransaction(db, async (tx) => {
    const sourcedId = input.sourcedId ?? `resource-${randomUUID()}`
    if (await idTaken(tx, resources, sourcedId)) {
      throw conflict('sourcedId', `resource "${sourcedId}" already exists`)
    }
    const [row] = await tx
      .insert(resources)
      .values({
        sourcedId,
        title: input.title,
        vendorResourceId: input.vendorResourceId ?? sourcedId,
        metadata,
      })
      .returning()
    return { data: row as ResourceRow, affected: affected() }
  })
}

/**
 * Updates a resource. `metadata` is merged into the stored metadata and the result validated;
 * a new slug or type is checked against every component the resource is placed in.
 */
export async function updateResource(
  db: Database,
  id: string,
  input: z.infer<typeof updateResourceBody>,
): Promise<MutationResult<ResourceRow>> {
  return builderTransaction(db, async (tx) => {
    const current = await requireResource(tx, id)
    const metadata = validMetadata({ ...current.metadata, ...(input.metadata ?? {}) })
    if (metadata.slug !== current.metadata.slug || metadata.type !== current.metadata.type) {
      const placements = await tx
        .select()
        .from(componentResources)
        .where(eq(componentResources.resourceSourcedId, id))
      for (const placement of placements) {
        const component = await requireComponent(tx, placement.courseComponentSourcedId)
        if (metadata.type) checkPlacementKind(component, metadata.type, 'metadata.type')
        await checkSlugInComponent(
          tx,
          component.sourcedId,
          metadata.slug,
          { placementId: placement.sourcedId, resourceId: id },
          'metadata.slug',
        )
      }
    }
    const [row] = await tx
      .update(resources)
      .set({
        title: input.title ?? current.title,
        vendorResourceId: input.vendorResourceId ?? current.vendorResourceId,
        metadata,
        dateLastModified: new Date(),
      })
      .where(eq(resources.sourcedId, id))
      .returning()
    // Placements did not change, so the courses before and after are the same set.
    return { data: row as ResourceRow, affected: affected(await coursesOfResources(tx, [id])) }
  })
}

/** Deletes a resource, its placements and its questions (cascade), in every course. */
export async function deleteResource(
  db: Database,
  id: string,
): Promise<MutationResult<{ deleted: string }>> {
  return builderTransaction(db, async (tx) => {
    await requireResource(tx, id)
    const courseIds = await coursesOfResources(tx, [id])
    await tx.delete(resources).where(eq(resources.sourcedId, id))
    const result = affected(courseIds)
    result.placementsChanged.add(id)
    result.itemsChanged.add(id)
    return { data: { deleted: id }, affected: result }
  })
}

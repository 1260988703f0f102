/**
 * Where each kind of resource may be placed (`docs/content-model.md`, "Placement"): articles,
 * videos and exercises in lessons, quizzes and unit tests on units, the course challenge on the
 * course-challenge holder. The page loaders only look in those places, so a placement elsewhere
 * would be invisible.
 *
 * @module
 */
import type { ResourceType } from '../db/schema.js'
import { conflict, invalid } from './errors.js'
import { activePlacements, type ComponentRow, resourcesById, type Tx } from './rows.js'

type ComponentKind = 'lesson' | 'unit' | 'challenge holder'

function kindOf(component: ComponentRow): ComponentKind {
  if (component.parentSourcedId !== null) return 'lesson'
  return component.metadata.role === 'course-challenge' ? 'challenge holder' : 'unit'
}

const HOME: Record<ResourceType, ComponentKind> = {
  article: 'lesson',
  video: 'lesson',
  exercise: 'lesson',
  quiz: 'unit',
  'unit-test': 'unit',
  'course-challenge': 'challenge holder',
}

/** Throws a 400 naming `field` when a resource of `type` may not be placed in `component`. */
export function checkPlacementKind(component: ComponentRow, type: ResourceType, field: string) {
  const home = HOME[type]
  if (kindOf(component) !== home) {
    throw invalid(
      field,
      `a ${type} is placed in a ${home}, and "${component.sourcedId}" is a ${kindOf(component)}`,
    )
  }
}

/**
 * Before a component moves (a lesson becoming a unit or the reverse), checks that everything
 * placed in it may stay there in its new role; throws a 400 naming `parentSourcedId` if not.
 */
export async function checkPlacementsAfterMove(
  tx: Tx,
  component: ComponentRow,
  parentSourcedId: string | null,
): Promise<void> {
  const placements = await activePlacements(tx, component.sourcedId)
  if (placements.length === 0) return
  const placed = await resourcesById(
    tx,
    placements.map((p) => p.resourceSourcedId),
  )
  const moved = { ...component, parentSourcedId }
  for (const resource of placed.values()) {
    const type = resource.metadata.type as ResourceType | undefined
    if (type && type in HOME) checkPlacementKind(moved, type, 'parentSourcedId')
  }
}

/**
 * A resource's slug is unique within the component it is placed in; throws a 409 naming `field`
 * when another active placement of the component holds a resource with the same slug.
 */
export async function checkSlugInComponent(
  tx: Tx,
  componentId: string,
  slug: unknown,
  self: { placementId?: string; resourceId: string },
  field: string,
): Promise<void> {
  const others = (await activePlacements(tx, componentId)).filter(
    (p) => p.sourcedId !== self.placementId,
  )
  if (others.length === 0) return
  const placedResources = await resourcesById(
    tx,
    others.map((p) => p.resourceSourcedId),
  )
  const clash = others.find((p) => {
    const resource = placedResources.get(p.resourceSourcedId)
    return p.resourceSourcedId === self.resourceId || resource?.metadata.slug === slug
  })
  if (clash) {
    throw conflict(
      field,
      `component "${componentId}" already holds a resource with the slug ` +
        `${JSON.stringify(slug)} (placement "${clash.sourcedId}")`,
    )
  }
}

/**
 * XP rules shared by both loader families, so parity depends only on the data they read.
 *
 * @module
 */
import { bundleLookups } from './lookups.js'
import type { CourseResourceBundle, ResourceRecord } from './types.js'

/** A resource's XP: `metadata.xp` when it is a non-negative integer, else 0. */
export function resourceXp(resource: ResourceRecord | undefined): number {
  const xp = resource?.metadata.xp
  return typeof xp === 'number' && Number.isInteger(xp) && xp >= 0 ? xp : 0
}

/** XP of the resources placed in these components (a resource placed twice counts twice). */
function xpOfComponents(bundle: CourseResourceBundle, componentIds: Iterable<string>): number {
  const { placementsByComponent, resourcesById } = bundleLookups(bundle)
  let total = 0
  for (const id of componentIds) {
    for (const placement of placementsByComponent.get(id) ?? []) {
      total += resourceXp(resourcesById.get(placement.resourceSourcedId))
    }
  }
  return total
}

/** Total XP of a course: every placement in its units, lessons and challenge holder. */
export function calculateCourseXP(bundle: CourseResourceBundle): number {
  return xpOfComponents(
    bundle,
    bundle.components.map((c) => c.sourcedId),
  )
}

/** XP of one unit: placements on the unit itself and on its lessons. */
export function calculateUnitXP(bundle: CourseResourceBundle, unitId: string): number {
  const lessons = bundleLookups(bundle).childrenByParent.get(unitId) ?? []
  return xpOfComponents(bundle, [unitId, ...lessons.map((l) => l.sourcedId)])
}

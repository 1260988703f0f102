/**
 * Lookup maps over a bundle, rebuilt in process: they are derived data, so caching them in
 * Redis would only add bytes to every read. Built once per bundle object and kept in a WeakMap,
 * so a bundle served from L1 pays for its maps once and they die with it.
 *
 * @module
 */
import type {
  ComponentRecord,
  ComponentResourceRecord,
  CourseResourceBundle,
  ResourceRecord,
} from './types.js'

/** Indexes over one bundle. Arrays are in display order. */
export interface BundleLookups {
  componentsById: ReadonlyMap<string, ComponentRecord>
  /** Top-level components that are units (not the course-challenge holder), in order. */
  units: readonly ComponentRecord[]
  /** The course-challenge holder, if the course has one. */
  challengeHolder: ComponentRecord | undefined
  /** A component's child components (a unit's lessons), in order. */
  childrenByParent: ReadonlyMap<string, readonly ComponentRecord[]>
  /** Placements per component, in order. */
  placementsByComponent: ReadonlyMap<string, readonly ComponentResourceRecord[]>
  /** Placements per resource (a resource may be placed more than once). */
  placementsByResource: ReadonlyMap<string, readonly ComponentResourceRecord[]>
  resourcesById: ReadonlyMap<string, ResourceRecord>
}

const cache = new WeakMap<CourseResourceBundle, BundleLookups>()

/** The lookups of a bundle, built on first use. */
export function bundleLookups(bundle: CourseResourceBundle): BundleLookups {
  let lookups = cache.get(bundle)
  if (!lookups) {
    lookups = buildLookups(bundle)
    cache.set(bundle, lookups)
  }
  return lookups
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function byOrder(a: { sortOrder: number; sourcedId: string }, b: typeof a): number {
  return (
    a.sortOrder - b.sortOrder ||
    (a.sourcedId < b.sourcedId ? -1 : a.sourcedId > b.sourcedId ? 1 : 0)
  )
}

function buildLookups(bundle: CourseResourceBundle): BundleLookups {
  const componentsById = new Map<string, ComponentRecord>()
  const childrenByParent = new Map<string, ComponentRecord[]>()
  const units: ComponentRecord[] = []
  let challengeHolder: ComponentRecord | undefined
  for (const component of bundle.components) {
    componentsById.set(component.sourcedId, component)
    if (component.parentSourcedId === null) {
      if (component.metadata.role === 'course-challenge') challengeHolder ??= component
      else units.push(component)
    } else {
      push(childrenByParent, component.parentSourcedId, component)
    }
  }
  units.sort(byOrder)
  for (const list of childrenByParent.values()) list.sort(byOrder)
  const placementsByComponent = new Map<string, ComponentResourceRecord[]>()
  const placementsByResource = new Map<string, ComponentResourceRecord[]>()
  for (const placement of bundle.componentResources) {
    push(placementsByComponent, placement.courseComponentSourcedId, placement)
    push(placementsByResource, placement.resourceSourcedId, placement)
  }
  for (const list of placementsByComponent.values()) list.sort(byOrder)
  const resourcesById = new Map<string, ResourceRecord>()
  for (const resource of bundle.resources) resourcesById.set(resource.sourcedId, resource)
  return {
    componentsById,
    units,
    challengeHolder,
    childrenByParent,
    placementsByComponent,
    placementsByResource,
    resourcesById,
  }
}

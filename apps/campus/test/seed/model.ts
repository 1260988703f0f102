/**
 * Indexes over a generated data set for the seed tests: which component is a unit, a lesson
 * or a challenge holder, what each component holds, and which courses a resource is in.
 */
import type { Dataset } from '../../src/seed/dataset.js'

type Component = Dataset['courseComponents'][number]
type Resource = Dataset['resources'][number]
type Placement = Dataset['componentResources'][number]

/** Lookups the rule checks share. */
export interface DatasetIndex {
  components: Map<string, Component>
  resources: Map<string, Resource>
  /** Placements per component, by `sortOrder`. */
  placements: Map<string, Placement[]>
  kind(component: Component): 'unit' | 'lesson' | 'holder'
  /** Resource ids placed in a component, in order. */
  resourcesIn(componentId: string): Resource[]
  /** The distinct courses a resource is placed in. */
  coursesOf(resourceId: string): Set<string>
  itemsOf(resourceId: string): Dataset['assessmentItems']
}

/** Builds the {@link DatasetIndex} of `data`. */
export function indexDataset(data: Dataset): DatasetIndex {
  const components = new Map(data.courseComponents.map((c) => [c.sourcedId, c]))
  const resources = new Map(data.resources.map((r) => [r.sourcedId, r]))
  const placements = new Map<string, Placement[]>()
  const courses = new Map<string, Set<string>>()
  for (const p of data.componentResources) {
    const list = placements.get(p.courseComponentSourcedId) ?? []
    list.push(p)
    placements.set(p.courseComponentSourcedId, list)
    const course = components.get(p.courseComponentSourcedId)?.courseSourcedId ?? '?'
    const set = courses.get(p.resourceSourcedId) ?? new Set()
    set.add(course)
    courses.set(p.resourceSourcedId, set)
  }
  for (const list of placements.values())
    list.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0))
  const items = new Map<string, Dataset['assessmentItems']>()
  for (const item of data.assessmentItems) {
    const list = items.get(item.resourceSourcedId) ?? []
    list.push(item)
    items.set(item.resourceSourcedId, list)
  }
  return {
    components,
    resources,
    placements,
    kind: (c) =>
      c.metadata?.role === 'course-challenge' ? 'holder' : c.parentSourcedId ? 'lesson' : 'unit',
    resourcesIn: (id) =>
      (placements.get(id) ?? []).map((p) => resources.get(p.resourceSourcedId) as Resource),
    coursesOf: (id) => courses.get(id) ?? new Set(),
    itemsOf: (id) => items.get(id) ?? [],
  }
}

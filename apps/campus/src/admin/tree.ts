/**
 * The course builder's view of a course: units with their lessons, each with its placed
 * resources in order, plus the course-challenge holder. Read through the admin (legacy) source,
 * as the seed keeps admin tooling on the organisation-wide loaders.
 *
 * @module
 */
import type {
  ComponentRecord,
  ComponentResourceRecord,
  CourseRecord,
  CourseResourceBundle,
  ResourceRecord,
} from '../content/types.js'

/** A placement with its resource (undefined when the placement dangles). */
export interface TreePlacement extends ComponentResourceRecord {
  resource: ResourceRecord | undefined
}

/** A component with its placements, and its lessons when it is a unit. */
export interface TreeComponent extends ComponentRecord {
  resources: TreePlacement[]
  lessons: TreeComponent[]
}

/** The whole course as the builder edits it. */
export interface CourseTree {
  course: CourseRecord
  units: TreeComponent[]
  challenge: TreeComponent | null
  /** When the data was read (ms since epoch). */
  fetchedAt: number
}

function bySortOrder(a: { sortOrder: number; sourcedId: string }, b: typeof a): number {
  if (a.sortOrder !== b.sortOrder) return a.sortOrder - b.sortOrder
  return a.sourcedId < b.sourcedId ? -1 : a.sourcedId > b.sourcedId ? 1 : 0
}

/** Builds the tree from a course's data (bundle-shaped, whichever family read it). */
export function buildCourseTree(bundle: CourseResourceBundle): CourseTree {
  const resources = new Map(bundle.resources.map((r) => [r.sourcedId, r]))
  const placements = new Map<string, TreePlacement[]>()
  for (const p of bundle.componentResources) {
    const list = placements.get(p.courseComponentSourcedId) ?? []
    list.push({ ...p, resource: resources.get(p.resourceSourcedId) })
    placements.set(p.courseComponentSourcedId, list)
  }
  const node = (c: ComponentRecord): TreeComponent => ({
    ...c,
    resources: (placements.get(c.sourcedId) ?? []).sort(bySortOrder),
    lessons: bundle.components
      .filter((l) => l.parentSourcedId === c.sourcedId)
      .sort(bySortOrder)
      .map(node),
  })
  const top = bundle.components.filter((c) => c.parentSourcedId === null).sort(bySortOrder)
  const holder = top.find((c) => c.metadata.role === 'course-challenge')
  return {
    course: bundle.course,
    units: top.filter((c) => c !== holder).map(node),
    challenge: holder ? node(holder) : null,
    fetchedAt: bundle.fetchedAt,
  }
}

/**
 * The two loader families behind one interface, so every page loader is written once and the
 * parity tests can run it over both: `bundle` (course-scoped reads, what learner pages use) and
 * `legacy` (organisation-wide lists filtered in process, the pre-incident pattern). The page
 * data they produce must be equal; only what they read from Redis differs.
 *
 * @module
 */
import { getCourseResourceBundle } from './bundle.js'
import {
  compareHubCourses,
  getAssessmentItems,
  getResourceCourses,
  getSubjectHub,
  hubCourse,
  locateCourse,
} from './catalog.js'
import type { ContentContext } from './context.js'
import {
  getAllComponentResources,
  getAllCourseComponents,
  getAllCourses,
  getAllResources,
} from './legacy.js'
import { memoBundle, memoLegacyList } from './store.js'
import type {
  AssessmentItemRecord,
  CourseLocator,
  CourseRecord,
  CourseResourceBundle,
  HubCourse,
} from './types.js'

/** Which loader family. */
export type LoaderFamily = 'bundle' | 'legacy'

/** What page loaders read. Every method returns plain data and never throws for missing data. */
export interface ContentSource {
  readonly family: LoaderFamily
  readonly ctx: ContentContext
  /** `/:subject/:course` → course, or null. */
  locateCourse(subjectSlug: string, courseSlug: string): Promise<CourseLocator | null>
  /**
   * One course's data as a bundle, or null. Within a content request the bundle family reads
   * each course's bundle once (content/store.ts).
   */
  loadCourse(locator: CourseLocator): Promise<CourseResourceBundle | null>
  /** A subject hub's course cards, by title. */
  subjectHub(subjectSlug: string): Promise<HubCourse[]>
  /** The courses a resource is placed in, by course id. */
  resourceCourses(resourceId: string): Promise<CourseLocator[]>
  /** A resource's questions in authored order. */
  assessmentItems(orgId: string, resourceId: string): Promise<AssessmentItemRecord[]>
}

/** The bundle family: one cached value per course. */
export function createBundleSource(ctx: ContentContext): ContentSource {
  return {
    family: 'bundle',
    ctx,
    locateCourse: (subjectSlug, courseSlug) => locateCourse(ctx, subjectSlug, courseSlug),
    loadCourse: (locator) =>
      memoBundle(locator.courseId, () => getCourseResourceBundle(ctx, locator)),
    subjectHub: (subjectSlug) => getSubjectHub(ctx, subjectSlug),
    resourceCourses: (resourceId) => getResourceCourses(ctx, resourceId),
    assessmentItems: (orgId, resourceId) => getAssessmentItems(ctx, orgId, resourceId),
  }
}

/**
 * The legacy family: every read pulls organisation-wide lists and filters them in process. A
 * course view it assembles has the bundle's shape (and the same ordering), so the same page
 * loaders run on it; question counts come from one item read per exercise, as before bundles.
 */
export function createLegacySource(ctx: ContentContext): ContentSource {
  // Each organisation-wide list is read at most once per content request (content/store.ts).
  const once = memoLegacyList
  const allCourses = () => once('courses', () => getAllCourses(ctx))
  const allComponents = (orgId: string) =>
    once(`components:${orgId}`, () => getAllCourseComponents(ctx, orgId))
  const allPlacements = (orgId: string) =>
    once(`placements:${orgId}`, () => getAllComponentResources(ctx, orgId))
  const allResources = (orgId: string) =>
    once(`resources:${orgId}`, () => getAllResources(ctx, orgId))

  async function assemble(course: CourseRecord): Promise<CourseResourceBundle> {
    const orgId = course.orgSourcedId
    const [orgComponents, orgPlacements, orgResources] = await Promise.all([
      allComponents(orgId),
      allPlacements(orgId),
      allResources(orgId),
    ])
    const components = orgComponents.filter((c) => c.courseSourcedId === course.sourcedId)
    const componentIds = new Set(components.map((c) => c.sourcedId))
    const componentResources = orgPlacements.filter((p) =>
      componentIds.has(p.courseComponentSourcedId),
    )
    const placed = new Set(componentResources.map((p) => p.resourceSourcedId))
    const resources = orgResources.filter((r) => placed.has(r.sourcedId))
    const questionCounts: Record<string, number> = {}
    await Promise.all(
      resources
        .filter((r) => r.metadata.type === 'exercise')
        .map(async (r) => {
          questionCounts[r.sourcedId] = (await getAssessmentItems(ctx, orgId, r.sourcedId)).length
        }),
    )
    return {
      version: 1,
      courseId: course.sourcedId,
      orgId,
      fetchedAt: Date.now(),
      course,
      components,
      componentResources,
      resources,
      questionCounts,
    }
  }

  return {
    family: 'legacy',
    ctx,
    async locateCourse(subjectSlug, courseSlug) {
      const course = (await allCourses()).find(
        (c) => c.metadata.subjectSlug === subjectSlug && c.metadata.slug === courseSlug,
      )
      return course ? { courseId: course.sourcedId, orgId: course.orgSourcedId } : null
    },
    async loadCourse(locator) {
      const course = (await allCourses()).find(
        (c) => c.sourcedId === locator.courseId && c.orgSourcedId === locator.orgId,
      )
      return course ? assemble(course) : null
    },
    async subjectHub(subjectSlug) {
      const courses = (await allCourses()).filter((c) => c.metadata.subjectSlug === subjectSlug)
      const cards = await Promise.all(courses.map(async (c) => hubCourse(c, await assemble(c))))
      return cards.sort(compareHubCourses)
    },
    async resourceCourses(resourceId) {
      const courses = await allCourses()
      const orgs = [...new Set(courses.map((c) => c.orgSourcedId))]
      const found = new Map<string, CourseLocator>()
      for (const orgId of orgs) {
        const [components, placements] = await Promise.all([
          allComponents(orgId),
          allPlacements(orgId),
        ])
        const holders = new Set(
          placements
            .filter((p) => p.resourceSourcedId === resourceId)
            .map((p) => p.courseComponentSourcedId),
        )
        for (const component of components) {
          if (holders.has(component.sourcedId)) {
            found.set(component.courseSourcedId, { courseId: component.courseSourcedId, orgId })
          }
        }
      }
      return [...found.values()].sort((a, b) =>
        a.courseId < b.courseId ? -1 : a.courseId > b.courseId ? 1 : 0,
      )
    },
    assessmentItems: (orgId, resourceId) => getAssessmentItems(ctx, orgId, resourceId),
  }
}

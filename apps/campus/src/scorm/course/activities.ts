/**
 * What the course page's SCORM section needs for one viewer: the organisation's package list
 * (shared, cached) and, for a learner, their own status (per learner, uncached). A signed-in
 * viewer sees the packages their organisation attached to the course; an anonymous visitor
 * sees those of the course's own organisation, without launch links.
 *
 * @module
 */
import type { PageViewer } from '../../practice/viewer.js'
import type { ScormContext } from '../context.js'
import { coursePackages } from './packages.js'
import type { CourseActivities } from './section.js'
import { learnerStatuses } from './status.js'

/**
 * Loads the section of the course `courseId` (owned by `courseOrgId`) for `viewer`.
 * @example const activities = await courseActivities(deps.scorm, course.orgId, course.courseId, viewer)
 */
export async function courseActivities(
  ctx: ScormContext,
  courseOrgId: string,
  courseId: string,
  viewer: PageViewer,
): Promise<CourseActivities> {
  if (viewer.kind === 'anonymous') {
    const packages = await coursePackages(ctx, courseOrgId, courseId)
    return { packages, canLaunch: false, statuses: null }
  }
  const packages = await coursePackages(ctx, viewer.orgId, courseId)
  if (viewer.kind !== 'learner') return { packages, canLaunch: true, statuses: null }
  const statuses = await learnerStatuses(
    ctx.db,
    viewer.orgId,
    viewer.userId,
    packages.map((p) => p.id),
  )
  return { packages, canLaunch: true, statuses }
}

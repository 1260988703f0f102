/**
 * Content cache keys. Course data is organisation-scoped (`campus:o:<org>:…`); the slug
 * catalogue and subject hubs are global, since a URL names no organisation.
 *
 * | family | scope | holds |
 * |---|---|---|
 * | `oneroster-course-bundle:<courseId>` | org | one course's {@link CourseResourceBundle} |
 * | `oneroster-course-locator:<subject>:<course>` | global | slug → course id and org |
 * | `oneroster-subject-hub:<subject>` | global | the subject hub's course cards |
 * | `oneroster-resource-courses:<resourceId>` | global | courses a resource is placed in |
 * | `oneroster-assessment-items:<resourceId>` | org | a resource's questions |
 * | `oneroster-getAllCourses` | global | legacy: every course |
 * | `oneroster-getAllCourseComponents` | org | legacy: every component of the org |
 * | `oneroster-getAllResources` | org | legacy: every resource of the org |
 * | `oneroster-getAllComponentResources` | org | legacy: every placement of the org |
 *
 * @module
 */
import type { Satchel } from 'satchel'

/** Key builders for every content family. */
export function contentKeys(satchel: Satchel) {
  const { keys } = satchel
  return {
    courseBundle: (orgId: string, courseId: string) =>
      keys.org(orgId).key('oneroster-course-bundle', courseId),
    /** SCAN pattern of an organisation's bundles (rollback playbook, admin clear). */
    courseBundlePattern: (orgId: string) => keys.org(orgId).pattern('oneroster-course-bundle'),
    courseLocator: (subjectSlug: string, courseSlug: string) =>
      keys.global('oneroster-course-locator', subjectSlug, courseSlug),
    subjectHub: (subjectSlug: string) => keys.global('oneroster-subject-hub', subjectSlug),
    resourceCourses: (resourceId: string) => keys.global('oneroster-resource-courses', resourceId),
    assessmentItems: (orgId: string, resourceId: string) =>
      keys.org(orgId).key('oneroster-assessment-items', resourceId),
    allCourses: () => keys.global('oneroster-getAllCourses'),
    allCourseComponents: (orgId: string) => keys.org(orgId).key('oneroster-getAllCourseComponents'),
    allResources: (orgId: string) => keys.org(orgId).key('oneroster-getAllResources'),
    allComponentResources: (orgId: string) =>
      keys.org(orgId).key('oneroster-getAllComponentResources'),
  }
}

/** The key builders {@link contentKeys} returns. */
export type ContentKeys = ReturnType<typeof contentKeys>

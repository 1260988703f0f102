/**
 * Helpers of the content loader tests: every page of the small data set as a list of calls
 * that run over any {@link ContentSource}, and lookups into the generated rows.
 *
 * @module
 */

import {
  fetchArticlePageData,
  fetchCourseChallengePageData,
  fetchCoursePageData,
  fetchExercisePageData,
  fetchLessonLayoutData,
  fetchQuizPageData,
  fetchSubjectHubData,
  fetchUnitPageData,
  fetchUnitTestPageData,
  fetchVideoPageData,
  resolveResourceRedirect,
} from '../../src/content/loaders/index.js'
import type { ContentSource } from '../../src/content/source.js'
import type { ResourceMetadata } from '../../src/db/schema.js'
import type { Dataset } from '../../src/seed/dataset.js'
import { generateDataset } from '../../src/seed/generate.js'
import { type LogLine, startTestCampus, type TestCampus } from '../support/campus.js'

/** {@link startTestCampus}, whose satchel already tolerates a busy event loop (`TEST_TIMEOUTS`). */
export function startLoaderCampus(
  options: Parameters<typeof startTestCampus>[0] = {},
): Promise<TestCampus> {
  return startTestCampus(options)
}

/** One page load: a stable name and the call that loads it. */
export interface PageTarget {
  key: string
  load(source: ContentSource, request: object): Promise<unknown>
}

let dataset: Dataset | undefined

/** The rows `startTestCampus` seeds (the small set, default seed). */
export function smallDataset(): Dataset {
  dataset ??= generateDataset({ scale: 'small' })
  return dataset
}

/** Subject slug and course slug of every generated course. */
export function courseSlugs(): { courseId: string; subject: string; course: string }[] {
  return smallDataset().courses.map((c) => ({
    courseId: c.sourcedId,
    subject: String(c.metadata?.subjectSlug),
    course: String(c.metadata?.slug),
  }))
}

/** How many courses each resource is placed in. */
export function placementCourseCounts(): Map<string, number> {
  const data = smallDataset()
  const courseOf = new Map(data.courseComponents.map((c) => [c.sourcedId, c.courseSourcedId]))
  const courses = new Map<string, Set<string>>()
  for (const p of data.componentResources) {
    const set = courses.get(p.resourceSourcedId) ?? new Set()
    set.add(courseOf.get(p.courseComponentSourcedId) ?? '?')
    courses.set(p.resourceSourcedId, set)
  }
  return new Map([...courses].map(([id, set]) => [id, set.size]))
}

/** A resource of `type` placed in exactly one course, not in `avoidCourses`. */
export function soleCourseResource(
  type: NonNullable<ResourceMetadata['type']>,
  avoidCourses: readonly string[],
): { resourceId: string; courseId: string } {
  const data = smallDataset()
  const counts = placementCourseCounts()
  const courseOf = new Map(data.courseComponents.map((c) => [c.sourcedId, c.courseSourcedId]))
  for (const p of data.componentResources) {
    const resource = data.resources.find((r) => r.sourcedId === p.resourceSourcedId)
    const courseId = courseOf.get(p.courseComponentSourcedId) ?? ''
    if (
      resource?.metadata?.type === type &&
      counts.get(resource.sourcedId) === 1 &&
      !avoidCourses.includes(courseId)
    ) {
      return { resourceId: resource.sourcedId, courseId }
    }
  }
  throw new Error(`no ${type} placed in one course outside ${avoidCourses.join(', ')}`)
}

/** Page params of a lesson content resource, from the generated rows. */
export function lessonContentParams(resourceId: string): {
  subject: string
  course: string
  unit: string
  lesson: string
  slug: string
} {
  const data = smallDataset()
  const placement = data.componentResources.find((p) => p.resourceSourcedId === resourceId)
  const lesson = data.courseComponents.find(
    (c) => c.sourcedId === placement?.courseComponentSourcedId,
  )
  const unit = data.courseComponents.find((c) => c.sourcedId === lesson?.parentSourcedId)
  const course = data.courses.find((c) => c.sourcedId === lesson?.courseSourcedId)
  const resource = data.resources.find((r) => r.sourcedId === resourceId)
  if (!lesson || !unit || !course || !resource) throw new Error(`${resourceId} is not in a lesson`)
  return {
    subject: String(course.metadata?.subjectSlug),
    course: String(course.metadata?.slug),
    unit: String(unit.metadata?.slug),
    lesson: String(lesson.metadata?.slug),
    slug: String(resource.metadata?.slug),
  }
}

/** Splits a lesson content path (`/s/c/u/l/v/slug`) into loader params. */
export function parseContentPath(path: string): {
  subject: string
  course: string
  unit: string
  lesson: string
  slug: string
} {
  const [subject, course, unit, lesson, , slug] = path.split('/').slice(1)
  if (!subject || !course || !unit || !lesson || !slug) throw new Error(`bad path ${path}`)
  return { subject, course, unit, lesson, slug }
}

const ATTEMPTS = [undefined, '1', '2', 'retry-7'] as const

/**
 * Every page of the data set: hubs, courses, units, lessons, lesson content, assessments (with
 * several attempt seeds) and the redirect of every resource. The structure is read through
 * `walker` (course pages list units, lessons and cards); the returned calls run over any source.
 */
export async function allPageTargets(walker: ContentSource): Promise<PageTarget[]> {
  const data = smallDataset()
  const targets: PageTarget[] = []
  const subjects = [...new Set(courseSlugs().map((c) => c.subject))].sort()
  for (const subject of subjects) {
    targets.push({ key: `hub ${subject}`, load: (s, r) => fetchSubjectHubData(s, subject, r) })
  }
  for (const { subject, course } of courseSlugs()) {
    const cp = { subject, course }
    targets.push({
      key: `course ${subject}/${course}`,
      load: (s, r) => fetchCoursePageData(s, r, cp),
    })
    const page = await fetchCoursePageData(walker, {}, cp)
    if (!page.ok) throw new Error(`course ${subject}/${course}: ${page.reason}`)
    for (const unit of page.data.units) {
      const up = { ...cp, unit: unit.slug }
      targets.push({ key: `unit ${unit.path}`, load: (s, r) => fetchUnitPageData(s, r, up) })
      for (const lesson of unit.lessons) {
        const lp = { ...up, lesson: lesson.slug }
        targets.push({
          key: `lesson ${lesson.path}`,
          load: (s, r) => fetchLessonLayoutData(s, r, lp),
        })
        for (const card of lesson.contents) {
          const params = { ...lp, slug: card.slug }
          const fetch =
            card.type === 'article'
              ? fetchArticlePageData
              : card.type === 'video'
                ? fetchVideoPageData
                : fetchExercisePageData
          targets.push({ key: `${card.type} ${card.path}`, load: (s, r) => fetch(s, r, params) })
        }
      }
      for (const card of unit.assessments) {
        const fetch = card.type === 'quiz' ? fetchQuizPageData : fetchUnitTestPageData
        for (const attempt of ATTEMPTS) {
          const params = { ...up, slug: card.slug, attempt }
          targets.push({
            key: `${card.type} ${card.path} #${attempt}`,
            load: (s, r) => fetch(s, r, params),
          })
        }
      }
    }
    const challenge = page.data.challenge
    if (challenge) {
      for (const attempt of ATTEMPTS) {
        const params = { ...cp, slug: challenge.slug, attempt }
        targets.push({
          key: `challenge ${challenge.path} #${attempt}`,
          load: (s, r) => fetchCourseChallengePageData(s, r, params),
        })
      }
    }
  }
  for (const resource of data.resources) {
    const id = resource.sourcedId
    targets.push({ key: `redirect ${id}`, load: (s, r) => resolveResourceRedirect(s, id, r) })
  }
  return targets
}

/** Warnings with this message whose fields include `fields`. */
export function warningsMatching(
  warnings: readonly LogLine[],
  msg: string,
  fields: Record<string, unknown>,
): LogLine[] {
  return warnings.filter(
    (line) =>
      line.msg === msg &&
      Object.entries(fields).every(([k, v]) => JSON.stringify(line[k]) === JSON.stringify(v)),
  )
}

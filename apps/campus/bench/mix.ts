/**
 * The page-view mix the egress benchmark replays: the same list of paths for both loader
 * families, drawn with a seeded PRNG from the dataset, weighted the way learner traffic is
 * (content and lesson pages dominate; hubs are rare).
 */
import type { componentResources, courseComponents, courses, resources } from '../src/db/schema.js'
import { createRandom } from '../src/seed/random.js'

type Row<T extends { $inferInsert: unknown }> = T['$inferInsert']

/** What the mix needs of a dataset. */
export interface MixSource {
  courses: Row<typeof courses>[]
  courseComponents: Row<typeof courseComponents>[]
  componentResources: Row<typeof componentResources>[]
  resources: Row<typeof resources>[]
}

/** One page view: its kind (for the per-kind table) and its path. */
export interface PageView {
  kind: 'hub' | 'course' | 'unit' | 'lesson' | 'content' | 'quiz'
  path: string
}

/** Share of each kind in the mix. */
export const MIX_WEIGHTS: Record<PageView['kind'], number> = {
  hub: 0.05,
  course: 0.15,
  unit: 0.15,
  lesson: 0.2,
  content: 0.35,
  quiz: 0.1,
}

const CONTENT_SEGMENT: Record<string, string> = { article: 'a', video: 'v', exercise: 'e' }

/** Builds `count` page views over `source`, the same list for the same seed. */
export function buildMix(source: MixSource, count: number, seed = 42): PageView[] {
  // The generator's PRNG: the mix is as repeatable as the data it is drawn from.
  const rng = createRandom(seed)
  const random = rng.next
  const pick = <T>(list: readonly T[]): T => rng.pick(list)
  const resourceById = new Map(source.resources.map((r) => [r.sourcedId, r]))
  const placementsByComponent = new Map<string, Row<typeof componentResources>[]>()
  for (const p of source.componentResources) {
    const list = placementsByComponent.get(p.courseComponentSourcedId) ?? []
    list.push(p)
    placementsByComponent.set(p.courseComponentSourcedId, list)
  }
  type Lesson = { path: string; contents: string[] }
  type Unit = { path: string; lessons: Lesson[]; quizzes: string[] }
  const units: Unit[] = []
  const coursePaths: string[] = []
  const subjects = new Set<string>()
  const componentsByCourse = new Map<string, Row<typeof courseComponents>[]>()
  for (const c of source.courseComponents) {
    const list = componentsByCourse.get(c.courseSourcedId) ?? []
    list.push(c)
    componentsByCourse.set(c.courseSourcedId, list)
  }
  for (const course of source.courses) {
    const subject = String(course.metadata?.subjectSlug)
    subjects.add(subject)
    const coursePath = `/${subject}/${String(course.metadata?.slug)}`
    coursePaths.push(coursePath)
    const components = componentsByCourse.get(course.sourcedId) ?? []
    for (const unit of components.filter(
      (c) => !c.parentSourcedId && c.metadata?.role !== 'course-challenge',
    )) {
      const unitPath = `${coursePath}/${String(unit.metadata?.slug)}`
      const lessons: Lesson[] = components
        .filter((c) => c.parentSourcedId === unit.sourcedId)
        .map((lesson) => {
          const lessonPath = `${unitPath}/${String(lesson.metadata?.slug)}`
          const contents = (placementsByComponent.get(lesson.sourcedId) ?? []).flatMap((p) => {
            const meta = resourceById.get(p.resourceSourcedId)?.metadata
            const segment = CONTENT_SEGMENT[String(meta?.type)]
            return segment ? [`${lessonPath}/${segment}/${String(meta?.slug)}`] : []
          })
          return { path: lessonPath, contents }
        })
      const quizzes = (placementsByComponent.get(unit.sourcedId) ?? []).flatMap((p) => {
        const meta = resourceById.get(p.resourceSourcedId)?.metadata
        return meta?.type === 'quiz' ? [`${unitPath}/quiz/${String(meta.slug)}`] : []
      })
      if (lessons.length > 0) units.push({ path: unitPath, lessons, quizzes })
    }
  }
  const subjectList = [...subjects].sort()
  const kinds = Object.entries(MIX_WEIGHTS) as [PageView['kind'], number][]
  const views: PageView[] = []
  while (views.length < count) {
    let roll = random()
    let kind: PageView['kind'] = 'content'
    for (const [k, w] of kinds) {
      if (roll < w) {
        kind = k
        break
      }
      roll -= w
    }
    const unit = pick(units)
    const lesson = pick(unit.lessons)
    let path: string | undefined
    if (kind === 'hub') path = `/${pick(subjectList)}`
    else if (kind === 'course') path = pick(coursePaths)
    else if (kind === 'unit') path = unit.path
    else if (kind === 'lesson') path = lesson.path
    else if (kind === 'content') path = lesson.contents.length ? pick(lesson.contents) : undefined
    else
      path = unit.quizzes.length
        ? `${pick(unit.quizzes)}?attempt=${Math.floor(random() * 5)}`
        : undefined
    if (path) views.push({ kind, path })
  }
  return views
}

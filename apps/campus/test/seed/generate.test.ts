import { describe, expect, it } from 'vitest'
import { readResourceMetadata, YOUTUBE_ID } from '../../src/content/metadata.js'
import { countRows } from '../../src/seed/dataset.js'
import {
  DEFAULT_SEED,
  generateDataset,
  generateDatasetWithFixtures,
  SMALL_FIXTURES,
} from '../../src/seed/generate.js'
import { createRandom } from '../../src/seed/random.js'
import { indexDataset } from './model.js'

const SUBJECT_SLUGS = ['math', 'science', 'computing', 'humanities', 'economics', 'arts']
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

const small = generateDataset({ scale: 'small' })
const index = indexDataset(small)

describe('createRandom', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = createRandom(7)
    const b = createRandom(7)
    const rolls = Array.from({ length: 200 }, () => a.int(1, 6))
    expect(Array.from({ length: 200 }, () => b.int(1, 6))).toEqual(rolls)
    expect(new Set(rolls)).toEqual(new Set([1, 2, 3, 4, 5, 6]))
    expect(createRandom(7).shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4])
    expect(() => createRandom(1).pick([])).toThrow(/non-empty/)
  })
})

describe('generateDataset determinism', () => {
  it('gives byte-identical rows for the same seed', () => {
    const again = generateDataset({ scale: 'small', seed: DEFAULT_SEED })
    expect(JSON.stringify(again)).toBe(JSON.stringify(small))
  })

  it('gives different rows for a different seed', () => {
    const other = generateDataset({ scale: 'small', seed: DEFAULT_SEED + 1 })
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(small))
  })

  it('exports the fixtures of the default seed', () => {
    expect(generateDatasetWithFixtures({ scale: 'small' }).fixtures).toEqual(SMALL_FIXTURES)
    expect(generateDatasetWithFixtures({ scale: 'small', seed: 5 }).fixtures).toBeDefined()
  })
})

describe('small fixtures', () => {
  const f = SMALL_FIXTURES
  const lessonTypes = (id: string): string[] =>
    index.resourcesIn(id).map((r) => String(r.metadata?.type))

  it('has a course without quizzes, unit tests or a challenge', () => {
    const components = small.courseComponents.filter(
      (c) => c.courseSourcedId === f.courseWithoutAssessments.id,
    )
    expect(components.length).toBeGreaterThan(0)
    expect(components.some((c) => index.kind(c) === 'holder')).toBe(false)
    const types = components.flatMap((c) => index.resourcesIn(c.sourcedId))
    expect(types.map((r) => r.metadata?.type)).not.toContain('quiz')
    expect(types.map((r) => r.metadata?.type)).not.toContain('unit-test')
    expect(types.map((r) => r.metadata?.type)).not.toContain('course-challenge')
  })

  it('has lessons of only exercises and only videos', () => {
    expect(index.kind(index.components.get(f.lessonOnlyExercises.id)!)).toBe('lesson')
    expect(new Set(lessonTypes(f.lessonOnlyExercises.id))).toEqual(new Set(['exercise']))
    expect(new Set(lessonTypes(f.lessonOnlyVideos.id))).toEqual(new Set(['video']))
  })

  it('has a video shared by exactly two courses, addressed through each', () => {
    const shared = f.sharedResource
    expect(index.resources.get(shared.id)?.metadata?.type).toBe('video')
    expect(index.coursesOf(shared.id)).toEqual(new Set(shared.courseIds))
    expect(shared.courseIds[0]).not.toBe(shared.courseIds[1])
    expect(shared.paths[0]).not.toBe(shared.paths[1])
    expect(shared.paths.every((p) => p.endsWith(`/v/${shared.slug}`))).toBe(true)
  })

  it('has an ordinary course with one of everything', () => {
    expect(f.course.path).toBe(`/${f.course.subjectSlug}/${f.course.slug}`)
    expect(f.unit.path).toBe(`${f.course.path}/${f.unit.slug}`)
    expect(f.lesson.path).toBe(`${f.unit.path}/${f.lesson.slug}`)
    expect(f.video.path).toBe(`${f.lesson.path}/v/${f.video.slug}`)
    expect(f.article.path).toBe(`${f.lesson.path}/a/${f.article.slug}`)
    expect(f.exercise.path).toBe(`${f.lesson.path}/e/${f.exercise.slug}`)
    expect(f.quiz.path).toBe(`${f.unit.path}/quiz/${f.quiz.slug}`)
    expect(f.unitTest.path).toBe(`${f.unit.path}/test/${f.unitTest.slug}`)
    expect(f.challenge.path).toBe(`${f.course.path}/challenge/${f.challenge.slug}`)
    const typeOf = (id: string): unknown => index.resources.get(id)?.metadata?.type
    expect(typeOf(f.video.id)).toBe('video')
    expect(typeOf(f.article.id)).toBe('article')
    expect(typeOf(f.exercise.id)).toBe('exercise')
    expect(typeOf(f.quiz.id)).toBe('quiz')
    expect(typeOf(f.unitTest.id)).toBe('unit-test')
    expect(typeOf(f.challenge.id)).toBe('course-challenge')
    const lessonIds = index.resourcesIn(f.lesson.id).map((r) => r.sourcedId)
    expect(lessonIds).toEqual(expect.arrayContaining([f.video.id, f.article.id, f.exercise.id]))
    expect(index.resourcesIn(f.unit.id).map((r) => r.sourcedId)).toEqual(
      expect.arrayContaining([f.quiz.id, f.unitTest.id]),
    )
    expect(index.resourcesIn(f.challenge.challengeHolderId)[0]?.sourcedId).toBe(f.challenge.id)
    // The ordinary rows live in one course, so the resource redirect can resolve them.
    for (const r of [f.video, f.article, f.exercise]) {
      expect(index.coursesOf(r.id)).toEqual(new Set([f.course.id]))
    }
  })
})

describe('docs/content-model.md rules on the small set', () => {
  it('has one district owning every course and schools as its children', () => {
    const district = small.orgs.filter((o) => o.type === 'district')
    expect(district).toEqual([expect.objectContaining({ sourcedId: 'org-district' })])
    expect(district[0]?.name).toBe('Campus Academy')
    const schools = small.orgs.filter((o) => o.type === 'school')
    expect(schools).toHaveLength(3)
    expect(schools.every((s) => s.parentSourcedId === 'org-district')).toBe(true)
    expect(small.courses.every((c) => c.orgSourcedId === 'org-district')).toBe(true)
    const year = small.academicSessions.filter((s) => s.type === 'schoolYear')
    expect(year).toHaveLength(1)
    const terms = small.academicSessions.filter((s) => s.type === 'term')
    expect(terms.map((t) => t.parentSourcedId)).toEqual([year[0]?.sourcedId, year[0]?.sourcedId])
  })

  it('gives courses valid, subject-unique slugs and metadata', () => {
    expect(small.courses.length).toBeGreaterThanOrEqual(12)
    const subjects = new Set<string>()
    const seen = new Set<string>()
    for (const c of small.courses) {
      const m = c.metadata ?? {}
      expect(c.sourcedId).toMatch(/^course-/)
      expect(m.slug).toMatch(KEBAB)
      expect(SUBJECT_SLUGS).toContain(m.subjectSlug)
      expect(typeof m.description).toBe('string')
      const title = String(m.subjectSlug).charAt(0).toUpperCase() + String(m.subjectSlug).slice(1)
      expect(c.subjects).toEqual([title])
      const key = `${m.subjectSlug}/${m.slug}`
      expect(seen.has(key)).toBe(false)
      seen.add(key)
      subjects.add(String(m.subjectSlug))
    }
    expect(subjects.size).toBeGreaterThanOrEqual(3)
  })

  it('gives units and lessons slugs unique among siblings, never "challenge"', () => {
    const siblings = new Map<string, Set<string>>()
    for (const c of small.courseComponents) {
      expect(c.sourcedId).toMatch(/^cmp-/)
      const slug = String(c.metadata?.slug)
      expect(slug).toMatch(KEBAB)
      const kind = index.kind(c)
      if (kind === 'holder') continue
      if (kind === 'unit') expect(slug).not.toBe('challenge')
      if (kind === 'lesson') {
        const parent = index.components.get(c.parentSourcedId ?? '')
        expect(parent && index.kind(parent)).toBe('unit')
        expect(parent?.courseSourcedId).toBe(c.courseSourcedId)
      }
      const scope = `${c.courseSourcedId}/${c.parentSourcedId ?? ''}`
      const set = siblings.get(scope) ?? new Set()
      expect(set.has(slug)).toBe(false)
      set.add(slug)
      siblings.set(scope, set)
    }
    const holders = small.courseComponents.filter((c) => index.kind(c) === 'holder')
    expect(new Set(holders.map((h) => h.courseSourcedId)).size).toBe(holders.length)
    expect(holders).toHaveLength(small.courses.length - 1)
  })

  it('sizes courses as the small profile says', () => {
    for (const course of small.courses) {
      const units = small.courseComponents.filter(
        (c) => c.courseSourcedId === course.sourcedId && index.kind(c) === 'unit',
      )
      expect(units.length).toBeGreaterThanOrEqual(2)
      expect(units.length).toBeLessThanOrEqual(4)
      for (const unit of units) {
        const lessons = small.courseComponents.filter((c) => c.parentSourcedId === unit.sourcedId)
        expect(lessons.length).toBeGreaterThanOrEqual(2)
        expect(lessons.length).toBeLessThanOrEqual(4)
        for (const lesson of lessons) {
          const count = index.resourcesIn(lesson.sourcedId).length
          expect(count).toBeGreaterThanOrEqual(3)
          expect(count).toBeLessThanOrEqual(6)
        }
      }
    }
  })

  it('places each resource type where it belongs, slugs unique per component', () => {
    const allowed = {
      lesson: ['article', 'video', 'exercise'],
      unit: ['quiz', 'unit-test'],
      holder: ['course-challenge'],
    }
    for (const [componentId, list] of index.placements) {
      const component = index.components.get(componentId)!
      const slugs = list.map((p) => index.resources.get(p.resourceSourcedId)?.metadata?.slug)
      expect(new Set(slugs).size).toBe(slugs.length)
      for (const r of index.resourcesIn(componentId)) {
        expect(allowed[index.kind(component)]).toContain(r.metadata?.type)
      }
      expect(list.every((p) => p.sourcedId.startsWith('cr-'))).toBe(true)
    }
    for (const unit of small.courseComponents.filter((c) => index.kind(c) === 'unit')) {
      if (unit.courseSourcedId === SMALL_FIXTURES.courseWithoutAssessments.id) continue
      const types = index.resourcesIn(unit.sourcedId).map((r) => r.metadata?.type)
      expect(types.filter((t) => t === 'unit-test')).toHaveLength(1)
      expect(types.filter((t) => t === 'quiz').length).toBeGreaterThanOrEqual(1)
      expect(types.filter((t) => t === 'quiz').length).toBeLessThanOrEqual(2)
    }
  })

  it('gives every resource valid metadata and the documented xp', () => {
    const xp: Record<string, number> = {
      article: 2,
      exercise: 5,
      quiz: 10,
      'unit-test': 20,
      'course-challenge': 30,
    }
    for (const r of small.resources) {
      expect(r.sourcedId).toMatch(/^res-/)
      const result = readResourceMetadata(r.metadata)
      expect(result, `${r.sourcedId}: ${JSON.stringify(result)}`).toMatchObject({ ok: true })
      const m = r.metadata ?? {}
      if (m.type === 'video') {
        expect(m.youtubeId).toMatch(YOUTUBE_ID)
        expect(m.xp).toBe(Math.ceil((m.durationSeconds ?? Number.NaN) / 60))
      } else {
        expect(m.xp).toBe(xp[String(m.type)])
      }
      if (m.type === 'article') {
        const paragraphs = m.paragraphs ?? []
        expect(paragraphs.length).toBeGreaterThanOrEqual(2)
        expect(paragraphs.length).toBeLessThanOrEqual(4)
        const length = paragraphs.join('').length
        expect(length).toBeGreaterThanOrEqual(290)
        expect(length).toBeLessThanOrEqual(610)
      }
      expect(index.coursesOf(r.sourcedId).size).toBeGreaterThanOrEqual(1)
      expect(index.coursesOf(r.sourcedId).size).toBeLessThanOrEqual(2)
    }
  })

  it('gives exercises and assessments item pools the selection can draw from', () => {
    const pools = {
      quiz: [8, 12, 5, 6],
      'unit-test': [12, 16, 10, 10],
      'course-challenge': [16, 20, 12, 12],
    } as const
    for (const r of small.resources) {
      const items = index.itemsOf(r.sourcedId)
      const type = r.metadata?.type
      for (const item of items) {
        expect(item.sourcedId).toMatch(/^item-/)
        expect(item.body.choices).toHaveLength(4)
        expect(item.body.correct).toBeGreaterThanOrEqual(0)
        expect(item.body.correct).toBeLessThan(4)
        expect(item.body.prompt.length).toBeGreaterThan(0)
      }
      if (type === 'video' || type === 'article') expect(items).toHaveLength(0)
      if (type === 'exercise') {
        expect(items.length).toBeGreaterThanOrEqual(4)
        expect(items.length).toBeLessThanOrEqual(6)
      }
      if (type === 'quiz' || type === 'unit-test' || type === 'course-challenge') {
        const [min, max, selectMin, selectMax] = pools[type]
        const select = r.metadata?.selection?.select ?? 0
        expect(r.metadata?.selection?.shuffle).toBe(true)
        expect(items.length).toBeGreaterThanOrEqual(min)
        expect(items.length).toBeLessThanOrEqual(max)
        expect(select).toBeGreaterThanOrEqual(selectMin)
        expect(select).toBeLessThanOrEqual(Math.min(selectMax, items.length))
        const required = items.filter((i) => i.required)
        const fixed = items.filter((i) => i.fixed)
        expect(required).toHaveLength(1)
        expect(fixed).toHaveLength(1)
        expect(required[0]?.sourcedId).not.toBe(fixed[0]?.sourcedId)
      }
    }
  })

  it('shares a few videos between two courses', () => {
    const shared = small.resources.filter((r) => index.coursesOf(r.sourcedId).size === 2)
    expect(shared.length).toBeGreaterThanOrEqual(2)
    expect(shared.every((r) => r.metadata?.type === 'video')).toBe(true)
  })

  it('keeps every reference inside the data set', () => {
    const ids = (rows: { sourcedId: string }[]): Set<string> =>
      new Set(rows.map((r) => r.sourcedId))
    const orgs = ids(small.orgs)
    const users = ids(small.users)
    const classes = ids(small.classes)
    const courses = ids(small.courses)
    expect(
      small.userRoles.every((r) => users.has(r.userSourcedId) && orgs.has(r.orgSourcedId)),
    ).toBe(true)
    expect(small.classes.every((c) => courses.has(c.courseSourcedId))).toBe(true)
    expect(
      small.enrollments.every((e) => classes.has(e.classSourcedId) && users.has(e.userSourcedId)),
    ).toBe(true)
    expect(small.courseComponents.every((c) => courses.has(c.courseSourcedId))).toBe(true)
    expect(small.componentResources.every((p) => index.resources.has(p.resourceSourcedId))).toBe(
      true,
    )
    expect(new Set(small.users.map((u) => u.username)).size).toBe(small.users.length)
  })
})

describe('large scale (generated only)', () => {
  it('has at least 300 courses of 10 units x 8 lessons x 6 resources', { timeout: 60_000 }, () => {
    const large = generateDataset({ scale: 'large' })
    const big = indexDataset(large)
    expect(large.courses.length).toBeGreaterThanOrEqual(300)
    expect(large.users.length).toBeLessThanOrEqual(5000)
    const unitsPerCourse = new Map<string, number>()
    const holders = new Set<string>()
    let lessons = 0
    for (const c of large.courseComponents) {
      const kind = big.kind(c)
      if (kind === 'holder') {
        holders.add(c.courseSourcedId)
        expect(big.resourcesIn(c.sourcedId).map((r) => r.metadata?.type)).toEqual([
          'course-challenge',
        ])
      } else if (kind === 'unit') {
        unitsPerCourse.set(c.courseSourcedId, (unitsPerCourse.get(c.courseSourcedId) ?? 0) + 1)
        const types = big.resourcesIn(c.sourcedId).map((r) => r.metadata?.type)
        const quizzes = types.filter((t) => t === 'quiz').length
        expect(quizzes >= 1 && quizzes <= 2).toBe(true)
        expect(types.filter((t) => t === 'unit-test')).toHaveLength(1)
      } else {
        lessons++
        const types = big
          .resourcesIn(c.sourcedId)
          .map((r) => String(r.metadata?.type))
          .sort()
        expect(types).toEqual(['article', 'article', 'exercise', 'exercise', 'video', 'video'])
      }
    }
    expect(holders.size).toBe(large.courses.length)
    expect([...unitsPerCourse.values()].every((n) => n === 10)).toBe(true)
    expect(lessons).toBe(large.courses.length * 80)
    const videos = large.resources.filter((r) => r.metadata?.type === 'video')
    const shared = videos.filter((r) => big.coursesOf(r.sourcedId).size === 2)
    expect(shared.length / videos.length).toBeGreaterThan(0.003)
    expect(shared.length / videos.length).toBeLessThan(0.03)
    expect(countRows(large).assessmentItems).toBeGreaterThan(200_000)
  })
})

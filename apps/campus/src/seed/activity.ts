/**
 * Learner activity of a generated data set: graded practice attempts with their item responses
 * (this file), then IXL diagnostics and Toddle grades and attendance (`activity-external.ts`).
 * Deterministic like the rest of the generator: one seeded stream, fixed dates, ids from
 * counters. The spread is deliberately uneven so dashboards and reports have something to show:
 * some learners are behind (weaker and less active), some items are hard for everyone.
 *
 * @module
 */
import type { AssessmentItemBody, PracticeType } from '../db/schema.js'
import { addExternalActivity } from './activity-external.js'
import type { Dataset } from './dataset.js'
import { seedUuid } from './ids.js'
import type { Random } from './random.js'
import { TERMS } from './roster.js'

/** How much activity to generate. */
export interface ActivitySize {
  /** Graded attempts per enrolled student per class: [min, max] (behind learners get fewer). */
  attemptsPerEnrollment: readonly [number, number]
  /** School days of whole-day attendance marks per student. */
  attendanceDays: number
}

/** Share of students who are behind: weaker scores and fewer attempts. */
export const BEHIND_SHARE = 0.15
/** Share of items that are hard for everyone. */
export const HARD_ITEM_SHARE = 0.12
/** First and last day (UTC) of generated practice: the fall term's first thirteen weeks. */
export const ACTIVITY_WINDOW = { from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 10, 28) } as const

const PRACTICE_TYPES: readonly string[] = ['exercise', 'quiz', 'unit-test', 'course-challenge']
const DAY_MS = 86_400_000

/** One practice resource of a course, where a learner meets it. */
interface Practice {
  id: string
  type: PracticeType
  xp: number
  unitId: string | null
  lessonId: string | null
  /** Items a form draws from, and how many it asks (all for an exercise). */
  items: { id: string; body: AssessmentItemBody }[]
  select: number
}

/** A student as activity sees them: their school, grade and ability (0–1). */
export interface Learner {
  id: string
  schoolId: string
  grade: string | null
  ability: number
  behind: boolean
}

/**
 * Adds practice attempts, item responses and the external data (import runs, IXL, Toddle) for
 * every student enrolled in a class. Call after `addClasses`.
 */
export function addActivity(data: Dataset, random: Random, size: ActivitySize): void {
  const learners = rateLearners(data, random)
  const difficulty = new Map<string, number>()
  for (const item of data.assessmentItems) {
    const hard = random.chance(HARD_ITEM_SHARE)
    difficulty.set(item.sourcedId, hard ? 0.35 + random.next() * 0.35 : random.next() * 0.12)
  }
  const practices = practicesByCourse(data)
  const studentsOf = new Map<string, string[]>()
  for (const e of data.enrollments) {
    if (e.role !== 'student') continue
    const list = studentsOf.get(e.classSourcedId) ?? []
    list.push(e.userSourcedId)
    studentsOf.set(e.classSourcedId, list)
  }
  const counters = { attempt: 0, response: 0 }
  for (const cls of data.classes) {
    const list = practices.get(cls.courseSourcedId) ?? []
    if (list.length === 0) continue
    for (const userId of studentsOf.get(cls.sourcedId) ?? []) {
      const learner = learners.get(userId)
      if (!learner) continue
      const [lo, hi] = size.attemptsPerEnrollment
      const count = learner.behind
        ? random.int(lo, Math.max(lo, Math.ceil(hi / 2)))
        : random.int(lo, hi)
      const days = Array.from({ length: count }, () => random.int(0, windowDays()))
      days.sort((a, b) => a - b)
      const best = new Map<string, number>()
      let position = 0
      for (const day of days) {
        // Learners work through the course in order and sometimes go back to retake something.
        const retake = position > 0 && random.chance(0.2)
        const practice = list[
          retake ? random.int(0, position - 1) : Math.min(position, list.length - 1)
        ] as Practice
        if (!retake) position = Math.min(position + 1, list.length)
        const submittedAt = new Date(
          ACTIVITY_WINDOW.from + day * DAY_MS + random.int(8 * 3600, 20 * 3600) * 1000,
        )
        addAttempt(data, random, counters, {
          learner,
          practice,
          classId: cls.sourcedId,
          courseId: cls.courseSourcedId,
          submittedAt,
          best,
          difficulty,
        })
      }
    }
  }
  addExternalActivity(data, random, { learners, attendanceDays: size.attendanceDays })
}

function windowDays(): number {
  return Math.floor((ACTIVITY_WINDOW.to - ACTIVITY_WINDOW.from) / DAY_MS)
}

/** Every student with a role, their grade and an ability; {@link BEHIND_SHARE} are behind. */
function rateLearners(data: Dataset, random: Random): Map<string, Learner> {
  const schoolOf = new Map<string, string>()
  for (const role of data.userRoles) {
    if (role.role === 'student') schoolOf.set(role.userSourcedId, role.orgSourcedId)
  }
  const learners = new Map<string, Learner>()
  for (const user of data.users) {
    const schoolId = schoolOf.get(user.sourcedId)
    if (!schoolId) continue
    const behind = random.chance(BEHIND_SHARE)
    const ability = behind ? 0.3 + random.next() * 0.25 : 0.72 + random.next() * 0.28
    learners.set(user.sourcedId, {
      id: user.sourcedId,
      schoolId,
      grade: user.grades?.[0] ?? null,
      ability,
      behind,
    })
  }
  return learners
}

/** Practice resources per course, in course order (units, then lessons, then the challenge). */
function practicesByCourse(data: Dataset): Map<string, Practice[]> {
  const components = new Map(data.courseComponents.map((c) => [c.sourcedId, c]))
  const items = new Map<string, Practice['items']>()
  for (const item of data.assessmentItems) {
    const list = items.get(item.resourceSourcedId) ?? []
    list.push({ id: item.sourcedId, body: item.body })
    items.set(item.resourceSourcedId, list)
  }
  const resources = new Map(data.resources.map((r) => [r.sourcedId, r]))
  const byCourse = new Map<string, Practice[]>()
  for (const placement of data.componentResources) {
    const resource = resources.get(placement.resourceSourcedId)
    const meta = resource?.metadata
    if (!meta?.type || !PRACTICE_TYPES.includes(meta.type)) continue
    const component = components.get(placement.courseComponentSourcedId)
    if (!component) continue
    const isLesson = meta.type === 'exercise'
    const unitId = isLesson
      ? (component.parentSourcedId ?? null)
      : meta.type === 'course-challenge'
        ? null
        : component.sourcedId
    const pool = items.get(placement.resourceSourcedId) ?? []
    const list = byCourse.get(component.courseSourcedId) ?? []
    list.push({
      id: placement.resourceSourcedId,
      type: meta.type as PracticeType,
      xp: meta.xp ?? 0,
      unitId,
      lessonId: isLesson ? component.sourcedId : null,
      items: pool,
      select: Math.min(pool.length, meta.selection?.select ?? pool.length),
    })
    byCourse.set(component.courseSourcedId, list)
  }
  return byCourse
}

interface AttemptInput {
  learner: Learner
  practice: Practice
  classId: string
  courseId: string
  submittedAt: Date
  /** XP awarded so far per resource (XP is the improvement over the best, as when graded). */
  best: Map<string, number>
  difficulty: Map<string, number>
}

function addAttempt(
  data: Dataset,
  random: Random,
  counters: { attempt: number; response: number },
  input: AttemptInput,
): void {
  const { learner, practice } = input
  const id = seedUuid(1, ++counters.attempt)
  const asked = random.shuffle(practice.items).slice(0, practice.select)
  let raw = 0
  asked.forEach((item, position) => {
    const p = Math.max(0.05, Math.min(0.98, learner.ability - (input.difficulty.get(item.id) ?? 0)))
    const correct = random.chance(p)
    if (correct) raw++
    const choices = Math.max(1, item.body.choices.length)
    data.practiceItemResponses.push({
      id: seedUuid(2, ++counters.response),
      attemptId: id,
      orgSourcedId: learner.schoolId,
      userSourcedId: learner.id,
      resourceSourcedId: practice.id,
      itemSourcedId: item.id,
      position,
      response: { choice: correct ? item.body.correct : (item.body.correct + 1) % choices },
      correct,
      points: correct ? 1 : 0,
      maxPoints: 1,
    })
  })
  const max = asked.length
  const percent = max === 0 ? 0 : Math.round((raw / max) * 10_000) / 100
  const earned = max === 0 ? 0 : Math.floor((practice.xp * raw) / max)
  const awarded = input.best.get(practice.id) ?? 0
  input.best.set(practice.id, Math.max(awarded, earned))
  data.practiceAttempts.push({
    id,
    orgSourcedId: learner.schoolId,
    userSourcedId: learner.id,
    attemptToken: `seed-${counters.attempt}`,
    resourceSourcedId: practice.id,
    resourceType: practice.type,
    courseSourcedId: input.courseId,
    unitSourcedId: practice.unitId,
    lessonSourcedId: practice.lessonId,
    classSourcedId: input.classId,
    termSourcedId: TERMS[0].id,
    gradeLevel: learner.grade,
    seed: String(counters.attempt),
    startedAt: new Date(input.submittedAt.getTime() - random.int(60, 900) * 1000),
    submittedAt: input.submittedAt,
    scoreRaw: raw,
    scoreMax: max,
    scorePercent: percent,
    passed: percent >= 70,
    xpAwarded: Math.max(0, earned - awarded),
  })
}

/**
 * The deterministic data generator behind `campus seed`. Pure and in memory: the same options
 * give byte-identical rows (fixed dates, one seeded stream, no clock, no I/O). Every rule of
 * docs/content-model.md holds on the output; `small` also contains the edge cases pages must
 * handle, listed in {@link SMALL_FIXTURES}.
 *
 * @module
 */
import type { ResourceMetadata, ResourceType } from '../db/schema.js'
import { type ActivitySize, addActivity } from './activity.js'
import { type Dataset, emptyDataset } from './dataset.js'
import { IdSequence, SEED_DATE, uniqueSlug } from './ids.js'
import { createRandom, type Random } from './random.js'
import { addClasses, addRoster, DISTRICT_ID, type RosterSize, SCHOOL_YEAR_ID } from './roster.js'
import { capitalize, description, paragraphs, questionBody, youtubeId } from './text.js'
import {
  COURSE_LEVELS,
  LESSON_OPENERS,
  RESOURCE_TITLES,
  SUBJECTS,
  type SubjectWords,
  UNIT_VERBS,
} from './words.js'

export type { Dataset } from './dataset.js'

/** `small` for tests and the browser walk; `large` for benchmarks. */
export type Scale = 'small' | 'large'

/** Options of {@link generateDataset}. */
export interface GenerateOptions {
  scale: Scale
  /** 32-bit seed. @default DEFAULT_SEED */
  seed?: number | undefined
}

/** The seed `campus seed` uses without `--seed`; {@link SMALL_FIXTURES} describe its output. */
export const DEFAULT_SEED = 20_260_801

/** A generated row the tests and the browser walk look for, with the page that shows it. */
export interface FixtureRef {
  /** `sourcedId` of the course, component or resource. */
  id: string
  /** Its `metadata.slug`. */
  slug: string
  subjectSlug: string
  courseId: string
  /** Its page path (docs/content-model.md, "URLs"). */
  path: string
}

/** A video placed in lessons of two courses. */
export interface SharedFixture extends FixtureRef {
  courseIds: [string, string]
  /** The video's page through each course. */
  paths: [string, string]
}

/** Ids (and slugs and paths) of the edge cases and ordinary rows of a small data set. */
export interface SmallFixtures {
  /** A course with no quiz, no unit test and no challenge holder. */
  courseWithoutAssessments: FixtureRef
  /** A lesson whose resources are all exercises. */
  lessonOnlyExercises: FixtureRef
  /** A lesson whose resources are all videos. */
  lessonOnlyVideos: FixtureRef
  sharedResource: SharedFixture
  /** An ordinary course, with one of everything in its first unit. */
  course: FixtureRef
  /** The course's first unit. */
  unit: FixtureRef
  /** The unit's first lesson: at least one video, article and exercise. */
  lesson: FixtureRef
  video: FixtureRef
  article: FixtureRef
  exercise: FixtureRef
  quiz: FixtureRef
  unitTest: FixtureRef
  /** The course challenge resource (its holder component is in `challengeHolderId`). */
  challenge: FixtureRef & { challengeHolderId: string }
}

/** A data set plus, for `small`, its fixtures. */
export interface GeneratedData {
  dataset: Dataset
  fixtures: SmallFixtures | undefined
}

type LessonKind = 'video' | 'article' | 'exercise'

interface Profile {
  courses: number
  roster: RosterSize
  units: readonly [number, number]
  lessons: readonly [number, number]
  /** Resource types of one lesson, in page order. */
  lessonPlan(random: Random): LessonKind[]
  /** Chance that a video slot reuses a video of another course instead of a new one. */
  sharedVideoChance: number
  activity: ActivitySize
}

const PROFILES: Record<Scale, Profile> = {
  small: {
    courses: 12,
    roster: {
      schools: 3,
      teachersPerSchool: 4,
      studentsPerSchool: 20,
      schoolsPerCourse: [1, 2],
      studentsPerClass: 8,
    },
    units: [2, 4],
    lessons: [2, 4],
    lessonPlan: (random) => {
      const kinds: LessonKind[] = ['video', 'article', 'exercise']
      return Array.from({ length: random.int(3, 6) }, () => random.pick(kinds))
    },
    sharedVideoChance: 0.1,
    activity: { attemptsPerEnrollment: [2, 8], attendanceDays: 20 },
  },
  large: {
    courses: 300,
    roster: {
      schools: 20,
      teachersPerSchool: 20,
      studentsPerSchool: 220,
      schoolsPerCourse: [1, 3],
      studentsPerClass: 20,
    },
    units: [10, 10],
    lessons: [8, 8],
    lessonPlan: (random) =>
      random.shuffle(['video', 'video', 'article', 'article', 'exercise', 'exercise']),
    sharedVideoChance: 0.01,
    activity: { attemptsPerEnrollment: [2, 8], attendanceDays: 10 },
  },
}

/**
 * Where the small data set's edge cases sit, by position (course, unit, lesson index). Twelve
 * courses over six subjects, so courses 0–5 cover every subject once.
 */
const SMALL_LAYOUT = {
  ordinaryCourse: 0,
  onlyVideos: { course: 1, unit: 0, lesson: 1 },
  onlyExercises: { course: 2, unit: 1, lesson: 0 },
  shareSource: { course: 3, unit: 0, lesson: 0 },
  shareTarget: { course: 4, unit: 0, lesson: 0 },
  withoutAssessments: 5,
} as const

const XP: Record<ResourceType, number> = {
  article: 2,
  exercise: 5,
  video: 0, // ceil(durationSeconds / 60), set per video
  quiz: 10,
  'unit-test': 20,
  'course-challenge': 30,
}

/** Unit slugs that would collide with fixed path segments or the challenge holder. */
const RESERVED_UNIT_SLUGS = ['challenge', 'course-challenge', 'quiz', 'test']

/**
 * Generates a complete campus data set in memory.
 *
 * @example
 * const data = generateDataset({ scale: 'small' })
 * data.courses.length // 12
 */
export function generateDataset(options: GenerateOptions): Dataset {
  return generateDatasetWithFixtures(options).dataset
}

/** {@link generateDataset}, plus the fixtures of a small data set (undefined for `large`). */
export function generateDatasetWithFixtures(options: GenerateOptions): GeneratedData {
  return new Generator(options.scale, options.seed ?? DEFAULT_SEED).run()
}

interface PoolVideo {
  id: string
  slug: string
  title: string
  courseId: string
}

interface Place {
  subject: SubjectWords
  courseId: string
  /** The slug of the course, unit or lesson this place is. */
  slug: string
  /** `/:subject/:course[/:unit[/:lesson]]` */
  path: string
}

class Generator {
  readonly #random: Random
  readonly #profile: Profile
  readonly #small: boolean
  readonly #ids = new IdSequence()
  readonly #data = emptyDataset()
  /** Videos that may still be placed in a second course (each is used at most once more). */
  readonly #videoPool: PoolVideo[] = []
  readonly #fixtures: Partial<SmallFixtures> = {}
  #shareSource: (PoolVideo & { path: string; subjectSlug: string }) | undefined

  constructor(scale: Scale, seed: number) {
    this.#random = createRandom(seed)
    this.#profile = PROFILES[scale]
    this.#small = scale === 'small'
  }

  run(): GeneratedData {
    const schools = addRoster(this.#data, this.#random, this.#profile.roster)
    const titles = new Map(SUBJECTS.map((s) => [s.slug, this.#courseTitles(s)]))
    const courseSlugs = new Map(SUBJECTS.map((s) => [s.slug, new Set<string>()]))
    for (let c = 0; c < this.#profile.courses; c++) {
      const subject = SUBJECTS[c % SUBJECTS.length] as SubjectWords
      const title = titles.get(subject.slug)?.shift() ?? `${subject.title} ${c + 1}`
      this.#course(c, subject, title, courseSlugs.get(subject.slug) ?? new Set())
    }
    addClasses(this.#data, this.#random, schools, this.#profile.roster)
    // Last, so the content and roster above (and the small set's fixtures) do not move.
    addActivity(this.#data, this.#random, this.#profile.activity)
    return {
      dataset: this.#data,
      fixtures: this.#small ? (this.#fixtures as SmallFixtures) : undefined,
    }
  }

  /** Every "<topic> <level>" of a subject, shuffled: 80 distinct titles per subject. */
  #courseTitles(subject: SubjectWords): string[] {
    const all: string[] = []
    for (const topic of subject.topics) {
      for (const level of COURSE_LEVELS) {
        all.push(/^\d+$/.test(level) ? `${topic} ${level}` : `${topic}: ${level}`)
      }
    }
    return this.#random.shuffle(all)
  }

  #course(index: number, subject: SubjectWords, title: string, slugs: Set<string>): void {
    const random = this.#random
    const id = this.#ids.next('course', 4)
    const slug = uniqueSlug(title, slugs)
    const grade = random.int(9, 11)
    this.#data.courses.push({
      sourcedId: id,
      status: 'active',
      dateLastModified: SEED_DATE,
      schoolYearSourcedId: SCHOOL_YEAR_ID,
      title,
      courseCode: `${subject.code}-${100 + Math.floor(index / SUBJECTS.length)}`,
      grades: [String(grade).padStart(2, '0'), String(grade + 1).padStart(2, '0')],
      orgSourcedId: DISTRICT_ID,
      subjects: [subject.title],
      subjectCodes: [subject.code],
      metadata: {
        slug,
        subjectSlug: subject.slug,
        description: description(random, subject.concepts),
      },
    })
    const place: Place = { subject, courseId: id, slug, path: `/${subject.slug}/${slug}` }
    const withAssessments = !(this.#small && index === SMALL_LAYOUT.withoutAssessments)
    if (this.#small && index === SMALL_LAYOUT.ordinaryCourse) {
      this.#fixtures.course = this.#ref(id, slug, place, place.path)
    }
    if (!withAssessments) {
      this.#fixtures.courseWithoutAssessments = this.#ref(id, slug, place, place.path)
    }

    const unitSlugs = new Set(RESERVED_UNIT_SLUGS)
    const unitCount = random.int(...this.#profile.units)
    for (let u = 0; u < unitCount; u++) {
      const concept = random.pick(subject.concepts)
      const unitTitle = `${random.pick(UNIT_VERBS)} ${concept}`
      const unitId = this.#ids.next('cmp')
      const unitSlug = uniqueSlug(unitTitle, unitSlugs)
      this.#component(unitId, id, null, unitTitle, u + 1, {
        slug: unitSlug,
        description: description(random, subject.concepts),
      })
      const unitPlace: Place = { ...place, slug: unitSlug, path: `${place.path}/${unitSlug}` }
      if (this.#small && index === SMALL_LAYOUT.ordinaryCourse && u === 0) {
        this.#fixtures.unit = this.#ref(unitId, unitSlug, unitPlace, unitPlace.path)
      }
      const lessonSlugs = new Set<string>()
      const lessonCount = random.int(...this.#profile.lessons)
      for (let l = 0; l < lessonCount; l++) {
        const lessonConcept = random.pick(subject.concepts)
        const lessonTitle = capitalize(`${random.pick(LESSON_OPENERS)} ${lessonConcept}`)
        const lessonId = this.#ids.next('cmp')
        const lessonSlug = uniqueSlug(lessonTitle, lessonSlugs)
        this.#component(lessonId, id, unitId, lessonTitle, l + 1, { slug: lessonSlug })
        const lessonPlace: Place = {
          ...unitPlace,
          slug: lessonSlug,
          path: `${unitPlace.path}/${lessonSlug}`,
        }
        this.#lesson(index, u, l, lessonId, lessonConcept, lessonPlace)
      }
      if (withAssessments) {
        const ordinary = index === SMALL_LAYOUT.ordinaryCourse && u === 0
        this.#unitAssessments(unitId, concept, unitPlace, ordinary)
      }
    }
    if (withAssessments) this.#challenge(id, subject, place)
  }

  #lesson(
    course: number,
    unit: number,
    lesson: number,
    lessonId: string,
    concept: string,
    place: Place,
  ): void {
    const random = this.#random
    const at = (p: { course: number; unit: number; lesson: number }): boolean =>
      this.#small && p.course === course && p.unit === unit && p.lesson === lesson
    const ordinary =
      this.#small && course === SMALL_LAYOUT.ordinaryCourse && unit === 0 && lesson === 0
    let plan = this.#profile.lessonPlan(random)
    if (ordinary)
      plan = random.shuffle<LessonKind>(['video', 'article', 'exercise', ...plan.slice(3)])
    if (at(SMALL_LAYOUT.onlyVideos)) plan = plan.map((): LessonKind => 'video')
    if (at(SMALL_LAYOUT.onlyExercises)) plan = plan.map((): LessonKind => 'exercise')
    if (at(SMALL_LAYOUT.shareSource) || at(SMALL_LAYOUT.shareTarget)) plan[0] = 'video'
    // Fixture lessons keep their resources to themselves, so each fixture is in one course.
    const mayShare = !ordinary && !at(SMALL_LAYOUT.onlyVideos) && !at(SMALL_LAYOUT.shareSource)

    const lessonRef = this.#ref(lessonId, place.slug, place, place.path)
    if (ordinary) this.#fixtures.lesson = lessonRef
    if (at(SMALL_LAYOUT.onlyVideos)) this.#fixtures.lessonOnlyVideos = lessonRef
    if (at(SMALL_LAYOUT.onlyExercises)) this.#fixtures.lessonOnlyExercises = lessonRef

    const slugs = new Set<string>()
    const titles = {
      video: random.shuffle(RESOURCE_TITLES.video),
      article: random.shuffle(RESOURCE_TITLES.article),
      exercise: random.shuffle(RESOURCE_TITLES.exercise),
    }
    const segment = { video: 'v', article: 'a', exercise: 'e' } as const
    plan.forEach((kind, position) => {
      let placed: { id: string; slug: string; title: string } | undefined
      if (kind === 'video' && position === 0 && at(SMALL_LAYOUT.shareTarget) && this.#shareSource) {
        placed = this.#shareSource
      } else if (kind === 'video' && mayShare && random.chance(this.#profile.sharedVideoChance)) {
        placed = this.#takeSharedVideo(place.courseId, slugs)
      }
      if (placed) {
        slugs.add(placed.slug)
      } else {
        const template = titles[kind][position % titles[kind].length] ?? '%'
        const title = capitalize(template.replace('%', concept))
        const slug = uniqueSlug(title, slugs)
        placed = { id: this.#lessonResource(kind, title, slug, concept), slug, title }
        const path = `${place.path}/${segment[kind]}/${slug}`
        if (ordinary && !this.#fixtures[kind])
          this.#fixtures[kind] = this.#ref(placed.id, slug, place, path)
        if (at(SMALL_LAYOUT.shareSource) && position === 0) {
          this.#shareSource = {
            ...placed,
            courseId: place.courseId,
            path,
            subjectSlug: place.subject.slug,
          }
        } else if (kind === 'video' && mayShare && !at(SMALL_LAYOUT.shareTarget)) {
          this.#videoPool.push({ ...placed, courseId: place.courseId })
        }
      }
      this.#place(lessonId, placed.id, placed.title, position + 1)
      if (at(SMALL_LAYOUT.shareTarget) && position === 0 && this.#shareSource) {
        const source = this.#shareSource
        const path = `${place.path}/v/${source.slug}`
        this.#fixtures.sharedResource = {
          id: source.id,
          slug: source.slug,
          subjectSlug: source.subjectSlug,
          courseId: source.courseId,
          path: source.path,
          courseIds: [source.courseId, place.courseId],
          paths: [source.path, path],
        }
      }
    })
  }

  /**
   * A pooled video of another course whose slug is free in this lesson, removed from the pool
   * so that it ends up in exactly two courses; undefined when none fits (a new video is made).
   */
  #takeSharedVideo(courseId: string, slugs: Set<string>): PoolVideo | undefined {
    if (this.#videoPool.length === 0) return undefined
    const index = this.#random.int(0, this.#videoPool.length - 1)
    const video = this.#videoPool[index]
    if (!video || video.courseId === courseId || slugs.has(video.slug)) return undefined
    const last = this.#videoPool.pop() as PoolVideo
    if (index < this.#videoPool.length) this.#videoPool[index] = last
    return video
  }

  #lessonResource(kind: LessonKind, title: string, slug: string, concept: string): string {
    const random = this.#random
    const id = this.#ids.next('res')
    let metadata: ResourceMetadata
    if (kind === 'video') {
      const durationSeconds = random.int(90, 900)
      metadata = {
        type: 'video',
        slug,
        xp: Math.ceil(durationSeconds / 60),
        youtubeId: youtubeId(random),
        durationSeconds,
      }
    } else if (kind === 'article') {
      metadata = { type: 'article', slug, xp: XP.article, paragraphs: paragraphs(random, concept) }
    } else {
      metadata = { type: 'exercise', slug, xp: XP.exercise }
    }
    this.#resource(id, title, metadata)
    if (kind === 'exercise') this.#items(id, concept, random.int(4, 6), false)
    return id
  }

  #unitAssessments(unitId: string, concept: string, place: Place, ordinary: boolean): void {
    const random = this.#random
    const quizzes = random.int(1, 2)
    for (let q = 1; q <= quizzes; q++) {
      const id = this.#assessment('quiz', `Quiz ${q}: ${concept}`, `quiz-${q}`, concept, {
        pool: random.int(8, 12),
        select: random.int(5, 6),
      })
      this.#place(unitId, id, `Quiz ${q}: ${concept}`, q)
      if (this.#small && ordinary && q === 1) {
        this.#fixtures.quiz = this.#ref(id, `quiz-${q}`, place, `${place.path}/quiz/quiz-${q}`)
      }
    }
    const title = capitalize(`Unit test: ${concept}`)
    const id = this.#assessment('unit-test', title, 'unit-test', concept, {
      pool: random.int(12, 16),
      select: 10,
    })
    this.#place(unitId, id, title, quizzes + 1)
    if (this.#small && ordinary) {
      this.#fixtures.unitTest = this.#ref(id, 'unit-test', place, `${place.path}/test/unit-test`)
    }
  }

  #challenge(courseId: string, subject: SubjectWords, place: Place): void {
    const holderId = this.#ids.next('cmp')
    this.#component(holderId, courseId, null, 'Course challenge', 1000, {
      slug: 'course-challenge',
      role: 'course-challenge',
    })
    const concept = this.#random.pick(subject.concepts)
    const id = this.#assessment(
      'course-challenge',
      'Course challenge',
      'course-challenge',
      concept,
      {
        pool: this.#random.int(16, 20),
        select: 12,
      },
    )
    this.#place(holderId, id, 'Course challenge', 1)
    if (this.#small && this.#fixtures.course?.id === courseId) {
      this.#fixtures.challenge = {
        ...this.#ref(id, 'course-challenge', place, `${place.path}/challenge/course-challenge`),
        challengeHolderId: holderId,
      }
    }
  }

  #ref(id: string, slug: string, place: Place, path: string): FixtureRef {
    return { id, slug, subjectSlug: place.subject.slug, courseId: place.courseId, path }
  }

  #assessment(
    type: 'quiz' | 'unit-test' | 'course-challenge',
    title: string,
    slug: string,
    concept: string,
    size: { pool: number; select: number },
  ): string {
    const id = this.#ids.next('res')
    this.#resource(id, title, {
      type,
      slug,
      xp: XP[type],
      selection: { select: size.select, shuffle: true },
    })
    this.#items(id, concept, size.pool, true)
    return id
  }

  #resource(id: string, title: string, metadata: ResourceMetadata): void {
    this.#data.resources.push({
      sourcedId: id,
      status: 'active',
      dateLastModified: SEED_DATE,
      vendorResourceId: id,
      title,
      roles: ['primary'],
      importance: 'primary',
      vendorId: 'campus',
      applicationId: null,
      metadata,
    })
  }

  /** `count` questions; assessment pools get one `required` and one other `fixed` item. */
  #items(resourceId: string, concept: string, count: number, pool: boolean): void {
    const random = this.#random
    const required = pool ? random.int(0, count - 1) : -1
    const fixed = pool ? (required + random.int(1, count - 1)) % count : -1
    for (let i = 0; i < count; i++) {
      this.#data.assessmentItems.push({
        sourcedId: this.#ids.next('item'),
        status: 'active',
        dateLastModified: SEED_DATE,
        resourceSourcedId: resourceId,
        identifier: `q${i + 1}`,
        title: `Question ${i + 1}`,
        sortOrder: i + 1,
        required: i === required,
        fixed: i === fixed,
        body: questionBody(random, concept),
      })
    }
  }

  #component(
    id: string,
    courseId: string,
    parentId: string | null,
    title: string,
    sortOrder: number,
    metadata: Record<string, unknown>,
  ): void {
    this.#data.courseComponents.push({
      sourcedId: id,
      status: 'active',
      dateLastModified: SEED_DATE,
      courseSourcedId: courseId,
      parentSourcedId: parentId,
      title,
      sortOrder,
      prerequisites: [],
      prerequisiteCriteria: null,
      unlockDate: null,
      metadata,
    })
  }

  #place(componentId: string, resourceId: string, title: string, sortOrder: number): void {
    this.#data.componentResources.push({
      sourcedId: this.#ids.next('cr'),
      status: 'active',
      dateLastModified: SEED_DATE,
      courseComponentSourcedId: componentId,
      resourceSourcedId: resourceId,
      title,
      sortOrder,
      metadata: {},
    })
  }
}

/**
 * The fixtures of `generateDataset({ scale: 'small' })` (the default seed), which is what
 * `campus seed --scale small` writes. Another seed moves them: use
 * {@link generateDatasetWithFixtures} then.
 */
export const SMALL_FIXTURES: SmallFixtures = generateDatasetWithFixtures({
  scale: 'small',
}).fixtures as SmallFixtures

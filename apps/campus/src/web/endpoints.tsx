/**
 * The content endpoints, each declared once: its route name (the metric label), its path
 * pattern, its loader and its page. `routes.ts` serves every endpoint twice, as an HTML page
 * at its path and as JSON under `/api/content/`, so the two cannot drift apart.
 *
 * @module
 */
import type { JSX } from 'hono/jsx/jsx-runtime'
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
} from '../content/loaders/index.js'
import type {
  CourseHeader,
  LessonLayoutData,
  Loaded,
  NotFoundReason,
} from '../content/page-data.js'
import type { ContentSource } from '../content/source.js'
import type { PageViewer } from '../practice/viewer.js'
import type { CourseActivities } from '../scorm/course/section.js'
import { AssessmentPage } from './pages/assessment.js'
import { CoursePage, UnitPage } from './pages/course.js'
import { type IndexPageData, SubjectHubPage } from './pages/home.js'
import { ArticlePage, ExercisePage, LessonOverviewPage, VideoPage } from './pages/lesson.js'
import { KNOWN_SUBJECTS } from './subjects.js'

/**
 * The route names requests are attributed to (`runWithContentRequest`): a fixed set, so the
 * `route` label of the Redis byte and bundle metrics stays bounded.
 */
export type ContentRouteName =
  | 'index'
  | 'hub'
  | 'course'
  | 'unit'
  | 'lesson'
  | 'article'
  | 'video'
  | 'exercise'
  | 'quiz'
  | 'unit-test'
  | 'course-challenge'
  | 'redirect'

/** What an endpoint gets of the HTTP request. */
export interface EndpointRequest {
  source: ContentSource
  /** The raw request (loaders no longer need it: the request scope memoises bundles). */
  request: Request
  /** Path parameters, decoded. */
  params: Record<string, string>
  /** Query parameters (first value of each). */
  query: Record<string, string>
  /**
   * Who is looking. Set before an HTML page renders; JSON twins never read it, so they stay
   * the same for everyone. Anonymous unless set.
   */
  viewer: PageViewer
  /**
   * The course page's SCORM section for this viewer (set with the viewer; JSON twins never
   * read it). Absent: no section.
   */
  courseActivities?: (course: CourseHeader) => Promise<CourseActivities | null>
}

/** An endpoint's answer: page data with a lazy HTML rendering, or why there is none. */
export type EndpointResult =
  | { ok: true; data: unknown; page: () => Promise<JSX.Element> | JSX.Element }
  | { ok: false; reason: NotFoundReason }

/** One content endpoint (see the module comment). */
export interface ContentEndpoint {
  route: ContentRouteName
  /** Hono path pattern, relative to `/` (pages) and `/api/content` (JSON). */
  path: string
  run(req: EndpointRequest): Promise<EndpointResult>
}

/**
 * Builds an endpoint from a typed loader and page. The page only renders when HTML is asked
 * for, so the JSON twin never pays for it (the lesson page loads its first content there).
 */
function endpoint<T>(
  route: ContentRouteName,
  path: string,
  load: (req: EndpointRequest) => Promise<Loaded<T>>,
  page: (data: T, req: EndpointRequest) => Promise<JSX.Element> | JSX.Element,
): ContentEndpoint {
  return {
    route,
    path,
    async run(req) {
      const loaded = await load(req)
      if (!loaded.ok) return { ok: false, reason: loaded.reason }
      return { ok: true, data: loaded.data, page: () => page(loaded.data, req) }
    },
  }
}

function p(req: EndpointRequest, name: string): string {
  return req.params[name] ?? ''
}

function courseParams(req: EndpointRequest) {
  return { subject: p(req, 'subject'), course: p(req, 'course') }
}

function unitParams(req: EndpointRequest) {
  return { ...courseParams(req), unit: p(req, 'unit') }
}

function lessonParams(req: EndpointRequest) {
  return { ...unitParams(req), lesson: p(req, 'lesson') }
}

function contentParams(req: EndpointRequest) {
  return { ...lessonParams(req), slug: p(req, 'slug') }
}

/**
 * The `?attempt=` seed, capped: it is echoed back in page data and hashed, so an unbounded
 * value would only cost memory and bytes.
 */
function attemptSeed(req: EndpointRequest): string | undefined {
  return req.query.attempt?.slice(0, 64)
}

/**
 * The lesson path shows the lesson's first content item in the lesson frame; with no content
 * (or a first item whose data is broken: its loader has logged why) it shows the list alone.
 */
async function lessonPage(data: LessonLayoutData, req: EndpointRequest): Promise<JSX.Element> {
  const first = data.lesson.contents[0]
  if (first) {
    const params = { ...lessonParams(req), slug: first.slug }
    const view = { atLessonPath: true, viewer: req.viewer }
    if (first.type === 'article') {
      const loaded = await fetchArticlePageData(req.source, req.request, params)
      if (loaded.ok) return <ArticlePage data={loaded.data} view={view} />
    } else if (first.type === 'video') {
      const loaded = await fetchVideoPageData(req.source, req.request, params)
      if (loaded.ok) return <VideoPage data={loaded.data} view={view} />
    } else if (first.type === 'exercise') {
      const loaded = await fetchExercisePageData(req.source, req.request, params)
      if (loaded.ok) return <ExercisePage data={loaded.data} view={view} />
    }
  }
  return <LessonOverviewPage data={data} viewer={req.viewer} />
}

/**
 * `/`: the subjects that have courses. The hub reads go straight to the source (one small
 * cached value per subject), not through the hub loader, so a subject with no course is
 * skipped quietly instead of logging a "subject not found" warning.
 */
export async function loadIndex(source: ContentSource): Promise<IndexPageData> {
  const hubs = await Promise.all(
    KNOWN_SUBJECTS.map(async (subject) => ({
      ...subject,
      courses: await source.subjectHub(subject.slug),
    })),
  )
  return {
    subjects: hubs
      .filter((hub) => hub.courses.length > 0)
      .map((hub) => ({
        slug: hub.slug,
        title: hub.title,
        path: `/${encodeURIComponent(hub.slug)}`,
        courseCount: hub.courses.length,
      })),
  }
}

/**
 * Every content endpoint except the index and the resource redirect, in matching order:
 * `challenge/:slug` comes before the lesson pattern it would otherwise match (no unit is
 * called `challenge`, docs/content-model.md).
 */
export const CONTENT_ENDPOINTS: readonly ContentEndpoint[] = [
  endpoint(
    'hub',
    '/:subject',
    (req) => fetchSubjectHubData(req.source, p(req, 'subject')),
    (data, req) => <SubjectHubPage data={data} viewer={req.viewer} />,
  ),
  endpoint(
    'course',
    '/:subject/:course',
    (req) => fetchCoursePageData(req.source, req.request, courseParams(req)),
    async (data, req) => (
      <CoursePage
        data={data}
        viewer={req.viewer}
        activities={(await req.courseActivities?.(data.course)) ?? null}
      />
    ),
  ),
  endpoint(
    'unit',
    '/:subject/:course/:unit',
    (req) => fetchUnitPageData(req.source, req.request, unitParams(req)),
    (data, req) => <UnitPage data={data} viewer={req.viewer} />,
  ),
  endpoint(
    'course-challenge',
    '/:subject/:course/challenge/:slug',
    (req) =>
      fetchCourseChallengePageData(req.source, req.request, {
        ...courseParams(req),
        slug: p(req, 'slug'),
        attempt: attemptSeed(req),
      }),
    (data, req) => <AssessmentPage data={data} viewer={req.viewer} />,
  ),
  endpoint(
    'lesson',
    '/:subject/:course/:unit/:lesson',
    (req) => fetchLessonLayoutData(req.source, req.request, lessonParams(req)),
    lessonPage,
  ),
  endpoint(
    'quiz',
    '/:subject/:course/:unit/quiz/:slug',
    (req) =>
      fetchQuizPageData(req.source, req.request, {
        ...unitParams(req),
        slug: p(req, 'slug'),
        attempt: attemptSeed(req),
      }),
    (data, req) => <AssessmentPage data={data} viewer={req.viewer} />,
  ),
  endpoint(
    'unit-test',
    '/:subject/:course/:unit/test/:slug',
    (req) =>
      fetchUnitTestPageData(req.source, req.request, {
        ...unitParams(req),
        slug: p(req, 'slug'),
        attempt: attemptSeed(req),
      }),
    (data, req) => <AssessmentPage data={data} viewer={req.viewer} />,
  ),
  endpoint(
    'article',
    '/:subject/:course/:unit/:lesson/a/:slug',
    (req) => fetchArticlePageData(req.source, req.request, contentParams(req)),
    (data, req) => <ArticlePage data={data} view={{ viewer: req.viewer }} />,
  ),
  endpoint(
    'video',
    '/:subject/:course/:unit/:lesson/v/:slug',
    (req) => fetchVideoPageData(req.source, req.request, contentParams(req)),
    (data, req) => <VideoPage data={data} view={{ viewer: req.viewer }} />,
  ),
  endpoint(
    'exercise',
    '/:subject/:course/:unit/:lesson/e/:slug',
    (req) => fetchExercisePageData(req.source, req.request, contentParams(req)),
    (data, req) => <ExercisePage data={data} view={{ viewer: req.viewer }} />,
  ),
]

import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fetchCoursePageData,
  fetchQuizPageData,
  fetchVideoPageData,
} from '../../src/content/loaders/index.js'
import type {
  AssessmentPageData,
  CoursePageData,
  LessonLayoutData,
  SubjectHubData,
  UnitPageData,
  VideoPageData,
} from '../../src/content/page-data.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { escapeHtml, F, titleOf } from './fixtures.js'

let redis: RedisServer
let campus: TestCampus

beforeAll(async () => {
  redis = await startRedis()
  campus = await startTestCampus({ redisUrl: redis.url })
})

afterAll(async () => {
  await campus?.close()
  await redis?.stop()
})

async function html(path: string, status = 200): Promise<string> {
  const res = await campus.app.request(path)
  expect(res.status, path).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/^text\/html/)
  const body = await res.text()
  expect(body.startsWith('<!DOCTYPE html>')).toBe(true)
  return body
}

async function json<T>(path: string): Promise<T> {
  const res = await campus.app.request(`/api/content${path}`)
  expect(res.status, path).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  return (await res.json()) as T
}

function expectTitles(body: string, ids: string[]): void {
  for (const id of ids) expect(body, `title of ${id}`).toContain(escapeHtml(titleOf(id)))
}

function h1(body: string): string {
  return /<h1>(.*?)<\/h1>/s.exec(body)?.[1] ?? ''
}

describe('content pages (small set)', () => {
  it('index lists the subjects that have courses, linking to their hubs', async () => {
    const body = await html('/')
    expect(h1(body)).toBe('Subjects')
    for (const [slug, title] of [
      ['math', 'Math'],
      ['science', 'Science'],
      ['arts', 'Arts'],
    ]) {
      expect(body).toContain(`<a href="/${slug}">${title}</a>`)
    }
    const data = await json<{ subjects: { slug: string; courseCount: number }[] }>('/')
    expect(data.subjects.map((s) => s.slug)).toContain('math')
    expect(data.subjects.every((s) => s.courseCount > 0)).toBe(true)
  })

  it('subject hub lists its courses', async () => {
    const body = await html('/math')
    expectTitles(body, [F.course.id])
    expect(body).toContain(`href="${F.course.path}"`)
  })

  it('course page shows units, lessons, content, assessments and the challenge', async () => {
    const body = await html(F.course.path)
    expect(h1(body)).toBe(escapeHtml(titleOf(F.course.id)))
    expectTitles(body, [F.unit.id, F.lesson.id, F.video.id, F.quiz.id, F.unitTest.id])
    expectTitles(body, [F.challenge.id])
    expect(body).toContain(`href="${F.challenge.path}"`)
    expect(body).toMatch(/\d+ XP/)
  })

  it('unit page shows its lessons and assessments with breadcrumbs', async () => {
    const body = await html(F.unit.path)
    expect(h1(body)).toBe(escapeHtml(titleOf(F.unit.id)))
    expectTitles(body, [F.course.id, F.lesson.id, F.article.id, F.exercise.id, F.quiz.id])
    expect(body).toContain('aria-label="Breadcrumb"')
    expect(body).toContain('<a href="/math">Math</a>')
  })

  it('lesson path shows the first content item inside the lesson frame', async () => {
    const layout = await json<LessonLayoutData>(F.lesson.path)
    const first = layout.lesson.contents[0]!
    const body = await html(F.lesson.path)
    expect(h1(body)).toBe(escapeHtml(first.title))
    expectTitles(body, [F.lesson.id, F.video.id, F.article.id, F.exercise.id])
  })

  it('article, video and exercise pages render their content', async () => {
    const article = await html(F.article.path)
    expect(h1(article)).toBe(escapeHtml(titleOf(F.article.id)))
    expect(article).toContain('<article>')

    const video = await html(F.video.path)
    expect(h1(video)).toBe(escapeHtml(titleOf(F.video.id)))
    expect(video).toMatch(/<iframe src="https:\/\/www\.youtube-nocookie\.com\/embed\/[\w-]{11}"/)
    expect(video).toContain(`title="${escapeHtml(titleOf(F.video.id))}"`)

    const exercise = await html(F.exercise.path)
    expect(h1(exercise)).toBe(escapeHtml(titleOf(F.exercise.id)))
    expect(exercise).toContain('type="radio"')
  })

  it('quiz, unit test and course challenge render their questions', async () => {
    for (const ref of [F.quiz, F.unitTest, F.challenge]) {
      const body = await html(ref.path)
      expect(h1(body)).toBe(escapeHtml(titleOf(ref.id)))
      expect(body).toContain('type="radio"')
      // Anonymous: a preview and the prompt; the graded form is for signed-in learners.
      expect(body).toContain('Sign in to practise')
    }
  })

  it('renders the edge cases of the small set', async () => {
    const bare = await html(F.courseWithoutAssessments.path)
    expect(h1(bare)).toBe(escapeHtml(titleOf(F.courseWithoutAssessments.id)))
    expect(bare).not.toContain('Course challenge</h2>')
    for (const ref of [F.lessonOnlyExercises, F.lessonOnlyVideos]) {
      const body = await html(ref.path)
      expectTitles(body, [ref.id])
    }
    for (const path of F.sharedResource.paths) {
      expect(h1(await html(path))).toBe(escapeHtml(titleOf(F.sharedResource.id)))
    }
  })

  it('passes ?attempt= to the loader as the attempt seed', async () => {
    const a = await json<AssessmentPageData>(`${F.quiz.path}?attempt=seven`)
    const again = await json<AssessmentPageData>(`${F.quiz.path}?attempt=seven`)
    expect(a.attempt).toBe('seven')
    expect(again.questions).toEqual(a.questions)
    // The page shows the same draw as its JSON twin.
    const body = await html(`${F.quiz.path}?attempt=seven`)
    for (const q of a.questions) expect(body).toContain(`name="answers.${q.itemId}"`)
  })

  it('JSON twins return the loaders’ page data', async () => {
    const request = new Request('http://campus.test/')
    const params = { subject: 'math', course: F.course.slug }
    const course = await fetchCoursePageData(campus.deps.source, request, params)
    expect(course.ok).toBe(true)
    expect(await json<CoursePageData>(F.course.path)).toEqual(course.ok && course.data)

    const video = await fetchVideoPageData(campus.deps.source, request, {
      ...params,
      unit: F.unit.slug,
      lesson: F.lesson.slug,
      slug: F.video.slug,
    })
    expect(await json<VideoPageData>(F.video.path)).toEqual(video.ok && video.data)

    const quiz = await fetchQuizPageData(campus.deps.source, request, {
      ...params,
      unit: F.unit.slug,
      slug: F.quiz.slug,
      attempt: '3',
    })
    expect(await json<AssessmentPageData>(`${F.quiz.path}?attempt=3`)).toEqual(quiz.ok && quiz.data)

    const hub = await json<SubjectHubData>('/math')
    expect(hub.courses.some((c) => c.courseId === F.course.id)).toBe(true)
    const unit = await json<UnitPageData>(F.unit.path)
    expect(unit.unit.unitId).toBe(F.unit.id)
    const challenge = await json<AssessmentPageData>(F.challenge.path)
    expect(challenge).toMatchObject({ kind: 'course-challenge', unit: null })
    for (const ref of [F.article, F.exercise, F.unitTest]) {
      const data = await json<{ resource: { resourceId: string } }>(ref.path)
      expect(data.resource.resourceId).toBe(ref.id)
    }
  })
})

describe('not found', () => {
  it('unknown course and lesson → 404 page and a warning', async () => {
    for (const path of ['/math/no-such-course', `${F.unit.path}/no-such-lesson`]) {
      const before = campus.warnings().length
      const body = await html(path, 404)
      expect(h1(body)).toBe('Page not found')
      expect(body).toContain(path)
      expect(campus.warnings().length).toBeGreaterThan(before)
    }
  })

  it('/api/content 404s are problem+json naming what was not found', async () => {
    const res = await campus.app.request('/api/content/math/no-such-course')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Course not found: /math/no-such-course',
      reason: 'course_not_found',
    })

    const lesson = await campus.app.request(`/api/content${F.unit.path}/no-such-lesson`)
    expect(lesson.status).toBe(404)
    expect(((await lesson.json()) as { detail: string }).detail).toMatch(/^Lesson not found/)

    const unmatched = await campus.app.request('/api/content/a/b/c/d/e/f/g')
    expect(unmatched.status).toBe(404)
    expect(unmatched.headers.get('content-type')).toBe('application/problem+json')
  })

  it('a path no pattern fits → the 404 page', async () => {
    const body = await html('/a/b/c/d/e/f/g', 404)
    expect(h1(body)).toBe('Page not found')
  })

  it('reserved first segments are never subjects (no loader, no warning)', async () => {
    const before = campus.warnings().length
    for (const path of ['/api', '/r', '/metrics/x', '/health/x/y']) {
      await html(path, 404)
    }
    const api = await campus.app.request('/api/content/api/x')
    expect(api.status).toBe(404)
    expect(campus.warnings().length).toBe(before)
    expect((await campus.app.request('/health')).status).toBe(200)
  })
})

describe('resource redirect', () => {
  it('/r/<ordinary resource> → 302 to its page', async () => {
    for (const ref of [F.video, F.quiz, F.challenge]) {
      const res = await campus.app.request(`/r/${ref.id}`)
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toBe(ref.path)
      const api = await campus.app.request(`/api/content/r/${ref.id}`)
      expect(await api.json()).toEqual({ path: ref.path })
    }
  })

  it('/r/<shared resource> and /r/<unknown> → 404', async () => {
    for (const id of [F.sharedResource.id, 'res-does-not-exist']) {
      const before = campus.warnings().length
      const body = await html(`/r/${id}`, 404)
      expect(h1(body)).toBe('Page not found')
      expect(campus.warnings().length).toBeGreaterThan(before)
      const api = await campus.app.request(`/api/content/r/${id}`)
      expect(api.status).toBe(404)
      expect(api.headers.get('content-type')).toBe('application/problem+json')
    }
  })
})

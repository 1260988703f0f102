/**
 * Security headers and Cache-Control on every kind of response: pages, JSON twins, 404s, 500s,
 * admin and operations answers.
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { ContentError } from '../../src/content/errors.js'
import type { ContentSource } from '../../src/content/source.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'
import { F } from './fixtures.js'

let campus: TestCampus
beforeAll(async () => {
  campus = await startTestCampus()
})
afterAll(async () => {
  await campus?.close()
})

/** The CSP as a map of directive → sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? ''
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name as string, sources]),
  )
}

const PAGES = [
  '/',
  `/${F.course.subjectSlug}`,
  F.course.path,
  F.unit.path,
  F.lesson.path,
  F.video.path,
  F.article.path,
  F.exercise.path,
  F.quiz.path,
  F.unitTest.path,
  F.challenge.path,
  '/no-such-subject',
  '/login',
  '/login/magic',
]

describe('security headers', () => {
  it('every response carries them: page, JSON, 404, admin 401, health, metrics', async () => {
    for (const path of [
      '/',
      F.lesson.path,
      `/api/content${F.lesson.path}`,
      '/no-such-subject/x',
      '/api/admin/course-builder/courses/x',
      '/health',
      '/metrics',
    ]) {
      const res = await campus.app.request(path)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('permissions-policy'), path).toMatch(/camera=\(\)/)
      expect(csp(res).get('frame-ancestors'), path).toEqual(["'none'"])
      expect(csp(res).get('script-src'), path).toEqual(["'self'"])
    }
  })

  it('the CSP lets the video embed in and nothing else', async () => {
    const res = await campus.app.request(F.video.path)
    const policy = csp(res)
    expect(policy.get('frame-src')).toEqual(['https://www.youtube-nocookie.com'])
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('base-uri')).toEqual(["'none'"])
    expect(res.headers.get('permissions-policy')).toContain(
      'fullscreen=(self "https://www.youtube-nocookie.com")',
    )
  })

  it('pages have no inline script or handler, and every inline style is allowed by hash', async () => {
    for (const path of PAGES) {
      const res = await campus.app.request(path)
      const html = await res.text()
      expect(html, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i)
      expect(html, path).not.toMatch(/\son[a-z]+=/i)
      expect(html, path).not.toMatch(/\sstyle=/i)
      const allowed = csp(res).get('style-src') ?? []
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string)
      expect(styles.length, path).toBeGreaterThan(0)
      for (const style of styles) {
        const hash = createHash('sha256').update(style).digest('base64')
        expect(allowed, path).toContain(`'sha256-${hash}'`)
      }
    }
  })

  it('HSTS only over TLS, direct or through a TLS-terminating proxy', async () => {
    const plain = await campus.app.request('http://campus.test/')
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    const tls = await campus.app.request('https://campus.test/')
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000')
    const proxied = await campus.app.request('http://campus.test/', {
      headers: { 'X-Forwarded-Proto': 'HTTPS, http' },
    })
    expect(proxied.headers.get('strict-transport-security')).toBe('max-age=31536000')
    const proxiedPlain = await campus.app.request('http://campus.test/', {
      headers: { 'X-Forwarded-Proto': 'http' },
    })
    expect(proxiedPlain.headers.get('strict-transport-security')).toBeNull()
  })
})

describe('Cache-Control', () => {
  it('content pages and JSON twins: public for a minute; with credentials: private', async () => {
    for (const path of [F.course.path, `/api/content${F.course.path}`, '/']) {
      const res = await campus.app.request(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=60')
      const withCookie = await campus.app.request(path, { headers: { cookie: 'sid=1' } })
      expect(withCookie.headers.get('cache-control'), path).toBe('private, no-cache')
    }
  })

  it('404 pages and problems: no-store', async () => {
    for (const path of ['/no-such-subject', `/api/content/no-such-subject/x`, '/r/nothing']) {
      const res = await campus.app.request(path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('cache-control'), path).toBe('no-store')
    }
  })

  it('500 pages and problems: no-store', async () => {
    const broken: ContentSource = {
      ...campus.deps.source,
      locateCourse: () => Promise.reject(new ContentError('E_CONTENT_LOAD', 'database is gone')),
    }
    const app = createApp({ ...campus.deps, source: broken })
    for (const path of [F.course.path, `/api/content${F.course.path}`]) {
      const res = await app.request(path)
      expect(res.status, path).toBe(500)
      expect(res.headers.get('cache-control'), path).toBe('no-store')
    }
  })

  it('admin answers keep their own no-store', async () => {
    const res = await campus.app.request(`/api/admin/course-builder/courses/${F.course.courseId}`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })
})

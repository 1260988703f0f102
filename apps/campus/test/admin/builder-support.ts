/**
 * Helpers of the course builder tests: authorised requests, cache warming and the Redis-side
 * view of what a mutation left behind.
 *
 * @module
 */
import { expect } from 'vitest'
import { contentKeys } from '../../src/content/keys.js'
import type { CourseLocator } from '../../src/content/types.js'
import { TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'

/** The course builder's base path. */
export const BUILDER = '/api/admin/course-builder'

/** A JSON request with the admin token. */
export function adminRequest(
  campus: Pick<TestCampus, 'app'>,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TEST_ADMIN_TOKEN,
): Promise<Response> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  return Promise.resolve(
    campus.app.request(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  )
}

/** What a successful mutation answers. */
export interface MutationBody<T = Record<string, unknown>> {
  data: T
  invalidated: { courses: CourseLocator[]; pending: boolean }
}

/** Sends a mutation, expects `status`, returns the body. */
export async function mutate<T = Record<string, unknown>>(
  campus: Pick<TestCampus, 'app'>,
  method: string,
  path: string,
  body: unknown,
  status = 200,
): Promise<MutationBody<T>> {
  const res = await adminRequest(campus, method, `${BUILDER}${path}`, body)
  const json = (await res.json()) as MutationBody<T>
  expect(res.status, JSON.stringify(json)).toBe(status)
  return json
}

/** Sends a request expected to fail; returns the problem body. */
export async function refused(
  campus: Pick<TestCampus, 'app'>,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<{ field?: string; detail: string; code: string }> {
  const res = await adminRequest(campus, method, `${BUILDER}${path}`, body)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  expect(res.headers.get('cache-control')).toBe('no-store')
  const json = (await res.json()) as { field?: string; detail: string; code: string }
  expect(res.status, JSON.stringify(json)).toBe(status)
  return json
}

/** Every cache key of a course the builder must drop (bundle, legacy lists, hub). */
export function courseKeys(campus: TestCampus, locator: CourseLocator, subjectSlug: string) {
  const keys = contentKeys(campus.satchel)
  return {
    bundle: keys.courseBundle(locator.orgId, locator.courseId),
    legacy: [
      keys.allCourses(),
      keys.allCourseComponents(locator.orgId),
      keys.allResources(locator.orgId),
      keys.allComponentResources(locator.orgId),
    ],
    hub: keys.subjectHub(subjectSlug),
  }
}

/** How many of `keys` exist in Redis (read with the raw client: no L1 in the way). */
export async function existing(campus: TestCampus, keys: readonly string[]): Promise<number> {
  const client = campus.satchel.redis.client
  if (!client) throw new Error('these tests need Redis')
  let n = 0
  for (const key of keys) n += await client.exists(key)
  return n
}

/**
 * Loads the courses through both families and their subject hubs, so every key a mutation must
 * drop is in Redis; asserts that it is.
 */
export async function warm(
  campus: TestCampus,
  courses: readonly { locator: CourseLocator; subjectSlug: string }[],
): Promise<void> {
  for (const { locator, subjectSlug } of courses) {
    await campus.deps.source.loadCourse(locator)
    await campus.deps.adminSource.loadCourse(locator)
    await campus.deps.source.subjectHub(subjectSlug)
    const keys = courseKeys(campus, locator, subjectSlug)
    expect(await existing(campus, [keys.bundle, ...keys.legacy, keys.hub])).toBe(6)
  }
}

/** Asserts every course key is gone from Redis. */
export async function expectInvalidated(
  campus: TestCampus,
  courses: readonly { locator: CourseLocator; subjectSlug: string }[],
): Promise<void> {
  for (const { locator, subjectSlug } of courses) {
    const keys = courseKeys(campus, locator, subjectSlug)
    expect(await existing(campus, [keys.bundle]), `bundle of ${locator.courseId}`).toBe(0)
    expect(await existing(campus, keys.legacy), `legacy keys of ${locator.orgId}`).toBe(0)
    expect(await existing(campus, [keys.hub]), `hub of ${subjectSlug}`).toBe(0)
  }
}

/** `{ subject, course, unit, lesson, slug? }` from a page path. */
export function paramsOf(path: string) {
  const [subject = '', course = '', unit = '', lesson = '', , slug = ''] = path
    .split('/')
    .filter(Boolean)
  return { subject, course, unit, lesson, slug }
}

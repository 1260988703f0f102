/**
 * Helpers of the practice tests: read the form a learner is served (its hidden fields and the
 * questions it asks), the answer key from the database (the grader's source, never a page), and
 * submit answers through the API or as the form.
 *
 * @module
 */
import { inArray } from 'drizzle-orm'
import { expect } from 'vitest'
import { assessmentItems } from '../../src/db/schema.js'
import { type As, postJson, send } from '../auth/support.js'
import type { TestCampus } from '../support/campus.js'

/** The form of a practice page as a learner gets it. */
export interface ServedForm {
  courseId: string
  resourceId: string
  attemptToken: string
  seed: string | undefined
  /** Question item ids, in form order. */
  itemIds: string[]
  html: string
}

function hidden(html: string, name: string): string | undefined {
  return new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1]
}

/** GETs `path` as the learner and reads its practice form. */
export async function servedForm(campus: TestCampus, path: string, as: As): Promise<ServedForm> {
  const res = await send(campus.app, path, {}, as)
  expect(res.status).toBe(200)
  const html = await res.text()
  const itemIds = [
    ...new Set([...html.matchAll(/name="answers\.([^"]+)"/g)].map((m) => m[1] as string)),
  ]
  const courseId = hidden(html, 'courseId')
  const resourceId = hidden(html, 'resourceId')
  const attemptToken = hidden(html, 'attemptToken')
  if (!courseId || !resourceId || !attemptToken) throw new Error(`no practice form on ${path}`)
  return { courseId, resourceId, attemptToken, seed: hidden(html, 'seed'), itemIds, html }
}

/** The correct choice of each item, from the database. */
export async function answerKey(
  campus: TestCampus,
  itemIds: readonly string[],
): Promise<Record<string, { correct: number; choices: number }>> {
  const rows = await campus.database.db
    .select({ id: assessmentItems.sourcedId, body: assessmentItems.body })
    .from(assessmentItems)
    .where(inArray(assessmentItems.sourcedId, [...itemIds]))
  return Object.fromEntries(
    rows.map((r) => [r.id, { correct: r.body.correct, choices: r.body.choices.length }]),
  )
}

/** Answers: every item right, except the ones in `wrong`. */
export async function answers(
  campus: TestCampus,
  itemIds: readonly string[],
  wrong: ReadonlySet<string> = new Set(),
): Promise<Record<string, number>> {
  const key = await answerKey(campus, itemIds)
  const out: Record<string, number> = {}
  for (const id of itemIds) {
    const k = key[id]
    if (!k) throw new Error(`no item ${id}`)
    out[id] = wrong.has(id) ? (k.correct + 1) % k.choices : k.correct
  }
  return out
}

/** The API body of a served form with `answers`. */
export function body(form: ServedForm, given: Record<string, number>) {
  return {
    courseId: form.courseId,
    resourceId: form.resourceId,
    attemptToken: form.attemptToken,
    ...(form.seed === undefined ? {} : { seed: form.seed }),
    answers: given,
  }
}

/** POSTs a submission to the API. */
export function submitJson(campus: TestCampus, payload: unknown, as: As) {
  return postJson(campus.app, '/api/practice/attempts', payload, as)
}

/** A stored attempt as the API answers it. */
export interface AttemptJson {
  id: string
  resourceId: string
  scoreRaw: number
  scoreMax: number
  scorePercent: number
  passed: boolean
  xpAwarded: number
  items: { itemId: string; correct: boolean; chosen: string }[]
}

/** A problem+json body. */
export interface ProblemJson {
  status: number
  code: string
  detail: string
  errors?: { field: string; message: string }[]
}

/** The fields a 400 names. */
export async function problemFields(res: Response): Promise<string[]> {
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  const problem = (await res.json()) as ProblemJson
  expect(res.status, JSON.stringify(problem)).toBe(400)
  expect(problem.code).toBe('E_VALIDATION')
  return (problem.errors ?? []).map((e) => e.field)
}

/**
 * Who may submit and read practice, and what a bad submission gets: 401/403 problem+json for
 * the wrong caller, sign-in redirects for pages, 404 for another learner's attempt, and 400
 * problem+json naming every offending field (missing answers, unknown items, a resource of
 * another organisation, a malformed token), with nothing stored.
 */
import { eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assessmentItems,
  componentResources,
  courseComponents,
  courses,
  orgs,
  practiceAttempts,
  resources,
} from '../../src/db/schema.js'
import { seedDemoAccounts } from '../../src/seed/accounts.js'
import { SMALL_FIXTURES as F } from '../../src/seed/generate.js'
import { ACCOUNTS, postForm, postJson, send, signIn } from '../auth/support.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import {
  type AttemptJson,
  answers,
  body,
  type ProblemJson,
  problemFields,
  servedForm,
  submitJson,
} from './support.js'

const OTHER_ORG = 'org-other-district'
const OTHER_COURSE = 'course-other-1'
const OTHER_RESOURCE = 'res-other-quiz'

/** A second district with one course holding one quiz: content no school-01 learner may take. */
async function addOtherDistrict(campus: TestCampus): Promise<void> {
  const db = campus.database.db
  await db.insert(orgs).values({ sourcedId: OTHER_ORG, name: 'Other district', type: 'district' })
  await db.insert(courses).values({
    sourcedId: OTHER_COURSE,
    title: 'Elsewhere',
    orgSourcedId: OTHER_ORG,
    metadata: { slug: 'elsewhere', subjectSlug: 'math' },
  })
  await db.insert(courseComponents).values({
    sourcedId: 'cmp-other-unit',
    courseSourcedId: OTHER_COURSE,
    title: 'Unit',
    metadata: { slug: 'unit' },
  })
  await db.insert(resources).values({
    sourcedId: OTHER_RESOURCE,
    vendorResourceId: 'v-other',
    title: 'Other quiz',
    metadata: { type: 'quiz', slug: 'other-quiz', xp: 10 },
  })
  await db.insert(componentResources).values({
    sourcedId: 'cr-other',
    courseComponentSourcedId: 'cmp-other-unit',
    resourceSourcedId: OTHER_RESOURCE,
    title: 'Other quiz',
  })
  await db.insert(assessmentItems).values({
    sourcedId: 'item-other-1',
    resourceSourcedId: OTHER_RESOURCE,
    identifier: 'q1',
    title: 'Q1',
    body: { prompt: 'Two?', choices: ['1', '2'], correct: 1 },
  })
}

describe('practice access and bad input', () => {
  let campus: TestCampus
  let learner = ''
  let otherLearner = ''
  let teacher = ''

  beforeAll(async () => {
    campus = await startTestCampus()
    await seedDemoAccounts(campus.database.db)
    await addOtherDistrict(campus)
    learner = await signIn(campus.app, ACCOUNTS.student, { ip: '198.51.100.31' })
    otherLearner = await signIn(campus.app, ACCOUNTS.otherStudent, { ip: '198.51.100.32' })
    teacher = await signIn(campus.app, ACCOUNTS.teacher, { ip: '198.51.100.33' })
    // Seeding the demo set and hashing the demo passwords is slow on a loaded machine.
  }, 180_000)
  afterAll(async () => {
    await campus?.close()
  })

  // Attempts by the demo accounts: the seed's own activity (seeded learners) is not at issue.
  const count = async () =>
    (
      await campus.database.db
        .select()
        .from(practiceAttempts)
        .where(like(practiceAttempts.userSourcedId, 'usr-demo-%'))
    ).length

  it('refuses the signed-out (401) and non-learners (403); pages send them to sign in', async () => {
    const form = await servedForm(campus, F.quiz.path, { cookie: learner })
    const payload = body(form, await answers(campus, form.itemIds))
    const anonymous = await postJson(campus.app, '/api/practice/attempts', payload)
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json')
    expect(anonymous.headers.get('cache-control')).toBe('no-store')
    const asTeacher = await submitJson(campus, payload, { cookie: teacher })
    expect(asTeacher.status).toBe(403)
    expect(((await asTeacher.json()) as ProblemJson).code).toBe('E_FORBIDDEN')
    for (const path of ['/api/practice/attempts', '/api/practice/progress']) {
      expect((await send(campus.app, path)).status).toBe(401)
    }

    const formPost = await postForm(campus.app, '/practice/attempts', {
      returnTo: F.quiz.path,
    })
    expect(formPost.status).toBe(303)
    expect(formPost.headers.get('location')).toBe(`/login?next=${encodeURIComponent(F.quiz.path)}`)
    const progress = await send(campus.app, '/me/progress')
    expect(progress.status).toBe(303)
    expect(progress.headers.get('location')).toBe('/login?next=%2Fme%2Fprogress')
    // A cross-site form post is refused before anything runs.
    const crossSite = await send(
      campus.app,
      '/practice/attempts',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
        body: new URLSearchParams({ courseId: form.courseId }).toString(),
      },
      { cookie: learner },
    )
    expect(crossSite.status).toBe(403)
    // Teachers see a preview, not a form; anonymous visitors the sign-in prompt.
    const preview = await (await send(campus.app, F.quiz.path, {}, { cookie: teacher })).text()
    expect(preview).not.toContain('name="attemptToken"')
    expect(preview).toContain('Answers are graded for students')
    expect(await (await send(campus.app, F.quiz.path)).text()).toContain('Sign in to practise')
    expect(await count()).toBe(0)
  })

  it('another learner’s attempt is not found, by API or page', async () => {
    const form = await servedForm(campus, F.exercise.path, { cookie: learner })
    const res = await submitJson(campus, body(form, await answers(campus, form.itemIds)), {
      cookie: learner,
    })
    expect(res.status).toBe(201)
    const { id } = ((await res.json()) as { attempt: AttemptJson }).attempt
    expect((await send(campus.app, `/me/attempts/${id}`, {}, { cookie: learner })).status).toBe(200)
    expect(
      (await send(campus.app, `/me/attempts/${id}`, {}, { cookie: otherLearner })).status,
    ).toBe(404)
    expect(
      (await send(campus.app, `/api/practice/attempts/${id}`, {}, { cookie: otherLearner })).status,
    ).toBe(404)
    const theirList = await send(campus.app, '/api/practice/attempts', {}, { cookie: otherLearner })
    expect(((await theirList.json()) as { attempts: unknown[] }).attempts).toEqual([])
  })

  it('400 names every missing answer and every unknown item, and stores nothing', async () => {
    const before = await count()
    const form = await servedForm(campus, F.quiz.path, { cookie: learner })
    const given = await answers(campus, form.itemIds)
    const [dropped, alsoDropped] = form.itemIds as [string, string]
    delete given[dropped]
    delete given[alsoDropped]
    given['item-does-not-exist'] = 0
    const fields = await problemFields(
      await submitJson(campus, body(form, given), { cookie: learner }),
    )
    expect(fields.sort()).toEqual(
      [`answers.${dropped}`, `answers.${alsoDropped}`, 'answers.item-does-not-exist'].sort(),
    )
    // A choice the question does not have.
    const outOfRange = await answers(campus, form.itemIds)
    outOfRange[dropped] = 99
    expect(
      await problemFields(await submitJson(campus, body(form, outOfRange), { cookie: learner })),
    ).toEqual([`answers.${dropped}`])
    expect(await count()).toBe(before)
  })

  it('400 for malformed bodies: missing ids, a forged token, a non-number answer', async () => {
    const form = await servedForm(campus, F.quiz.path, { cookie: learner })
    const good = body(form, await answers(campus, form.itemIds))
    const { courseId: _c, ...noCourse } = good
    expect(await problemFields(await submitJson(campus, noCourse, { cookie: learner }))).toEqual([
      'courseId',
    ])
    expect(
      await problemFields(
        await submitJson(campus, { ...good, attemptToken: 'guess' }, { cookie: learner }),
      ),
    ).toEqual(['attemptToken'])
    const [first] = form.itemIds as [string]
    expect(
      await problemFields(
        await submitJson(
          campus,
          { ...good, answers: { ...good.answers, [first]: 'b' } },
          { cookie: learner },
        ),
      ),
    ).toEqual([`answers.${first}`])
    const notJson = await send(
      campus.app,
      '/api/practice/attempts',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
      { cookie: learner },
    )
    expect(await problemFields(notJson)).toEqual(['(body)'])
  })

  it('400 for a resource of another organisation, or not in the named course', async () => {
    const form = await servedForm(campus, F.quiz.path, { cookie: learner })
    const token = form.attemptToken
    const other = {
      courseId: OTHER_COURSE,
      resourceId: OTHER_RESOURCE,
      attemptToken: token,
      answers: { 'item-other-1': 1 },
    }
    const res = await submitJson(campus, other, { cookie: learner })
    const problem = (await res.clone().json()) as ProblemJson
    expect(await problemFields(res)).toEqual(['resourceId'])
    expect(problem.errors?.[0]?.message).toContain('another organisation')
    // The quiz is not placed in the other course.
    const mismatch = await submitJson(
      campus,
      {
        ...body(form, await answers(campus, form.itemIds)),
        courseId: F.courseWithoutAssessments.courseId,
      },
      { cookie: learner },
    )
    expect(await problemFields(mismatch)).toEqual(['resourceId'])
    // An article is not graded practice.
    const article = await submitJson(
      campus,
      { courseId: F.article.courseId, resourceId: F.article.id, attemptToken: token, answers: {} },
      { cookie: learner },
    )
    expect(await problemFields(article)).toEqual(['resourceId'])
    const rows = await campus.database.db
      .select()
      .from(practiceAttempts)
      .where(eq(practiceAttempts.resourceSourcedId, OTHER_RESOURCE))
    expect(rows).toEqual([])
  })

  it('a token used for one resource is refused for another (422)', async () => {
    const quiz = await servedForm(campus, F.quiz.path, { cookie: learner })
    const first = await submitJson(campus, body(quiz, await answers(campus, quiz.itemIds)), {
      cookie: learner,
    })
    expect(first.status).toBe(201)
    const test = await servedForm(campus, F.unitTest.path, { cookie: learner })
    const reused = await submitJson(
      campus,
      { ...body(test, await answers(campus, test.itemIds)), attemptToken: quiz.attemptToken },
      { cookie: learner },
    )
    expect(reused.status).toBe(422)
    expect(((await reused.json()) as ProblemJson).code).toBe('E_TOKEN_REUSED')
  })

  it('the form post answers a page listing the fields when it cannot grade', async () => {
    const form = await servedForm(campus, F.quiz.path, { cookie: learner })
    const res = await postForm(
      campus.app,
      '/practice/attempts',
      {
        courseId: form.courseId,
        resourceId: form.resourceId,
        attemptToken: form.attemptToken,
        seed: form.seed ?? '',
        returnTo: F.quiz.path,
      },
      { cookie: learner },
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    for (const id of form.itemIds) expect(html).toContain(`answers.${id} is required`)
    expect(html).toContain(`href="${F.quiz.path}"`)
  })
})

/**
 * Course builder input that PostgreSQL cannot store, that recursive code cannot walk, or that is
 * simply too large: each is a 400 (413 for the body) problem naming the field, never a 500, and
 * nothing reaches the database.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INPUT_LIMITS } from '../../src/admin/input-bounds.js'
import { courseComponents } from '../../src/db/schema.js'
import { SMALL_FIXTURES } from '../../src/seed/generate.js'
import { startTestCampus, TEST_ADMIN_TOKEN, type TestCampus } from '../support/campus.js'
import { BUILDER, refused } from './builder-support.js'

const { course, unit } = SMALL_FIXTURES

/** `{ a: { a: … { a: 1 } } }`, `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}

const lesson = (patch: Record<string, unknown> = {}) => ({
  courseSourcedId: course.id,
  parentSourcedId: unit.id,
  title: 'A bounded lesson',
  ...patch,
  metadata: { slug: 'a-bounded-lesson', ...((patch.metadata as object) ?? {}) },
})

const article = (metadata: Record<string, unknown> = {}, title = 'An article') => ({
  title,
  metadata: { type: 'article', slug: 'an-article', xp: 10, paragraphs: ['One.'], ...metadata },
})

describe('course builder: input bounds and storable text', () => {
  let campus: TestCampus
  beforeAll(async () => {
    campus = await startTestCampus()
  })
  afterAll(async () => {
    await campus?.close()
  })

  /** Expects a 400 naming `field`, and no error logged. */
  async function expectField(
    method: string,
    path: string,
    body: unknown,
    field: string,
    detail?: RegExp,
  ): Promise<void> {
    const before = campus.logs.length
    const problem = await refused(campus, method, path, body, 400)
    expect(problem.field).toBe(field)
    expect(problem.code).toBe('E_VALIDATION')
    if (detail) expect(problem.detail).toMatch(detail)
    expect(campus.logs.slice(before).filter((l) => l.level >= 50)).toEqual([])
  }

  describe('NUL and lone surrogates', () => {
    it('in a title', async () => {
      await expectField('POST', '/components', lesson({ title: 'bad\u0000title' }), 'title')
      await expectField('POST', '/resources', article({}, 'lone \ud800 high'), 'title')
      await expectField('PATCH', `/components/${unit.id}`, { title: 'lone \udc00 low' }, 'title')
    })

    it('in metadata.description', async () => {
      await expectField(
        'POST',
        '/components',
        lesson({ metadata: { description: 'nul \u0000 here' } }),
        'metadata.description',
      )
      await expectField(
        'PATCH',
        `/components/${unit.id}`,
        { metadata: { description: 'half a pair \ud83d' } },
        'metadata.description',
      )
    })

    it('in a metadata key (named by its parent)', async () => {
      await expectField(
        'PATCH',
        `/components/${unit.id}`,
        { metadata: { 'bad\u0000key': 1 } },
        'metadata',
        /key/,
      )
      await expectField('POST', '/resources', article({ '\udfff': 1 }), 'metadata', /key/)
    })

    it('deep inside metadata', async () => {
      await expectField(
        'POST',
        '/resources',
        article({ paragraphs: ['fine', 'not \ud800 fine'] }),
        'metadata.paragraphs.1',
      )
    })

    it('keeps a well-formed surrogate pair (an emoji) as it was sent', async () => {
      const res = await campus.app.request(`${BUILDER}/components/${unit.id}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ metadata: { description: 'fractions 🍕' } }),
      })
      expect(res.status).toBe(200)
      const [row] = await campus.database.db
        .select({ metadata: courseComponents.metadata })
        .from(courseComponents)
        .where(eq(courseComponents.sourcedId, unit.id))
      expect(row?.metadata).toMatchObject({ description: 'fractions 🍕' })
    })
  })

  describe('metadata.type names only real resource types', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      it(`"${type}" → 400 naming metadata.type`, async () => {
        await expectField('POST', '/resources', article({ type }), 'metadata.type', /unknown/)
      })
    }
  })

  describe('size and shape limits', () => {
    it(`metadata ${INPUT_LIMITS.metadataDepth} levels deep is accepted, one more is not`, async () => {
      const ok = await campus.app.request(`${BUILDER}/components/${unit.id}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
        // `metadata` itself is one level.
        body: JSON.stringify({ metadata: { deep: nested(INPUT_LIMITS.metadataDepth - 1) } }),
      })
      expect(ok.status).toBe(200)
      await expectField(
        'PATCH',
        `/components/${unit.id}`,
        { metadata: { deep: nested(INPUT_LIMITS.metadataDepth) } },
        `metadata.deep${'.a'.repeat(INPUT_LIMITS.metadataDepth - 1)}`,
        /deeper than 16 levels/,
      )
    })

    for (const depth of [1_000, 10_000]) {
      it(`metadata ${depth} levels deep → 400, not a 500 or a stack overflow`, async () => {
        // Written as text: JSON.stringify itself overflows the stack at this depth.
        const deep = `${'{"a":'.repeat(depth - 1)}{"a":1}${'}'.repeat(depth - 1)}`
        const component = `{"courseSourcedId":${JSON.stringify(course.id)},"parentSourcedId":${JSON.stringify(unit.id)},"title":"Deep","metadata":{"slug":"deep","deep":${deep}}}`
        const resource = `{"title":"Deep","metadata":{"type":"article","slug":"deep","xp":1,"paragraphs":[],"extra":${deep}}}`
        for (const [path, body, field] of [
          ['/components', component, 'metadata.deep'],
          ['/resources', resource, 'metadata.extra'],
        ] as const) {
          const before = campus.logs.length
          const res = await campus.app.request(`${BUILDER}${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
              'content-type': 'application/json',
            },
            body,
          })
          const problem = (await res.json()) as { field: string; detail: string }
          expect(res.status, JSON.stringify(problem)).toBe(400)
          expect(problem.field).toBe(`${field}${'.a'.repeat(INPUT_LIMITS.metadataDepth - 1)}`)
          expect(problem.detail).toMatch(/deeper than 16 levels/)
          expect(campus.logs.slice(before).filter((l) => l.level >= 50)).toEqual([])
        }
      })
    }

    it('a description over its limit', async () => {
      await expectField(
        'POST',
        '/components',
        lesson({ metadata: { description: 'x'.repeat(INPUT_LIMITS.descriptionChars + 1) } }),
        'metadata.description',
      )
    })

    it('a title over its limit', async () => {
      await expectField(
        'POST',
        '/components',
        lesson({ title: 't'.repeat(INPUT_LIMITS.titleChars + 1) }),
        'title',
      )
    })

    it('any other string over its limit', async () => {
      await expectField(
        'POST',
        '/resources',
        article({ paragraphs: ['p'.repeat(INPUT_LIMITS.stringChars + 1)] }),
        'metadata.paragraphs.0',
      )
    })

    it('too many keys and items, a long key, too many bytes', async () => {
      const many = Object.fromEntries(
        Array.from({ length: INPUT_LIMITS.entries }, (_, i) => [`k${i}`, i]),
      )
      await expectField('POST', '/resources', article({ many }), 'metadata.many', /more than/)
      await expectField(
        'POST',
        '/resources',
        article({ ['k'.repeat(INPUT_LIMITS.keyChars + 1)]: 1 }),
        'metadata',
        /longer than/,
      )
      const chunks = Math.ceil(INPUT_LIMITS.metadataBytes / INPUT_LIMITS.stringChars) + 1
      const paragraphs = Array.from({ length: chunks }, () => 'p'.repeat(INPUT_LIMITS.stringChars))
      await expectField('POST', '/resources', article({ paragraphs }), 'metadata', /bytes/)
    })

    it('a body over HTTP_BODY_LIMIT → 413 problem before the handler reads it', async () => {
      const before = campus.logs.length
      const res = await campus.app.request(`${BUILDER}/resources`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(article({ description: 'd'.repeat(2 * 1_048_576) })),
      })
      expect(res.status).toBe(413)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.json()).toMatchObject({ status: 413, code: 'E_BODY_TOO_LARGE' })
      expect(campus.logs.slice(before).filter((l) => l.level >= 50)).toEqual([])
    })
  })
})

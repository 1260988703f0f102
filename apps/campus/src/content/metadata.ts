/**
 * Validation of resource metadata as the pages need it. Metadata is JSON written by whoever
 * imported the course; a field that is missing or malformed must turn into a 404 with a
 * warning naming the field, never into a 500 halfway through a render.
 *
 * @module
 */
import { z } from 'zod'
import type { ResourceType } from '../db/schema.js'
import { SLUG } from './identifiers.js'

/** What YouTube ids look like: 11 characters of URL-safe base64. */
export const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/

const slug = z.string().regex(SLUG, 'must be a kebab-case slug')
const xp = z.number().int().nonnegative()
const selection = z
  .object({
    select: z.number().int().positive().optional(),
    shuffle: z.boolean().optional(),
  })
  .optional()

const schemas = {
  article: z.object({
    type: z.literal('article'),
    slug,
    xp,
    paragraphs: z.array(z.string()),
  }),
  video: z.object({
    type: z.literal('video'),
    slug,
    xp,
    youtubeId: z
      .string({ error: 'is missing' })
      .regex(YOUTUBE_ID, 'is not an 11-character YouTube id'),
    durationSeconds: z.number().nonnegative().optional(),
  }),
  exercise: z.object({ type: z.literal('exercise'), slug, xp }),
  quiz: z.object({ type: z.literal('quiz'), slug, xp, selection }),
  'unit-test': z.object({ type: z.literal('unit-test'), slug, xp, selection }),
  'course-challenge': z.object({ type: z.literal('course-challenge'), slug, xp, selection }),
} satisfies Record<ResourceType, z.ZodType>

/** Valid metadata of each resource type. */
export type ArticleMetadata = z.infer<(typeof schemas)['article']>
export type VideoMetadata = z.infer<(typeof schemas)['video']>
export type ExerciseMetadata = z.infer<(typeof schemas)['exercise']>
export type AssessmentMetadata =
  | z.infer<(typeof schemas)['quiz']>
  | z.infer<(typeof schemas)['unit-test']>
  | z.infer<(typeof schemas)['course-challenge']>
export type ValidResourceMetadata =
  | ArticleMetadata
  | VideoMetadata
  | ExerciseMetadata
  | AssessmentMetadata

/** The result of reading metadata: the typed value, or the first problem found. */
export type MetadataResult<T> =
  | { ok: true; value: T }
  | { ok: false; field: string; reason: string }

/**
 * Validates a resource's metadata. With `expected`, a different `type` is a problem too (a
 * video URL pointing at an article).
 */
export function readResourceMetadata<E extends ResourceType>(
  metadata: unknown,
  expected?: E,
): MetadataResult<ValidResourceMetadata & { type: E }> {
  const result = validate(metadata)
  if (result.ok && expected !== undefined && result.value.type !== expected) {
    return {
      ok: false,
      field: 'metadata.type',
      reason: `expected ${expected}, found ${result.value.type}`,
    }
  }
  return result as MetadataResult<ValidResourceMetadata & { type: E }>
}

// Results per metadata object: a bundle served from the in-process tier hands out the same
// objects on every request, and validating each card's metadata again was the largest cost of
// a cached lesson page. Weak, so the results go when the bundle does.
const validated = new WeakMap<object, MetadataResult<ValidResourceMetadata>>()

function validate(metadata: unknown): MetadataResult<ValidResourceMetadata> {
  const isObject = typeof metadata === 'object' && metadata !== null
  if (isObject) {
    const known = validated.get(metadata)
    if (known) return known
  }
  const result = parse(metadata)
  if (isObject) validated.set(metadata, result)
  return result
}

function parse(metadata: unknown): MetadataResult<ValidResourceMetadata> {
  const type = (metadata as { type?: unknown } | null)?.type
  // Own properties only: `in` also finds `constructor`, `toString` and `__proto__`.
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    return {
      ok: false,
      field: 'metadata.type',
      reason: `unknown resource type ${JSON.stringify(type)}`,
    }
  }
  const parsed = schemas[type as ResourceType].safeParse(metadata)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return {
      ok: false,
      field: ['metadata', ...(issue?.path ?? [])].join('.'),
      reason: issue?.message ?? 'invalid',
    }
  }
  return { ok: true, value: parsed.data as ValidResourceMetadata }
}

/**
 * Request bodies of the course builder API. Strict objects: a misspelt field is an error naming
 * it, not a silently ignored change.
 *
 * @module
 */
import { z } from 'zod'
import { isPlausibleId, MAX_ID_LENGTH, SLUG } from '../content/identifiers.js'
import { invalid } from './errors.js'
import { boundedMetadata, checkBodyBounds, INPUT_LIMITS, storableString } from './input-bounds.js'

const id = z
  .string()
  .trim()
  .min(1)
  .max(MAX_ID_LENGTH)
  .refine(isPlausibleId, 'must not contain control characters')
  .pipe(storableString(MAX_ID_LENGTH))
// One line of text: no control characters at all.
const title = z
  .string()
  .trim()
  .min(1)
  .max(INPUT_LIMITS.titleChars)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
  .pipe(storableString(INPUT_LIMITS.titleChars))
const description = storableString(INPUT_LIMITS.descriptionChars)
const sortOrder = z.number().int().min(0).max(1_000_000)
/** URLs are built from slugs. */
const slug = z.string().regex(SLUG, 'must be a kebab-case slug')

const componentMetadata = boundedMetadata(
  z.looseObject({
    slug,
    description: description.optional(),
    role: z.literal('course-challenge').optional(),
  }),
)

// Resource metadata's own fields are checked by `readResourceMetadata` once merged.
const resourceMetadata = boundedMetadata(z.looseObject({ description: description.optional() }))

/** POST /components */
export const createComponentBody = z.strictObject({
  sourcedId: id.optional(),
  courseSourcedId: id,
  parentSourcedId: id.nullable().optional(),
  title,
  sortOrder: sortOrder.optional(),
  metadata: componentMetadata,
})

/** PATCH /components/:id — `metadata` is merged into the stored metadata. */
export const updateComponentBody = z.strictObject({
  title: title.optional(),
  sortOrder: sortOrder.optional(),
  parentSourcedId: id.nullable().optional(),
  // `role` is fixed at creation: turning a unit into a second challenge holder would hide it.
  metadata: boundedMetadata(
    z.looseObject({
      slug: slug.optional(),
      description: description.optional(),
      role: z.never({ error: 'cannot be changed after creation' }).optional(),
    }),
  ).optional(),
})

/** POST /courses/:courseId/components/reorder */
export const reorderComponentsBody = z.strictObject({
  parentSourcedId: id.nullable(),
  order: z.array(id).max(10_000),
})

/** POST /resources — `metadata` is checked by `readResourceMetadata` afterwards. */
export const createResourceBody = z.strictObject({
  sourcedId: id.optional(),
  title,
  vendorResourceId: id.optional(),
  metadata: resourceMetadata,
})

/** PATCH /resources/:id — `metadata` is merged, then the result is validated. */
export const updateResourceBody = z.strictObject({
  title: title.optional(),
  vendorResourceId: id.optional(),
  metadata: resourceMetadata.optional(),
})

/** POST /component-resources */
export const createPlacementBody = z.strictObject({
  sourcedId: id.optional(),
  courseComponentSourcedId: id,
  resourceSourcedId: id,
  title: title.optional(),
  sortOrder: sortOrder.optional(),
})

/** PATCH /component-resources/:id */
export const updatePlacementBody = z.strictObject({
  courseComponentSourcedId: id.optional(),
  resourceSourcedId: id.optional(),
  title: title.optional(),
  sortOrder: sortOrder.optional(),
})

/** POST /components/:componentId/resources/reorder */
export const reorderPlacementsBody = z.strictObject({ order: z.array(id).max(10_000) })

/**
 * Parses a body, or throws a 400 naming the first offending field. The bounds of
 * `input-bounds.ts` (depth, size, storable text) are checked first, so no schema ever walks an
 * unbounded value.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const bounds = checkBodyBounds(body)
  if (bounds) throw bounds
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue?.path.map(String) ?? []
  if (issue?.code === 'unrecognized_keys') path.push(String(issue.keys[0]))
  const field = path.length > 0 ? path.join('.') : 'body'
  const reason = issue?.code === 'unrecognized_keys' ? 'is not a known field' : issue?.message
  throw invalid(field, reason ?? 'is invalid')
}

/**
 * Validates one Toddle item against its shape and turns every zod issue into a
 * `file:item:field: reason` line: an unknown field, a missing one, a wrong type, an unknown
 * enumeration value.
 *
 * @module
 */
import type { z } from 'zod'
import { problemLine } from '../problems.js'
import { TODDLE_RESOURCES, type ToddleItem, type ToddleResource } from './shapes.js'

/** The parsed item, or the problems it has. */
export type Validated<R extends ToddleResource> =
  | { ok: true; item: ToddleItem<R> }
  | { ok: false; problems: string[] }

/** Validates `raw`, the `index`-th (1-based) item of `resource` read from `label`. */
export function validateItem<R extends ToddleResource>(
  resource: R,
  raw: unknown,
  label: string,
  index: number,
): Validated<R> {
  const schema = TODDLE_RESOURCES[resource] as unknown as z.ZodType<ToddleItem<R>>
  const result = schema.safeParse(raw)
  if (result.success) return { ok: true, item: result.data }
  const problems: string[] = []
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push(
          problemLine(
            label,
            index,
            key,
            'unknown field; campus does not know what it means (see docs/ingestion.md)',
          ),
        )
      }
      continue
    }
    const field = issue.path.join('.') || 'item'
    problems.push(problemLine(label, index, field, issue.message))
  }
  return { ok: false, problems }
}

/**
 * Clearing the cache from the admin pages: by exact key, by key-family pattern, by tag, or
 * everything. The page asks for confirmation first (a second POST carrying the same fields),
 * and the clear shares the API's per-caller quota (`cache-clear-limit.ts`).
 *
 * A clear is refused with 503 while Redis does not answer: satchel's deletes fail open, so
 * without the check an operator would be told keys were removed when none were.
 *
 * @module
 */
import { z } from 'zod'
import { orgs } from '../../db/schema.js'
import type { CampusDeps } from '../../deps.js'
import { ClearInputError, clearPatterns, redisAnswers } from '../../ops/cache-admin.js'
import { AdminAreaError, validationFailure } from '../errors.js'

/** A validated clear request. */
export type ClearRequest =
  | { readonly by: 'key'; readonly key: string }
  | { readonly by: 'pattern'; readonly pattern: string }
  | { readonly by: 'tag'; readonly tag: string }
  | { readonly by: 'all' }

const form = z.discriminatedUnion('by', [
  z.object({ by: z.literal('key'), value: z.string().trim().min(1, 'name the key').max(1024) }),
  z.object({
    by: z.literal('pattern'),
    value: z.string().trim().min(1, 'name a family, as "family:*"').max(512),
  }),
  z.object({ by: z.literal('tag'), value: z.string().trim().min(1, 'name the tag').max(256) }),
  z.object({ by: z.literal('all'), value: z.string().optional() }),
])

/** Parses the clear form (`by`, `value`); keys must lie under the campus prefix. */
export function parseClearForm(input: Record<string, unknown>, prefix: string): ClearRequest {
  const parsed = form.safeParse(input)
  if (!parsed.success) throw validationFailure(parsed.error)
  const data = parsed.data
  switch (data.by) {
    case 'key':
      if (!data.value.startsWith(`${prefix}:`)) {
        throw new AdminAreaError('E_VALIDATION', 400, 'Invalid input: value', {
          errors: [{ field: 'value', message: `a key starts with "${prefix}:"` }],
        })
      }
      return { by: 'key', key: data.value }
    case 'pattern':
      return { by: 'pattern', pattern: data.value }
    case 'tag':
      return { by: 'tag', tag: data.value }
    default:
      return { by: 'all' }
  }
}

/** What the confirmation page says will happen. */
export function describeClear(request: ClearRequest): string {
  switch (request.by) {
    case 'key':
      return `Delete the key ${request.key} from Redis and from every instance's memory.`
    case 'pattern':
      return `Delete every key of the family pattern ${request.pattern} in every organisation.`
    case 'tag':
      return `Invalidate every cached entry tagged ${request.tag}.`
    default:
      return 'Clear the whole cache: every page is rebuilt from the database on its next view.'
  }
}

/** The outcome of a clear. */
export interface ClearOutcome {
  /** Keys removed (tags: the number of tags invalidated). */
  readonly removed: number
}

function unavailable(): AdminAreaError {
  return new AdminAreaError(
    'E_REDIS_UNAVAILABLE',
    503,
    'Redis is not answering, so nothing was cleared; retry when it is back.',
  )
}

/** Runs a confirmed clear. Throws 503 when Redis does not answer before and after. */
export async function runClear(
  deps: Pick<CampusDeps, 'satchel' | 'database' | 'logger'>,
  request: ClearRequest,
): Promise<ClearOutcome> {
  const { satchel } = deps
  if (!(await redisAnswers(satchel))) throw unavailable()
  let removed = 0
  switch (request.by) {
    case 'key':
      removed = await satchel.cache.del(request.key)
      break
    case 'tag':
      await satchel.cache.invalidateTags([request.tag])
      removed = 1
      break
    case 'all':
      removed = await satchel.cache.clear()
      break
    case 'pattern': {
      const orgIds = (await deps.database.db.select({ id: orgs.sourcedId }).from(orgs)).map(
        (o) => o.id,
      )
      let plan: ReturnType<typeof clearPatterns>
      try {
        plan = clearPatterns(satchel, request.pattern, orgIds, true)
      } catch (error) {
        if (!(error instanceof ClearInputError)) throw error
        throw new AdminAreaError('E_VALIDATION', 400, 'Invalid input: value', {
          errors: [{ field: 'value', message: error.message }],
        })
      }
      removed = plan.keys.length > 0 ? await satchel.cache.del(...plan.keys) : 0
      for (const p of plan.patterns) removed += await satchel.cache.delPattern(p)
      break
    }
  }
  if (!(await redisAnswers(satchel))) throw unavailable()
  deps.logger.info({ clear: request, removed }, 'cache cleared from the admin pages')
  return { removed }
}

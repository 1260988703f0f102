/**
 * Search input: the query string parsed and normalised once, so the cache key, the full-text
 * query and the page all see the same text. Normalisation matches what the search indexes hold
 * (db/schema.ts `searchDocument`): Unicode NFC, the shared accent folding, lower case, single
 * spaces — so "  José " and "jose" are one query and one cache entry.
 *
 * @module
 */
import { z } from 'zod'
import { SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from '../../db/schema.js'
import { invalidInput } from './errors.js'

/** What can be searched. */
export const SEARCH_TYPES = ['students', 'classes', 'courses'] as const
/** One of {@link SEARCH_TYPES}. */
export type SearchType = (typeof SEARCH_TYPES)[number]

/** Results per request unless `limit` says otherwise. */
export const DEFAULT_LIMIT = 10
/** Largest `limit`; more is a 400 (not silently capped: the caller asked for something else). */
export const MAX_LIMIT = 50
/** Longest `q` in characters, before normalisation. */
export const MAX_QUERY_LENGTH = 100
/** Words of a query that count; more are a 400 (each is one index probe). */
export const MAX_TERMS = 6

const FOLD = new Map([...SEARCH_FOLD_FROM].map((ch, i) => [ch, SEARCH_FOLD_TO[i] ?? ch]))

/** Words of `text` as the indexes hold them (folded, lower case, letters and digits only). */
export function searchTerms(text: string): string[] {
  const folded = [...text.normalize('NFC')].map((ch) => FOLD.get(ch) ?? ch).join('')
  return folded.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

/** A parsed search request. */
export interface SearchInput {
  readonly type: SearchType
  /** Normalised words, joined by single spaces (the cache key's text). */
  readonly q: string
  readonly terms: readonly string[]
  readonly limit: number
}

const schema = z.object({
  q: z
    .string({ error: 'is required' })
    .max(MAX_QUERY_LENGTH, `is longer than ${MAX_QUERY_LENGTH} characters`)
    .transform((q, ctx) => {
      const terms = searchTerms(q)
      if (terms.length === 0) ctx.addIssue({ code: 'custom', message: 'has no letters or digits' })
      if (terms.length > MAX_TERMS) {
        ctx.addIssue({ code: 'custom', message: `has more than ${MAX_TERMS} words` })
      }
      return terms
    }),
  type: z.enum(SEARCH_TYPES, { error: `is not one of ${SEARCH_TYPES.join(', ')}` }),
  limit: z
    .string()
    .regex(/^\d{1,6}$/, 'is not a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'is less than 1').max(MAX_LIMIT, `is more than ${MAX_LIMIT}`))
    .default(DEFAULT_LIMIT),
})

/**
 * Parses `?q=&type=&limit=`; throws an `AnalyticsError` 400 naming each bad field.
 * @example parseSearch({ q: '  José ', type: 'students' }) // { q: 'jose', limit: 10, … }
 */
export function parseSearch(query: Record<string, string | undefined>): SearchInput {
  const parsed = schema.safeParse({
    q: query.q,
    type: query.type ?? 'students',
    limit: query.limit === '' ? undefined : query.limit,
  })
  if (!parsed.success) throw invalidInput(parsed.error)
  const { type, q: terms, limit } = parsed.data
  return { type, terms, q: terms.join(' '), limit }
}

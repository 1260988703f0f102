/**
 * Identifiers, slugs and the fixed timestamp of generated rows.
 *
 * @module
 */

/**
 * `dateLastModified` of every generated row. Fixed, never `Date.now()`, so that the same seed
 * yields byte-identical rows.
 */
export const SEED_DATE = new Date('2026-08-01T00:00:00.000Z')

/** Sequential ids per prefix (`res-000001`), so ids read in generation order. */
export class IdSequence {
  readonly #counters = new Map<string, number>()

  /** The next id with `prefix`, zero-padded to `width` digits. */
  next(prefix: string, width = 6): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1
    this.#counters.set(prefix, n)
    return `${prefix}-${String(n).padStart(width, '0')}`
  }
}

/** Kebab-case slug of a title: "Worked example: Limits" → "worked-example-limits". */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/**
 * A slug of `title` not yet in `taken` (then added to it): the plain slug, else `-2`, `-3`….
 * `taken` is one scope of docs/content-model.md (a subject's courses, a course's units, a
 * unit's lessons, a component's resources); reserved words go in it up front.
 */
export function uniqueSlug(title: string, taken: Set<string>): string {
  const base = slugify(title)
  let slug = base
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`
  taken.add(slug)
  return slug
}

/**
 * A deterministic UUID for generated rows whose key is a uuid: `5eed` and a 4-hex-digit kind,
 * then the counter, in the version-4 layout, so the same seed writes the same ids.
 *
 * @example seedUuid(1, 42) // '5eed0001-0000-4000-8000-00000000002a'
 */
export function seedUuid(kind: number, n: number): string {
  const k = kind.toString(16).padStart(4, '0')
  return `5eed${k}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
}

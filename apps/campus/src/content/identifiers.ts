/**
 * What slugs and ids look like. URLs are built from slugs, so a path segment that is not a slug
 * names nothing and is answered with a 404 before any lookup; an id with control characters
 * (PostgreSQL refuses NUL in text) would otherwise turn a bad URL into a database error.
 *
 * @module
 */

/** A kebab-case slug: the rule of every component and resource slug. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Longest id or slug the platform accepts (the course builder's limit). */
export const MAX_ID_LENGTH = 200

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

/** Whether `value` could be a slug. */
export function isSlug(value: string): boolean {
  return value.length <= MAX_ID_LENGTH && SLUG.test(value)
}

/** Whether `value` could be a sourcedId: 1–200 characters, no control characters. */
export function isPlausibleId(value: string): boolean {
  return value.length > 0 && value.length <= MAX_ID_LENGTH && !CONTROL.test(value)
}

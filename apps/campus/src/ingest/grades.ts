/**
 * Grade levels as vendors write them (`K`, `2`, `02`, `Pre-K`, `Grade 3`) turned into OneRoster's
 * codes (`KG`, `02`, `PK`, `03`), the form campus keeps in `users.grades`.
 *
 * @module
 */

const NAMED: Record<string, string> = {
  k: 'KG',
  kg: 'KG',
  kindergarten: 'KG',
  pk: 'PK',
  'pre-k': 'PK',
  prek: 'PK',
  'pre-kindergarten': 'PK',
  tk: 'TK',
}

/**
 * The OneRoster code of a grade, or undefined when `raw` is not one campus recognises.
 *
 * @example
 * normalizeGrade('K') // 'KG'
 * normalizeGrade('2') // '02'
 * normalizeGrade('Grade 11') // '11'
 */
export function normalizeGrade(raw: string): string | undefined {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^grade\s+/, '')
  const named = NAMED[value]
  if (named) return named
  if (!/^\d{1,2}$/.test(value)) return undefined
  const n = Number(value)
  if (n < 1 || n > 13) return undefined
  return String(n).padStart(2, '0')
}

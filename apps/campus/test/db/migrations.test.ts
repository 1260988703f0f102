/**
 * The migration files campus applies at start: each one must work inside a private schema (a
 * test suite's, on a shared PostgreSQL), so none may pin a table to `public`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const folder = new URL('../../drizzle/', import.meta.url)
const files = readdirSync(folder).filter((name) => name.endsWith('.sql'))

describe('migrations', () => {
  it('are there', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  it.each(files)('%s names no schema (scripts/generate-migration.mjs drops "public".)', (name) => {
    const sql = readFileSync(new URL(name, folder), 'utf8')
    expect(sql).not.toContain('"public".')
  })
})

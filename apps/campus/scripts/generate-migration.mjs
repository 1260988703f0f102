#!/usr/bin/env node
// Writes a new SQL migration after a schema change: `npm run db:generate -w campus -- --name x`.
// Runs `drizzle-kit generate`, then drops the `"public".` schema qualifier drizzle-kit puts on
// foreign-key targets: campus applies the same migrations inside a private schema (each test
// suite on a shared PostgreSQL gets its own, through `search_path`), where a reference pinned to
// `public` would point at a table that does not exist. test/db/migrations.test.ts checks every file.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const result = spawnSync('npx', ['drizzle-kit', 'generate', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
})
if (result.status !== 0) process.exit(result.status ?? 1)

const folder = join(root, 'drizzle')
for (const name of readdirSync(folder)) {
  if (!name.endsWith('.sql')) continue
  const path = join(folder, name)
  const sql = readFileSync(path, 'utf8')
  const unqualified = sql.replaceAll('"public".', '')
  if (unqualified !== sql) {
    writeFileSync(path, unqualified)
    console.log(`${name}: dropped the "public". qualifier`)
  }
}

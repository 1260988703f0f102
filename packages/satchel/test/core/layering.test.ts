import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The dependency direction of docs/architecture.md, checked on the sources: core imports nothing
// above it, and the capabilities never import the composition root or the HTTP layer.
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')
const CAPABILITIES = ['cache', 'counter', 'idempotency', 'lock', 'ratelimit', 'scope', 'session']

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** Every relative module a file imports or re-exports, resolved to a path under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)].map(
    (m) => m[1]!,
  )
  const dynamic = [...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!)
  return [...specifiers, ...dynamic].map((s) => relative(SRC, resolve(dirname(file), s)))
}

function violations(folder: string, allowed: (target: string) => boolean): string[] {
  return sources(join(SRC, folder)).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target))
      .map((target) => `${relative(SRC, file)} → ${target}`),
  )
}

describe('layering', () => {
  it('finds imports (the check itself works)', () => {
    expect(importsOf(join(SRC, 'satchel.ts'))).toContain('core/options.js')
  })

  it('core imports nothing above it', () => {
    expect(violations('core', (target) => target.startsWith('core/'))).toEqual([])
  })

  it.each(CAPABILITIES)('%s imports only core and itself', (folder) => {
    // The cache's Prometheus exporter reads the stats type of the whole instance.
    const allowed = (target: string): boolean =>
      target.startsWith('core/') ||
      target.startsWith(`${folder}/`) ||
      (folder === 'cache' && target === 'satchel.js')
    expect(violations(folder, allowed)).toEqual([])
  })
})

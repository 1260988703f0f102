#!/usr/bin/env node
// Swaps package.json's `exports` between the workspace form and the published form around
// `npm pack` / `npm publish` (run as the prepack and postpack scripts).
//
// In this repository every entry points at its TypeScript source (`./src/*.ts`): vitest, tsx and
// tsc run satchel and campus from the sources with no build step. A published tarball must
// point at the compiled files instead (`./dist/*.js` with `types` conditions), because plain
// `node` cannot load `.ts` from node_modules. npm, unlike pnpm and Yarn, does not apply
// `publishConfig.exports`, so `apply` rewrites package.json just before npm packs it and
// `restore` puts the workspace form back just after. Each subpath maps to the tsdown entry of
// the same name (`.` → index); see tsdown.config.ts.
//
// usage: node scripts/pack-manifest.mjs apply|restore|print
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const manifestPath = join(root, 'package.json')
const backupPath = join(root, '.package.workspace.json')

/** The published `exports` for the workspace's `exports` (subpath → `./src/...ts`). */
export function publishedExports(workspaceExports) {
  const out = {}
  for (const [subpath, target] of Object.entries(workspaceExports)) {
    if (typeof target !== 'string' || !target.endsWith('.ts')) {
      out[subpath] = target
      continue
    }
    const entry = subpath === '.' ? 'index' : subpath.slice(2)
    out[subpath] = { types: `./dist/${entry}.d.ts`, default: `./dist/${entry}.js` }
  }
  return out
}

function published(manifest) {
  return { ...manifest, exports: publishedExports(manifest.exports) }
}

const command = process.argv[2]
if (command === 'apply') {
  if (existsSync(backupPath)) {
    console.error(`${backupPath} exists: an earlier pack did not restore; run "restore" first`)
    process.exit(1)
  }
  const text = readFileSync(manifestPath, 'utf8')
  writeFileSync(backupPath, text)
  writeFileSync(manifestPath, `${JSON.stringify(published(JSON.parse(text)), null, 2)}\n`)
} else if (command === 'restore') {
  if (existsSync(backupPath)) renameSync(backupPath, manifestPath)
} else if (command === 'print') {
  const source = existsSync(backupPath) ? backupPath : manifestPath
  console.log(JSON.stringify(published(JSON.parse(readFileSync(source, 'utf8'))), null, 2))
} else {
  console.error('usage: pack-manifest.mjs apply|restore|print')
  process.exit(2)
}

#!/usr/bin/env node
// Installs the built satchel package into this app's own node_modules, as `npm install satchel`
// would: `npm pack` in packages/satchel (its prepack step builds dist/ and writes the published
// exports), then the tarball unpacked to node_modules/satchel. That copy shadows the workspace
// link at the repository root, which points at satchel's TypeScript sources.
//
// usage: node scripts/use-built-satchel.mjs [path/to/satchel-x.y.z.tgz]
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const app = join(dirname(fileURLToPath(import.meta.url)), '..')
const satchelDir = join(app, '..', '..', 'packages', 'satchel')

let tarball = process.argv[2] && resolve(process.argv[2])
if (!tarball) {
  const out = mkdtempSync(join(tmpdir(), 'satchel-pack-'))
  execFileSync('npm', ['pack', '--pack-destination', out, '--silent'], {
    cwd: satchelDir,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const file = readdirSync(out).find((f) => f.endsWith('.tgz'))
  if (!file) throw new Error(`npm pack wrote no tarball to ${out}`)
  tarball = join(out, file)
}

const target = join(app, 'node_modules', 'satchel')
rmSync(target, { recursive: true, force: true })
mkdirSync(target, { recursive: true })
execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { stdio: 'inherit' })
console.log(`satchel installed from ${tarball} into ${target}`)

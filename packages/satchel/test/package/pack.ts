/**
 * `npm pack` of satchel, as a maintainer publishing it would run it: the prepack step builds
 * dist/ with tsdown and writes the published exports, postpack restores the workspace form.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const run = promisify(execFile)

/** packages/satchel */
export const SATCHEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Packs satchel into a new temporary directory and returns the tarball's path. */
export async function packSatchel(): Promise<string> {
  // A pack that was killed between its prepack and postpack left the published manifest in
  // place; put the workspace form back before packing again.
  if (existsSync(join(SATCHEL_DIR, '.package.workspace.json'))) {
    await run(process.execPath, ['scripts/pack-manifest.mjs', 'restore'], { cwd: SATCHEL_DIR })
  }
  const out = mkdtempSync(join(tmpdir(), 'satchel-pack-'))
  await run('npm', ['pack', '--pack-destination', out, '--silent'], {
    cwd: SATCHEL_DIR,
    maxBuffer: 16 * 1024 * 1024,
  })
  const file = readdirSync(out).find((f) => f.endsWith('.tgz'))
  if (file === undefined) throw new Error(`npm pack wrote no tarball to ${out}`)
  return join(out, file)
}

/** The environment for processes that must see only what a consumer's machine would. */
export function consumerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extra }
  // vitest and npm set these for their own children; a consumer's `node` has neither.
  delete env.NODE_OPTIONS
  delete env.VITEST
  delete env.VITEST_POOL_ID
  delete env.VITEST_WORKER_ID
  delete env.NODE_ENV
  return env
}

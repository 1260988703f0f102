/**
 * The launcher's static files (`launcher/launcher.js`, `launcher/launcher.css`), read once. The
 * module runs as `src/dispatch/*.ts` under tsx and bundled into `dist/main.js` in production,
 * so the folder is looked up beside this module first, then as `src/dispatch/launcher` under
 * the nearest ancestor that has it.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function launcherDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const beside = join(here, 'launcher')
  if (existsSync(join(beside, 'launcher.js'))) return beside
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'src', 'dispatch', 'launcher')
    if (existsSync(join(candidate, 'launcher.js'))) return candidate
    if (dirname(dir) === dir) throw new Error(`no dispatch launcher files above ${here}`)
  }
}

let files: { js: Uint8Array; css: Uint8Array } | undefined

/** The launcher's script and stylesheet. */
export function launcherFiles(): { js: Uint8Array; css: Uint8Array } {
  if (!files) {
    const dir = launcherDir()
    files = {
      js: new Uint8Array(readFileSync(join(dir, 'launcher.js'))),
      css: new Uint8Array(readFileSync(join(dir, 'launcher.css'))),
    }
  }
  return files
}

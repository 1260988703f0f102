/**
 * Owner-only local data. PGlite's files hold every row of the platform, and its file system
 * layer creates them mode 0666 whatever the umask, so campus makes the data directory 0700 (no
 * other local user can even reach the files) and takes the group and other bits off everything
 * in it when the database opens and closes. See docs/SECURITY.md.
 *
 * @module
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** Creates `dir` (and missing parents) mode 0700; an existing `dir` is set to 0700. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

/**
 * Removes the group and other permission bits of everything under `dir` (symbolic links are
 * left alone, never followed). Iterative: a deep tree cannot overflow the stack.
 */
export function restrictTree(dir: string): void {
  const pending = [dir]
  while (pending.length > 0) {
    const current = pending.pop() as string
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isSymbolicLink()) continue
      const path = join(current, entry.name)
      const mode = lstatSync(path).mode & 0o777
      if (mode & 0o077) chmodSync(path, mode & 0o700)
      if (entry.isDirectory()) pending.push(path)
    }
  }
}

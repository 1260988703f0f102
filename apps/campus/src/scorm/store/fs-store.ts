/**
 * The filesystem {@link PackageStore}, under `CAMPUS_DATA_DIR/scorm`. Owner-only like the rest
 * of the data directory (directories 0700, files 0600; see db/private-files.ts). A package is
 * written to a temporary directory and renamed into place, so it appears whole or not at all.
 * Reads resolve the path and check it stays inside the package before touching the disk, and
 * never follow a symbolic link.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { makePrivateDir } from '../../db/private-files.js'
import { unsafeNameReason } from '../zip/entry-name.js'
import type { PackageStore } from './package-store.js'

/** Options of {@link createFsPackageStore}. */
export interface FsPackageStoreOptions {
  /** The data directory (`CAMPUS_DATA_DIR`); packages go under `<dataDir>/scorm`. */
  dataDir: string
}

/** The filesystem store. @example const store = createFsPackageStore({ dataDir: '.campus' }) */
export function createFsPackageStore(options: FsPackageStoreOptions): PackageStore {
  const root = resolve(options.dataDir, 'scorm')
  let ready = false
  const ensureRoot = () => {
    if (ready) return
    makePrivateDir(resolve(options.dataDir))
    makePrivateDir(root)
    ready = true
  }
  const dirOf = (key: string) => {
    if (unsafeNameReason(key) !== undefined) throw new Error(`unsafe store key: ${key}`)
    return join(root, key)
  }
  return {
    async put(key, files) {
      ensureRoot()
      const target = dirOf(key)
      const staging = join(root, '.staging', randomUUID())
      await mkdir(staging, { recursive: true, mode: 0o700 })
      try {
        for (const [path, data] of files) {
          // The unpacker refuses unsafe names; checked again where a path meets the disk.
          if (unsafeNameReason(path) !== undefined) throw new Error(`unsafe package path: ${path}`)
          const file = join(staging, path)
          await mkdir(dirname(file), { recursive: true, mode: 0o700 })
          await writeFile(file, data, { mode: 0o600, flag: 'wx' })
        }
        await mkdir(dirname(target), { recursive: true, mode: 0o700 })
        await rename(staging, target)
      } catch (error) {
        await rm(staging, { recursive: true, force: true })
        throw error
      }
    },
    async read(key, path) {
      if (unsafeNameReason(path) !== undefined) return null
      const base = dirOf(key)
      const file = resolve(base, path)
      if (!file.startsWith(base + sep)) return null
      try {
        const info = await lstat(file)
        if (!info.isFile()) return null
        return await readFile(file)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async remove(key) {
      await rm(dirOf(key), { recursive: true, force: true })
    },
    async list(key) {
      const base = dirOf(key)
      try {
        const entries = await readdir(base, { recursive: true, withFileTypes: true })
        return entries
          .filter((e) => e.isFile())
          .map((e) =>
            join(e.parentPath, e.name)
              .slice(base.length + 1)
              .split(sep)
              .join('/'),
          )
          .sort()
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw error
      }
    },
    async has(key) {
      try {
        return (await lstat(dirOf(key))).isDirectory()
      } catch {
        return false
      }
    },
  }
}

/**
 * Where package files live. One interface, so the filesystem store can give way to object
 * storage without the importer or the content route changing; every implementation passes the
 * shared contract suite (test/scorm/package-store.test.ts).
 *
 * @module
 */

/** A store of unpacked packages, each under a key campus chooses (`packages/<uuid>`). */
export interface PackageStore {
  /** Stores every file of a package under `key` at once: readers never see half a package. */
  put(key: string, files: ReadonlyMap<string, Buffer>): Promise<void>
  /** One file of a package, or null when the package or the file does not exist. */
  read(key: string, path: string): Promise<Buffer | null>
  /** Removes a package (no error when it is absent). */
  remove(key: string): Promise<void>
  /** Whether a package is stored under `key`. */
  has(key: string): Promise<boolean>
  /** The relative paths of a package's files (empty when it is absent). */
  list(key: string): Promise<string[]>
}

/** The store key of a package: campus-made, so it never carries user input. */
export function packageKey(packageId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(packageId)) throw new Error(`not a package id: ${packageId}`)
  return `packages/${packageId}`
}

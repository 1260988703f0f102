/**
 * The contract every PackageStore passes (run here against the filesystem store; an object
 * storage implementation adds one line below): a package appears whole, reads never leave it,
 * removal is idempotent. Plus the filesystem store's own promises: owner-only modes, no
 * staging left behind after a failed write, symbolic links never followed.
 */
import { randomUUID } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createFsPackageStore } from '../../src/scorm/store/fs-store.js'
import { type PackageStore, packageKey } from '../../src/scorm/store/package-store.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'campus-store-'))
  dirs.push(dir)
  return dir
}

/** The shared contract suite. */
function packageStoreContract(name: string, make: () => PackageStore): void {
  describe(`${name}: PackageStore contract`, () => {
    const files = new Map([
      ['imsmanifest.xml', Buffer.from('<manifest/>')],
      ['a/b/c.html', Buffer.from('<p>deep</p>')],
    ])

    it('stores a package whole and reads its files back', async () => {
      const store = make()
      const key = packageKey(randomUUID())
      expect(await store.has(key)).toBe(false)
      await store.put(key, files)
      expect(await store.has(key)).toBe(true)
      expect((await store.read(key, 'a/b/c.html'))?.toString()).toBe('<p>deep</p>')
      expect(await store.list(key)).toEqual(['a/b/c.html', 'imsmanifest.xml'])
      expect(await store.read(key, 'missing.html')).toBeNull()
    })

    it('never reads outside the package', async () => {
      const store = make()
      const one = packageKey(randomUUID())
      const two = packageKey(randomUUID())
      await store.put(one, files)
      await store.put(two, new Map([['secret.txt', Buffer.from('other package')]]))
      for (const path of [
        `../${two.split('/')[1]}/secret.txt`,
        '/etc/passwd',
        'a/../../x',
        'a\\b',
        '',
      ]) {
        expect(await store.read(one, path)).toBeNull()
      }
    })

    it('removes a package, twice without error', async () => {
      const store = make()
      const key = packageKey(randomUUID())
      await store.put(key, files)
      await store.remove(key)
      await store.remove(key)
      expect(await store.has(key)).toBe(false)
      expect(await store.read(key, 'imsmanifest.xml')).toBeNull()
      expect(await store.list(key)).toEqual([])
    })

    it('refuses unsafe file names and leaves nothing behind', async () => {
      const store = make()
      const key = packageKey(randomUUID())
      await expect(store.put(key, new Map([['../escape.txt', Buffer.from('x')]]))).rejects.toThrow()
      expect(await store.has(key)).toBe(false)
    })
  })
}

packageStoreContract('filesystem store', () => createFsPackageStore({ dataDir: tempDir() }))

describe('filesystem store', () => {
  it('keeps package files owner-only and cleans its staging after a failure', async () => {
    const dataDir = tempDir()
    const store = createFsPackageStore({ dataDir })
    const key = packageKey(randomUUID())
    await store.put(key, new Map([['x/y.html', Buffer.from('y')]]))
    const root = join(dataDir, 'scorm')
    expect(statSync(root).mode & 0o777).toBe(0o700)
    expect(statSync(join(root, key, 'x')).mode & 0o777).toBe(0o700)
    expect(statSync(join(root, key, 'x', 'y.html')).mode & 0o777).toBe(0o600)
    await expect(
      store.put(
        packageKey(randomUUID()),
        new Map([
          ['ok.html', Buffer.from('')],
          ['a/../../b', Buffer.from('')],
        ]),
      ),
    ).rejects.toThrow()
    expect(readdirSync(join(root, '.staging'))).toEqual([])
  })

  it('does not follow a symbolic link planted in a package', async () => {
    const dataDir = tempDir()
    const store = createFsPackageStore({ dataDir })
    const key = packageKey(randomUUID())
    await store.put(key, new Map([['index.html', Buffer.from('ok')]]))
    const outside = join(dataDir, 'outside.txt')
    writeFileSync(outside, 'secret')
    symlinkSync(outside, join(dataDir, 'scorm', key, 'link.txt'))
    mkdirSync(join(dataDir, 'scorm', key, 'sub'))
    expect(await store.read(key, 'link.txt')).toBeNull()
    expect(await store.read(key, 'sub')).toBeNull()
    expect(existsSync(outside)).toBe(true)
  })
})

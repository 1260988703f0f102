/**
 * PGlite's data directory is the platform's data: no other local user may read or write it.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/client.js'

/** Every path under `dir` whose mode grants the group or others anything. */
function exposed(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name)
    if ((statSync(path).mode & 0o077) !== 0) out.push(path)
  }
  return out
}

const mode = (path: string): number => statSync(path).mode & 0o777

describe('PGlite data directory', { timeout: 120_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'campus-private-'))
  const previousUmask = process.umask(0o022)
  afterAll(() => {
    process.umask(previousUmask)
  })

  it('is created 0700 and holds only owner-only files, open and closed', async () => {
    const dataDir = join(root, 'fresh', 'pglite')
    const database = await openDatabase({ dataDir })
    expect(mode(dataDir)).toBe(0o700)
    expect(exposed(dataDir)).toEqual([])
    await database.close()
    expect(exposed(dataDir)).toEqual([])
  })

  it('tightens a directory an older campus left open to everyone', async () => {
    const dataDir = join(root, 'old', 'pglite')
    mkdirSync(join(dataDir, 'stray'), { recursive: true })
    writeFileSync(join(dataDir, 'stray', 'file'), 'x')
    chmodSync(join(dataDir, 'stray', 'file'), 0o666)
    chmodSync(join(dataDir, 'stray'), 0o777)
    chmodSync(dataDir, 0o777)
    const database = await openDatabase({ dataDir })
    expect(mode(dataDir)).toBe(0o700)
    expect(mode(join(dataDir, 'stray', 'file'))).toBe(0o600)
    expect(exposed(dataDir)).toEqual([])
    await database.close()
  })
})

import { expect } from 'vitest'
import type { Satchel } from '../../src/index.js'

/**
 * Puts `satchel`'s cache in the `read-or-lock` first-read mode the way an application does:
 * untagged `getOrSet` misses on fresh keys (`key(i)` must be distinct and absent), until misses
 * dominate. Fails the test if the mode does not change.
 */
export async function preferReadOrLock(
  satchel: Satchel,
  key: (i: number) => string,
): Promise<void> {
  for (let i = 0; i < 64 && satchel.stats().cache.firstRead?.mode !== 'read-or-lock'; i++) {
    await satchel.cache.getOrSet(key(i), () => i, { l1: false })
  }
  expect(satchel.stats().cache.firstRead?.mode).toBe('read-or-lock')
}

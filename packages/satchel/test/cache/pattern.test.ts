import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { globToRegExp } from '../../src/cache/pattern.js'
import { createSatchel, escapeGlob, type Satchel } from '../../src/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

describe('globToRegExp: the Redis glob dialect, evaluated in process for L1', () => {
  it.each([
    ['a*', 'abc', true],
    ['a*', 'ba', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a[bc]d', 'acd', true],
    ['a[^bc]d', 'acd', false],
    ['a[^bc]d', 'axd', true],
    ['a[a-c]', 'ab', true],
    ['a[c-a]', 'ab', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['a.b', 'axb', false],
    ['x:(1)', 'x:(1)', true],
    ['*', 'line\nbreak', true],
  ])('%s matches %s: %s', (glob, text, expected) => {
    expect(globToRegExp(glob).test(text)).toBe(expected)
  })

  it('an escaped string matches only itself', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const re = globToRegExp(escapeGlob(a))
        expect(re.test(a)).toBe(true)
        if (a !== b) expect(re.test(b)).toBe(false)
      }),
    )
  })

  describe('agrees with Redis on the same keys and patterns', () => {
    let server: RedisServer
    let satchel: Satchel
    beforeAll(async () => {
      server = await startRedis()
      satchel = createSatchel({ redis: server.url })
    })
    afterAll(async () => {
      await satchel?.close()
      await server?.stop()
    })

    it('for random keys and patterns over a small alphabet', async () => {
      const alphabet = fc.constantFrom('a', 'b', '-', '*', '?', '[', ']', '^', '\\')
      const word = fc.array(alphabet, { maxLength: 6 }).map((x) => x.join(''))
      const samples = fc.sample(fc.tuple(word, fc.array(word, { minLength: 1, maxLength: 6 })), 60)
      for (const [pattern, keys] of samples) {
        const unique = [...new Set(keys.filter((k) => k.length > 0))]
        if (unique.length === 0) continue
        await satchel.redis.exec('flush', (r) => r.flushall())
        await satchel.redis.exec('mset', (r) => r.mset(...unique.flatMap((k) => [k, '1'])))
        const [, found] = await satchel.redis.exec('scan', (r) =>
          r.scan('0', 'MATCH', pattern, 'COUNT', 1000),
        )
        const re = globToRegExp(pattern)
        expect(unique.filter((k) => re.test(k)).sort(), `pattern ${pattern}`).toEqual(found.sort())
      }
    })
  })
})

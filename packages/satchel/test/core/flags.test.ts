import { describe, expect, it } from 'vitest'
import { InvalidOptionError, UnknownFlagError } from '../../src/core/errors.js'
import { FLAG_NAMES, type FlagName, Flags, parseFlags } from '../../src/core/flags.js'

const ALL = [...FLAG_NAMES]
const without = (...names: FlagName[]) => ALL.filter((n) => !names.includes(n))

describe('parseFlags from a SATCHEL_FLAGS string', () => {
  it.each([
    [undefined, ALL],
    [null, ALL],
    ['', ALL],
    ['  , ', ALL],
    ['all', ALL],
    ['none', []],
    ['cache', ['cache']],
    ['cache,rate_limit', ['cache', 'rate_limit']],
    ['rate_limit cache', ['cache', 'rate_limit']],
    ['-locking', without('locking')],
    ['-locking, -counters', without('locking', 'counters')],
    ['all,-idempotency', without('idempotency')],
    ['none,cache', ['cache']],
    ['cache,-cache', []],
    ['-cache,cache', ['cache']],
    ['cache,-counters', ['cache']],
    ['cache,all', ALL],
    ['all,none', []],
    ['CACHE, Session_Index', ['cache', 'session_index']],
    ['redis_cache,redis_counters', ['cache', 'counters']],
    ['-redis_locking', without('locking')],
    ['\tcache\n locking ', ['cache', 'locking']],
  ] as const)('%j enables %j', (input, expected) => {
    expect(parseFlags(input).list()).toEqual(expected)
  })

  it('rejects unknown flags, naming the valid ones', () => {
    for (const input of ['cahce', 'cache,bogus', '-bogus', '-all', '-none', 'redis_']) {
      const error = (() => {
        try {
          parseFlags(input)
        } catch (e) {
          return e
        }
      })()
      expect(error).toBeInstanceOf(UnknownFlagError)
      expect((error as UnknownFlagError).validFlags).toEqual(FLAG_NAMES)
      expect((error as Error).message).toContain('rate_limit')
    }
    expect(() => parseFlags('cache,bogus')).toThrow(/"bogus"/)
  })
})

describe('parseFlags from a list or an object', () => {
  it('reads a list of tokens like the string form', () => {
    expect(parseFlags([]).list()).toEqual(ALL)
    expect(parseFlags(['cache', 'locking']).list()).toEqual(['cache', 'locking'])
    expect(parseFlags(['-counters']).list()).toEqual(without('counters'))
    expect(parseFlags(['cache,locking', 'counters']).list()).toEqual([
      'cache',
      'locking',
      'counters',
    ])
    expect(() => parseFlags(['nope'])).toThrow(UnknownFlagError)
    expect(() => parseFlags([1] as never)).toThrow(InvalidOptionError)
  })

  it('reads an object: only the true ones if any is true, else all but the false ones', () => {
    expect(parseFlags({}).list()).toEqual(ALL)
    expect(parseFlags({ counters: false }).list()).toEqual(without('counters'))
    expect(parseFlags({ cache: true }).list()).toEqual(['cache'])
    expect(parseFlags({ cache: true, locking: false }).list()).toEqual(['cache'])
    expect(parseFlags({ cache: undefined }).list()).toEqual(ALL)
  })

  it('rejects unknown names and non-boolean values in an object', () => {
    expect(() => parseFlags({ cahce: true } as never)).toThrow(UnknownFlagError)
    expect(() => parseFlags({ cache: 'false' } as never)).toThrow(InvalidOptionError)
    expect(() => parseFlags(42 as never)).toThrow(InvalidOptionError)
  })

  it('passes a Flags instance through', () => {
    const flags = Flags.none()
    expect(parseFlags(flags)).toBe(flags)
  })
})

describe('Flags', () => {
  it('answers enabled() per capability', () => {
    const flags = parseFlags('cache,counters')
    expect(flags.enabled('cache')).toBe(true)
    expect(flags.enabled('counters')).toBe(true)
    expect(flags.enabled('locking')).toBe(false)
  })

  it('throws on a misspelt name rather than answering false', () => {
    expect(() => Flags.all().enabled('cahce' as FlagName)).toThrow(UnknownFlagError)
    expect(() => new Flags(['cache', 'nope' as FlagName])).toThrow(UnknownFlagError)
  })

  it('lists in rollout order and serialises every capability', () => {
    const flags = new Flags(['counters', 'cache', 'cache'])
    expect(flags.list()).toEqual(['cache', 'counters'])
    expect(flags.toJSON()).toEqual({
      cache: true,
      rate_limit: false,
      session_index: false,
      locking: false,
      idempotency: false,
      counters: true,
    })
    expect(JSON.parse(JSON.stringify(flags))).toEqual(flags.toJSON())
  })

  it('prints a SATCHEL_FLAGS value that parses back to the same flags', () => {
    for (const input of ['all', 'none', 'cache', '-locking', 'cache,counters']) {
      const flags = parseFlags(input)
      expect(parseFlags(String(flags)).list()).toEqual(flags.list())
    }
    expect(String(Flags.all())).toBe('all')
    expect(String(Flags.none())).toBe('none')
    expect(String(parseFlags('counters,cache'))).toBe('cache,counters')
  })

  it('is immutable: list() returns a copy', () => {
    const flags = Flags.all()
    flags.list().pop()
    expect(flags.list()).toEqual(ALL)
  })
})

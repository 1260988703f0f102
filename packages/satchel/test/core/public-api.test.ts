import { describe, expect, it } from 'vitest'
import * as api from '../../src/index.js'

describe('the package entry', () => {
  it('exports the contract names', () => {
    for (const name of [
      'createSatchel',
      'TTL',
      'withCache',
      'withCacheParam',
      'Cached',
      'normalizeQuery',
      'requestScope',
      'errors',
      'parseDuration',
      'SatchelError',
    ]) {
      expect(api, name).toHaveProperty(name)
    }
  })

  it('exports no factory that needs an instance context users cannot get', () => {
    for (const name of [
      'createCache',
      'createCacheBus',
      'RedisCacheBus',
      'createCounter',
      'createIdempotency',
      'createLocks',
      'createRateLimiter',
      'createSessionIndex',
    ]) {
      expect(api, name).not.toHaveProperty(name)
    }
  })

  it('types SatchelError.code as the ErrorCode union', () => {
    const error: api.SatchelError = new api.InvalidOptionError('ttl', 'bad')
    const code: api.ErrorCode = error.code
    expect(Object.keys(api.errors)).toContain(code)
  })
})

/**
 * Configuration rules that protect the deployment: bearer secrets the Authorization header can
 * carry and that are long enough, guessable ones warned about, HTTP bounds with defaults.
 */
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

const STRONG = 'c0f3a9d27b1e48f6a5d0c9e3b7f2a18d'

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('ADMIN_TOKEN and METRICS_TOKEN', () => {
  for (const [what, token] of [
    ['16 spaces', ' '.repeat(16)],
    ['a token with a space', `${STRONG.slice(0, 20)} ${STRONG.slice(20)}`],
    ['a token with a tab', `${STRONG}\t`],
    ['a token with a newline', `${STRONG}\nx`],
  ] as const) {
    it(`refuses ${what}: no Bearer header could ever carry it`, () => {
      expect(configError({ ADMIN_TOKEN: token })).toMatch(
        /ADMIN_TOKEN: must not contain whitespace/,
      )
      expect(configError({ METRICS_TOKEN: token })).toMatch(
        /METRICS_TOKEN: must not contain whitespace/,
      )
    })
  }

  it('refuses tokens shorter than 32 characters', () => {
    expect(configError({ ADMIN_TOKEN: 'aaaaaaaaaaaaaaaa' })).toMatch(
      /ADMIN_TOKEN: must be at least 32 characters/,
    )
    expect(configError({ ADMIN_TOKEN: STRONG.slice(0, 31) })).toMatch(/at least 32/)
  })

  it('accepts a random 32-character token without a warning', () => {
    const config = loadConfig({ ADMIN_TOKEN: STRONG, METRICS_TOKEN: STRONG })
    expect(config.adminToken).toBe(STRONG)
    expect(config.metricsToken).toBe(STRONG)
    expect(config.warnings).toEqual([])
  })

  it('accepts a long but guessable token with a warning naming the variable', () => {
    const config = loadConfig({ ADMIN_TOKEN: 'a'.repeat(40), METRICS_TOKEN: 'abcd'.repeat(10) })
    expect(config.adminToken).toBe('a'.repeat(40))
    expect(config.warnings).toHaveLength(2)
    expect(config.warnings[0]).toMatch(/^ADMIN_TOKEN looks guessable/)
    expect(config.warnings[1]).toMatch(/^METRICS_TOKEN looks guessable/)
  })

  it('treats empty as unset', () => {
    const config = loadConfig({ ADMIN_TOKEN: '', METRICS_TOKEN: '' })
    expect(config.adminToken).toBeUndefined()
    expect(config.metricsToken).toBeUndefined()
  })
})

describe('HTTP bounds', () => {
  it('have documented defaults', () => {
    expect(loadConfig({}).http).toEqual({
      bodyLimitBytes: 1_048_576,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_024,
    })
    expect(loadConfig({}).embeddedRedisMaxmemory).toBe('256mb')
  })

  it('are read from the environment and validated', () => {
    expect(loadConfig({ HTTP_MAX_CONNECTIONS: '10', HTTP_BODY_LIMIT: '2048' }).http).toMatchObject({
      maxConnections: 10,
      bodyLimitBytes: 2048,
    })
    expect(configError({ HTTP_MAX_CONNECTIONS: '0' })).toMatch(/HTTP_MAX_CONNECTIONS/)
    expect(configError({ HTTP_HEADERS_TIMEOUT_MS: '60000' })).toMatch(
      /HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/,
    )
    expect(configError({ EMBEDDED_REDIS_MAXMEMORY: 'lots' })).toMatch(/EMBEDDED_REDIS_MAXMEMORY/)
  })
})

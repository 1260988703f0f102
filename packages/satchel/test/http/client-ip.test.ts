import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientIp, normalizeIp } from '../../src/http/client-ip.js'
import { rateLimit } from '../../src/http/rate-limit.js'
import { createSatchel, type Satchel } from '../../src/index.js'
import { ipIdentifier } from '../../src/ratelimit/index.js'
import { type RedisServer, startRedis } from '../../src/testing/index.js'

const req = (remoteAddress: string | undefined, xff?: string | string[]) => {
  const headers = new Headers()
  for (const value of Array.isArray(xff) ? xff : xff === undefined ? [] : [xff]) {
    headers.append('x-forwarded-for', value)
  }
  return { remoteAddress, headers }
}

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    [' 203.0.113.9 ', '203.0.113.9'],
    ['203.0.113.9:51234', '203.0.113.9'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:DB8:0:0:0:0:0:1]', '2001:db8::1'],
    ['2001:0db8:0000::0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::ffff:cb00:7109', '203.0.113.9'],
    ['[::ffff:203.0.113.9]:8080', '203.0.113.9'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected)
  })

  it.each([
    'unknown',
    '',
    '1.2.3',
    '010.1.1.1',
    '256.1.1.1',
    '203.0.113.9:',
    '203.0.113.9:port',
    '[2001:db8::1',
    '[2001:db8::1]x',
    '_hidden',
    undefined,
  ])('%s → undefined', (input) => {
    expect(normalizeIp(input)).toBeUndefined()
  })
})

describe('clientIp', () => {
  it('with no trusted proxy, X-Forwarded-For is ignored', () => {
    const input = req('198.51.100.7:40000', '1.1.1.1')
    expect(clientIp(input, { trustedProxies: 0 })).toBe('198.51.100.7')
    expect(clientIp(input, { trustedProxies: [] })).toBe('198.51.100.7')
    expect(clientIp(req(undefined, '1.1.1.1'), { trustedProxies: 0 })).toBeUndefined()
  })

  it('a hop count takes the Nth entry from the right, never the client-written leftmost one', () => {
    // The client wrote "6.6.6.6"; the proxy appended the peer it saw (203.0.113.9).
    const input = req('10.0.0.2', '6.6.6.6, 203.0.113.9')
    expect(clientIp(input, { trustedProxies: 1 })).toBe('203.0.113.9')
    // Two proxies: CDN appended the client, the load balancer appended the CDN.
    const two = req('10.0.0.2', '6.6.6.6, 203.0.113.9, 192.0.2.10')
    expect(clientIp(two, { trustedProxies: 2 })).toBe('203.0.113.9')
    // Repeated headers are one list, in order.
    expect(clientIp(req('10.0.0.2', ['6.6.6.6', '203.0.113.9']), { trustedProxies: 1 })).toBe(
      '203.0.113.9',
    )
    // Fewer entries than hops: the leftmost entry there is (the request skipped a proxy).
    expect(clientIp(req('10.0.0.2'), { trustedProxies: 1 })).toBe('10.0.0.2')
    // Hop counts do not depend on the socket address (Next.js has none).
    expect(clientIp(req(undefined, '203.0.113.9'), { trustedProxies: 1 })).toBe('203.0.113.9')
  })

  it('trusted CIDRs walk leftwards past every trusted hop', () => {
    const options = { trustedProxies: ['10.0.0.0/8', '192.0.2.10', 'fd00::/8'] }
    const input = req('::ffff:10.0.0.2', '6.6.6.6, [2001:db8::7]:5555, 192.0.2.10')
    expect(clientIp(input, options)).toBe('2001:db8::7')
    // A socket peer that is not a trusted proxy is the client, whatever the header says.
    expect(clientIp(req('198.51.100.7', '6.6.6.6'), options)).toBe('198.51.100.7')
    // An untrusted socket address that is unknown cannot vouch for the header.
    expect(clientIp(req(undefined, '6.6.6.6'), options)).toBeUndefined()
    // Garbage in the first untrusted position is no address, not a skip to the next entry.
    expect(clientIp(req('10.0.0.2', '6.6.6.6, garbage'), options)).toBeUndefined()
    // Every hop trusted: the leftmost one is the best answer there is.
    expect(clientIp(req('10.0.0.2', '10.1.1.1'), options)).toBe('10.1.1.1')
    // IPv4-mapped CIDRs are their IPv4 range.
    expect(
      clientIp(req('10.9.9.9', '203.0.113.9'), { trustedProxies: ['::ffff:10.0.0.0/104'] }),
    ).toBe('203.0.113.9')
  })

  it('rejects a malformed trustedProxies with E_INVALID_OPTION naming the entry', () => {
    const input = req('10.0.0.2', '203.0.113.9')
    for (const [trustedProxies, field] of [
      [-1, 'trustedProxies'],
      [1.5, 'trustedProxies'],
      [['10.0.0.0/33'], 'trustedProxies[0]'],
      [['10.0.0.0/8', 'proxy.internal'], 'trustedProxies[1]'],
      [['fd00::/129'], 'trustedProxies[0]'],
      [['10.0.0.0/x'], 'trustedProxies[0]'],
    ] as const) {
      expect(() => clientIp(input, { trustedProxies })).toThrow(
        expect.objectContaining({ code: 'E_INVALID_OPTION', field }),
      )
    }
  })
})

describe('per-IP rate limit on a real Redis, behind one proxy', () => {
  let server: RedisServer
  let satchel: Satchel
  beforeAll(async () => {
    server = await startRedis()
    satchel = createSatchel({ redis: server.url, prefix: 'cip', timeouts: { commandMs: 1000 } })
    await satchel.connect()
  })
  afterAll(async () => {
    await satchel.close()
    await server.stop()
  })

  const login = (xff: string) =>
    new Request('http://campus.test/login', {
      method: 'POST',
      headers: { 'x-forwarded-for': xff },
    })

  it('a client cannot reset its quota by writing its own X-Forwarded-For entry', async () => {
    const limiter = satchel.rateLimiter({ name: 'cip-login', limit: 2, window: '1h' })
    const limit = rateLimit(limiter, {
      identify: (request) =>
        ipIdentifier(
          clientIp({ remoteAddress: '10.0.0.2', headers: request.headers }, { trustedProxies: 1 }),
        ),
    })
    const ok = () => new Response('ok')
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      // A fresh spoofed leftmost entry each time; the proxy appends the real peer.
      const response = await limit(login(`6.6.6.${i}, 203.0.113.9`), ok)
      statuses.push(response.status)
    }
    expect(statuses).toEqual([200, 200, 429, 429])
    // A different client behind the same proxy still has its own quota.
    expect((await limit(login('203.0.113.10'), ok)).status).toBe(200)
  })

  it('ip:port clients count one bucket per address, not one shared invalid bucket', async () => {
    const limiter = satchel.rateLimiter({ name: 'cip-port', limit: 1, window: '1h' })
    const identify = (remoteAddress: string) =>
      ipIdentifier(clientIp({ remoteAddress, headers: new Headers() }, { trustedProxies: 0 }))
    const first = await limiter.limit(identify('203.0.113.1:5000'))
    const second = await limiter.limit(identify('203.0.113.2:5001'))
    const third = await limiter.limit(identify('[2001:db8::1]:443'))
    expect([first.success, second.success, third.success]).toEqual([true, true, true])
    expect((await limiter.limit(identify('203.0.113.1:6000'))).success).toBe(false)
  })
})

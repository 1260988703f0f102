import { describe, expect, it } from 'vitest'
import {
  emailIdentifier,
  ipIdentifier,
  orgIdentifier,
  usernameIdentifier,
} from '../../src/ratelimit/index.js'

describe('identifier helpers', () => {
  it('keeps IPv4 whole', () => {
    expect(ipIdentifier('203.0.113.9')).toBe('ip:203.0.113.9')
    expect(ipIdentifier(' 203.0.113.9 ')).toBe('ip:203.0.113.9')
    expect(ipIdentifier('203.0.113.10')).not.toBe(ipIdentifier('203.0.113.9'))
  })

  it('groups IPv6 by /56, whatever the notation', () => {
    const id = 'ip:2001:db8:abcd:1200::/56'
    for (const address of [
      '2001:db8:abcd:12ff::1',
      '2001:0db8:abcd:1200:0000:0000:0000:0000',
      '2001:DB8:ABCD:1234:5678:9abc:def0:1234',
      '2001:db8:abcd:12aa:ffff:ffff:ffff:ffff',
      '[2001:db8:abcd:1201::7]',
      '2001:db8:abcd:1201::1%eth0',
      '2001:db8:abcd:1200::1.2.3.4',
    ]) {
      expect(ipIdentifier(address)).toBe(id)
    }
    // The next /56 and a different /48 are other clients.
    expect(ipIdentifier('2001:db8:abcd:1300::1')).toBe('ip:2001:db8:abcd:1300::/56')
    expect(ipIdentifier('2001:db8:abce:1200::1')).toBe('ip:2001:db8:abce:1200::/56')
    expect(ipIdentifier('::1')).toBe('ip:0:0:0:0::/56')
    expect(ipIdentifier('::')).toBe('ip:0:0:0:0::/56')
  })

  it('counts IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(ipIdentifier('::ffff:203.0.113.9')).toBe('ip:203.0.113.9')
    expect(ipIdentifier('::ffff:cb00:7109')).toBe('ip:203.0.113.9')
  })

  it('puts everything that is not an address in one bucket', () => {
    for (const bad of ['', 'not-an-ip', '1.2.3', '2001:db8::g', undefined, null, '1.2.3.4.5']) {
      expect(ipIdentifier(bad)).toBe('ip:invalid')
    }
  })

  it('normalises emails and usernames (trimmed, lower-cased), namespaces every kind', () => {
    expect(emailIdentifier('  Ana@School.ORG ')).toBe('email:ana@school.org')
    expect(emailIdentifier('ana@school.org')).toBe(emailIdentifier('ANA@school.org'))
    expect(usernameIdentifier(' Teacher7\t')).toBe('user:teacher7')
    expect(orgIdentifier('org-7')).toBe('org:org-7')
    expect(orgIdentifier(7)).toBe('org:7')
    expect(usernameIdentifier('1.2.3.4')).not.toBe(ipIdentifier('1.2.3.4'))
  })
})

/**
 * Where a launch comes from: the launching page's origin, from `Origin` (sent with the
 * launcher's cross-origin `fetch`) or else `Referer`, matched against a tenant's allowed
 * domains. A request with neither header is refused: a launch must come from a page.
 *
 * @module
 */

/** The launching page's origin and host, or null when neither header names a usable one. */
export function launchingPage(headers: {
  origin: string | undefined
  referer: string | undefined
}): { origin: string; host: string } | null {
  for (const value of [headers.origin, headers.referer]) {
    // Browsers send `Origin: null` from sandboxed frames and file: pages: not a domain.
    if (!value || value === 'null') continue
    try {
      const url = new URL(value)
      if (url.protocol !== 'https:' && url.protocol !== 'http:') continue
      return { origin: url.origin, host: url.hostname.toLowerCase() }
    } catch {
      // Unparsable: try the other header.
    }
  }
  return null
}

/**
 * Whether `host` is one of `allowed`: an exact host name, or a subdomain of `*.example.edu`
 * (not `example.edu` itself, which must be listed on its own).
 */
export function domainAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase()
  return allowed.some((entry) => {
    const d = entry.toLowerCase()
    return d.startsWith('*.') ? h.endsWith(d.slice(1)) && h.length > d.length - 1 : h === d
  })
}

/**
 * Rules for bearer secrets set in the environment (`ADMIN_TOKEN`, `METRICS_TOKEN`). A token the
 * `Authorization: Bearer <token>` syntax cannot carry would lock the API silently, so it is
 * refused at start; a short or repetitive one is refused or warned about. See docs/SECURITY.md.
 *
 * @module
 */

/** Shortest accepted bearer secret. */
export const MIN_TOKEN_LENGTH = 32

/**
 * Below this estimate (bits, {@link estimatedEntropyBits}) a token is accepted with a warning.
 * A random 32-character hex token (128 bits) estimates at 97–120.
 */
export const LOW_ENTROPY_BITS = 90

/** Why a token is unusable, or undefined when it is acceptable. */
export function tokenProblem(token: string): string | undefined {
  if (/\s/.test(token)) {
    return 'must not contain whitespace (an Authorization: Bearer header cannot carry it)'
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    return `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`
  }
  return undefined
}

/**
 * A rough upper bound of a token's entropy in bits: its length times the Shannon entropy of its
 * own character distribution. A random token scores close to its real entropy; a repeated or
 * few-letter one (`aaaa…`, `passwordpassword…`) scores far below it. It cannot recognise a
 * dictionary phrase, so it only ever warns.
 */
export function estimatedEntropyBits(token: string): number {
  const counts = new Map<string, number>()
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1)
  const length = [...token].length
  let perChar = 0
  for (const count of counts.values()) {
    const p = count / length
    perChar -= p * Math.log2(p)
  }
  return perChar * length
}

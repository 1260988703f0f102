import { InvalidKeyError } from '../core/errors.js'
import { boundedKeyPart } from '../core/keys.js'

/**
 * The Redis keys of one lockable resource.
 * @example const { key, fenceKey } = lockTarget('campus', 'login-link:42')
 */
export interface LockTarget {
  /** The caller's resource name. */
  readonly resource: string
  /** `<prefix>:lock:{<escaped resource>}`: holds the owner's token, with the lock's TTL. */
  readonly key: string
  /** `<prefix>:lock:{<escaped resource>}:fence`: the last fence issued for the resource. */
  readonly fenceKey: string
}

// Longer escaped names are hashed so a key stays small; `#` is always escaped by
// `escapeKeyPart`, so a hashed name can never equal a caller's literal one.
const MAX_TAG_CHARS = 200

/**
 * The keys of `resource`. Both share the hash tag `{<escaped resource>}`, so the acquire script
 * (which touches both) runs on one Cluster slot, and different resources spread over the slots.
 * The resource is escaped, so it cannot add separators, braces or glob characters to the key.
 *
 * @throws InvalidKeyError for an empty or non-string resource.
 * @example lockTarget('campus', 'login-link:42').key // 'campus:lock:{login-link%3A42}'
 */
export function lockTarget(prefix: string, resource: string): LockTarget {
  if (typeof resource !== 'string' || resource === '') {
    throw new InvalidKeyError('A lock resource must be a non-empty string')
  }
  const key = `${prefix}:lock:{${boundedKeyPart(resource, MAX_TAG_CHARS)}}`
  return { resource, key, fenceKey: `${key}:fence` }
}

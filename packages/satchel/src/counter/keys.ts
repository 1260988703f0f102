import { boundedKeyPart } from '../core/keys.js'

// As the key builder does for long parts: bounded key length whatever the caller's ids are.
const MAX_ID_PART = 128

/**
 * The key of one counter id: `<prefix>:cnt:<name>:<escaped id>`. A single key per id (a hash),
 * so no hash tag is needed on Cluster. Counters live outside the cache's `<prefix>:g:` and
 * `<prefix>:o:` families so no cache clear or pattern delete removes them.
 *
 * @example counterKey('campus', 'pending', 'org:7') // 'campus:cnt:pending:org%3A7'
 */
export function counterKey(prefix: string, name: string, id: string): string {
  return `${prefix}:cnt:${name}:${boundedKeyPart(id, MAX_ID_PART)}`
}

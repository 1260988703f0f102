/**
 * Redis key builder: organisation-scoped by construction, injection-proof, Cluster-aware.
 *
 * ## Key format
 *
 * ```
 * <prefix>:o:<org>:<part>:<part>...                 organisation key
 * <prefix>:o:<org>:{<org>:<group>...}:<part>...     organisation key in a slot group
 * <prefix>:g:<part>...                               global key (not tenant data)
 * <prefix>:g:{g:<group>...}:<part>...               global key in a slot group
 * ```
 *
 * Every org id and part is escaped: printable ASCII stays as is except `% : { } * ? [ ] \ #`,
 * which are percent-encoded (`%3A`), as is everything else (space, control characters and all
 * non-ASCII, as UTF-8 bytes; a lone surrogate as the 3 bytes WTF-8 gives it). So a user value
 * can never add a separator, a hash tag or a glob character to a key, and the encoding is
 * injective: different (scope, org, parts) give different keys. Parts are compared as text:
 * `1`, `1n` and `'1'` are the same part, as are `true` and `'true'`.
 *
 * Parts longer than `maxPartLength` after escaping become `#` + 22 characters of base64url
 * SHA-256 (`#` is escaped in literal parts, so a hashed part never equals a literal one); a key
 * longer than `maxKeyLength` keeps its scope and as many leading parts as fit and ends in `##` + a
 * hash of the whole key. From there on, distinctness rests on SHA-256's collision resistance
 * (132 bits kept).
 *
 * ## Hash tags
 *
 * Redis Cluster hashes only the text inside the first `{...}` of a key. Plain keys carry no
 * braces, so they spread over every shard; a hot organisation is not pinned to one node. Keys
 * that one multi-key command or Lua script touches together (a bundle and its version stamp, a
 * lock and its fence counter) are built from one `slot(...)` builder, whose tag is the org id
 * plus the group parts, so they land in the same slot while different groups still spread. The
 * org id stays in front of the tag too, so `pattern()` on an organisation matches its slotted
 * keys as well.
 *
 * @example
 * ```ts
 * const keys = createKeyBuilder({ prefix: 'campus' })
 * keys.org('org-7').key('report', 'grades', 5)   // 'campus:o:org-7:report:grades:5'
 * const course = keys.org('org-7').slot('course', 42)
 * course.key('bundle')                            // 'campus:o:org-7:{org-7:course:42}:bundle'
 * keys.global('rl', 'login', ip)                  // 'campus:g:rl:login:203.0.113.9'
 * keys.org('org-7').pattern('report')             // 'campus:o:org-7:report:*'
 * ```
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { InvalidKeyError, InvalidOptionError } from './errors.js'

/**
 * One component of a key, compared as text. Numbers must be finite.
 * @example const parts: KeyPart[] = ['report', classId, 2024, true]
 */
export type KeyPart = string | number | bigint | boolean

/**
 * Options for {@link createKeyBuilder}.
 * @example createKeyBuilder({ prefix: 'campus', maxPartLength: 96 })
 */
export interface KeyBuilderOptions {
  /**
   * Prepended to every key, so several apps or environments can share one Redis. 1–64 of
   * `A-Z a-z 0-9 _ . -`, starting with a letter or digit. No `:`, so no prefix can be confused with
   * another prefix plus a scope.
   */
  prefix: string
  /**
   * A part (or org id) longer than this after escaping is replaced by a 23-character hash.
   * @default 128
   */
  maxPartLength?: number
  /**
   * A key longer than this keeps its scope and leading parts and ends in a hash.
   * @default 1024
   */
  maxKeyLength?: number
}

/**
 * Builds keys that share one Cluster hash tag, so they can be used in one multi-key command.
 * @example
 * ```ts
 * const course = keys.org(orgId).slot('course', courseId)
 * await redis.mget(course.key('bundle'), course.key('version')) // same slot: allowed on Cluster
 * ```
 */
export interface SlotKeys {
  /**
   * A key inside this slot group.
   * @throws InvalidKeyError for no parts, an empty part or a non-finite number.
   * @example keys.org('o1').slot('course', 42).key('bundle') // 'app:o:o1:{o1:course:42}:bundle'
   */
  key(...parts: KeyPart[]): string
  /**
   * A SCAN MATCH pattern for every key of this group under `parts`.
   * @example keys.org('o1').slot('course', 42).pattern() // 'app:o:o1:{o1:course:42}:*'
   */
  pattern(...parts: KeyPart[]): string
  /** The hash tag every key of this group carries, braces included. */
  readonly hashTag: string
}

/**
 * Keys of one organisation.
 * @example
 * ```ts
 * const org = keys.org(session.orgId)
 * await cache.delPattern(org.pattern('report'))
 * ```
 */
export interface OrgKeys {
  /** The organisation id as it appears in keys (escaped, or hashed when long). */
  readonly id: string
  /**
   * An organisation-scoped key.
   * @throws InvalidKeyError for no parts, an empty part or a non-finite number.
   * @example keys.org('o1').key('search', normalizeQuery(params, opts)) // 'app:o:o1:search:q=math'
   */
  key(...parts: KeyPart[]): string
  /**
   * A builder whose keys share one Cluster slot: tag = org id + `groupParts`.
   * @example keys.org('o1').slot('course', 42).key('version')
   */
  slot(...groupParts: KeyPart[]): SlotKeys
  /**
   * A SCAN MATCH pattern for every key of this organisation under `parts` (a key built with
   * exactly `parts` is not matched: delete it by name). With no parts it matches every key of
   * the organisation, slotted ones included.
   * @example keys.org('o1').pattern('report') // 'app:o:o1:report:*'
   */
  pattern(...parts: KeyPart[]): string
  /**
   * A SCAN MATCH pattern for the organisation's slot groups that extend `groupParts`:
   * `slotPattern('course')` matches `slot('course', 42)` but not `slot('course')`. With no
   * parts it matches every slotted key of the organisation. Groups whose tag was hashed (longer
   * than `maxPartLength`) are not matched.
   * @example keys.org('o1').slotPattern('course') // 'app:o:o1:{o1:course:*'
   */
  slotPattern(...groupParts: KeyPart[]): string
}

/**
 * Keys that belong to no organisation, such as global auth rate limits. Callable.
 * @example keys.global('rl', 'magic-link', email)
 */
export interface GlobalKeys {
  /**
   * A global key. Never put tenant data here: use `org(id)`.
   * @example keys.global('rl', 'login', ip) // 'app:g:rl:login:203.0.113.9'
   */
  (...parts: KeyPart[]): string
  /** A global slot group. @example keys.global.slot('rl', 'login').key(ip) */
  slot(...groupParts: KeyPart[]): SlotKeys
  /** A SCAN MATCH pattern for global keys under `parts`. @example keys.global.pattern('rl') */
  pattern(...parts: KeyPart[]): string
}

/**
 * The key builder: `org(id)` for tenant data, `global` for the rest.
 * @example satchel.keys.org(orgId).key('dashboard', userId)
 */
export interface KeyBuilder {
  /** The validated prefix. */
  readonly prefix: string
  /**
   * The keys of one organisation.
   * @throws InvalidKeyError when `orgId` is missing, empty, blank or not a string or number:
   *   tenant data cannot be keyed without its tenant.
   * @example keys.org(session.orgId).key('dashboard')
   */
  org(orgId: string | number): OrgKeys
  /** Global (non-tenant) keys; see {@link GlobalKeys}. */
  readonly global: GlobalKeys
  /** A SCAN MATCH pattern for every key under this prefix. @example keys.pattern() // 'app:*' */
  pattern(): string
}

const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const HASH_CHARS = 22
const PART_MARKER = '#'
const TAIL_MARKER = '##'

// Printable ASCII that has no meaning to this format, to Cluster hash tags or to SCAN MATCH.
const NEEDS_ESCAPE = /[^\x21-\x7e]|[%:{}*?[\]\\#]/
const LITERAL = new Uint8Array(128)
for (let c = 0x21; c <= 0x7e; c++) {
  LITERAL[c] = '%:{}*?[]\\#'.includes(String.fromCharCode(c)) ? 0 : 1
}
const HEX = Array.from(
  { length: 256 },
  (_, i) => `%${i.toString(16).toUpperCase().padStart(2, '0')}`,
)

function percentEncodeCodePoint(cp: number): string {
  if (cp < 0x80) return HEX[cp]!
  if (cp < 0x800) return HEX[0xc0 | (cp >> 6)]! + HEX[0x80 | (cp & 0x3f)]!
  // Lone surrogates take this branch too (WTF-8), which keeps the encoding injective where
  // UTF-8 would replace them with U+FFFD.
  if (cp < 0x10000) {
    return HEX[0xe0 | (cp >> 12)]! + HEX[0x80 | ((cp >> 6) & 0x3f)]! + HEX[0x80 | (cp & 0x3f)]!
  }
  return (
    HEX[0xf0 | (cp >> 18)]! +
    HEX[0x80 | ((cp >> 12) & 0x3f)]! +
    HEX[0x80 | ((cp >> 6) & 0x3f)]! +
    HEX[0x80 | (cp & 0x3f)]!
  )
}

/**
 * Escapes one key component (see the module's "Key format"). Exposed for callers that build
 * key-compatible strings themselves; the builder applies it to every part.
 *
 * @example escapeKeyPart('a:b c') // 'a%3Ab%20c'
 */
export function escapeKeyPart(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80 && LITERAL[unit] === 1) {
      out += text[i]
      continue
    }
    let cp = unit
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = ((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000
        i++
      }
    }
    out += percentEncodeCodePoint(cp)
  }
  return out
}

const GLOB_CHARS = /[*?[\]\\]/g

/**
 * Escapes SCAN MATCH / KEYS glob characters (`* ? [ ] \`) so `text` matches only itself. `^`
 * and `-` are special only inside brackets, which this escapes, so they are left alone.
 *
 * @example `${escapeGlob(userInput)}:*` // 'a\\*b:*' for 'a*b'
 */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_CHARS, '\\$&')
}

/**
 * One key part from free text: escaped like every key part, and when longer than `maxLength`
 * after escaping, `#` + 22 characters of base64url SHA-256 (`#` is escaped in literal parts, so a
 * hashed part never equals a literal one). The key builder encodes its parts this way; primitives
 * with their own key families use it for identifiers, resources and user ids.
 * @example boundedKeyPart('org:7', 128) // 'org%3A7'
 */
export function boundedKeyPart(text: string, maxLength: number): string {
  const escaped = escapeKeyPart(text)
  return escaped.length > maxLength ? PART_MARKER + hash(escaped) : escaped
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, HASH_CHARS)
}

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value
}

function partText(part: unknown, position: string): string {
  switch (typeof part) {
    case 'string':
      if (part === '') throw new InvalidKeyError(`Key ${position} is an empty string`)
      return part
    case 'number':
      if (!Number.isFinite(part)) throw new InvalidKeyError(`Key ${position} is ${part}`)
      return String(part)
    case 'bigint':
    case 'boolean':
      return String(part)
  }
  throw new InvalidKeyError(
    `Key ${position} must be a string, number, bigint or boolean, got ${typeName(part)}`,
  )
}

function positive(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidOptionError(field, `expected an integer >= ${min}, got ${String(value)}`)
  }
  return value
}

/**
 * Creates the key builder. `satchel.keys` is one of these, built from `options.prefix`.
 *
 * @throws InvalidOptionError for an invalid `prefix`, `maxPartLength` or `maxKeyLength`.
 * @example
 * ```ts
 * const keys = createKeyBuilder({ prefix: 'campus' })
 * const key = keys.org(orgId).key('report', 'class', classId)
 * await redis.set(key, value, 'PX', 60_000)
 * ```
 */
export function createKeyBuilder(options: KeyBuilderOptions): KeyBuilder {
  const prefix = options.prefix
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new InvalidOptionError(
      'prefix',
      'expected 1-64 characters of A-Z a-z 0-9 _ . - starting with a letter or digit, ' +
        `got ${JSON.stringify(prefix)}`,
    )
  }
  const maxPartLength = positive('keys.maxPartLength', options.maxPartLength ?? 128, 23)
  // Room for the scope, an org id and a slot tag at full length, and the tail hash.
  const minKeyLength = prefix.length + 2 * maxPartLength + 32
  const maxKeyLength = positive('keys.maxKeyLength', options.maxKeyLength ?? 1024, minKeyLength)

  function encodePart(part: unknown, position: string): string {
    return boundedKeyPart(partText(part, position), maxPartLength)
  }

  function encodeParts(parts: readonly unknown[], what: string): string[] {
    return parts.map((part, i) => encodePart(part, `${what} ${i}`))
  }

  function build(head: string, parts: readonly KeyPart[]): string {
    if (parts.length === 0) throw new InvalidKeyError('A key needs at least one part')
    const encoded = encodeParts(parts, 'part')
    const key = `${head}:${encoded.join(':')}`
    if (key.length <= maxKeyLength) return key
    const tail = `:${TAIL_MARKER}${hash(key)}`
    let kept = head
    for (const part of encoded) {
      if (kept.length + 1 + part.length + tail.length > maxKeyLength) break
      kept += `:${part}`
    }
    return kept + tail
  }

  function patternOf(head: string, parts: readonly KeyPart[]): string {
    const encoded = encodeParts(parts, 'pattern part')
    // Escaped parts and the prefix hold no glob characters, so only the final `*` is special.
    return encoded.length === 0 ? `${head}:*` : `${head}:${encoded.join(':')}:*`
  }

  function tagOf(content: readonly string[]): string {
    const text = content.join(':')
    return `{${text.length > maxPartLength ? PART_MARKER + hash(text) : text}}`
  }

  function slotKeys(scopeHead: string, tagContent: readonly string[]): SlotKeys {
    const hashTag = tagOf(tagContent)
    const head = `${scopeHead}:${hashTag}`
    return {
      hashTag,
      key: (...parts) => build(head, parts),
      pattern: (...parts) => patternOf(head, parts),
    }
  }

  function org(orgId: string | number): OrgKeys {
    if (typeof orgId !== 'string' && typeof orgId !== 'number') {
      throw new InvalidKeyError(
        `An organisation id is required to build an organisation key, got ${typeName(orgId)}`,
      )
    }
    if (typeof orgId === 'string' && orgId.trim() === '') {
      throw new InvalidKeyError(
        'An organisation id is required to build an organisation key, got a blank string',
      )
    }
    const id = encodePart(orgId, 'organisation id')
    const head = `${prefix}:o:${id}`
    return {
      id,
      key: (...parts) => build(head, parts),
      slot: (...groupParts) => slotKeys(head, [id, ...encodeParts(groupParts, 'group part')]),
      pattern: (...parts) => patternOf(head, parts),
      slotPattern: (...groupParts) => {
        const groups = encodeParts(groupParts, 'group part')
        return groups.length === 0 ? `${head}:{*` : `${head}:{${[id, ...groups].join(':')}:*`
      },
    }
  }

  const globalHead = `${prefix}:g`
  const global = Object.assign((...parts: KeyPart[]) => build(globalHead, parts), {
    slot: (...groupParts: KeyPart[]) =>
      slotKeys(globalHead, ['g', ...encodeParts(groupParts, 'group part')]),
    pattern: (...parts: KeyPart[]) => patternOf(globalHead, parts),
  })

  return { prefix, org, global, pattern: () => `${prefix}:*` }
}

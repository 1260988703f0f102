/**
 * Capability flags: switch each Redis-backed capability off without a deploy (set
 * `SATCHEL_FLAGS` and restart), in the rollout order the plan describes: cache → rate_limit →
 * session_index → locking → idempotency → counters. A disabled capability takes its documented
 * fallback path, exactly as when Redis is down.
 *
 * @module
 */
import { InvalidOptionError, UnknownFlagError } from './errors.js'

/**
 * Every capability that can be switched, in rollout order.
 * @example for (const name of FLAG_NAMES) metrics.flag.set({ name }, flags.enabled(name) ? 1 : 0)
 */
export const FLAG_NAMES = [
  'cache',
  'rate_limit',
  'session_index',
  'locking',
  'idempotency',
  'counters',
] as const

/** The name of a capability flag. @example const name: FlagName = 'rate_limit' */
export type FlagName = (typeof FLAG_NAMES)[number]

/**
 * What {@link parseFlags} accepts: a `SATCHEL_FLAGS` string, a list of the same tokens, an object
 * of booleans, a {@link Flags} instance, or nothing (everything enabled).
 * @example const input: FlagsInput = process.env.SATCHEL_FLAGS ?? { counters: false }
 */
export type FlagsInput =
  | string
  | readonly string[]
  | Partial<Record<FlagName, boolean>>
  | Flags
  | null
  | undefined

const NAME_SET: ReadonlySet<string> = new Set(FLAG_NAMES)

function isFlagName(name: string): name is FlagName {
  return NAME_SET.has(name)
}

/**
 * An immutable set of enabled capabilities.
 *
 * @example
 * ```ts
 * const flags = parseFlags(process.env.SATCHEL_FLAGS)
 * if (flags.enabled('cache')) return cache.getOrSet(key, load)
 * return load()
 * ```
 */
export class Flags {
  readonly #enabled: ReadonlySet<FlagName>

  /**
   * @param enabled - the enabled capabilities (default: all).
   * @throws UnknownFlagError for a name that is not in {@link FLAG_NAMES}.
   */
  constructor(enabled: Iterable<FlagName> = FLAG_NAMES) {
    const set = new Set<FlagName>()
    for (const name of enabled) {
      if (!isFlagName(name)) throw new UnknownFlagError(String(name), FLAG_NAMES)
      set.add(name)
    }
    this.#enabled = set
  }

  /** Every capability enabled. @example Flags.all().enabled('locking') // true */
  static all(): Flags {
    return new Flags(FLAG_NAMES)
  }

  /** Every capability disabled. @example Flags.none().list() // [] */
  static none(): Flags {
    return new Flags([])
  }

  /**
   * Whether a capability is enabled.
   * @throws UnknownFlagError for a misspelt name (JavaScript callers): silently answering
   *   `false` would hide the typo.
   * @example flags.enabled('rate_limit')
   */
  enabled(name: FlagName): boolean {
    if (!isFlagName(name)) throw new UnknownFlagError(String(name), FLAG_NAMES)
    return this.#enabled.has(name)
  }

  /** The enabled capabilities, in {@link FLAG_NAMES} order. @example flags.list() // ['cache'] */
  list(): FlagName[] {
    return FLAG_NAMES.filter((name) => this.#enabled.has(name))
  }

  /**
   * Every capability with its state, for health and stats endpoints.
   * @example JSON.stringify(flags) // '{"cache":true,"rate_limit":false,...}'
   */
  toJSON(): Record<FlagName, boolean> {
    const out = {} as Record<FlagName, boolean>
    for (const name of FLAG_NAMES) out[name] = this.#enabled.has(name)
    return out
  }

  /**
   * The `SATCHEL_FLAGS` form, which {@link parseFlags} reads back: `'all'`, `'none'` or a list.
   * @example String(parseFlags('cache,-counters')) // 'cache'
   */
  toString(): string {
    if (this.#enabled.size === FLAG_NAMES.length) return 'all'
    if (this.#enabled.size === 0) return 'none'
    return this.list().join(',')
  }
}

type Token = { negate: boolean; name: FlagName | 'all' | 'none' }

function parseToken(raw: string): Token {
  const negate = raw.startsWith('-')
  let name = (negate ? raw.slice(1) : raw).toLowerCase()
  // The plan's flag names carry a `redis_` prefix; accept them so its runbooks work verbatim.
  if (name.startsWith('redis_')) name = name.slice('redis_'.length)
  if (isFlagName(name)) return { negate, name }
  if (!negate && (name === 'all' || name === 'none')) return { negate, name }
  throw new UnknownFlagError(raw, FLAG_NAMES)
}

function fromTokens(tokens: readonly string[]): Flags {
  if (tokens.length === 0) return Flags.all()
  const parsed = tokens.map(parseToken)
  // "cache,locking" means only those; "-counters" means everything but counters.
  const anyPositive = parsed.some((t) => !t.negate && t.name !== 'all' && t.name !== 'none')
  const enabled = new Set<FlagName>(anyPositive ? [] : FLAG_NAMES)
  for (const { negate, name } of parsed) {
    if (name === 'all') for (const n of FLAG_NAMES) enabled.add(n)
    else if (name === 'none') enabled.clear()
    else if (negate) enabled.delete(name)
    else enabled.add(name)
  }
  return new Flags(enabled)
}

function tokenize(text: string): string[] {
  return text.split(/[\s,]+/).filter((t) => t !== '')
}

/**
 * Parses flags from configuration.
 *
 * A string (or list of strings) holds comma- or space-separated tokens, applied left to right:
 * `all`, `none`, a name (enable), `-name` (disable). The starting point is "nothing" when any
 * plain name is given, otherwise "everything"; empty or missing input enables everything. Names
 * are case-insensitive and may carry the plan's `redis_` prefix (`redis_cache`).
 *
 * An object `{ name: boolean }` follows the same rule: if any value is `true` only the `true`
 * names are enabled, otherwise everything except the `false` ones.
 *
 * @throws UnknownFlagError naming the valid flags when a name is unknown.
 * @throws InvalidOptionError (`flags`) for an object value that is not a boolean.
 * @example
 * ```ts
 * parseFlags(undefined).list()            // all six
 * parseFlags('cache,rate_limit').list()   // ['cache', 'rate_limit']
 * parseFlags('-locking -counters').list() // all but locking and counters
 * parseFlags('all,-idempotency')          // all but idempotency
 * parseFlags({ counters: false })         // all but counters
 * ```
 */
export function parseFlags(input: FlagsInput): Flags {
  if (input === undefined || input === null) return Flags.all()
  if (input instanceof Flags) return input
  if (typeof input === 'string') return fromTokens(tokenize(input))
  if (Array.isArray(input)) {
    const tokens: string[] = []
    for (const item of input as readonly unknown[]) {
      if (typeof item !== 'string') {
        throw new InvalidOptionError('flags', `expected flag names, got ${typeof item} in the list`)
      }
      tokens.push(...tokenize(item))
    }
    return fromTokens(tokens)
  }
  if (typeof input !== 'object') {
    throw new InvalidOptionError(
      'flags',
      `expected a string, a list or an object, got ${typeof input}`,
    )
  }
  const entries = Object.entries(input as Record<string, unknown>)
  for (const [name, value] of entries) {
    if (!isFlagName(name)) throw new UnknownFlagError(name, FLAG_NAMES)
    if (typeof value !== 'boolean' && value !== undefined) {
      throw new InvalidOptionError(
        'flags',
        `"${name}" must be true or false, got ${JSON.stringify(value)}`,
      )
    }
  }
  const anyTrue = entries.some(([, value]) => value === true)
  return new Flags(
    FLAG_NAMES.filter((name) => {
      const value = (input as Partial<Record<FlagName, boolean>>)[name]
      return value ?? !anyTrue
    }),
  )
}

/**
 * Lua scripts with their SHA computed once at load time. Every primitive that needs atomicity
 * (rate limiter, locks, idempotency, session index, cache stampede lock) defines its scripts with
 * {@link defineScript} and runs them with {@link evalScript}.
 *
 * Hand-written rather than ioredis `defineCommand`, because `defineCommand` mutates the client,
 * and satchel also accepts a caller's own instance, which it must not change.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { RedisClient } from './client-factory.js'
import { isReplyError } from './redis-errors.js'

/** A Lua script and its SHA1, as `SCRIPT LOAD` would report it. */
export interface LuaScript {
  /** Short name for logs and the gateway's operation label. */
  readonly name: string
  /** The script body. */
  readonly lua: string
  /** SHA1 hex of `lua`; the server computes the same for `SCRIPT LOAD`. */
  readonly sha: string
}

/**
 * Defines a script; the SHA is precomputed so the hot path is a single EVALSHA.
 * @example
 * ```ts
 * const INCR_TTL = defineScript('incr-ttl', `
 *   local n = redis.call('INCR', KEYS[1])
 *   if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
 *   return n`)
 * ```
 */
export function defineScript(name: string, lua: string): LuaScript {
  const sha = createHash('sha1').update(lua).digest('hex')
  return Object.freeze({ name, lua, sha })
}

/** A script argument: what ioredis accepts for EVAL/EVALSHA. */
export type ScriptArg = string | number | Buffer

/**
 * Runs a script: EVALSHA first, EVAL when the server answers NOSCRIPT (after a restart, a
 * failover or `SCRIPT FLUSH`); EVAL caches the script again, so the next call is an EVALSHA.
 * Call it inside `gateway.exec` so the whole exchange is bounded by `commandMs`.
 * @example
 * ```ts
 * const n = await satchel.redis.exec('incr-ttl', (r) => evalScript(r, INCR_TTL, [key], [60_000]))
 * ```
 */
export async function evalScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly ScriptArg[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (error) {
    if (!isNoScript(error)) throw error
    return client.eval(script.lua, keys.length, ...keys, ...args)
  }
}

/**
 * Runs a script as one EVAL (the body, not its SHA), for a command whose place on the connection
 * matters: a release sent right behind a command that timed out must run before anything sent
 * after it, and EVALSHA's NOSCRIPT fallback would send the EVAL only after a round trip, behind
 * later commands. Costs the script's bytes on the wire, so keep it for such rare paths.
 * @example evalScriptInOrder(client, RELEASE, [key], [token]).catch(() => {})
 */
export function evalScriptInOrder(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly ScriptArg[],
): Promise<unknown> {
  return client.eval(script.lua, keys.length, ...keys, ...args)
}

/**
 * {@link evalScript} with binary replies: bulk strings come back as Buffers, so stored bytes
 * (a response body) survive exactly; `evalScript` decodes replies as UTF-8. ioredis has no typed
 * `evalshaBuffer`; `callBuffer` is its binary-reply path and routes by the keys on Cluster.
 * @example await gateway.exec('idempotency.begin', (r) => evalScriptBuffer(r, BEGIN, [key], args))
 */
export async function evalScriptBuffer(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly ScriptArg[],
): Promise<unknown> {
  try {
    return await client.callBuffer('EVALSHA', [script.sha, keys.length, ...keys, ...args])
  } catch (error) {
    if (!isNoScript(error)) throw error
    return client.callBuffer('EVAL', [script.lua, keys.length, ...keys, ...args])
  }
}

/** A NOSCRIPT reply; the error code is the first word of a Redis error reply. */
function isNoScript(error: unknown): boolean {
  return isReplyError(error) && error.message.split(' ', 1)[0] === 'NOSCRIPT'
}

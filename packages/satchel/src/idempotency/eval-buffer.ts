import type { RedisClient } from '../core/client-factory.js'
import { isReplyError } from '../core/redis-errors.js'
import type { LuaScript, ScriptArg } from '../core/scripts.js'

/**
 * `evalScript` with binary replies: bulk strings come back as Buffers, so a stored response
 * body survives byte for byte (`evalScript` decodes replies as UTF-8, which corrupts binary).
 * ioredis has no typed `evalshaBuffer`; `callBuffer` is its documented binary-reply path and
 * routes by the script's keys on Cluster. Run inside `gateway.exec`.
 *
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
    // The first word of an error reply is its code (see redis-errors.ts).
    if (!(isReplyError(error) && error.message.split(' ', 1)[0] === 'NOSCRIPT')) throw error
    return client.callBuffer('EVAL', [script.lua, keys.length, ...keys, ...args])
  }
}

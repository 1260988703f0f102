import { join } from 'node:path'
import { LOOPBACK } from './ports.js'
import type { TlsFiles } from './tls.js'

/** One redis.conf directive: its name, then its arguments. */
export type ConfigDirective = readonly [name: string, ...args: string[]]

/**
 * An ACL user for a test server, granted every key, channel and command (`~* &* +@all`).
 *
 * @example
 * ```ts
 * const server = await startRedis({ user: { name: 'app', password: 's3cret' } })
 * // server.url === `redis://app:s3cret@127.0.0.1:${server.port}`
 * ```
 */
export interface RedisUserCredentials {
  /** The user name, e.g. `'app'`. */
  name: string
  /** The user's password. */
  password: string
}

/** What a test server's redis.conf is rendered from. */
export interface RedisConfigInput {
  port: number
  dir: string
  password?: string | undefined
  user?: RedisUserCredentials | undefined
  tls?: TlsFiles | undefined
  /** Directives appended after the defaults (cluster mode, for example). */
  extra?: readonly ConfigDirective[] | undefined
}

/** Name of the server log inside the server's directory. */
export const LOG_FILE = 'redis.log'

/** Name of the rendered config file inside the server's directory. */
export const CONFIG_FILE = 'redis.conf'

/**
 * Renders redis.conf for a test server.
 *
 * A config file rather than command-line options: passwords and paths may contain spaces or
 * quotes, and redis-server re-joins its argv into config text, so only a file lets us quote every
 * value exactly once, in the one syntax redis parses. It also keeps passwords out of `ps`.
 */
export function renderConfig(input: RedisConfigInput): string {
  const directives: ConfigDirective[] = [
    ['bind', LOOPBACK],
    ['dir', input.dir],
    ['logfile', join(input.dir, LOG_FILE)],
    ['loglevel', 'warning'],
    ['daemonize', 'no'],
    // No persistence: nothing a test writes may survive into another test or leave files behind.
    ['save', ''],
    ['appendonly', 'no'],
    // Tests use DEBUG SLEEP to simulate a slow server; the command is off by default since 7.0.
    ['enable-debug-command', 'yes'],
    // Replicas would otherwise wait 5 s before their first sync, stretching every cluster start.
    ['repl-diskless-sync-delay', '0'],
  ]
  if (input.tls) {
    directives.push(
      // Plain TCP off: a TLS server that also answered in clear text would let a test pass
      // without ever exercising the TLS path.
      ['port', '0'],
      ['tls-port', String(input.port)],
      ['tls-cert-file', input.tls.certFile],
      ['tls-key-file', input.tls.keyFile],
      ['tls-ca-cert-file', input.tls.caFile],
      ['tls-auth-clients', 'no'],
    )
  } else {
    directives.push(['port', String(input.port)])
  }
  if (input.password !== undefined) directives.push(['requirepass', input.password])
  if (input.user) {
    directives.push(['user', input.user.name, 'on', `>${input.user.password}`, '~*', '&*', '+@all'])
  }
  directives.push(...(input.extra ?? []))
  return `${directives.map((directive) => directive.map(quote).join(' ')).join('\n')}\n`
}

/**
 * How a replica logs in to its master: as the ACL user when there is one, else with the default
 * user's password. Every data node gets these, since any of them may become a replica.
 */
export function replicationAuthDirectives(
  credentials: Pick<RedisConfigInput, 'password' | 'user'>,
): ConfigDirective[] {
  if (credentials.user) {
    return [
      ['masteruser', credentials.user.name],
      ['masterauth', credentials.user.password],
    ]
  }
  if (credentials.password !== undefined) return [['masterauth', credentials.password]]
  return []
}

// Double-quoted strings are the one redis.conf form that can carry any byte: backslash and quote
// are escaped, control characters become \xHH (all understood by redis's sdssplitargs).
function quote(value: string): string {
  let out = '"'
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    if (char === '\\' || char === '"') out += `\\${char}`
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`
    else out += char
  }
  return `${out}"`
}

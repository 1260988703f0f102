/**
 * The private redis-server of a zero-configuration start (`npm start` without `REDIS_URL`).
 *
 * It is a production cache, not a test server, so it is locked down (docs/SECURITY.md):
 * - no TCP at all: it listens on a unix socket in a fresh 0700 directory, so only this user's
 *   processes can reach it, and it also requires a random password;
 * - protected mode on, `DEBUG` and `MODULE` refused;
 * - a memory cap (`EMBEDDED_REDIS_MAXMEMORY`) with `volatile-lru`: every cache entry carries a
 *   TTL and is evictable, while the few keys without one (tag stamps, fence counters) are the
 *   ones whose loss would bring invalidated entries back, so they are never evicted;
 * - no persistence: PostgreSQL is the source of truth;
 * - killed, and its directory removed, when campus exits however it exits (a SIGKILL of campus
 *   itself is the one case no process can handle; the server then stays until killed by hand).
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/** Finds an executable on PATH, the way a shell would. */
export function findOnPath(binary: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, binary)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; keep looking
    }
  }
  return undefined
}

/** Options of {@link startEmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** `maxmemory` of the server. @default '256mb' */
  maxmemory?: string
  /** The `redis-server` executable. @default the one on PATH */
  binary?: string
  /** How long to wait for the socket. @default 10000 */
  readyTimeoutMs?: number
}

/** A running private redis-server. */
export interface EmbeddedRedis {
  /** ioredis options that reach it: the socket path and the password. */
  readonly connection: { path: string; password: string }
  /** The server's private directory (0700), holding its socket, config and log. */
  readonly dir: string
  readonly pid: number
  /** Shuts the server down (SIGTERM, SIGKILL after a few seconds) and removes its directory. */
  stop(): Promise<void>
}

/** Thrown when the server does not come up; `logTail` is what it said. */
export class EmbeddedRedisError extends Error {
  readonly code = 'E_EMBEDDED_REDIS'
  constructor(
    message: string,
    readonly logTail: string,
  ) {
    super(logTail ? `${message}:\n${logTail}` : message)
    this.name = 'EmbeddedRedisError'
  }
}

const SOCKET = 'redis.sock'
const CONFIG = 'redis.conf'
const STOP_TIMEOUT_MS = 5_000

/** The redis.conf of the private server. Every value is generated here: none needs quoting. */
export function embeddedRedisConfig(dir: string, password: string, maxmemory: string): string {
  return [
    'port 0',
    `unixsocket ${join(dir, SOCKET)}`,
    'unixsocketperm 700',
    `requirepass ${password}`,
    'protected-mode yes',
    'enable-debug-command no',
    'enable-module-command no',
    `maxmemory ${maxmemory}`,
    'maxmemory-policy volatile-lru',
    'save ""',
    'appendonly no',
    `dir ${dir}`,
    `logfile ${join(dir, 'redis.log')}`,
    'loglevel warning',
    'daemonize no',
    '',
  ].join('\n')
}

// Every server this process started, killed synchronously on exit: nothing asynchronous runs
// in an 'exit' listener, and SIGKILL needs no cooperation from the server.
const running = new Map<ChildProcess, string>()
let exitHookInstalled = false

function killAll(): void {
  for (const [child, dir] of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  running.clear()
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * A terminating signal ends Node without an 'exit' event, so the servers are killed here too.
 * When this is the only listener, Node's default is restored and the signal raised again, so the
 * process still dies of it; when campus listens as well, its own shutdown decides.
 */
function onSignal(signal: (typeof SIGNALS)[number]): void {
  killAll()
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, signalHandlers[signal])
    process.kill(process.pid, signal)
  }
}

const signalHandlers = {
  SIGINT: () => onSignal('SIGINT'),
  SIGTERM: () => onSignal('SIGTERM'),
  SIGHUP: () => onSignal('SIGHUP'),
}

function installExitHooks(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', killAll)
  for (const signal of SIGNALS) process.on(signal, signalHandlers[signal])
}

/**
 * Starts the private redis-server, when one is installed (undefined otherwise), and resolves
 * once its socket accepts connections.
 *
 * @throws EmbeddedRedisError when it exits or does not listen within `readyTimeoutMs`.
 * @example
 * const redis = await startEmbeddedRedis({ maxmemory: '256mb' })
 * const satchel = createSatchel({ redis: redis?.connection, prefix: 'campus' })
 */
export async function startEmbeddedRedis(
  options: EmbeddedRedisOptions = {},
): Promise<EmbeddedRedis | undefined> {
  const binary = options.binary ?? findOnPath('redis-server')
  if (!binary) return undefined
  // mkdtemp creates the directory 0700: the socket inside is out of every other user's reach.
  const dir = mkdtempSync(join(tmpdir(), 'campus-redis-'))
  const password = randomBytes(32).toString('hex')
  const configPath = join(dir, CONFIG)
  writeFileSync(configPath, embeddedRedisConfig(dir, password, options.maxmemory ?? '256mb'), {
    mode: 0o600,
  })
  const child = spawn(binary, [configPath], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  installExitHooks()
  running.set(child, dir)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096)
  })
  const socketPath = join(dir, SOCKET)
  try {
    await waitForSocket(child, socketPath, options.readyTimeoutMs ?? 10_000, () => stderr)
  } catch (error) {
    child.kill('SIGKILL')
    running.delete(child)
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    connection: { path: socketPath, password },
    dir,
    pid: child.pid as number,
    stop: () => stopServer(child, dir),
  }
}

async function waitForSocket(
  child: ChildProcess,
  socketPath: string,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let spawnError: Error | undefined
  child.once('error', (error) => {
    spawnError = error
  })
  for (;;) {
    if (spawnError) throw new EmbeddedRedisError(`could not run redis-server`, spawnError.message)
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmbeddedRedisError('redis-server exited during start', stderr().trim())
    }
    if (existsSync(socketPath) && (await accepts(socketPath))) return
    if (Date.now() > deadline) {
      throw new EmbeddedRedisError(
        `redis-server did not listen within ${timeoutMs} ms`,
        stderr().trim(),
      )
    }
    await sleep(20)
  }
}

function accepts(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

async function stopServer(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
  running.delete(child)
  rmSync(dir, { recursive: true, force: true })
}

/**
 * Several real Node processes for multi-process tests (stampede, locks, rate limits, the cache
 * bus, several app instances on one Redis).
 *
 * The parent forks workers running a script that calls {@link serveCommands}, then drives them
 * with `call(command, args)` over the IPC channel. Messages use the structured-clone
 * ("advanced") serialisation, so Maps, Dates and Buffers survive. A TypeScript script is loaded
 * through `tsx`, which must then be installed.
 *
 * @example
 * ```ts
 * const workers = await startWorkers(4, new URL('./workers/cache-worker.ts', import.meta.url), {
 *   env: { REDIS_URL: redis.url },
 * })
 * const counts = await Promise.all(workers.map((w) => w.call<number>('stampede', { key })))
 * await stopWorkers(workers)
 * ```
 *
 * @module
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { trackChild } from './process-registry.js'

/** A forked worker process. */
export interface WorkerProcess {
  readonly index: number
  readonly pid: number
  /** Runs a named command in the worker; rejects with the worker's error (message and code). */
  call<T = unknown>(command: string, args?: unknown): Promise<T>
  /** Sends a signal (default SIGKILL); pending calls reject. */
  kill(signal?: NodeJS.Signals): void
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>
}

interface Reply {
  type: 'reply'
  id: number
  ok: boolean
  value?: unknown
  error?: { message: string; code?: string; stack?: string }
}

/** Error raised in the parent for a worker's failure; `code` is the worker error's code. */
export class WorkerCallError extends Error {
  readonly code: string | undefined
  constructor(message: string, code: string | undefined) {
    super(message)
    this.code = code
  }
}

/** See `readyTimeoutMs` of {@link startWorkers}. */
const DEFAULT_READY_TIMEOUT_MS = 45_000

/**
 * Forks `count` workers running `script` and waits until each has registered its commands.
 * `WORKER_INDEX` is set in each worker's environment. Workers are killed when this process
 * exits, however it ends, so a failed test leaves none (nor their connections) behind.
 */
export async function startWorkers(
  count: number,
  script: URL,
  options: {
    /** Added to the parent's environment. */
    env?: Record<string, string>
    /**
     * How long each worker may take to call `serveCommands`. Generous on purpose: a worker compiles
     * and loads its modules on start, which takes tens of seconds on a busy CI machine, and a
     * worker that never starts fails the test after this anyway.
     * @default 45000
     */
    readyTimeoutMs?: number
  } = {},
): Promise<WorkerProcess[]> {
  const started = Array.from({ length: count }, (_, index) =>
    startWorker(
      index,
      script,
      options.env ?? {},
      options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    ),
  )
  const settled = await Promise.allSettled(started)
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) {
    for (const s of settled) if (s.status === 'fulfilled') s.value.kill()
    throw (failed as PromiseRejectedResult).reason
  }
  return settled.map((s) => (s as PromiseFulfilledResult<WorkerProcess>).value)
}

/** Kills every worker (SIGKILL) and waits for their exit. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) worker.kill('SIGKILL')
  await Promise.all(workers.map((w) => w.exited))
}

/** Scripts Node cannot run by itself. */
const TYPESCRIPT = /\.[cm]?tsx?$/

function startWorker(
  index: number,
  script: URL,
  env: Record<string, string>,
  readyTimeoutMs: number,
): Promise<WorkerProcess> {
  const path = fileURLToPath(script)
  const child = fork(path, [], {
    execArgv: TYPESCRIPT.test(path) ? ['--import', 'tsx'] : [],
    env: { ...process.env, ...env, WORKER_INDEX: String(index) },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  trackChild(child)
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let sequence = 0
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      for (const p of pending.values()) p.reject(new Error(`worker ${index} exited (${code})`))
      pending.clear()
      resolve(code)
    })
  })
  return new Promise<WorkerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`worker ${index} (${script.pathname}) not ready within ${readyTimeoutMs} ms`),
      )
    }, readyTimeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`worker ${index} exited (${code}) before it was ready`))
    })
    child.on('message', (raw: unknown) => {
      const message = raw as { type: string } & Partial<Omit<Reply, 'type'>>
      if (message.type === 'ready') {
        clearTimeout(timer)
        resolve({
          index,
          pid: child.pid ?? -1,
          exited,
          kill: (signal = 'SIGKILL') => {
            child.kill(signal)
          },
          call: <T>(command: string, args?: unknown) =>
            new Promise<T>((resolveCall, rejectCall) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                rejectCall(new Error(`worker ${index} has exited`))
                return
              }
              const id = ++sequence
              pending.set(id, { resolve: resolveCall as (v: unknown) => void, reject: rejectCall })
              child.send({ type: 'call', id, command, args })
            }),
        })
        return
      }
      if (message.type !== 'reply' || message.id === undefined) return
      const waiter = pending.get(message.id)
      if (!waiter) return
      pending.delete(message.id)
      if (message.ok) waiter.resolve(message.value)
      else {
        const e = message.error
        const error = new WorkerCallError(`worker ${index}: ${e?.message}`, e?.code)
        if (e?.stack) error.stack = e.stack
        waiter.reject(error)
      }
    })
  })
}

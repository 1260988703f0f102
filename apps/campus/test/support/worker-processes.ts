/**
 * Campus instances in their own Node processes, for tests where several processes share one
 * Redis and one database (bus invalidation of L1). The minimal form of satchel's
 * `test/processes.ts`: the parent forks a script through tsx and drives it with `call(command,
 * args)` over the IPC channel; the script answers with {@link serveCommands}
 * (`worker-host.ts`).
 *
 * @example
 * const [a] = await startWorkers(1, new URL('./worker-campus.ts', import.meta.url), { env })
 * const page = await a.call('request', { path: '/api/content/math' })
 * await stopWorkers([a])
 */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** A forked worker process. */
export interface WorkerProcess {
  readonly index: number
  readonly pid: number
  /** Runs a named command in the worker; rejects with the worker's error message. */
  call<T = unknown>(command: string, args?: unknown): Promise<T>
  kill(signal?: NodeJS.Signals): void
  readonly exited: Promise<number | null>
}

const live = new Set<ChildProcess>()
let exitHookInstalled = false

/** Forks `count` workers running `script` and waits until each has said it is ready. */
export async function startWorkers(
  count: number,
  script: URL,
  options: { env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<WorkerProcess[]> {
  if (!exitHookInstalled) {
    exitHookInstalled = true
    // A failed test must not leave workers (and their connections) behind.
    process.once('exit', () => {
      for (const child of live) child.kill('SIGKILL')
    })
  }
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      startWorker(index, script, options.env ?? {}, options.readyTimeoutMs ?? 30_000),
    ),
  )
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) {
    for (const s of settled) if (s.status === 'fulfilled') s.value.kill()
    throw (failed as PromiseRejectedResult).reason
  }
  return settled.map((s) => (s as PromiseFulfilledResult<WorkerProcess>).value)
}

/** Kills every worker and waits for their exit. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) worker.kill('SIGKILL')
  await Promise.all(workers.map((w) => w.exited))
}

interface Reply {
  type: string
  id?: number
  ok?: boolean
  value?: unknown
  error?: { message: string; stack?: string }
}

function startWorker(
  index: number,
  script: URL,
  env: Record<string, string>,
  readyTimeoutMs: number,
): Promise<WorkerProcess> {
  const child = fork(fileURLToPath(script), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, WORKER_INDEX: String(index) },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  live.add(child)
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let sequence = 0
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child)
      for (const p of pending.values()) p.reject(new Error(`worker ${index} exited (${code})`))
      pending.clear()
      resolve(code)
    })
  })
  const worker: WorkerProcess = {
    index,
    pid: child.pid ?? -1,
    exited,
    kill: (signal = 'SIGKILL') => {
      child.kill(signal)
    },
    call: <T>(command: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`worker ${index} has exited`))
          return
        }
        const id = ++sequence
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        child.send({ type: 'call', id, command, args })
      }),
  }
  return new Promise<WorkerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`worker ${index} not ready within ${readyTimeoutMs} ms`))
    }, readyTimeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`worker ${index} exited (${code}) before it was ready`))
    })
    child.on('message', (raw: unknown) => {
      const message = raw as Reply
      if (message.type === 'ready') {
        clearTimeout(timer)
        resolve(worker)
        return
      }
      if (message.type !== 'reply' || message.id === undefined) return
      const waiter = pending.get(message.id)
      if (!waiter) return
      pending.delete(message.id)
      if (message.ok) waiter.resolve(message.value)
      else {
        const error = new Error(`worker ${index}: ${message.error?.message}`)
        if (message.error?.stack) error.stack = message.error.stack
        waiter.reject(error)
      }
    })
  })
}

type Handler = (args: never) => unknown

/** The worker side: answers the parent's calls with `handlers`, then signals readiness. */
export function serveCommands(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error('serveCommands: not started by startWorkers (no IPC channel)')
  const send = process.send.bind(process)
  process.on(
    'message',
    async (message: { type: string; id: number; command: string; args: never }) => {
      if (message.type !== 'call') return
      try {
        const handler = handlers[message.command]
        if (!handler) throw new Error(`unknown worker command "${message.command}"`)
        send({ type: 'reply', id: message.id, ok: true, value: await handler(message.args) })
      } catch (error) {
        const e = error as { message?: string; stack?: string }
        send({
          type: 'reply',
          id: message.id,
          ok: false,
          error: { message: String(e?.message ?? error), stack: e?.stack },
        })
      }
    },
  )
  // The parent going away (test runner killed) must not leave this process running.
  process.on('disconnect', () => process.exit(0))
  send({ type: 'ready' })
}

/**
 * Test harness for the example app: `next build` on the installed satchel tarball, and
 * `next start` instances on free loopback ports.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { consumerEnv } from '../../../packages/satchel/test/package/pack.js'

const run = promisify(execFile)

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
const NEXT_BIN = join(APP_DIR, '..', '..', 'node_modules', 'next', 'dist', 'bin', 'next')

/** Installs the tarball as the app's satchel and runs `next build`. Returns the build's ms. */
export async function buildApp(tarball: string): Promise<number> {
  const started = performance.now()
  const options = { cwd: APP_DIR, env: consumerEnv(), maxBuffer: 64 * 1024 * 1024 }
  await run(process.execPath, ['scripts/use-built-satchel.mjs', tarball], options)
  try {
    await run(process.execPath, [NEXT_BIN, 'build'], options)
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    throw new Error(`next build failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`)
  }
  return performance.now() - started
}

/** A free TCP port on loopback, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

export interface Instance {
  name: string
  url: string
  process: ChildProcess
  /** What the instance printed, for failure messages. */
  output: () => string
  stop(): Promise<void>
}

/** Starts `next start` and resolves once it answers `/` with 200. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: APP_DIR,
      env: consumerEnv({ ...env, INSTANCE_NAME: name }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  const url = `http://127.0.0.1:${port}`
  const instance: Instance = {
    name,
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const force = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(force)
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${output}`)
    const ok = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) return instance
    if (Date.now() > deadline) {
      await instance.stop()
      throw new Error(`${name} did not answer within 120 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** One page request: status, time, Next's cache header and the page's render fields. */
export async function page(instance: Instance, path: string) {
  const started = performance.now()
  const response = await fetch(instance.url + path, { signal: AbortSignal.timeout(60_000) })
  const html = await response.text()
  const field = (id: string) => html.match(new RegExp(`id="${id}">([^<]*)<`))?.[1]
  return {
    status: response.status,
    ms: performance.now() - started,
    cache: response.headers.get('x-nextjs-cache'),
    render: field('render'),
    instance: field('instance'),
    load: field('load'),
  }
}

export interface CacheStats {
  bus: { received: number; subscribed: boolean } | null
  breaker: { state: string } | null
}

export async function cacheStats(instance: Instance): Promise<CacheStats> {
  const response = await fetch(`${instance.url}/api/cache-stats`, {
    signal: AbortSignal.timeout(30_000),
  })
  return (await response.json()) as CacheStats
}

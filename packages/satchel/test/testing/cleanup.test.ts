import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { waitUntilGone } from './process-helpers.js'

const here = dirname(fileURLToPath(import.meta.url))
const fixture = join(here, 'fixtures', 'start-redis-then.ts')
const packageDir = join(here, '..', '..')

interface ChildRun {
  redisPid: number
  redisDir: string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
  signal(name: NodeJS.Signals): void
}

/** Runs the fixture under tsx and resolves once it has printed its server's pid. */
function runFixture(mode: 'throw' | 'wait' | 'return'): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.once('close', (code, signal) => resolve({ code, signal, stderr })),
  )
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const line = stdout.split('\n')[0]
      if (!stdout.includes('\n') || line === undefined) return
      const { pid, dir } = JSON.parse(line) as { pid: number; dir: string }
      resolve({ redisPid: pid, redisDir: dir, exit, signal: (name) => child.kill(name) })
    })
    void exit.then(({ code, signal }) =>
      reject(new Error(`fixture exited early (${code ?? signal}):\n${stderr}`)),
    )
  })
}

describe('servers do not outlive the test process', () => {
  it('are killed when the process dies of an uncaught exception', async () => {
    const run = await runFixture('throw')
    const { code, stderr } = await run.exit
    expect(code).toBe(1)
    expect(stderr).toContain('uncaught failure after startRedis')
    expect(await waitUntilGone(run.redisPid)).toBe(true)
    expect(existsSync(run.redisDir)).toBe(false)
  })

  it('are killed when the process is terminated by a signal, which still ends it', async () => {
    const run = await runFixture('wait')
    run.signal('SIGTERM')
    const { signal } = await run.exit
    expect(signal).toBe('SIGTERM')
    expect(await waitUntilGone(run.redisPid)).toBe(true)
    expect(existsSync(run.redisDir)).toBe(false)
  })

  it('do not keep the process alive, and are killed when it exits normally', async () => {
    const run = await runFixture('return')
    const printedAt = Date.now()
    const { code } = await run.exit
    expect(code).toBe(0)
    // Nothing left to do after printing: the process should end at once, not after some timer
    // or open handle gives up.
    expect(Date.now() - printedAt).toBeLessThan(1_500)
    expect(await waitUntilGone(run.redisPid)).toBe(true)
    expect(existsSync(run.redisDir)).toBe(false)
  })
})

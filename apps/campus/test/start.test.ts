import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { like } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../src/db/client.js'
import { credentials, enrollments } from '../src/db/schema.js'

const campusDir = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Starts campus the way `npm start` does and resolves with its URL from stdout. */
function startCampus(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: campusDir,
    // A fresh data directory and PGlite, as on a new machine (CI exports DATABASE_URL).
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: '',
      CAMPUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'campus-data-')),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`campus did not start:\n${output}`)), 90_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]!, output: () => output })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`campus exited with ${code}:\n${output}`))
    })
  })
}

// Every campus a test starts is stopped afterwards, even when an assertion failed first:
// SIGTERM, so campus stops its private redis-server on the way out; SIGKILL if it lingers.
const children = new Set<ChildProcess>()
afterEach(async () => {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }),
  )
  children.clear()
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('campus start (as `npm start` runs it)', { timeout: 120_000 }, () => {
  it('starts a private Redis when none is configured, serves /health, and exits cleanly on SIGTERM', async () => {
    const { child, url, output } = await startCampus({ REDIS_URL: '' })
    // Locked down: a unix socket, no TCP port (test/redis/embedded.test.ts checks the rest).
    const started = /started a private redis-server \(pid (\d+)\) on unix socket (\S+)/.exec(
      output(),
    )
    expect(started, output()).not.toBeNull()
    const redisPid = Number(started![1])
    const res = await fetch(`${url}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'healthy',
      mode: 'redis',
      redis: { status: 'up' },
    })
    // A fresh data directory gets the demo set: the index lists its subjects.
    expect(output()).toMatch(/seeded the small demo set/)
    const index = await fetch(`${url}/`)
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('href="/math"')
    // The dashboards are warmed in the background after listening (docs/dashboards.md).
    await waitFor(() => /"msg":"dashboards warmed"/.test(output()), 60_000)
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    // The private Redis does not outlive campus.
    await waitFor(() => !isAlive(redisPid), 10_000)
  })

  it('gives demo accounts (with classes) only to the demo set it seeds, never to another database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'campus-data-'))
    const first = await startCampus({ REDIS_URL: '', CAMPUS_DATA_DIR: dataDir })
    await waitFor(() => /teacher\.school01@campus\.example/.test(first.output()), 60_000)
    first.child.kill('SIGTERM')
    await once(first.child, 'exit')

    const database = await openDatabase({ dataDir: join(dataDir, 'pglite') })
    const demoRows = async () => ({
      credentials: (await database.db.select().from(credentials)).length,
      enrollments: (
        await database.db
          .select()
          .from(enrollments)
          .where(like(enrollments.userSourcedId, 'usr-demo-%'))
      ).length,
    })
    // Each school's demo teacher and student have the school's first two classes.
    expect((await demoRows()).enrollments).toBe(3 * 2 * 2)
    // Now a database with data campus did not seed at this start: no account has a password.
    await database.db.delete(credentials)
    await database.close()

    const second = await startCampus({ REDIS_URL: '', CAMPUS_DATA_DIR: dataDir })
    await waitFor(() => /campus: no demo accounts/.test(second.output()), 60_000)
    second.child.kill('SIGTERM')
    await once(second.child, 'exit')
    const after = await openDatabase({ dataDir: join(dataDir, 'pglite') })
    expect((await after.db.select().from(credentials)).length).toBe(0)
    await after.close()
  })

  it('warns once and runs memory-only when no redis-server is on PATH', async () => {
    const { child, url, output } = await startCampus({
      REDIS_URL: '',
      // An empty PATH directory: no redis-server to find (node itself is started by full path).
      PATH: mkdtempSync(join(tmpdir(), 'campus-no-redis-')),
    })
    // The warning goes to stderr, which may arrive after the "listening" line on stdout.
    await waitFor(() => /memory-only/.test(output()), 5000)
    expect(output().match(/memory-only/g)).toHaveLength(1)
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ mode: 'memory-only' })
    child.kill('SIGTERM')
    await once(child, 'exit')
  })

  it('fails at start with a message naming each bad variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: campusDir,
      env: { ...process.env, PORT: 'eighty', REDIS_URL: 'localhost:6379' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.add(child)
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    const [code] = await once(child, 'exit')
    expect(code).toBe(1)
    expect(stderr).toMatch(/PORT/)
    expect(stderr).toMatch(/REDIS_URL: must start with redis:\/\//)
  })
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CommandOutput, parseSeedArgs, seedCommand } from '../../src/cli/seed.js'
import type { DatabaseHandle } from '../../src/db/client.js'
import { DEFAULT_SEED } from '../../src/seed/generate.js'
import { isDatabaseEmpty, resetDatabase } from '../../src/seed/write.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'

interface Captured extends CommandOutput {
  text(): { stdout: string; stderr: string }
}

function capture(): Captured {
  let stdout = ''
  let stderr = ''
  return {
    stdout: {
      write: (chunk: string) => {
        stdout += chunk
      },
      isTTY: false,
    },
    stderr: {
      write: (chunk: string) => {
        stderr += chunk
      },
    },
    text: () => ({ stdout, stderr }),
  }
}

let database: CampusTestDatabase
// seedCommand closes the database it opened; the suite's database outlives each command.
const useTestDatabase = async (): Promise<DatabaseHandle> => ({
  db: database.db,
  kind: database.kind,
  queryCount: 0,
  close: async () => {},
})

beforeAll(async () => {
  database = await openCampusTestDatabase()
})
afterAll(async () => {
  await database?.close()
})

describe('seedCommand', () => {
  it('seeds an empty database, then refuses without --reset, then accepts --reset', async () => {
    await resetDatabase(database.db)
    const first = capture()
    expect(
      await seedCommand(['--scale', 'small'], {}, first, { openDatabase: useTestDatabase }),
    ).toBe(0)
    expect(first.text().stdout).toMatch(/courses\s+12\n/)
    expect(first.text().stdout).toMatch(/assessmentItems \d+\/\d+\n/)
    expect(first.text().stdout).toMatch(/rows in \d+\.\d s/)
    expect(await isDatabaseEmpty(database.db)).toBe(false)

    const second = capture()
    expect(
      await seedCommand(['--scale', 'small'], {}, second, { openDatabase: useTestDatabase }),
    ).toBe(2)
    expect(second.text().stderr).toMatch(/already has courses/)
    expect(second.text().stderr).toMatch(/--reset/)

    const third = capture()
    const argv = ['--scale', 'small', '--reset', '--seed', '9']
    expect(await seedCommand(argv, {}, third, { openDatabase: useTestDatabase })).toBe(0)
    expect(third.text().stdout).toMatch(/seed 9/)
  })

  it('writes to PGlite under CAMPUS_DATA_DIR when DATABASE_URL is unset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'campus-seed-'))
    try {
      const out = capture()
      expect(await seedCommand([], { CAMPUS_DATA_DIR: dir }, out)).toBe(0)
      expect(out.text().stdout).toContain(`PGlite in ${join(dir, 'pglite')}`)
      const again = capture()
      expect(await seedCommand([], { CAMPUS_DATA_DIR: dir }, again)).toBe(2)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Two embedded-PostgreSQL starts plus a seed: seconds on an idle machine, much longer on a
    // loaded 2-core CI runner, and this test is about where the files go, not how fast.
  }, 180_000)

  it.each([
    [['--scale', 'medium'], /--scale must be one of small, large; got "medium"/],
    [['--seed', 'abc'], /--seed must be an integer from 0 to 4294967295/],
    [['--seed=-1'], /--seed must be an integer/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /Unexpected argument 'extra'|positional/i],
  ])('rejects %j with exit code 2 and names the flag', async (argv, message) => {
    const out = capture()
    const opened: string[] = []
    const code = await seedCommand(argv, {}, out, {
      openDatabase: async () => {
        opened.push('db')
        return useTestDatabase()
      },
    })
    expect(code).toBe(2)
    expect(out.text().stderr).toMatch(message)
    expect(out.text().stderr).toContain('Usage: campus seed')
    expect(opened).toEqual([])
  })

  it('clears campus content cached in the Redis at REDIS_URL after a reseed', async () => {
    const redis = await startRedis()
    const client = new Redis(redis.url)
    try {
      await client.set('campus:o:org-district:oneroster-course-bundle:course-0001', 'old rows')
      await client.set('other-app:key', 'not ours')
      const out = capture()
      const code = await seedCommand(
        ['--scale', 'small', '--reset'],
        { REDIS_URL: redis.url },
        out,
        {
          openDatabase: useTestDatabase,
        },
      )
      expect(code).toBe(0)
      expect(out.text().stdout).toMatch(/Cleared campus’s cached content in Redis/)
      expect(await client.exists('campus:o:org-district:oneroster-course-bundle:course-0001')).toBe(
        0,
      )
      expect(await client.get('other-app:key')).toBe('not ours')
    } finally {
      client.disconnect()
      await redis.stop()
    }
  })

  it('reports a bad environment before touching a database', async () => {
    const out = capture()
    expect(await seedCommand([], { DATABASE_URL: 'mysql://x' }, out)).toBe(2)
    expect(out.text().stderr).toMatch(/DATABASE_URL/)
  })
})

describe('parseSeedArgs', () => {
  it('defaults to the small scale and the default seed', () => {
    expect(parseSeedArgs([])).toEqual({
      scale: 'small',
      seed: DEFAULT_SEED,
      reset: false,
      help: false,
    })
    expect(parseSeedArgs(['--scale', 'large', '--seed', '4294967295', '--reset'])).toMatchObject({
      scale: 'large',
      seed: 4_294_967_295,
      reset: true,
    })
    expect(() => parseSeedArgs(['--seed', '4294967296'])).toThrow(/--seed/)
  })
})

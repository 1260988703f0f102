/**
 * The published package as a new user meets it: the tarball from `npm pack` installed with
 * ioredis into an empty project (from the local npm cache where it can), then
 * (a) a plain `node` script against a real redis-server from the installed satchel/testing,
 * (b) `tsc` on a consumer file under moduleResolution node16 and bundler,
 * (c) publint and @arethetypeswrong/cli on the tarball.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { consumerEnv, run, SATCHEL_DIR } from './pack.js'

const ROOT = join(SATCHEL_DIR, '..', '..')
const bin = (pkg: string, path: string) => join(ROOT, 'node_modules', pkg, path)
/** The workspace's version of a dependency, so npm finds it in its cache. */
const version = (pkg: string): string =>
  JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version

let tarball: string
let project: string

beforeAll(async () => {
  tarball = inject('satchelTarball')
  project = mkdtempSync(join(tmpdir(), 'satchel-consumer-'))
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  )
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarball,
      `ioredis@${version('ioredis')}`,
      // Optional peers whose types satchel/http and satchel/prometheus name.
      `hono@${version('hono')}`,
      `prom-client@${version('prom-client')}`,
      `@types/node@${version('@types/node')}`,
    ],
    { cwd: project, env: consumerEnv(), maxBuffer: 16 * 1024 * 1024 },
  )
})

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

describe('the satchel tarball', () => {
  it('ships dist/ and the published exports, not the sources', () => {
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules', 'satchel', 'package.json'), 'utf8'),
    )
    expect(manifest.exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    })
    for (const entry of ['./http', './next', './prometheus', './testing']) {
      expect(manifest.exports[entry].types).toMatch(/^\.\/dist\/.+\.d\.ts$/)
    }
    expect(manifest.peerDependencies.ioredis).toBeDefined()
    expect(manifest.dependencies.ioredis).toBeUndefined()
    expect(manifest.sideEffects).toBe(false)
  })

  it('(a) runs with plain node: cache, rate limit and lock against a real redis-server', async () => {
    cpSync(
      join(SATCHEL_DIR, 'test', 'package', 'fixtures', 'smoke.mjs'),
      join(project, 'smoke.mjs'),
    )
    const { stdout } = await run(process.execPath, ['smoke.mjs'], {
      cwd: project,
      env: consumerEnv(),
    })
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!)
    expect(seen).toMatchObject({
      first: { id: 7, title: 'Algebra' },
      second: { id: 7, title: 'Algebra' },
      loads: 1,
      decisions: [true, true, false],
      contended: 'E_LOCK_CONTENDED',
      redis: 'up',
    })
    expect(seen.fences[1]).toBeGreaterThan(seen.fences[0])
  })

  it.each(['node16', 'bundler'] as const)(
    '(b) type-checks a consumer under moduleResolution %s',
    async (resolution) => {
      cpSync(
        join(SATCHEL_DIR, 'test', 'package', 'fixtures', 'consumer.ts'),
        join(project, 'consumer.ts'),
      )
      const config = join(project, `tsconfig.${resolution}.json`)
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: resolution === 'node16' ? 'node16' : 'esnext',
            moduleResolution: resolution,
            strict: true,
            noEmit: true,
            // Under node16 the package's own declarations are checked too, not just the
            // consumer's use of them (once is enough: checking every .d.ts costs a minute here).
            skipLibCheck: resolution !== 'node16',
            types: ['node'],
            lib: ['ES2023', 'DOM'],
          },
          files: ['consumer.ts'],
        }),
      )
      const result = await run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', config], {
        cwd: project,
        env: consumerEnv(),
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }))
      expect(result.stdout).toBe('')
    },
  )

  it('(c) passes publint (strict) and arethetypeswrong with no problems', async () => {
    const lint = await run(
      process.execPath,
      [bin('publint', 'src/cli.js'), 'run', tarball, '--strict'],
      {
        env: consumerEnv(),
      },
    )
    expect(lint.stdout).toContain('All good!')
    // ESM only (Node >= 20.19 also require()s it): the CommonJS and node10 resolutions do not apply.
    const types = await run(
      process.execPath,
      [
        bin('@arethetypeswrong/cli', 'dist/index.js'),
        tarball,
        '--profile',
        'esm-only',
        '--format',
        'json',
      ],
      { env: consumerEnv(), maxBuffer: 16 * 1024 * 1024 },
    )
    // attw exits non-zero on any problem the profile counts; the report lists the ignored ones too.
    const report = JSON.parse(types.stdout) as {
      analysis: { problems: { kind: string; entrypoint: string; resolutionKind?: string }[] }
    }
    const counted = report.analysis.problems.filter(
      (p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs',
    )
    expect(counted).toEqual([])
  })
})

/**
 * The production start: `npm run build -w campus` bundles campus (satchel inlined) to
 * dist/main.js, and plain `node` (no tsx, no TypeScript loader) runs it: migrations applied,
 * demo set seeded, /health answered, security headers on, every static asset served (the
 * bundled module reads them beside itself, so the build must have copied them), clean exit on
 * SIGTERM.
 */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ASSETS } from '../../src/web/assets/index.js'

const campusDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

describe('production build', { timeout: 240_000 }, () => {
  it('builds dist/main.js and runs it with plain node', async () => {
    await promisify(execFile)('npm', ['run', 'build'], { cwd: campusDir })
    const bundle = readFileSync(join(campusDir, 'dist', 'main.js'), 'utf8')
    // satchel is inside the bundle, not imported from its TypeScript sources.
    expect(bundle).not.toMatch(/^import .* from ["']satchel/m)
    expect(bundle).not.toMatch(/^import .* from ["'][^"']*\.tsx?["']/m)
    // The dispatch launcher's files, zipped into every dispatch package, travel with the build.
    for (const file of ['launcher.js', 'launcher.css']) {
      expect(existsSync(join(campusDir, 'dist', 'launcher', file)), file).toBe(true)
    }

    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: campusDir,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: '0',
        DATABASE_URL: '',
        REDIS_URL: '',
        CAMPUS_DATA_DIR: mkdtempSync(join(tmpdir(), 'campus-prod-')),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 180_000)
        const onData = (chunk: Buffer): void => {
          output += chunk.toString()
          const match = /listening on (http:\/\/\S+)/.exec(output)
          if (match) {
            clearTimeout(timer)
            resolve(match[1] as string)
          }
        }
        child.stdout.on('data', onData)
        child.stderr.on('data', onData)
        child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
      })
      const health = await fetch(`${url}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ status: 'healthy', redis: { status: 'up' } })
      const index = await fetch(`${url}/`)
      expect(index.status).toBe(200)
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(await index.text()).toContain('href="/math"')
      for (const name of Object.keys(ASSETS)) {
        const asset = await fetch(`${url}/assets/${name}`)
        expect(asset.status, name).toBe(200)
        expect((await asset.text()).length, name).toBeGreaterThan(0)
      }
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'exit')
        child.kill('SIGTERM')
        const [code] = await exited
        expect(code, output).toBe(0)
      }
    }
  })
})

/**
 * Content warnings are bounded per minute: made-up URLs write at most the budget, and the rest
 * are reported as one count.
 */
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app.js'
import { boundWarnings } from '../../src/content/bounded-warnings.js'
import { createCampusDeps } from '../../src/deps.js'
import { startTestCampus } from '../support/campus.js'

type Line = { level: string; fields: object; message: string }

function recorder() {
  const lines: Line[] = []
  const at = (level: string) => (fields: object, message: string) => {
    lines.push({ level, fields, message })
  }
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  }
}

describe('bounded content warnings', () => {
  it('writes at most the budget a minute, then one line with the count', () => {
    let clock = 0
    const { lines, logger } = recorder()
    const bounded = boundWarnings(logger, 3, () => clock)
    for (let i = 0; i < 10; i++) bounded.warn({ i }, 'not found')
    bounded.info({}, 'info passes')
    bounded.error({}, 'errors pass')
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(3)
    expect(lines.filter((l) => l.level !== 'warn')).toHaveLength(2)
    clock = 60_000
    bounded.warn({ i: 10 }, 'not found')
    const warns = lines.filter((l) => l.level === 'warn')
    expect(warns.at(-2)).toEqual({
      level: 'warn',
      fields: { suppressed: 7, windowMs: 60_000 },
      message: 'content warnings suppressed',
    })
    expect(warns.at(-1)).toMatchObject({ fields: { i: 10 } })
  })

  it('60 made-up URLs through the app write at most the budget', { timeout: 120_000 }, async () => {
    const campus = await startTestCampus()
    try {
      const deps = createCampusDeps({
        satchel: campus.satchel,
        database: campus.database,
        logger: campus.deps.logger,
        warningsPerMinute: 20,
      })
      const app = createApp(deps)
      const before = campus.warnings().length
      for (let i = 0; i < 60; i++) {
        const res = await app.request(`/math/made-up-course-${i}`)
        expect(res.status).toBe(404)
      }
      const written = campus.warnings().length - before
      expect(written).toBeGreaterThan(0)
      expect(written).toBeLessThanOrEqual(20)
      deps.content.metrics.detach()
    } finally {
      await campus.close()
    }
  })
})

/**
 * The shipped Prometheus alert rules and Grafana dashboard (docs/ops/): well-formed, checked by
 * `promtool` (rules and their unit tests) when Debian's `prometheus` package is installed, and
 * naming only metrics that a running campus actually exposes at /metrics.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startTestCampus, type TestCampus } from '../support/campus.js'

const OPS = fileURLToPath(new URL('../../../../docs/ops/', import.meta.url))
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p))

interface Rule {
  alert: string
  expr: string
  for?: string
  labels: { severity: string }
  annotations: { summary: string; description: string }
}
interface Panel {
  id: number
  title: string
  gridPos: { h: number; w: number; x: number; y: number }
  targets: { refId: string; expr: string }[]
}

const rules = (): Rule[] =>
  (
    parse(readFileSync(`${OPS}alerts.yml`, 'utf8')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((g) => g.rules)
const dashboard = () =>
  JSON.parse(readFileSync(`${OPS}grafana-dashboard.json`, 'utf8')) as {
    uid: string
    panels: Panel[]
  }

/** Metric names an expression reads, without histogram suffixes. */
function metricNames(expr: string): string[] {
  const names = expr.match(/\b(?:campus|satchel)_[a-z0-9_]+/g) ?? []
  return names.map((n) => n.replace(/_(bucket|count|sum)$/, ''))
}

describe('docs/ops', () => {
  it('alert rules: each has an expression, a severity and a summary; names are unique', () => {
    const all = rules()
    expect(all.length).toBeGreaterThanOrEqual(10)
    for (const rule of all) {
      expect(rule.alert).toMatch(/^Campus[A-Za-z]+$/)
      expect(rule.expr.trim()).not.toBe('')
      expect(['page', 'ticket']).toContain(rule.labels.severity)
      expect(rule.annotations.summary).not.toBe('')
    }
    expect(new Set(all.map((r) => r.alert)).size).toBe(all.length)
  })

  it('dashboard: panels with unique ids, queries and a place on the grid', () => {
    const { uid, panels } = dashboard()
    expect(uid).toBe('campus-ops')
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length)
    for (const panel of panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0)
      for (const t of panel.targets) expect(metricNames(t.expr).length, t.expr).toBeGreaterThan(0)
      expect(panel.gridPos.w).toBeGreaterThan(0)
    }
  })

  it.skipIf(!PROMTOOL)(
    `promtool checks the rules and runs their unit tests${PROMTOOL ? '' : ' (skipped: promtool is not installed; apt-get install prometheus)'}`,
    () => {
      const run = (...args: string[]) =>
        execFileSync(PROMTOOL ?? 'promtool', args, { cwd: OPS, encoding: 'utf8' })
      expect(run('check', 'rules', 'alerts.yml')).toContain('SUCCESS')
      expect(run('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS')
    },
  )

  describe('against a running campus', () => {
    let redis: RedisServer
    let campus: TestCampus
    beforeAll(async () => {
      redis = await startRedis()
      campus = await startTestCampus({ redisUrl: redis.url })
    })
    afterAll(async () => {
      await campus?.close()
      await redis?.stop()
    })

    it('every metric the rules and the dashboard read is exposed at /metrics', async () => {
      await campus.app.request('/math')
      const text = await (await campus.app.request('/metrics')).text()
      const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]))
      const wanted = new Set([
        ...rules().flatMap((r) => metricNames(r.expr)),
        ...dashboard().panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr))),
      ])
      const missing = [...wanted].filter((name) => !exposed.has(name))
      expect(missing).toEqual([])
    })
  })
})

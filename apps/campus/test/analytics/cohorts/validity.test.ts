/**
 * What the pages claim about a distribution: the validity statement for a skewed and for a
 * ceiling-heavy cohort (median first, no bell), a bell only for a normal-looking one; the
 * comparison page's numbers are the statistics module's own; which attempt counts per learner.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hedgesG, summarize, welchTTest } from '../../../src/analytics/stats/index.js'
import { send } from '../../auth/support.js'
import { startTestCampus, type TestCampus } from '../../support/campus.js'
import { cookieFor, QUIZ_CLASSES, SCHOOL, TODDLE_CLASS, writeCohortFixture } from './fixture.js'

let campus: TestCampus
let admin = ''

beforeAll(async () => {
  campus = await startTestCampus()
  const fx = await writeCohortFixture(campus)
  admin = await cookieFor(campus, fx.schoolAdmin, SCHOOL, 'administrator')
}, 180_000)
afterAll(async () => {
  await campus?.close()
})

interface Stats {
  summary: { n: number; mean: number; median: number }
  validity: { leadWith: string; showBell: boolean; plot: string; notes: { code: string }[] }
  normal: unknown
  histogram: unknown
  density: unknown
}
interface Report {
  state: string
  n: number
  stats: Stats
}

async function get(path: string) {
  const res = await send(campus.app, path, {}, { cookie: admin })
  expect(res.status, path).toBe(200)
  return res
}
const api = async (path: string) => (await (await get(`/api${path}`)).json()) as Report
const page = async (path: string) => (await get(path)).text()
const codes = (r: Report) => r.stats.validity.notes.map((n) => n.code)

describe('validity statements', { timeout: 60_000 }, () => {
  it('leads a skewed cohort with the median and draws no bell', async () => {
    const report = await api('/cohorts?scope=class&id=coh-skewed&score=quiz')
    expect(codes(report)).toContain('normality-rejected')
    expect(report.stats.validity).toMatchObject({ leadWith: 'median', showBell: false })
    expect(report.stats.normal).toBeNull()
    const html = await page('/cohorts?scope=class&id=coh-skewed&score=quiz')
    expect(html).toContain('data-note="normality-rejected"')
    expect(html).toContain('data-lead="median"')
    expect(html).toContain('Read the median and the interquartile range first')
    // Median leads the summary table.
    expect(html.indexOf('>Median<')).toBeLessThan(html.indexOf('>Mean<'))
  })

  it('says a ceiling-heavy cohort is bounded and piled at the top', async () => {
    const report = await api('/cohorts?scope=class&id=coh-ceiling&score=quiz')
    expect(codes(report)).toEqual(expect.arrayContaining(['bounded-scale', 'ceiling']))
    expect(report.stats.validity).toMatchObject({ leadWith: 'median', showBell: false })
    const html = await page('/cohorts?scope=class&id=coh-ceiling&score=quiz')
    expect(html).toContain('data-note="ceiling"')
    expect(html).toContain('a ceiling effect')
    expect(html).toContain('data-note="bounded-scale"')
  })

  it('fits a bell only to a normal-looking cohort, still noting the bounded scale', async () => {
    const report = await api('/cohorts?scope=class&id=coh-normal-a&score=quiz')
    expect(codes(report)).toEqual(['bounded-scale'])
    expect(report.stats.validity).toMatchObject({ leadWith: 'mean', showBell: true })
    expect(report.stats.normal).not.toBeNull()
    // The density is a density (area 1): the chart scales it by n × bin width onto the counts,
    // where its peak sits near the tallest bar.
    const h = report.stats.histogram as { binWidth: number; counts: number[] }
    const density = report.stats.density as { y: number[] }
    const peak = Math.max(...density.y) * report.n * h.binWidth
    expect(peak / Math.max(...h.counts)).toBeGreaterThan(0.5)
    expect(peak / Math.max(...h.counts)).toBeLessThan(2)
    const html = await page('/cohorts?scope=class&id=coh-normal-a&score=quiz')
    expect(html).toContain('data-lead="mean"')
    expect(html.indexOf('>Mean<')).toBeLessThan(html.indexOf('>Median<'))
  })

  it('says a small cohort is small and plots its scores individually', async () => {
    const db = campus.database.db
    // 12 scores: above a threshold of 5, below the 20 a histogram needs.
    await db.execute(sql`update orgs set min_cohort_size = 5 where sourced_id = ${SCHOOL}`)
    try {
      const path = `/cohorts?scope=class&id=${TODDLE_CLASS}&score=toddle`
      const report = await api(path)
      expect(report.n).toBe(12)
      expect(codes(report)).toContain('small-sample')
      expect(report.stats.validity).toMatchObject({ leadWith: 'median', plot: 'strip' })
      expect(report.stats.histogram).toBeNull()
      expect(await page(path)).toContain('data-note="small-sample"')
    } finally {
      await db.execute(sql`update orgs set min_cohort_size = null where sourced_id = ${SCHOOL}`)
    }
  })

  it('reads IXL levels per learner for a grade', async () => {
    const report = await api('/cohorts?scope=grade&id=07&score=ixl&subject=math')
    expect(report.n).toBe(55)
    const levels = [
      ...QUIZ_CLASSES['coh-normal-a'].scores,
      ...QUIZ_CLASSES['coh-normal-b'].scores,
    ].map((s) => Math.round(s * 10))
    expect(report.stats.summary.mean).toBeCloseTo(summarize(levels)?.mean ?? Number.NaN, 9)
  })
})

describe('comparison', { timeout: 60_000 }, () => {
  const a = [...QUIZ_CLASSES['coh-normal-a'].scores]
  const b = [...QUIZ_CLASSES['coh-normal-b'].scores]

  it("equals the statistics module's Welch test and Hedges' g", async () => {
    const path = '/cohorts/compare?a=class:coh-normal-a&b=class:coh-normal-b&score=quiz'
    const body = (await (await get(`/api${path}`)).json()) as {
      welch: ReturnType<typeof welchTTest>
      hedges: ReturnType<typeof hedgesG>
      reason: string | null
    }
    const welch = welchTTest(a, b)
    const hedges = hedgesG(a, b)
    expect(body.reason).toBeNull()
    for (const field of ['t', 'df', 'p', 'meanDiff'] as const) {
      expect(body.welch[field]).toBeCloseTo(welch[field], 10)
    }
    expect(body.welch.diffCi95[0]).toBeCloseTo(welch.diffCi95[0], 10)
    expect(body.hedges.g).toBeCloseTo(hedges.g, 10)
    expect(body.hedges.ci95[1]).toBeCloseTo(hedges.ci95[1], 10)
    const html = await page(path)
    expect(html).toContain(`t = ${welch.t.toFixed(3)}, df = ${welch.df.toFixed(2)}`)
    expect(html).toContain(`${hedges.g.toFixed(3)} (95 % CI ${hedges.ci95[0].toFixed(3)}`)
  })

  it('shows no test when one side is suppressed', async () => {
    const path = '/cohorts/compare?a=class:coh-normal-a&b=class:coh-small&score=quiz'
    const body = (await (await get(`/api${path}`)).json()) as {
      welch: unknown
      hedges: unknown
      reason: string
      b: { state: string; n: number | null }
    }
    expect(body).toMatchObject({ welch: null, hedges: null, b: { state: 'suppressed', n: null } })
    expect(body.reason).toContain('fewer than 10')
    const html = await page(path)
    expect(html).toContain('data-state="no-comparison"')
    expect(html).not.toContain("Welch's t-test")
  })
})

describe('which score counts per learner', { timeout: 60_000 }, () => {
  it('takes the latest attempt by default and the best with pick=best', async () => {
    const scores = [...QUIZ_CLASSES['coh-normal-a'].scores]
    const latest = await api('/cohorts?scope=class&id=coh-normal-a&score=quiz')
    expect(latest.stats.summary.mean).toBeCloseTo(summarize(scores)?.mean ?? Number.NaN, 9)
    // The first learner's earlier attempt was 99; everyone else improved.
    const best = await api('/cohorts?scope=class&id=coh-normal-a&score=quiz&pick=best')
    const bestScores = [99, ...scores.slice(1)]
    expect(best.stats.summary.mean).toBeCloseTo(summarize(bestScores)?.mean ?? Number.NaN, 9)
  })
})

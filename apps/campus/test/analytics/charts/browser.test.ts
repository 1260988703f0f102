/**
 * Every chart kind on a campus page, served with campus's real security headers, in headless
 * Chromium: each SVG has a size, its text the size ECharts asked for, and the page raises no
 * Content-Security-Policy violation. A control page with ECharts' uncleaned SVG proves the
 * violation detector works. A screenshot goes to the system temp dir (not committed).
 */
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { init } from 'echarts/core'
import { Hono } from 'hono'
import { html, raw } from 'hono/html'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChartFigure } from '../../../src/analytics/charts/index.js'
import { securityHeaders } from '../../../src/security/headers.js'
import { Layout } from '../../../src/web/layout.js'
import { allCharts } from './fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
export const SCREENSHOT = join(tmpdir(), 'campus-charts.png')

function page(title: string, body: ReturnType<typeof html>): string {
  return `<!DOCTYPE html>${Layout({ title, children: body })}`
}

function chartsApp(): Hono {
  const app = new Hono()
  app.use(securityHeaders())
  app.get('/charts', (c) => {
    const figures = Object.values(allCharts()).map((chart) => ChartFigure({ chart }))
    return c.html(page('Charts', html`<h1>Charts</h1>${figures}`))
  })
  app.get('/control', (c) => {
    // ECharts' own SSR output, with its style attributes and <style> element.
    const chart = init(null, null, { renderer: 'svg', ssr: true, width: 300, height: 200 })
    chart.setOption({
      animation: false,
      xAxis: { type: 'category', data: ['a', 'b'] },
      yAxis: {},
      series: [{ type: 'bar', data: [1, 2] }],
    })
    const svg = chart.renderToSVGString()
    chart.dispose()
    return c.html(page('Control', html`<h1>Control</h1>${raw(svg)}`))
  })
  return app
}

function listen(app: Hono): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ server, url: `http://127.0.0.1:${(info as AddressInfo).port}` })
    })
  })
}

/** Opens `path`, collecting CSP violations from the console and securitypolicyviolation events. */
async function open(browser: Browser, url: string): Promise<{ page: Page; violations: string[] }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } })
  const p = await context.newPage()
  p.setDefaultTimeout(10_000)
  const violations: string[] = []
  p.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  await p.exposeFunction('reportCspViolation', (text: string) => violations.push(text))
  // A string: this file is type-checked without the DOM library.
  await p.addInitScript(`document.addEventListener('securitypolicyviolation', (event) => {
    window.reportCspViolation(event.violatedDirective + ' ' + event.blockedURI)
  })`)
  await p.goto(url, { waitUntil: 'load' })
  return { page: p, violations }
}

describe('charts in Chromium under the CSP', () => {
  let server: ServerType | undefined
  let baseUrl = ''
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!hasChromium) return
    ;({ server, url: baseUrl } = await listen(chartsApp()))
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    })
  })

  afterAll(async () => {
    await browser?.close()
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()))
  })

  it.skipIf(!hasChromium)('every chart displays with a size and no CSP violation', async () => {
    const { page: p, violations } = await open(browser!, `${baseUrl}/charts`)
    const svgs = p.locator('figure.chart > svg')
    expect(await svgs.count()).toBe(5)
    for (let i = 0; i < 5; i++) {
      const box = await svgs.nth(i).boundingBox()
      expect(box!.width).toBeGreaterThan(100)
      expect(box!.height).toBeGreaterThan(100)
      expect(await svgs.nth(i).getAttribute('role')).toBe('img')
    }
    // The accessible name comes from <title> via aria-labelledby.
    await expect.poll(() => p.getByRole('img', { name: 'Learners per class' }).count()).toBe(1)
    // Text has ECharts' 12px from the presentation attribute (a refused style would give 16px).
    const sizes = (await p.evaluate(
      `[...document.querySelectorAll('figure.chart svg text')].map((t) => getComputedStyle(t).fontSize)`,
    )) as string[]
    expect(sizes.length).toBeGreaterThan(20)
    expect(new Set(sizes)).toEqual(new Set(['12px']))
    // The data tables are there behind their disclosures.
    expect(await p.locator('details > summary', { hasText: 'Data table' }).count()).toBe(5)
    await p.screenshot({ path: SCREENSHOT, fullPage: true })
    expect(violations).toEqual([])
    await p.context().close()
  })

  it.skipIf(!hasChromium)('control: uncleaned ECharts SVG is reported as a violation', async () => {
    const { page: p, violations } = await open(browser!, `${baseUrl}/control`)
    await expect.poll(() => violations.length).toBeGreaterThan(0)
    await p.context().close()
  })
})

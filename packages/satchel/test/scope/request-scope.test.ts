import { setImmediate as tick } from 'node:timers/promises'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { RequestScope, requestScope } from '../../src/scope/index.js'
import { sleep } from '../helpers.js'

describe('request scope: one load per key per request', () => {
  it('loads a key once per request under concurrency, across timers and awaits', async () => {
    let loads = 0
    const loader = async () => {
      loads++
      await sleep(5)
      return { id: 7 }
    }
    const values = await requestScope.run(async () => {
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await sleep(i % 3) // interleave callers across timer phases
          return requestScope.memo('org:7', loader)
        }),
      )
      const later = await new Promise((resolve) =>
        setTimeout(() => resolve(requestScope.memo('org:7', loader)), 10),
      )
      await tick()
      const afterImmediate = await requestScope.memo('org:7', loader)
      return [...concurrent, later, afterImmediate]
    })
    expect(loads).toBe(1)
    expect(new Set(values).size).toBe(1) // the very same object
  })

  it('separate requests do not share, even when they overlap', async () => {
    let loads = 0
    const loader = async () => {
      await sleep(5)
      return ++loads
    }
    const [a, b] = await Promise.all([
      requestScope.run(async () => [
        await requestScope.memo('k', loader),
        await requestScope.memo('k', loader),
      ]),
      requestScope.run(async () => [
        await requestScope.memo('k', loader),
        await requestScope.memo('k', loader),
      ]),
    ])
    expect(loads).toBe(2)
    expect(a?.[0]).toBe(a?.[1])
    expect(b?.[0]).toBe(b?.[1])
    expect(a?.[0]).not.toBe(b?.[0])
  })

  it('a nested run is a fresh scope, and the outer scope is back after it', async () => {
    let loads = 0
    const loader = () => ++loads
    await requestScope.run(async () => {
      expect(await requestScope.memo('k', loader)).toBe(1)
      const inner = await requestScope.run(async () => {
        await sleep(1)
        return requestScope.memo('k', loader)
      })
      expect(inner).toBe(2)
      await sleep(1)
      expect(await requestScope.memo('k', loader)).toBe(1)
    })
    expect(loads).toBe(2)
  })

  it('a rejected load is shared by its concurrent callers but not kept', async () => {
    let calls = 0
    const flaky = async () => {
      calls++
      await sleep(2)
      if (calls === 1) throw new Error('db blip')
      return 'ok'
    }
    await requestScope.run(async () => {
      const first = await Promise.allSettled([
        requestScope.memo('k', flaky),
        requestScope.memo('k', flaky),
      ])
      expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected'])
      expect(calls).toBe(1)
      expect(await requestScope.memo('k', flaky)).toBe('ok')
      expect(await requestScope.memo('k', flaky)).toBe('ok')
      expect(calls).toBe(2)
    })
  })

  it('a loader that throws synchronously rejects instead of throwing', async () => {
    await requestScope.run(async () => {
      const p = requestScope.memo('k', () => {
        throw new Error('sync')
      })
      await expect(p).rejects.toThrow('sync')
    })
  })

  it('outside a scope, memo just calls the loader every time', async () => {
    let loads = 0
    expect(requestScope.active).toBe(false)
    expect(await requestScope.memo('k', () => ++loads)).toBe(1)
    expect(await requestScope.memo('k', () => ++loads)).toBe(2)
  })

  it('forget drops one key so the next memo loads again', async () => {
    let loads = 0
    await requestScope.run(async () => {
      expect(requestScope.active).toBe(true)
      await requestScope.memo('k', () => ++loads)
      requestScope.forget('k')
      expect(await requestScope.memo('k', () => ++loads)).toBe(2)
    })
  })

  it('separate RequestScope instances are independent', async () => {
    const other = new RequestScope()
    await requestScope.run(async () => {
      expect(other.active).toBe(false)
      expect(requestScope.active).toBe(true)
    })
  })

  it('works as Hono middleware: one load per request, none shared between requests', async () => {
    let loads = 0
    const loadOrg = (id: string) =>
      requestScope.memo(`org:${id}`, async () => {
        const load = ++loads
        await sleep(2)
        return { id, load }
      })
    const app = new Hono()
    app.use('*', (_c, next) => requestScope.run(() => next()))
    app.use('*', async (c, next) => {
      c.header('x-org-load', String((await loadOrg('7')).load))
      await next()
    })
    app.get('/', async (c) => {
      const [a, b] = await Promise.all([loadOrg('7'), loadOrg('7')])
      return c.json({ same: a === b, load: a.load })
    })
    const responses = await Promise.all([app.request('/'), app.request('/')])
    const bodies = await Promise.all(
      responses.map((r) => r.json() as Promise<{ same: boolean; load: number }>),
    )
    expect(loads).toBe(2)
    expect(bodies.every((b) => b.same)).toBe(true)
    expect(new Set(bodies.map((b) => b.load))).toEqual(new Set([1, 2]))
    for (const [i, r] of responses.entries())
      expect(r.headers.get('x-org-load')).toBe(String(bodies[i]?.load))
  })
})

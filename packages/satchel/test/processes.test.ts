import { afterEach, describe, expect, it } from 'vitest'
import {
  startWorkers,
  stopWorkers,
  WorkerCallError,
  type WorkerProcess,
} from '../src/testing/index.js'

const ECHO = new URL('./workers/echo-worker.ts', import.meta.url)

describe('multi-process test harness', () => {
  let workers: WorkerProcess[] = []
  afterEach(async () => {
    await stopWorkers(workers)
    workers = []
  })

  it('runs commands in separate processes and returns structured values', async () => {
    workers = await startWorkers(2, ECHO)
    expect(new Set(workers.map((w) => w.pid)).size).toBe(2)
    const replies = await Promise.all(
      workers.map((w) =>
        w.call<{ value: Map<string, Date>; index: string }>('echo', {
          value: new Map([['at', new Date(5)]]),
        }),
      ),
    )
    expect(replies.map((r) => r.index)).toEqual(['0', '1'])
    expect(replies[0]?.value.get('at')?.getTime()).toBe(5)
  })

  it('carries the worker error code, and a killed worker rejects pending calls', async () => {
    workers = await startWorkers(1, ECHO)
    const worker = workers[0] as WorkerProcess
    const failure = await worker.call('fail').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(WorkerCallError)
    expect((failure as WorkerCallError).code).toBe('E_TEST')
    const hanging = worker.call('hang')
    worker.kill('SIGKILL')
    await expect(hanging).rejects.toThrow(/exited/)
    expect(await worker.exited).toBeNull()
  })
})

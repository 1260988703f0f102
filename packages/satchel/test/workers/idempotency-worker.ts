/**
 * A campus-like process for the multi-process idempotency test: one satchel, one guarded
 * handler that counts its runs in Redis (so the parent sees the total over every process).
 */
import { idempotency } from '../../src/http/idempotency.js'
import { createSatchel } from '../../src/index.js'
import { serveCommands } from '../../src/testing/index.js'

const satchel = createSatchel({
  redis: process.env.REDIS_URL,
  prefix: process.env.PREFIX ?? 'mp',
  timeouts: { commandMs: 2000, connectMs: 2000 },
})
const idem = satchel.idempotency({ lease: Number(process.env.LEASE_MS ?? 30_000) })
const guard = idempotency(idem, {
  identify: () => ({ orgId: 'org-1', principal: 'admin-1' }),
  required: true,
})
const RUNS_KEY = 'test:idempotency:runs'

interface Reply {
  status: number
  replayed: boolean
  body: string
}

async function send(args: { key: string; holdMs: number; count: number }): Promise<Reply[]> {
  const one = async (): Promise<Reply> => {
    const request = new Request('http://campus.test/api/admin/approve', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': args.key },
      body: JSON.stringify({ requestId: 42 }),
    })
    const response = await guard(request, async () => {
      const run = await satchel.redis.exec('runs', (r) => r.incr(RUNS_KEY))
      await new Promise((r) => setTimeout(r, args.holdMs))
      return Response.json({ approvedBy: process.env.WORKER_INDEX, run }, { status: 201 })
    })
    return {
      status: response.status,
      replayed: response.headers.get('idempotent-replayed') === 'true',
      body: await response.text(),
    }
  }
  return Promise.all(Array.from({ length: args.count }, one))
}

await satchel.connect()
serveCommands({
  send,
  // Starts a request whose handler never finishes: the parent kills this process mid-run.
  hang: (args: { key: string }) => {
    void send({ key: args.key, holdMs: 3_600_000, count: 1 })
    return new Promise<void>((resolve) => {
      const timer = setInterval(async () => {
        const runs = await satchel.redis.exec('runs', (r) => r.get(RUNS_KEY))
        if (runs !== null) {
          clearInterval(timer)
          resolve()
        }
      }, 5)
    })
  },
})

import { ipIdentifier } from 'satchel'
import { rateLimit } from 'satchel/http'
import { sharedSatchel } from 'satchel/next'
import { satchelOptions } from '@/lib/satchel-options.mjs'

// A route handler guarded by satchel/http's rate limit: IETF RateLimit headers, and a 429
// problem+json once an address has used its quota. With Redis down the limiter fails open.
const satchel = sharedSatchel(satchelOptions)
const enrollLimiter = satchel.rateLimiter({
  name: 'enroll',
  algorithm: 'sliding-window',
  limit: Number(process.env.ENROLL_LIMIT ?? 5),
  window: '1m',
  failurePolicy: 'open',
})
const limitEnroll = rateLimit(enrollLimiter, {
  identify: (request) => ipIdentifier(request.headers.get('x-forwarded-for')?.split(',')[0]),
})

export async function POST(request: Request): Promise<Response> {
  return limitEnroll(request, async () => Response.json({ enrolled: true }, { status: 201 }))
}

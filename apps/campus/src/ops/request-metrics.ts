/**
 * Per-route HTTP metrics: a latency histogram and an error counter labelled by the matched route
 * pattern (`/api/admin/login-link-requests/:id/approve`, never the raw path, so label
 * cardinality stays bounded), and rate-limit denials labelled by the policy the 429 names.
 * docs/ops/alerts.yml and docs/ops/grafana-dashboard.json read these names.
 *
 * @module
 */
import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { Counter, Histogram, type Registry } from 'prom-client'

/** The HTTP metrics the request middleware records. */
export interface RequestMetrics {
  /** `campus_http_request_duration_seconds{method,route,status_class}`. */
  duration: Histogram<'method' | 'route' | 'status_class'>
  /** `campus_http_errors_total{method,route,status}`: responses with status ≥ 500. */
  errors: Counter<'method' | 'route' | 'status'>
  /** `campus_rate_limit_denials_total{policy,route}`: 429 answers. */
  rateLimitDenials: Counter<'policy' | 'route'>
}

/** Buckets from 1 ms to 10 s: cached pages answer in milliseconds, cold bundles in hundreds. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Registers the HTTP metrics on `registry`. */
export function createRequestMetrics(registry: Registry): RequestMetrics {
  return {
    duration: new Histogram({
      name: 'campus_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, matched route pattern and status class.',
      labelNames: ['method', 'route', 'status_class'] as const,
      buckets: BUCKETS,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'campus_http_errors_total',
      help: 'HTTP responses with a 5xx status (or a thrown handler), by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    rateLimitDenials: new Counter({
      name: 'campus_rate_limit_denials_total',
      help: 'Requests refused with 429 by a rate limit, by policy (from RateLimit-Policy) and route pattern.',
      labelNames: ['policy', 'route'] as const,
      registers: [registry],
    }),
  }
}

/** The route label: the pattern that answered, or `unmatched` when only the catch-all ran. */
export function routeLabel(pattern: string): string {
  return pattern === '*' || pattern === '/*' || pattern === '' ? 'unmatched' : pattern
}

/** HTTP methods kept as labels; anything else is `OTHER` (a client can send any token). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The policy name of a 429 answer: the first quoted name in `RateLimit-Policy`
 * (`"auth-login";q=10;w=60`), or `unknown` when the limiter set no header.
 */
export function deniedPolicy(header: string | null): string {
  const match = /^\s*"([^"]{1,64})"/.exec(header ?? '')
  return match?.[1] ?? 'unknown'
}

/**
 * Hono middleware timing every request. Mount it first (`app.use('*', …)`), so it sees the
 * final status, including answers of `onError` and of middleware that refused the request.
 */
export function requestMetricsMiddleware(metrics: RequestMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    let thrown = false
    try {
      await next()
    } catch (error) {
      thrown = true
      throw error
    } finally {
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER'
      // After next() the route index is the deepest handler that ran: the one that answered.
      const route = routeLabel(routePath(c))
      const status = thrown ? 500 : c.res.status
      metrics.duration.observe(
        { method, route, status_class: `${Math.floor(status / 100)}xx` },
        (performance.now() - started) / 1000,
      )
      if (status >= 500) metrics.errors.inc({ method, route, status: String(status) })
      if (status === 429) {
        metrics.rateLimitDenials.inc({
          policy: deniedPolicy(c.res.headers.get('ratelimit-policy')),
          route,
        })
      }
    }
  }
}

/**
 * Helpers for sign-in tests: requests from a given client address (the node-server socket the
 * app reads through `getConnInfo`), JSON and same-origin form posts, and cookie handling.
 *
 * @module
 */
import type { Hono } from 'hono'
import { DEMO_PASSWORD } from '../../src/seed/accounts.js'

/** The origin `app.request()` URLs resolve against. */
export const ORIGIN = 'http://localhost'

/** Demo accounts of the small set (seed/accounts.ts). */
export const ACCOUNTS = {
  operator: 'admin@campus.example',
  admin: 'admin.school01@campus.example',
  teacher: 'teacher.school01@campus.example',
  student: 'student.school01@campus.example',
  otherStudent: 'student.school02@campus.example',
} as const

export { DEMO_PASSWORD }

/** Request options of the helpers. */
export interface As {
  /** The socket address the request comes from. @default '198.51.100.7' */
  ip?: string
  /** The `Cookie` header value (`campus_session=…`). */
  cookie?: string | undefined
  headers?: Record<string, string>
}

function env(ip: string) {
  return { incoming: { socket: { remoteAddress: ip } } }
}

/** A request from `as.ip`. */
export function send(app: Hono, path: string, init: RequestInit = {}, as: As = {}) {
  const headers = new Headers(init.headers)
  if (as.cookie) headers.set('cookie', as.cookie)
  for (const [k, v] of Object.entries(as.headers ?? {})) headers.set(k, v)
  return app.request(path, { ...init, headers }, env(as.ip ?? '198.51.100.7'))
}

/** POST a JSON body. */
export function postJson(app: Hono, path: string, body: unknown, as: As = {}) {
  return send(
    app,
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    as,
  )
}

/** POST without a body, from this origin (a browser's `fetch` sends `Origin`). */
export function postEmpty(app: Hono, path: string, as: As = {}) {
  return send(app, path, { method: 'POST', headers: { origin: ORIGIN } }, as)
}

/** POST a form as a same-origin browser would (with `Origin`). */
export function postForm(app: Hono, path: string, fields: Record<string, string>, as: As = {}) {
  return send(
    app,
    path,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
      body: new URLSearchParams(fields).toString(),
    },
    as,
  )
}

/** The `campus_session=…` pair a response set, or undefined. */
export function sessionCookie(res: Response): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? ''
    if (pair.startsWith('campus_session=') && pair !== 'campus_session=') return pair
  }
  return undefined
}

/** Signs in through the API and returns the cookie. */
export async function signIn(app: Hono, email: string, as: As = {}): Promise<string> {
  const res = await postJson(app, '/api/auth/login', { email, password: DEMO_PASSWORD }, as)
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status}`)
  const cookie = sessionCookie(res)
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

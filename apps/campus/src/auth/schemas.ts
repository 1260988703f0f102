/**
 * Input schemas of every sign-in form and API. Failures become 400 problem+json listing the
 * fields (auth/errors.ts); the pages show the same messages next to the fields.
 *
 * @module
 */
import { z } from 'zod'

const email = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, 'is too long')
  .pipe(z.email({ error: 'must be an email address' }))

/** scrypt's work grows with the input; cap it so a megabyte "password" costs nothing extra. */
const anyPassword = z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is too long')

/** A password being set. */
const newPassword = z
  .string({ error: 'is required' })
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters')

const token = z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is too long')

const name = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')

/** `POST /api/auth/login`, `POST /login`. */
export const loginSchema = z.object({ email, password: anyPassword })

/** `POST /api/auth/magic/request`, `POST /login/magic`. */
export const magicRequestSchema = z.object({ email })

/** `POST /api/auth/magic/redeem`, `POST /auth/link`. */
export const redeemSchema = z.object({ token })

/** `POST /api/auth/onboarding`, `POST /auth/onboarding`. */
export const onboardingSchema = z
  .object({
    /** The invitation; absent when a signed-in user without a password onboards. */
    token: token.optional(),
    password: newPassword,
    /** Pages ask twice; the API may omit it. */
    confirmPassword: z.string().max(200).optional(),
    givenName: name,
    familyName: name,
    preferredFirstName: z
      .string()
      .trim()
      .max(100, 'must be at most 100 characters')
      .optional()
      .transform((v) => (v ? v : undefined)),
  })
  .refine((v) => v.confirmPassword === undefined || v.confirmPassword === v.password, {
    path: ['confirmPassword'],
    message: 'does not match the password',
  })

/**
 * Where to go after signing in: a local path only (`/x`, not `//evil.example` or a URL), so
 * the login form cannot be used as an open redirect.
 */
export function safeNext(next: string | undefined, fallback = '/account'): string {
  if (next === undefined || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return fallback
  }
  return next.length > 2000 ? fallback : next
}

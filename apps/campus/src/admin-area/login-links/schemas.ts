/**
 * Input of the login-link request endpoints, validated with zod (field-level 400s).
 *
 * @module
 */
import { z } from 'zod'

/** Longest note a requester may leave for the administrators. */
export const MESSAGE_MAX = 1000

/** `POST /api/login-link-requests` (JSON or a form). */
export const loginLinkRequestBody = z.strictObject({
  orgId: z.string().trim().min(1, 'choose your school').max(200),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address')),
  message: z.string().trim().max(MESSAGE_MAX).optional().default(''),
})

/** The validated request. */
export type LoginLinkRequestInput = z.infer<typeof loginLinkRequestBody>

/** The `:id` of a decision: a UUID (anything else names no request, so 404). */
export const requestId = z.uuid()

/** `GET /api/admin/login-link-requests` query. */
export const listQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected', 'all']).optional().default('pending'),
  orgId: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional().default(50),
})

/** `?orgId=` of the count and the live stream (operators name the org; admins get theirs). */
export const orgQuery = z.strictObject({
  orgId: z.string().trim().min(1).max(200).optional(),
})

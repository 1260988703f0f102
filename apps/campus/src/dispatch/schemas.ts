/**
 * Input of tenants, dispatches and launches, validated with zod. Admin forms and the
 * JSON API share these schemas; {@link tenantFormInput} and {@link dispatchFormInput} turn a
 * form body into the API's shape first (empty field → null, a checkbox → boolean, domains one
 * per line), so both report the same field names.
 *
 * @module
 */
import { z } from 'zod'
import { SCORM_TENANT_KINDS } from '../db/schema.js'

/** Largest registration cap an administrator may set. */
export const MAX_CAP = 1_000_000
/** Most allowed domains per tenant. */
export const MAX_DOMAINS = 50

/**
 * A host name (`lms.example.edu`) or a wildcard for its subdomains (`*.example.edu`); compared
 * case-insensitively with the launching page's host (`domains.ts`).
 */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    'must be a host name like lms.example.edu, or *.example.edu for its subdomains',
  )

const cap = z.number().int().min(1).max(MAX_CAP).nullable()
const expiry = z.coerce.date().nullable()

/** A tenant as created or replaced. */
export const tenantInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(SCORM_TENANT_KINDS).default('lms'),
    targetOrgId: z.string().trim().min(1).max(255).nullable().default(null),
    enabled: z.boolean().default(true),
    registrationCap: cap.default(null),
    expiresAt: expiry.default(null),
    allowedDomains: z.array(domain).min(1).max(MAX_DOMAINS),
  })
  .strict()
  .refine((t) => t.kind === 'org' || t.targetOrgId === null, {
    message: 'only a tenant of kind org names a target organisation',
    path: ['targetOrgId'],
  })
/** A validated tenant. */
export type TenantInput = z.infer<typeof tenantInputSchema>

/** A dispatch as created or replaced. */
export const dispatchInputSchema = z
  .object({
    tenantId: z.uuid(),
    packageId: z.uuid(),
    title: z.string().trim().min(1).max(200).optional(),
    enabled: z.boolean().default(true),
    registrationCap: cap.default(null),
    expiresAt: expiry.default(null),
  })
  .strict()
/** A validated dispatch. */
export type DispatchInput = z.infer<typeof dispatchInputSchema>

/** What the launcher sends when a learner opens the dispatched course in the tenant LMS. */
export const launchInputSchema = z
  .object({
    key: z.string().min(16).max(200),
    /** The LMS's learner id (`cmi.core.student_id` / `cmi.learner_id`). */
    learnerId: z.string().trim().min(1).max(255),
    learnerName: z.string().trim().max(255).default(''),
  })
  .strict()

type Form = Record<string, string | File | (string | File)[]>

function text(form: Form, name: string): string {
  const value = form[name]
  return typeof value === 'string' ? value : ''
}
function optional(form: Form, name: string): string | null {
  const value = text(form, name).trim()
  return value === '' ? null : value
}
/** A `datetime-local` field is UTC on these forms (the pages say so); other text goes to zod. */
function utcDate(form: Form, name: string): string | null {
  const value = optional(form, name)
  return value !== null && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value) ? `${value}Z` : value
}
/** A number field: empty → null, anything unparsable stays a string so zod names the field. */
function numberOrNull(form: Form, name: string): number | string | null {
  const value = optional(form, name)
  if (value === null) return null
  return /^\d+$/.test(value) ? Number(value) : value
}

/** A tenant form body in the shape of {@link tenantInputSchema}. */
export function tenantFormInput(form: Form): unknown {
  return {
    name: text(form, 'name'),
    kind: optional(form, 'kind') ?? 'lms',
    targetOrgId: optional(form, 'targetOrgId'),
    enabled: form.enabled === 'on',
    registrationCap: numberOrNull(form, 'registrationCap'),
    expiresAt: utcDate(form, 'expiresAt'),
    allowedDomains: text(form, 'allowedDomains')
      .split(/[\s,]+/)
      .filter((d) => d !== ''),
  }
}

/** A dispatch form body in the shape of {@link dispatchInputSchema}. */
export function dispatchFormInput(form: Form): unknown {
  const title = optional(form, 'title')
  return {
    tenantId: text(form, 'tenantId'),
    packageId: text(form, 'packageId'),
    ...(title === null ? {} : { title }),
    enabled: form.enabled === 'on',
    registrationCap: numberOrNull(form, 'registrationCap'),
    expiresAt: utcDate(form, 'expiresAt'),
  }
}

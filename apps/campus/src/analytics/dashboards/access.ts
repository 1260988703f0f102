/**
 * Which dashboard view a session may see. Decided on every request from the session alone
 * (role and operator flag), before any cached read: the cache holds data, never a decision.
 *
 * @module
 */
import { z } from 'zod'
import type { OrgContext } from '../../auth/principal.js'
import { CodedProblemError } from '../../web/problem-error.js'

/** The views of `/dashboard` (`platform` has its own path). */
export const DASHBOARD_VIEWS = ['student', 'teacher', 'school'] as const
/** One of {@link DASHBOARD_VIEWS}. */
export type DashboardView = (typeof DASHBOARD_VIEWS)[number]

/** The codes a dashboard request can fail with. */
export type DashboardErrorCode = 'E_UNAUTHENTICATED' | 'E_FORBIDDEN' | 'E_VALIDATION'

/** A refused dashboard request (problem+json under `/api`, a page elsewhere). */
export class DashboardError extends CodedProblemError<DashboardErrorCode> {}

/** `?view=` of `/dashboard`: optional, one of three names (bounded, never part of a key). */
export const dashboardQuery = z.strictObject({ view: z.enum(DASHBOARD_VIEWS).optional() })

const VIEW_OF_ROLE = { student: 'student', teacher: 'teacher', administrator: 'school' } as const

/**
 * The view for `ctx`: its role's view; a `requested` view must be that one (a student asking for
 * the teacher view gets 403, not a silent redirect to their own).
 */
export function viewFor(ctx: OrgContext, requested: DashboardView | undefined): DashboardView {
  const own = VIEW_OF_ROLE[ctx.principal.role]
  if (requested !== undefined && requested !== own) {
    throw new DashboardError(
      'E_FORBIDDEN',
      403,
      `The ${requested} dashboard is not for this session (it acts as ${ctx.principal.role}).`,
    )
  }
  return own
}

/** The platform view needs a campus-wide operator. */
export function requireOperator(ctx: OrgContext): void {
  if (!ctx.principal.operator) {
    throw new DashboardError('E_FORBIDDEN', 403, 'The platform dashboard is for operators.')
  }
}

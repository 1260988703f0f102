/**
 * The capability flags in rollout order (cache → rate_limit → session_index → locking →
 * idempotency → counters) with what campus does while each is off; the flags page and
 * docs/operations.md say the same.
 *
 * @module
 */
import { FLAG_NAMES, type FlagName } from 'satchel'

/** What a flag switches, and campus's behaviour with it off. */
export const FLAG_NOTES: Readonly<Record<FlagName, { what: string; whenOff: string }>> = {
  cache: {
    what: 'Two-tier cache of course bundles and content lists.',
    whenOff: 'Every page reads PostgreSQL; nothing is stored in Redis.',
  },
  rate_limit: {
    what: 'Limits on sign-in, magic links, onboarding, login-link requests and cache clears.',
    whenOff: 'Every request is admitted; no RateLimit quota headers.',
  },
  session_index: {
    what: 'Redis copies of sessions for lookups.',
    whenOff: 'Every session lookup reads PostgreSQL.',
  },
  locking: {
    what: 'Per-request locks around login-link decisions.',
    whenOff: 'In-process locks; the database status check keeps decisions single across instances.',
  },
  idempotency: {
    what: 'Idempotency-Key replay on admin POSTs.',
    whenOff: 'Retries run again; a repeated decision meets the status check (409).',
  },
  counters: {
    what: 'The cached pending login-link count.',
    whenOff: 'Every count is a database COUNT.',
  },
}

/** The flags in rollout order with their state. */
export function flagStates(
  enabled: (name: FlagName) => boolean,
): { name: FlagName; step: number; enabled: boolean; what: string; whenOff: string }[] {
  return FLAG_NAMES.map((name, i) => ({
    name,
    step: i + 1,
    enabled: enabled(name),
    ...FLAG_NOTES[name],
  }))
}

/**
 * Counters cached in Redis and reconciled against the database (`satchel.counter(options)`).
 *
 * The database is the authority; Redis holds a count per id that `incr`/`decr` adjust after each
 * commit, so a dashboard can read it without a `COUNT(*)`. An increment never creates a value (it
 * would be a partial count): a missing value is recounted by the next `get`.
 *
 * ## Why a recount converges while increments run
 *
 * A recount reads the database, and an increment whose row committed before that read may reach
 * Redis after it: trusting both would count the row twice. Each id is one Redis hash (see
 * `scripts.ts`); a recount is BEGIN (new generation, `t` = now + lease) → `count(id)` → END
 * (store the count if its generation is still current, `t` = now + settle). An increment that
 * lands before `t` marks the value uncertain (`u`), and the first `get` after `t` recounts. So,
 * provided every increment reaches Redis within `settle` of its commit:
 *
 * - an increment applied before BEGIN: its row committed before the count, which includes it
 *   (END overwrites the adjusted value);
 * - one landing between BEGIN and END + settle: the value is re-verified after `t`;
 * - one landing later: its row committed after the count, so adjusting the stored value is right.
 *
 * Hence once increments stop for `settle`, `get` equals the database count. Under continuous
 * increments each id costs at most about one recount per settle window per process. Rows whose
 * increment never arrives (a process killed between commit and `incr`) leave drift that
 * `reconcile()` (or the value's `ttl`, which increments do not extend) corrects.
 *
 * ## Failure policy
 *
 * Redis slow or down, or the `counters` flag off → `get` returns the database count. An
 * increment that fails is remembered in-process: this process recounts that id on its next `get`
 * and forgets the cached value on its next counter call that reaches Redis, so the value is
 * recounted rather than served short (other processes may read the short value until then).
 *
 * @example
 * ```ts
 * const pending = satchel.counter({
 *   name: 'login-link-pending',
 *   count: (orgId) => db.countPendingLoginLinks(orgId),
 *   ttl: '1h',
 * })
 * await db.approveLoginLink(id)   // commit
 * await pending.decr(orgId)       // then adjust
 * const n = await pending.get(orgId)
 * const { drift } = await pending.reconcile(orgId) // nightly, or from an admin action
 * ```
 *
 * @module
 */
export {
  type AdjustResult,
  type Counter,
  type CounterStats,
  createCounter,
  type ReconcileResult,
} from './counter.js'
export { counterKey } from './keys.js'
export type { CounterOptions } from './options.js'
export { COUNTER_SCRIPTS } from './scripts.js'

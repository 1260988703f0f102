/**
 * TTL presets from the seeds (`CacheTTL.SHORT` …), in **milliseconds**: satchel durations are
 * milliseconds when they are numbers, so `{ ttl: TTL.MEDIUM }` means five minutes. (The seeds
 * wrote them in seconds for Upstash's `ex`; passing seconds here would cache for 0.3 s.)
 *
 * @example
 * ```ts
 * await satchel.cache.getOrSet(key, loadCourses, { ttl: TTL.MEDIUM }) // 5 minutes
 * ```
 */
export const TTL = {
  /** 60 s: frequently changing data (dashboards). */
  SHORT: 60_000,
  /** 300 s: moderately changing data (course lists). */
  MEDIUM: 300_000,
  /** 1800 s: rarely changing data (course details). */
  LONG: 1_800_000,
  /** 3600 s: static data. */
  VERY_LONG: 3_600_000,
  /** 86400 s: very static data. */
  DAY: 86_400_000,
} as const

/** Name of a {@link TTL} preset. */
export type TtlPreset = keyof typeof TTL

/**
 * SCORM time values: 1.2 `CMITimespan` (`HHHH:MM:SS.SS`), 1.2 `CMITime` (`HH:MM:SS.S`), 2004
 * `timeinterval` (ISO 8601 duration, `PT1H30M5.5S`) and `time` (ISO 8601 timestamp), with the
 * conversions to seconds campus stores.
 *
 * @module
 */

/** 1.2 CMITimespan. */
export const TIMESPAN_12 = /^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/
/** 1.2 CMITime (a time of day). */
export const TIME_12 = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,2})?$/
/** 2004 timeinterval (second precision to 0.01). */
export const DURATION_2004 =
  /^P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$/
/** 2004 time (second precision to 0.01, optional zone). */
export const TIMESTAMP_2004 =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3])(:[0-5]\d(:[0-5]\d(\.\d{1,2})?)?)?(Z|[+-]([01]\d|2[0-3])(:[0-5]\d)?)?)?)?)?$/

/** Seconds of a 1.2 timespan (0 when it does not parse). */
export function timespanSeconds(value: string): number {
  const m = TIMESPAN_12.exec(value)
  if (!m) return 0
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0)
}

/** Seconds of a 2004 duration (years as 365 days, months as 30; 0 when it does not parse). */
export function durationSeconds(value: string): number {
  const m = DURATION_2004.exec(value)
  if (!m) return 0
  const [, y, mo, d, h, mi, s] = m
  return (
    Number(y ?? 0) * 31_536_000 +
    Number(mo ?? 0) * 2_592_000 +
    Number(d ?? 0) * 86_400 +
    Number(h ?? 0) * 3600 +
    Number(mi ?? 0) * 60 +
    Number(s ?? 0)
  )
}

/** A 1.2 timespan for `seconds` (`HHHH:MM:SS.SS`). */
export function formatTimespan(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 100) / 100)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  const sec = Number.isInteger(s) ? pad(s) : s.toFixed(2).padStart(5, '0')
  return `${String(h).padStart(4, '0')}:${pad(m)}:${sec}`
}

/** A 2004 duration for `seconds` (`PT…H…M…S`). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds * 100) / 100)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = Math.round((total % 60) * 100) / 100
  return `PT${h}H${m}M${s}S`
}

/**
 * IXL diagnostic growth: per learner and subject, the first and the latest overall level within
 * a report's window. An IXL row has a `period` label, not a date; a season and year (`Fall 2024`)
 * dates it to the season's start, anything else to the day its import ran, so every row has one
 * date to order and window by.
 *
 * @module
 */

/** One overall diagnostic level as read. */
export interface LevelRow {
  readonly userId: string
  readonly subject: string
  readonly period: string
  readonly level: number
  /** When the import that wrote the row started (ISO date-time). */
  readonly importedAt: string
}

/** First and latest level of a learner in a subject. */
export interface Growth {
  readonly subject: string
  readonly first: number
  readonly latest: number
  readonly growth: number
  readonly firstPeriod: string
  readonly latestPeriod: string
}

const SEASON_MONTH: Record<string, string> = {
  fall: '09',
  autumn: '09',
  winter: '01',
  spring: '03',
  summer: '06',
}

/** The date a row stands for (see the module comment). */
export function periodDate(row: Pick<LevelRow, 'period' | 'importedAt'>): string {
  const match = /^\s*(fall|autumn|winter|spring|summer)\s+(\d{4})\s*$/i.exec(row.period)
  const month = match ? SEASON_MONTH[match[1]?.toLowerCase() ?? ''] : undefined
  if (match && month) return `${match[2]}-${month}-01`
  return row.importedAt.slice(0, 10)
}

/**
 * Growth per learner and subject from `rows`, keeping rows dated within `[from, to]` (inclusive
 * ISO dates; null = open).
 */
export function growthByLearner(
  rows: readonly LevelRow[],
  from: string | null,
  to: string | null,
): Map<string, Growth[]> {
  const groups = new Map<string, { date: string; row: LevelRow }[]>()
  for (const row of rows) {
    const date = periodDate(row)
    if ((from !== null && date < from) || (to !== null && date > to)) continue
    const key = `${row.userId}\u0000${row.subject}`
    const list = groups.get(key) ?? []
    list.push({ date, row })
    groups.set(key, list)
  }
  const out = new Map<string, Growth[]>()
  for (const list of groups.values()) {
    list.sort((a, b) => a.date.localeCompare(b.date) || a.row.period.localeCompare(b.row.period))
    const first = list[0]?.row
    const latest = list.at(-1)?.row
    if (!first || !latest) continue
    const growth: Growth = {
      subject: first.subject,
      first: first.level,
      latest: latest.level,
      growth: latest.level - first.level,
      firstPeriod: first.period,
      latestPeriod: latest.period,
    }
    out.set(
      first.userId,
      [...(out.get(first.userId) ?? []), growth].sort((a, b) => a.subject.localeCompare(b.subject)),
    )
  }
  return out
}

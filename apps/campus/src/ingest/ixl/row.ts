/**
 * One data row of an IXL export turned into what campus stores: the learner it names, and its
 * score and usage values grouped per strand and per subject. Every cell that does not parse is a
 * problem naming the row and column; a group whose cells are all missing (`--`, `N/A`) is skipped
 * rather than stored as an empty row.
 *
 * @module
 */
import type { AssessmentTier } from '../../db/schema.js'
import { normalizeGrade } from '../grades.js'
import type { ColumnTarget, ScoreMeasure, UsageMeasure } from './columns.js'
import {
  isMissing,
  isProblem,
  parseDecimal,
  parseInteger,
  parsePercentile,
  parseTier,
} from './values.js'

/** Score values of one strand. */
export interface ScoreValues {
  subject: string
  strand: string
  level: number | null
  percentile: number | null
  tier: AssessmentTier | null
  score: number | null
  scaleScore: number | null
}

/** Usage values of one subject. */
export type UsageValues = { subject: string } & Record<UsageMeasure, number | null>

/** A parsed row. */
export interface IxlRow {
  /** Line of the file the row starts on (1 is the header). */
  line: number
  id: string | null
  firstName: string | null
  lastName: string | null
  grade: string | null
  /** `Administration Year` when the layout has them, else the import's period label. */
  period: string
  scores: ScoreValues[]
  usage: UsageValues[]
}

/** A cell problem: the column (header name) and why. */
export interface RowProblem {
  column: string
  reason: string
}

const EMPTY_USAGE: Record<UsageMeasure, null> = {
  questionsAnswered: null,
  skillsPracticed: null,
  skillsProficient: null,
  skillsMastered: null,
  startingLevel: null,
  currentLevel: null,
  growth: null,
}

/** Parses `record` (cells by position) with the column meanings of its layout. */
export function parseIxlRow(
  header: readonly string[],
  targets: readonly ColumnTarget[],
  record: readonly string[],
  line: number,
  defaultPeriod: string,
): { row: IxlRow; problems: RowProblem[] } {
  const problems: RowProblem[] = []
  const identity: Record<string, string | null> = {}
  const scores = new Map<string, ScoreValues>()
  const usage = new Map<string, UsageValues>()
  targets.forEach((target, index) => {
    const raw = record[index] ?? ''
    const column = header[index] ?? `column ${index + 1}`
    if (raw.includes('\uFFFD')) {
      problems.push({
        column,
        reason: 'not valid UTF-8 (the file looks like Latin-1 or Windows-1252; save it as UTF-8)',
      })
      return
    }
    if (target.kind === 'ignored') return
    if (target.kind === 'identity') {
      identity[target.field] = isMissing(raw) ? null : raw.trim()
      return
    }
    if (target.kind === 'score') {
      const value = parseScore(target.measure, raw)
      if (isProblem(value)) {
        problems.push({ column, reason: value.reason })
        return
      }
      const key = `${target.subject}\t${target.strand}`
      let group = scores.get(key)
      if (!group) {
        group = {
          subject: target.subject,
          strand: target.strand,
          level: null,
          percentile: null,
          tier: null,
          score: null,
          scaleScore: null,
        }
        scores.set(key, group)
      }
      ;(group as unknown as Record<ScoreMeasure, unknown>)[target.measure] = value
      return
    }
    const value = parseInteger(raw)
    if (isProblem(value)) {
      problems.push({ column, reason: value.reason })
      return
    }
    let group = usage.get(target.subject)
    if (!group) {
      group = { subject: target.subject, ...EMPTY_USAGE }
      usage.set(target.subject, group)
    }
    group[target.measure] = value
  })

  let grade: string | null = null
  const rawGrade = identity.grade ?? null
  if (rawGrade !== null) {
    grade = normalizeGrade(rawGrade) ?? null
    if (grade === null) {
      const column = header[targets.findIndex((t) => t.kind === 'identity' && t.field === 'grade')]
      problems.push({
        column: column ?? 'Grade',
        reason: `unknown grade ${JSON.stringify(rawGrade)}; expected K, PK or 1–12 (e.g. 2 or 02)`,
      })
    }
  }
  const fileLabel = [identity.administration, identity.year].filter(Boolean).join(' ')
  return {
    row: {
      line,
      id: identity.id ?? null,
      firstName: identity.firstName ?? null,
      lastName: identity.lastName ?? null,
      grade,
      period: fileLabel || defaultPeriod,
      scores: [...scores.values()].filter(hasScore),
      usage: [...usage.values()].filter(hasUsage),
    },
    problems,
  }
}

function parseScore(measure: ScoreMeasure, raw: string) {
  switch (measure) {
    case 'tier':
      return parseTier(raw)
    case 'percentile':
      return parsePercentile(raw)
    case 'level':
      return parseInteger(raw)
    default:
      return parseDecimal(raw)
  }
}

const hasScore = (s: ScoreValues): boolean =>
  s.level !== null ||
  s.percentile !== null ||
  s.tier !== null ||
  s.score !== null ||
  s.scaleScore !== null
const hasUsage = (u: UsageValues): boolean =>
  Object.entries(u).some(([key, value]) => key !== 'subject' && value !== null)

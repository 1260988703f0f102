/**
 * What each column of a known IXL layout means: the learner's identity, a score measure of a
 * strand, a usage measure of a subject, or a column campus deliberately does not store
 * (teachers, courses, demographics: not needed by reports, and not data campus should copy).
 *
 * @module
 */
import { BARE_STRAND_NAMES, ELA_STRAND_NAMES, type IxlLayout } from './layouts.js'

/** The learner identity fields. */
export type IdentityField = 'id' | 'firstName' | 'lastName' | 'grade' | 'administration' | 'year'
/** Score measures of a strand. */
export type ScoreMeasure = 'level' | 'percentile' | 'tier' | 'score' | 'scaleScore'
/** Usage measures of a subject. */
export type UsageMeasure =
  | 'questionsAnswered'
  | 'skillsPracticed'
  | 'skillsProficient'
  | 'skillsMastered'
  | 'startingLevel'
  | 'currentLevel'
  | 'growth'

/** The meaning of one column. */
export type ColumnTarget =
  | { kind: 'identity'; field: IdentityField }
  | { kind: 'ignored' }
  | { kind: 'score'; subject: string; strand: string; measure: ScoreMeasure }
  | { kind: 'usage'; subject: string; measure: UsageMeasure }

const IDENTITY: Record<string, IdentityField> = {
  'student id': 'id',
  id: 'id',
  'last name': 'lastName',
  'student last name': 'lastName',
  'first name': 'firstName',
  'student first name': 'firstName',
  grade: 'grade',
  'student grade': 'grade',
  administration: 'administration',
  year: 'year',
}
const IGNORED = new Set([
  'school',
  'school name',
  'teacher(s)',
  'courses',
  'course(s)',
  'gender',
  'race',
  'hispanic ethnicity',
  'language',
])
const SUBJECTS: Record<string, string> = {
  math: 'math',
  ela: 'ela',
  science: 'science',
  'social studies': 'social-studies',
  spanish: 'spanish',
}
const SKILL_MEASURES: Record<string, UsageMeasure> = {
  'questions answered': 'questionsAnswered',
  'questions practiced': 'questionsAnswered',
  'skills practiced': 'skillsPracticed',
  'skills proficient': 'skillsProficient',
  'skills mastered': 'skillsMastered',
}
const LEVEL_MEASURES: Record<string, UsageMeasure> = {
  'starting diagnostic level': 'startingLevel',
  'current diagnostic level': 'currentLevel',
  'diagnostic growth': 'growth',
  starting: 'startingLevel',
  current: 'currentLevel',
  growth: 'growth',
}
const SCORE_MEASURES: Record<string, ScoreMeasure> = {
  percentile: 'percentile',
  level: 'level',
  tier: 'tier',
  score: 'score',
  'scale score': 'scaleScore',
}
// The reading strand's columns are named unlike the others ("Reading level percentile",
// "Overall reading level"); both mean the strand "Reading".
const STRAND_ALIASES: Record<string, string> = {
  'reading level': 'Reading',
  'overall reading': 'Reading',
}

/** A header cell as compared: trimmed, lower case, single spaces. */
export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ')
}

/**
 * The meaning of `column` in `layout`, or undefined when it has none (never for a column of a
 * known layout: a test checks every one).
 */
export function classifyColumn(layout: IxlLayout, column: string): ColumnTarget | undefined {
  const name = normalizeHeader(column)
  const identity = IDENTITY[name]
  if (identity) return { kind: 'identity', field: identity }
  if (IGNORED.has(name)) return { kind: 'ignored' }

  const skill = /^(math|ela|science|social studies|spanish) (.+)$/.exec(name)
  const skillMeasure = skill?.[2] ? SKILL_MEASURES[skill[2]] : undefined
  if (skill?.[1] && skillMeasure) {
    return { kind: 'usage', subject: SUBJECTS[skill[1]] ?? skill[1], measure: skillMeasure }
  }
  const level = /^(.+) - (math|ela)$/.exec(name) ?? /^(math|ela) overall - (.+)$/.exec(name)
  if (level?.[1] && level[2]) {
    const [measureName, subject] =
      level[1] === 'math' || level[1] === 'ela' ? [level[2], level[1]] : [level[1], level[2]]
    const measure = LEVEL_MEASURES[measureName]
    if (measure) return { kind: 'usage', subject, measure }
  }
  if (layout.kind === 'usage') return undefined

  const overallSubject = /^overall (math|ela)$/.exec(name)
  if (overallSubject?.[1]) {
    return { kind: 'score', subject: overallSubject[1], strand: 'overall', measure: 'level' }
  }
  if (name === 'overall') return score(layout, 'overall', 'level')
  if (name === 'percentile') return score(layout, 'overall', 'percentile')
  if (BARE_STRAND_NAMES.has(name)) return score(layout, strandName(column, name), 'level')

  const alias = STRAND_ALIASES[name]
  if (alias) return score(layout, alias, 'level')
  const measured = /^(.+?) (scale score|percentile|level|tier|score)$/.exec(name)
  if (measured?.[1] && measured[2]) {
    const strand = measured[1] === 'overall' ? 'overall' : strandName(column, measured[1])
    return score(layout, strand, SCORE_MEASURES[measured[2]] ?? 'level')
  }
  return undefined
}

/** The strand as the header spells it (case kept), or its alias. */
function strandName(column: string, normalized: string): string {
  const alias = STRAND_ALIASES[normalized]
  if (alias) return alias
  return column.trim().replace(/\s+/g, ' ').slice(0, normalized.length)
}

function score(layout: IxlLayout, strand: string, measure: ScoreMeasure): ColumnTarget {
  const subject = layout.subject ?? (ELA_STRAND_NAMES.has(strand.toLowerCase()) ? 'ela' : 'math')
  return { kind: 'score', subject, strand, measure }
}

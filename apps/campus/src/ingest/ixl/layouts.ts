/**
 * The IXL export layouts campus recognises, by their exact header rows. IXL publishes no export
 * specification and changes its layouts from year to year, so a file is accepted only when its
 * header (in any order, any case) is one of these; anything else is refused naming the columns it
 * lacks relative to the closest layout (detect.ts). docs/ingestion.md maps every column.
 *
 * @module
 */

/** What a layout's rows are: diagnostic results, LevelUp benchmark results, or practice usage. */
export type LayoutKind = 'diagnostic' | 'levelup-benchmark' | 'usage'

/** One known IXL export layout. */
export interface IxlLayout {
  /** Stable name, reported on the import run and in messages. */
  id: string
  kind: LayoutKind
  /** The subject of a single-subject layout; mixed layouts name it per column. */
  subject?: 'math' | 'ela'
  /** The header row as IXL writes it. */
  columns: readonly string[]
}

const MATH_STRANDS = [
  'Numbers and operations',
  'Algebra and algebraic thinking',
  'Fractions',
  'Geometry',
  'Measurement',
  'Data, statistics, and probability',
]
const ELA_STRANDS = [
  'Reading strategies',
  'Vocabulary',
  'Writing strategies',
  'Grammar and mechanics',
]
const LEVELUP_MATH_STRANDS = [
  'Number and Operations in Base Ten',
  'Operations and Algebraic Thinking',
  'Measurement and Data',
  'Geometry',
  'Number and Operations-Fractions',
  'The Number System',
  'Expressions and Equations',
  'Ratios and Proportional Relationships',
  'Statistics and Probability',
  'Functions',
]

const each = (strands: readonly string[], suffixes: readonly string[]): string[] =>
  strands.flatMap((strand) => suffixes.map((suffix) => `${strand} ${suffix}`))
const skills = (subjects: readonly string[], questions: string): string[] =>
  subjects.flatMap((s) => [
    `${s} questions ${questions}`,
    `${s} skills practiced`,
    `${s} skills proficient`,
    `${s} skills mastered`,
  ])
const levels = (subject: string): string[] => [
  `Starting diagnostic level - ${subject}`,
  `Current diagnostic level - ${subject}`,
  `Diagnostic growth - ${subject}`,
]
const PERCENTILE_LEVEL_TIER = ['percentile', 'level', 'tier'] as const

/** Every known layout, newest conventions first. */
export const IXL_LAYOUTS: readonly IxlLayout[] = [
  {
    id: 'diagnostic-snapshot-admin-year-math-2024',
    kind: 'diagnostic',
    subject: 'math',
    columns: [
      'Administration',
      'Year',
      'ID',
      'First name',
      'Last name',
      'Teacher(s)',
      'Grade',
      'School',
      'Courses',
      'Gender',
      'Race',
      'Overall percentile',
      'Overall level',
      'Overall tier',
      ...each(MATH_STRANDS, PERCENTILE_LEVEL_TIER),
    ],
  },
  {
    id: 'diagnostic-levels-percentile-tier-math-2024',
    kind: 'diagnostic',
    subject: 'math',
    columns: [
      'ID',
      'First name',
      'Last name',
      'Teacher(s)',
      'Grade',
      'Courses',
      'Overall percentile',
      'Overall level',
      'Overall tier',
      ...each(MATH_STRANDS, PERCENTILE_LEVEL_TIER),
    ],
  },
  {
    id: 'diagnostic-levels-percentile-tier-ela-2024',
    kind: 'diagnostic',
    subject: 'ela',
    columns: [
      'ID',
      'First name',
      'Last name',
      'Teacher(s)',
      'Grade',
      'School',
      'Courses',
      'Overall percentile',
      'Overall level',
      'Overall tier',
      // IXL names the reading strand's columns "Reading level percentile", "Reading level", …
      'Reading level percentile',
      'Reading level',
      'Reading level tier',
      ...each(ELA_STRANDS, PERCENTILE_LEVEL_TIER),
    ],
  },
  {
    id: 'diagnostic-overall-strands-math-2024',
    kind: 'diagnostic',
    subject: 'math',
    columns: [
      'ID',
      'First name',
      'Last name',
      'Teacher(s)',
      'Grade',
      'School',
      'Gender',
      'Overall',
      ...MATH_STRANDS,
    ],
  },
  {
    id: 'diagnostic-results-ela-2024',
    kind: 'diagnostic',
    subject: 'ela',
    columns: [
      'ID',
      'First name',
      'Last name',
      'Teacher(s)',
      'Grade',
      'School',
      'Course(s)',
      'Percentile',
      'Overall level',
      'Overall tier',
    ],
  },
  {
    id: 'diagnostic-levels-math-ela-2022',
    kind: 'diagnostic',
    columns: [
      'Student ID',
      'Last name',
      'First name',
      'School',
      'Grade',
      'Overall math',
      ...each(MATH_STRANDS, ['level']),
      'Overall ELA',
      'Overall reading level',
      ...each(ELA_STRANDS, ['level']),
    ],
  },
  {
    id: 'levelup-benchmark-math-2024',
    kind: 'levelup-benchmark',
    subject: 'math',
    columns: [
      'ID',
      'First name',
      'Last name',
      'Teacher(s)',
      'Grade',
      'Courses',
      'Gender',
      'Race',
      'Hispanic ethnicity',
      'Language',
      'Overall score',
      'Overall scale score',
      'Overall tier',
      ...each(LEVELUP_MATH_STRANDS, ['score', 'tier']),
    ],
  },
  {
    id: 'diagnostic-strand-score-math-2024',
    kind: 'usage',
    columns: [
      'Student ID',
      'Student last name',
      'Student first name',
      'Student grade',
      'School name',
      ...['Math', 'ELA'].flatMap((s) => [
        ...skills([s], 'practiced'),
        `${s} overall - starting`,
        `${s} overall - current`,
        `${s} overall - growth`,
      ]),
      ...skills(['Science', 'Social Studies'], 'practiced'),
    ],
  },
  {
    id: 'progress-by-student-2023',
    kind: 'usage',
    columns: [
      'Student ID',
      'Last name',
      'First name',
      'Grade',
      ...skills(['Math'], 'answered'),
      ...levels('Math'),
      ...skills(['ELA'], 'answered'),
      ...levels('ELA'),
    ],
  },
  {
    id: 'usage-by-student-all-subjects-2022',
    kind: 'usage',
    columns: [
      'Student ID',
      'Last name',
      'First name',
      'Grade',
      ...skills(['Math'], 'answered'),
      ...levels('Math'),
      ...skills(['ELA'], 'answered'),
      ...levels('ELA'),
      ...skills(['Science', 'Social studies', 'Spanish'], 'answered'),
    ],
  },
]

/** Strands of the ELA diagnostic, to tell a mixed layout's ELA columns from its math ones. */
export const ELA_STRAND_NAMES: ReadonlySet<string> = new Set(
  ['Reading', ...ELA_STRANDS].map((s) => s.toLowerCase()),
)
/** Strand names a bare column (`Fractions`) may carry: its value is a diagnostic level. */
export const BARE_STRAND_NAMES: ReadonlySet<string> = new Set(
  MATH_STRANDS.map((s) => s.toLowerCase()),
)

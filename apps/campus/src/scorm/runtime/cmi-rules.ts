/**
 * The CMI data models of SCORM 1.2 and SCORM 2004 as validation rules: which elements a SCO
 * may write, and the vocabulary, range, format or length of each (SCORM 1.2 RTE §3.4,
 * SCORM 2004 4th ed. RTE §4.2). Read-only elements (`cmi.core.student_id`, `cmi.entry`, …)
 * are listed so a commit that echoes them is accepted and their values ignored: the
 * run-time library sends the whole model on every commit.
 *
 * Collection indexes are written `n` (`cmi.interactions.n.id`).
 *
 * @module
 */
import type { ScormVersion } from '../../db/schema.js'

/** How one element's value is checked. */
export type CmiRule =
  | { kind: 'read-only' }
  | { kind: 'vocab'; values: readonly string[]; orDecimal?: boolean }
  | { kind: 'string'; max: number }
  | { kind: 'identifier'; max: number }
  | { kind: 'decimal'; min?: number; max?: number; empty?: boolean }
  | { kind: 'integer'; min: number; max: number; empty?: boolean }
  | { kind: 'timespan' }
  | { kind: 'time' }
  | { kind: 'duration' }
  | { kind: 'timestamp' }

const ro: CmiRule = { kind: 'read-only' }
const str = (max: number): CmiRule => ({ kind: 'string', max })
const id = (max: number): CmiRule => ({ kind: 'identifier', max })
const vocab = (values: readonly string[], orDecimal = false): CmiRule => ({
  kind: 'vocab',
  values,
  orDecimal,
})

const STATUS_12 = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted']
const INTERACTION_TYPES_12 = [
  'true-false',
  'choice',
  'fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
]
const score12: CmiRule = { kind: 'decimal', min: 0, max: 100, empty: true }

/** SCORM 1.2 `cmi.*` elements. */
export const CMI_12: Readonly<Record<string, CmiRule>> = {
  'cmi.core.student_id': ro,
  'cmi.core.student_name': ro,
  'cmi.core.credit': ro,
  'cmi.core.entry': ro,
  'cmi.core.total_time': ro,
  'cmi.core.lesson_mode': ro,
  'cmi.launch_data': ro,
  'cmi.comments_from_lms': ro,
  'cmi.student_data.mastery_score': ro,
  'cmi.student_data.max_time_allowed': ro,
  'cmi.student_data.time_limit_action': ro,
  'cmi.core.lesson_location': str(255),
  'cmi.core.lesson_status': vocab(STATUS_12),
  'cmi.core.exit': vocab(['', 'time-out', 'suspend', 'logout']),
  'cmi.core.session_time': { kind: 'timespan' },
  'cmi.core.score.raw': score12,
  'cmi.core.score.min': score12,
  'cmi.core.score.max': score12,
  'cmi.suspend_data': str(4096),
  'cmi.comments': str(4096),
  'cmi.student_preference.audio': { kind: 'integer', min: -1, max: 100, empty: true },
  'cmi.student_preference.language': str(255),
  'cmi.student_preference.speed': { kind: 'integer', min: -100, max: 100, empty: true },
  'cmi.student_preference.text': { kind: 'integer', min: -1, max: 1, empty: true },
  'cmi.objectives.n.id': id(255),
  'cmi.objectives.n.score.raw': score12,
  'cmi.objectives.n.score.min': score12,
  'cmi.objectives.n.score.max': score12,
  'cmi.objectives.n.status': vocab(STATUS_12),
  'cmi.interactions.n.id': id(255),
  'cmi.interactions.n.objectives.n.id': id(255),
  'cmi.interactions.n.time': { kind: 'time' },
  'cmi.interactions.n.type': vocab(INTERACTION_TYPES_12),
  'cmi.interactions.n.correct_responses.n.pattern': str(255),
  'cmi.interactions.n.weighting': { kind: 'decimal', empty: true },
  'cmi.interactions.n.student_response': str(255),
  'cmi.interactions.n.result': vocab(['correct', 'wrong', 'unanticipated', 'neutral'], true),
  'cmi.interactions.n.latency': { kind: 'timespan' },
}

const SUCCESS = ['passed', 'failed', 'unknown']
const COMPLETION = ['completed', 'incomplete', 'not attempted', 'unknown']
const INTERACTION_TYPES_2004 = [...INTERACTION_TYPES_12, 'long-fill-in', 'other']
const anyDecimal: CmiRule = { kind: 'decimal', empty: true }

/** SCORM 2004 `cmi.*` elements. */
export const CMI_2004: Readonly<Record<string, CmiRule>> = {
  'cmi._version': ro,
  'cmi.learner_id': ro,
  'cmi.learner_name': ro,
  'cmi.credit': ro,
  'cmi.entry': ro,
  'cmi.total_time': ro,
  'cmi.mode': ro,
  'cmi.launch_data': ro,
  'cmi.completion_threshold': ro,
  'cmi.scaled_passing_score': ro,
  'cmi.max_time_allowed': ro,
  'cmi.time_limit_action': ro,
  'cmi.comments_from_lms.n.comment': ro,
  'cmi.comments_from_lms.n.location': ro,
  'cmi.comments_from_lms.n.timestamp': ro,
  'cmi.completion_status': vocab(COMPLETION),
  'cmi.success_status': vocab(SUCCESS),
  'cmi.exit': vocab(['', 'time-out', 'suspend', 'logout', 'normal']),
  'cmi.location': str(1000),
  'cmi.suspend_data': str(64000),
  'cmi.session_time': { kind: 'duration' },
  'cmi.progress_measure': { kind: 'decimal', min: 0, max: 1, empty: true },
  'cmi.score.scaled': { kind: 'decimal', min: -1, max: 1, empty: true },
  'cmi.score.raw': anyDecimal,
  'cmi.score.min': anyDecimal,
  'cmi.score.max': anyDecimal,
  'cmi.learner_preference.audio_level': { kind: 'decimal', min: 0, empty: true },
  'cmi.learner_preference.language': str(250),
  'cmi.learner_preference.delivery_speed': { kind: 'decimal', min: 0, empty: true },
  'cmi.learner_preference.audio_captioning': vocab(['-1', '0', '1']),
  'cmi.comments_from_learner.n.comment': str(4000),
  'cmi.comments_from_learner.n.location': str(250),
  'cmi.comments_from_learner.n.timestamp': { kind: 'timestamp' },
  'cmi.objectives.n.id': id(4000),
  'cmi.objectives.n.score.scaled': { kind: 'decimal', min: -1, max: 1, empty: true },
  'cmi.objectives.n.score.raw': anyDecimal,
  'cmi.objectives.n.score.min': anyDecimal,
  'cmi.objectives.n.score.max': anyDecimal,
  'cmi.objectives.n.success_status': vocab(SUCCESS),
  'cmi.objectives.n.completion_status': vocab(COMPLETION),
  'cmi.objectives.n.progress_measure': { kind: 'decimal', min: 0, max: 1, empty: true },
  'cmi.objectives.n.description': str(250),
  'cmi.interactions.n.id': id(4000),
  'cmi.interactions.n.type': vocab(['', ...INTERACTION_TYPES_2004]),
  'cmi.interactions.n.objectives.n.id': id(4000),
  'cmi.interactions.n.timestamp': { kind: 'timestamp' },
  'cmi.interactions.n.correct_responses.n.pattern': str(4000),
  'cmi.interactions.n.weighting': anyDecimal,
  'cmi.interactions.n.learner_response': str(4000),
  'cmi.interactions.n.result': vocab(
    ['', 'correct', 'incorrect', 'unanticipated', 'neutral'],
    true,
  ),
  'cmi.interactions.n.latency': { kind: 'duration' },
  'cmi.interactions.n.description': str(250),
}

/** The rules of `version`. */
export function cmiRules(version: ScormVersion): Readonly<Record<string, CmiRule>> {
  return version === '1.2' ? CMI_12 : CMI_2004
}

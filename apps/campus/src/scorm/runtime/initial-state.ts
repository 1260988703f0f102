/**
 * The CMI values a SCO starts with (scorm-again's `loadFromFlattenedJSON`): who the learner
 * is, the launch settings from the manifest, and, on a resume, what the SCO saved last time
 * (location, suspend data, status, score, total time, objectives, preferences). `entry` says
 * `resume` only when the last session ended with `exit = suspend`, as the specifications ask.
 *
 * @module
 */
import type { ScormVersion } from '../../db/schema.js'
import type { ManifestItem } from '../manifest/types.js'
import { formatDuration, formatTimespan } from './cmi-time.js'
import type { ScoStateRow } from './launch.js'

const num = (n: number | null) => (n === null ? undefined : String(n))

/** Flattened initial CMI of one SCO launch. */
export function initialCmi(
  version: ScormVersion,
  learner: { id: string; name: string },
  item: Pick<
    ManifestItem,
    'masteryScore' | 'completionThreshold' | 'launchData' | 'maxTimeAllowed' | 'timeLimitAction'
  >,
  state: ScoStateRow,
): Record<string, string> {
  const fresh = state.commitCount === 0
  const entry = fresh ? 'ab-initio' : state.exit === 'suspend' ? 'resume' : ''
  const out: Record<string, string | undefined> = {}
  // Elements kept without a column of their own (objectives, comments, preferences).
  for (const [key, value] of Object.entries(state.cmi))
    if (typeof value === 'string') out[key] = value
  if (version === '1.2') {
    Object.assign(out, {
      'cmi.core.student_id': learner.id,
      'cmi.core.student_name': learner.name,
      'cmi.core.credit': 'credit',
      'cmi.core.lesson_mode': 'normal',
      'cmi.core.entry': entry,
      'cmi.core.lesson_location': state.location ?? undefined,
      'cmi.core.lesson_status': state.lessonStatus ?? undefined,
      'cmi.core.total_time': formatTimespan(state.totalTimeSeconds),
      'cmi.core.score.raw': num(state.scoreRaw),
      'cmi.core.score.min': num(state.scoreMin),
      'cmi.core.score.max': num(state.scoreMax),
      'cmi.suspend_data': state.suspendData ?? undefined,
      'cmi.launch_data': item.launchData ?? undefined,
      'cmi.student_data.mastery_score': num(item.masteryScore),
      'cmi.student_data.max_time_allowed': item.maxTimeAllowed ?? undefined,
      'cmi.student_data.time_limit_action': item.timeLimitAction ?? undefined,
    })
  } else {
    Object.assign(out, {
      'cmi.learner_id': learner.id,
      'cmi.learner_name': learner.name,
      'cmi.credit': 'credit',
      'cmi.mode': 'normal',
      'cmi.entry': entry,
      'cmi.location': state.location ?? undefined,
      'cmi.completion_status': fresh ? undefined : state.completionStatus,
      'cmi.success_status': fresh ? undefined : state.successStatus,
      'cmi.total_time': formatDuration(state.totalTimeSeconds),
      'cmi.score.raw': num(state.scoreRaw),
      'cmi.score.min': num(state.scoreMin),
      'cmi.score.max': num(state.scoreMax),
      'cmi.score.scaled': num(state.scoreScaled),
      'cmi.progress_measure': num(state.progressMeasure),
      'cmi.suspend_data': state.suspendData ?? undefined,
      'cmi.launch_data': item.launchData ?? undefined,
      'cmi.completion_threshold': num(item.completionThreshold),
      'cmi.scaled_passing_score':
        item.masteryScore === null ? undefined : String(item.masteryScore / 100),
      'cmi.max_time_allowed': item.maxTimeAllowed ?? undefined,
      'cmi.time_limit_action': item.timeLimitAction ?? undefined,
    })
  }
  const clean: Record<string, string> = {}
  for (const [key, value] of Object.entries(out))
    if (value !== undefined && value !== '') clean[key] = value
  // `entry` is meaningful even when empty (a new session of a finished SCO).
  clean[version === '1.2' ? 'cmi.core.entry' : 'cmi.entry'] = entry
  return clean
}

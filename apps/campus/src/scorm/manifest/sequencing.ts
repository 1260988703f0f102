/**
 * SCORM 2004 sequencing basics (IMS Simple Sequencing): the checks that catch a manifest its
 * run-time could not follow. Control modes and flags must be booleans, limits numbers, rule
 * conditions and actions from their vocabularies, measures within −1…1, and a sequencing
 * `IDRef` must name an entry of the manifest's `sequencingCollection`. Full sequencing
 * behaviour is the run-time library's.
 *
 * @module
 */
import { attr, child, children, text, type XmlNode } from './xml.js'

const BOOLEAN = new Set(['true', 'false'])
const CONTROL_MODE = [
  'choice',
  'choiceExit',
  'flow',
  'forwardOnly',
  'useCurrentAttemptObjectiveInfo',
  'useCurrentAttemptProgressInfo',
]
const CONDITIONS = new Set([
  'satisfied',
  'objectiveStatusKnown',
  'objectiveMeasureKnown',
  'objectiveMeasureGreaterThan',
  'objectiveMeasureLessThan',
  'completed',
  'activityProgressKnown',
  'attempted',
  'attemptLimitExceeded',
  'timeLimitExceeded',
  'outsideAvailableTimeRange',
  'always',
])
const ACTIONS: Record<string, Set<string>> = {
  preConditionRule: new Set(['skip', 'disabled', 'hiddenFromChoice', 'stopForwardTraversal']),
  exitConditionRule: new Set(['exit']),
  postConditionRule: new Set([
    'exitParent',
    'exitAll',
    'retry',
    'retryAll',
    'continue',
    'previous',
  ]),
}

/** Problems of one `<imsss:sequencing>` element at `path`. */
export function sequencingProblems(
  sequencing: XmlNode,
  path: string,
  collection: ReadonlySet<string>,
): string[] {
  const problems: string[] = []
  const idRef = attr(sequencing, 'IDRef')
  if (idRef !== undefined && !collection.has(idRef)) {
    problems.push(
      `${path}@IDRef: ${JSON.stringify(idRef)} is not in /manifest/sequencingCollection`,
    )
  }
  const control = child(sequencing, 'controlMode')
  for (const name of CONTROL_MODE) {
    const value = attr(control, name)
    if (value !== undefined && !BOOLEAN.has(value)) {
      problems.push(
        `${path}/imsss:controlMode@${name}: ${JSON.stringify(value)} is not true or false`,
      )
    }
  }
  const limit = attr(child(sequencing, 'limitConditions'), 'attemptLimit')
  if (limit !== undefined && !/^\d+$/.test(limit)) {
    problems.push(
      `${path}/imsss:limitConditions@attemptLimit: ${JSON.stringify(limit)} is not a non-negative integer`,
    )
  }
  const rules = child(sequencing, 'sequencingRules')
  for (const kind of Object.keys(ACTIONS)) {
    children(rules, kind).forEach((rule, i) => {
      const rulePath = `${path}/imsss:sequencingRules/imsss:${kind}[${i + 1}]`
      children(child(rule, 'ruleConditions'), 'ruleCondition').forEach((condition, j) => {
        const value = attr(condition, 'condition')
        if (value === undefined || !CONDITIONS.has(value)) {
          problems.push(
            `${rulePath}/imsss:ruleConditions/imsss:ruleCondition[${j + 1}]@condition: ${JSON.stringify(value ?? '')} is not a sequencing condition`,
          )
        }
      })
      const action = attr(child(rule, 'ruleAction'), 'action')
      if (action === undefined || !ACTIONS[kind]?.has(action)) {
        problems.push(
          `${rulePath}/imsss:ruleAction@action: ${JSON.stringify(action ?? '')} is not an action of a ${kind}`,
        )
      }
    })
  }
  const objectives = child(sequencing, 'objectives')
  if (objectives && !child(objectives, 'primaryObjective')) {
    problems.push(`${path}/imsss:objectives: has no imsss:primaryObjective`)
  }
  const primary = child(objectives, 'primaryObjective')
  const measure = text(child(primary, 'minNormalizedMeasure'))
  if (measure !== undefined && !inRange(measure, -1, 1)) {
    problems.push(
      `${path}/imsss:objectives/imsss:primaryObjective/imsss:minNormalizedMeasure: ${JSON.stringify(measure)} is not a number from -1 to 1`,
    )
  }
  const byMeasure = attr(primary, 'satisfiedByMeasure')
  if (byMeasure !== undefined && !BOOLEAN.has(byMeasure)) {
    problems.push(
      `${path}/imsss:objectives/imsss:primaryObjective@satisfiedByMeasure: ${JSON.stringify(byMeasure)} is not true or false`,
    )
  }
  return problems
}

/** The mastery score (0–100) a 2004 sequencing element sets, if satisfied by measure. */
export function masteryFromSequencing(sequencing: XmlNode | undefined): number | null {
  const primary = child(child(sequencing, 'objectives'), 'primaryObjective')
  if (attr(primary, 'satisfiedByMeasure') !== 'true') return null
  const measure = text(child(primary, 'minNormalizedMeasure'))
  // The default minimum normalised measure is 1.0 (IMS SS).
  const value = measure === undefined || measure === '' ? 1 : Number(measure)
  return Number.isFinite(value) ? value * 100 : null
}

/** Whether `value` is a decimal number within `min`…`max`. */
export function inRange(value: string, min: number, max: number): boolean {
  if (!/^-?\d+(\.\d+)?$/.test(value)) return false
  const n = Number(value)
  return n >= min && n <= max
}

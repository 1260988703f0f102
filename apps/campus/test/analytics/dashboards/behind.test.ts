/**
 * The "who is behind" rule of the teacher's dashboard, and the seeded activity it is shown on:
 * the same seed gives the same activity, some learners are behind, some items are hard, and the
 * IXL levels grow from the first period to the second.
 */
import { describe, expect, it } from 'vitest'
import { behindReasons, median } from '../../../src/analytics/dashboards/behind.js'
import { IXL_PERIODS } from '../../../src/seed/activity-external.js'
import { generateDataset } from '../../../src/seed/generate.js'

describe('who is behind', () => {
  it('flags low recent scores and progress below half the class median', () => {
    expect(behindReasons({ attempts: 5, recentMean: 59.9, passed: 4 }, 4)).toEqual([
      'low-recent-scores',
    ])
    expect(behindReasons({ attempts: 5, recentMean: 60, passed: 4 }, 4)).toEqual([])
    expect(behindReasons({ attempts: 2, recentMean: 90, passed: 1 }, 4)).toEqual([
      'progress-below-class',
    ])
    expect(behindReasons({ attempts: 0, recentMean: null, passed: 0 }, 3)).toEqual([
      'progress-below-class',
    ])
    expect(behindReasons({ attempts: 0, recentMean: null, passed: 0 }, 0)).toEqual([])
    expect(behindReasons({ attempts: 6, recentMean: 30, passed: 0 }, 2)).toEqual([
      'low-recent-scores',
      'progress-below-class',
    ])
  })

  it('takes the median of odd and even counts', () => {
    expect(median([])).toBe(0)
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})

describe('seeded activity', () => {
  const small = generateDataset({ scale: 'small' })

  it('is the same for the same seed and differs for another', () => {
    const again = generateDataset({ scale: 'small' })
    expect(again.practiceAttempts).toEqual(small.practiceAttempts)
    expect(again.practiceItemResponses.length).toBe(small.practiceItemResponses.length)
    const other = generateDataset({ scale: 'small', seed: 7 })
    expect(other.practiceAttempts.map((a) => a.scorePercent)).not.toEqual(
      small.practiceAttempts.map((a) => a.scorePercent),
    )
  })

  it('has learners behind and items that are hard for everyone', () => {
    const byUser = new Map<string, number[]>()
    for (const a of small.practiceAttempts) {
      byUser.set(a.userSourcedId, [...(byUser.get(a.userSourcedId) ?? []), a.scorePercent])
    }
    const means = [...byUser.values()].map((s) => s.reduce((x, y) => x + y, 0) / s.length)
    expect(means.filter((m) => m < 60).length).toBeGreaterThan(0)
    expect(means.filter((m) => m >= 75).length).toBeGreaterThan(means.length / 3)
    const byItem = new Map<string, { right: number; all: number }>()
    for (const r of small.practiceItemResponses) {
      const s = byItem.get(r.itemSourcedId) ?? { right: 0, all: 0 }
      s.all++
      if (r.correct) s.right++
      byItem.set(r.itemSourcedId, s)
    }
    const answered = [...byItem.values()].filter((s) => s.all >= 3)
    expect(answered.some((s) => s.right / s.all < 0.4)).toBe(true)
    expect(answered.some((s) => s.right / s.all > 0.8)).toBe(true)
  })

  it('keeps every attempt consistent with its responses, and XP bounded by the resource', () => {
    const responses = new Map<string, number>()
    for (const r of small.practiceItemResponses) {
      responses.set(r.attemptId, (responses.get(r.attemptId) ?? 0) + (r.correct ? 1 : 0))
    }
    for (const a of small.practiceAttempts) {
      expect(responses.get(a.id ?? '') ?? 0).toBe(a.scoreRaw)
      expect(a.passed).toBe(a.scorePercent >= 70)
    }
    const xp = new Map<string, number>()
    for (const a of small.practiceAttempts) {
      const key = `${a.userSourcedId} ${a.resourceSourcedId}`
      xp.set(key, (xp.get(key) ?? 0) + (a.xpAwarded ?? 0))
    }
    expect(Math.max(...xp.values())).toBeLessThanOrEqual(30)
  })

  it('has IXL levels growing from the first period to the second on average', () => {
    const mean = (period: string) => {
      const levels = small.externalAssessmentScores
        .filter((s) => s.period === period)
        .map((s) => s.level ?? 0)
      return levels.reduce((x, y) => x + y, 0) / levels.length
    }
    expect(mean(IXL_PERIODS[1])).toBeGreaterThan(mean(IXL_PERIODS[0]))
    expect(small.toddleTermGrades.length).toBeGreaterThan(0)
    expect(new Set(small.toddleAttendance.map((a) => a.status)).size).toBeGreaterThan(2)
  })
})

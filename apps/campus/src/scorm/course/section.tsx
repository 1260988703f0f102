/**
 * The course page's "SCORM activities" section: the packages of the course with their SCOs,
 * a launch link per SCO for a signed-in member of the packages' organisation, the learner's
 * status and score next to each, and "Sign in to launch" for an anonymous visitor.
 *
 * @module
 */
import type { CoursePackage } from './packages.js'
import type { LearnerStatus, PackageStatus } from './status.js'

/** What the section shows. */
export interface CourseActivities {
  packages: CoursePackage[]
  /** Whether the viewer may launch (signed in to the packages' organisation). */
  canLaunch: boolean
  /** The learner's status by package id; null when the viewer is not a learner. */
  statuses: Record<string, PackageStatus> | null
}

/** The launch URL of a SCO (the learner player). */
export function scoLaunchUrl(packageId: string, scoId: string): string {
  return `/scorm/packages/${encodeURIComponent(packageId)}?sco=${encodeURIComponent(scoId)}`
}

function Status({ status }: { status: LearnerStatus }) {
  return (
    <span class={`scorm-status scorm-status-${status.status.replace(' ', '-')}`}>
      {status.status}
      {status.scorePercent === null ? '' : ` · ${status.scorePercent}%`}
    </span>
  )
}

const NOT_ATTEMPTED: LearnerStatus = { status: 'not attempted', scorePercent: null }

/** The section, or nothing when the course has no package. */
export function CourseActivitiesSection({ activities }: { activities: CourseActivities | null }) {
  if (!activities || activities.packages.length === 0) return null
  const { packages, canLaunch, statuses } = activities
  return (
    <section class="unit scorm-activities" aria-labelledby="scorm-activities">
      <h2 id="scorm-activities">SCORM activities</h2>
      {packages.map((pkg) => {
        const status = statuses?.[pkg.id]
        return (
          <div class="scorm-package" data-package={pkg.id}>
            <h3>
              {pkg.title} {statuses ? <Status status={status ?? NOT_ATTEMPTED} /> : null}
              {status && status.attempt > 1 ? (
                <span class="meta">{` · attempt ${status.attempt}`}</span>
              ) : null}
            </h3>
            <ul class="plain">
              {pkg.scos.map((sco) => (
                <li>
                  {canLaunch ? (
                    <a href={scoLaunchUrl(pkg.id, sco.id)}>{sco.title}</a>
                  ) : (
                    <span>{sco.title}</span>
                  )}{' '}
                  {statuses ? <Status status={status?.scos[sco.id] ?? NOT_ATTEMPTED} /> : null}
                </li>
              ))}
            </ul>
          </div>
        )
      })}
      {canLaunch ? null : (
        <p class="meta">
          <a href="/login">Sign in to launch</a>
        </p>
      )}
    </section>
  )
}

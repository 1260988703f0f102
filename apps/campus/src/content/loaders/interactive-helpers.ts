/**
 * Bundle-scoped lookups shared by every page loader: unit by slug, lesson by slug, a placed
 * resource by (component, type, slug), the course challenge, and the content cards of a
 * component. They read one course's bundle only (never an organisation-wide list), so they are
 * the same code for both loader families.
 *
 * Every failure is a `{ ok: false, reason, fields }` plus exactly one structured warning with
 * the seed's fields (`courseId`, `unitId`, `resourceSourcedId`, `componentResourceId`,
 * `subjectSlug`, `courseSlug`, `bundleFetchedAt`), an `outcome` tag and the `reason`, so on-call
 * can tell a missing row from bad metadata without reading code.
 *
 * @module
 */
import { RESOURCE_TYPES, type ResourceType } from '../../db/schema.js'
import { findLessonResources } from '../bundle.js'
import { bundleLookups } from '../lookups.js'
import { readResourceMetadata, type ValidResourceMetadata } from '../metadata.js'
import type { BundleOutcome } from '../metrics.js'
import type { ContentCard, CourseHeader, Loaded, NotFoundReason } from '../page-data.js'
import type { ContentSource } from '../source.js'
import type {
  ComponentRecord,
  ComponentResourceRecord,
  CourseResourceBundle,
  ResourceRecord,
} from '../types.js'
import {
  courseChallengePath,
  coursePath,
  isLessonContentType,
  isUnitAssessmentType,
  lessonContentPath,
  unitAssessmentPath,
} from './paths.js'

/** A failed loader result. */
export type NotFound = Extract<Loaded<never>, { ok: false }>

/** One course's bundle as reached through a page URL: what every lookup works within. */
export interface CourseScope {
  source: ContentSource
  bundle: CourseResourceBundle
  /** The URL's subject and course slugs (equal to the course's metadata once located). */
  subjectSlug: string
  courseSlug: string
}

/** The fields every warning about this course carries. */
export function scopeFields(scope: CourseScope): Record<string, unknown> {
  return {
    family: scope.source.family,
    courseId: scope.bundle.courseId,
    subjectSlug: scope.subjectSlug,
    courseSlug: scope.courseSlug,
    bundleFetchedAt: scope.bundle.fetchedAt,
  }
}

/** The outcome tag of a reason: bad metadata, or rows missing or not lining up. */
export function outcomeOf(reason: NotFoundReason): BundleOutcome {
  return reason === 'invalid_metadata' ? 'bundle_invalid_metadata' : 'bundle_missing_data'
}

/**
 * Logs one warning and returns the matching failure. `fields` are added to the result as they
 * are logged (minus `outcome`/`reason`, which the result carries on its own), so a caller can
 * show or assert the same ids.
 */
export function notFound(
  source: ContentSource,
  message: string,
  reason: NotFoundReason,
  fields: Record<string, unknown>,
): NotFound {
  const outcome = outcomeOf(reason)
  source.ctx.logger.warn({ ...fields, outcome, reason }, message)
  return { ok: false, reason, fields: { ...fields, outcome } }
}

/** A component's slug, if its metadata has a usable one. */
export function componentSlug(component: ComponentRecord): string | undefined {
  const slug = component.metadata.slug
  return typeof slug === 'string' && slug !== '' ? slug : undefined
}

/** The page header of a course (also its breadcrumb). */
export function courseHeader(scope: CourseScope): CourseHeader {
  const { course } = scope.bundle
  return {
    courseId: course.sourcedId,
    orgId: course.orgSourcedId,
    title: course.title,
    slug: scope.courseSlug,
    subjectSlug: scope.subjectSlug,
    description: String(course.metadata.description ?? ''),
    courseCode: course.courseCode,
    grades: course.grades,
    path: coursePath(scope.subjectSlug, scope.courseSlug),
  }
}

/** The units of a course in order, each with its slug (units without one are left out). */
export function unitsOf(scope: CourseScope): { unit: ComponentRecord; slug: string }[] {
  const out: { unit: ComponentRecord; slug: string }[] = []
  for (const unit of bundleLookups(scope.bundle).units) {
    const slug = componentSlug(unit)
    if (slug !== undefined) out.push({ unit, slug })
  }
  return out
}

/** A unit's lessons in order, each with its slug (lessons without one are left out). */
export function lessonsOf(
  scope: CourseScope,
  unitId: string,
): { lesson: ComponentRecord; slug: string }[] {
  const out: { lesson: ComponentRecord; slug: string }[] = []
  for (const lesson of bundleLookups(scope.bundle).childrenByParent.get(unitId) ?? []) {
    const slug = componentSlug(lesson)
    if (slug !== undefined) out.push({ lesson, slug })
  }
  return out
}

/** `/:subject/:course/:unit` → the unit; warns `bundle unit lookup failed` when absent. */
export function findUnitBySlug(scope: CourseScope, unitSlug: string): Loaded<ComponentRecord> {
  const match = unitsOf(scope).find((u) => u.slug === unitSlug)
  if (match) return { ok: true, data: match.unit }
  return notFound(scope.source, 'bundle unit lookup failed', 'unit_not_found', {
    ...scopeFields(scope),
    unitSlug,
  })
}

/** A lesson of `unit` by slug; warns `bundle lesson lookup failed` when absent. */
export function findLessonBySlug(
  scope: CourseScope,
  unit: ComponentRecord,
  lessonSlug: string,
): Loaded<ComponentRecord> {
  const match = lessonsOf(scope, unit.sourcedId).find((l) => l.slug === lessonSlug)
  if (match) return { ok: true, data: match.lesson }
  return notFound(scope.source, 'bundle lesson lookup failed', 'lesson_not_found', {
    ...scopeFields(scope),
    unitId: unit.sourcedId,
    unitSlug: componentSlug(unit),
    lessonSlug,
  })
}

/** A resource placed in a component, with metadata validated for its type. */
export interface PlacedContent<T extends ResourceType = ResourceType> {
  component: ComponentRecord
  placement: ComponentResourceRecord
  resource: ResourceRecord
  metadata: ValidResourceMetadata & { type: T }
}

/**
 * The resource placed in `component` with this type and slug, its metadata validated. A
 * resource whose metadata names the slug but is otherwise broken (unknown type, bad field) is
 * `invalid_metadata`. When nothing matches and the component has a placement whose resource is
 * not in the bundle (deleted, inactive), the URL may well name that resource, so the answer is
 * `component_resource_mismatch` with the dangling placement; else `resource_not_found`.
 */
export function findPlacedResource<T extends ResourceType>(
  scope: CourseScope,
  component: ComponentRecord,
  type: T,
  slug: string,
  extraFields: Record<string, unknown> = {},
): Loaded<PlacedContent<T>> {
  const fields = {
    ...scopeFields(scope),
    ...extraFields,
    componentId: component.sourcedId,
    resourceType: type,
    resourceSlug: slug,
  }
  const placed = findLessonResources(scope.bundle, component.sourcedId)
  for (const { placement, resource } of placed) {
    if (!resource || resource.metadata.slug !== slug) continue
    const rawType = resource.metadata.type
    const knownOther = typeof rawType === 'string' && rawType !== type && isKnownType(rawType)
    if (knownOther) continue
    const checked = readResourceMetadata(resource.metadata, type)
    const ids = {
      resourceSourcedId: resource.sourcedId,
      componentResourceId: placement.sourcedId,
    }
    if (!checked.ok) {
      return notFound(scope.source, 'bundle resource lookup failed', 'invalid_metadata', {
        ...fields,
        ...ids,
        field: checked.field,
        problem: checked.reason,
      })
    }
    return { ok: true, data: { component, placement, resource, metadata: checked.value } }
  }
  const dangling = placed.find((p) => p.resource === undefined)
  if (dangling) {
    return notFound(scope.source, 'bundle resource lookup failed', 'component_resource_mismatch', {
      ...fields,
      resourceSourcedId: dangling.placement.resourceSourcedId,
      componentResourceId: dangling.placement.sourcedId,
    })
  }
  return notFound(scope.source, 'bundle resource lookup failed', 'resource_not_found', fields)
}

function isKnownType(type: string): type is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(type)
}

/**
 * The course challenge `slug` on the course's challenge holder. A course without a holder
 * answers `resource_not_found` (it has no challenge to show).
 */
export function findCourseChallengeBundle(
  scope: CourseScope,
  slug: string,
): Loaded<PlacedContent<'course-challenge'>> {
  const holder = bundleLookups(scope.bundle).challengeHolder
  if (!holder) {
    return notFound(scope.source, 'bundle challenge lookup failed', 'resource_not_found', {
      ...scopeFields(scope),
      resourceType: 'course-challenge',
      resourceSlug: slug,
    })
  }
  return findPlacedResource(scope, holder, 'course-challenge', slug)
}

/** Where a component sits, which decides the path (and the types) of its cards. */
export type CardPlace =
  | { kind: 'lesson'; unitSlug: string; lessonSlug: string }
  | { kind: 'unit'; unitSlug: string }
  | { kind: 'challenge' }

/**
 * The cards of a component's placements, in order. A placement whose resource is missing from
 * the bundle, whose metadata is invalid, or whose type does not belong in this kind of component
 * is left out with one warning (`bundle placement skipped`): list pages stay up when one row is
 * bad, and the log names the row.
 */
export function contentCards(
  scope: CourseScope,
  component: ComponentRecord,
  place: CardPlace,
): ContentCard[] {
  const cards: ContentCard[] = []
  for (const { placement, resource } of findLessonResources(scope.bundle, component.sourcedId)) {
    const fields = {
      ...scopeFields(scope),
      componentId: component.sourcedId,
      componentResourceId: placement.sourcedId,
      resourceSourcedId: placement.resourceSourcedId,
    }
    const skip = (reason: NotFoundReason, extra: Record<string, unknown>): void => {
      notFound(scope.source, 'bundle placement skipped', reason, { ...fields, ...extra })
    }
    if (!resource) {
      skip('component_resource_mismatch', { problem: 'resource not in bundle' })
      continue
    }
    const checked = readResourceMetadata(resource.metadata)
    if (!checked.ok) {
      skip('invalid_metadata', { field: checked.field, problem: checked.reason })
      continue
    }
    const path = cardPath(scope, place, checked.value.type, checked.value.slug)
    if (path === undefined) {
      skip('component_resource_mismatch', {
        problem: `a ${checked.value.type} cannot be placed in a ${place.kind}`,
      })
      continue
    }
    cards.push(contentCard(scope.bundle, placement, resource, checked.value, path))
  }
  return cards
}

function cardPath(
  scope: CourseScope,
  place: CardPlace,
  type: ResourceType,
  slug: string,
): string | undefined {
  const { subjectSlug: s, courseSlug: c } = scope
  if (place.kind === 'lesson') {
    return isLessonContentType(type)
      ? lessonContentPath(s, c, place.unitSlug, place.lessonSlug, type, slug)
      : undefined
  }
  if (place.kind === 'unit') {
    return isUnitAssessmentType(type)
      ? unitAssessmentPath(s, c, place.unitSlug, type, slug)
      : undefined
  }
  return type === 'course-challenge' ? courseChallengePath(s, c, slug) : undefined
}

/** A card from a placement and its validated metadata (exercises get their question count). */
export function contentCard(
  bundle: CourseResourceBundle,
  placement: ComponentResourceRecord,
  resource: ResourceRecord,
  metadata: ValidResourceMetadata,
  path: string,
): ContentCard {
  const card: ContentCard = {
    resourceId: resource.sourcedId,
    componentResourceId: placement.sourcedId,
    type: metadata.type,
    title: resource.title,
    slug: metadata.slug,
    xp: metadata.xp,
    path,
  }
  return metadata.type === 'exercise' ? populateQuestionCount(bundle, card) : card
}

/** Sets `questionCount` on an exercise card from the bundle's counts (0 when unknown). */
export function populateQuestionCount(
  bundle: CourseResourceBundle,
  card: ContentCard,
): ContentCard {
  if (card.type !== 'exercise') return card
  return { ...card, questionCount: bundle.questionCounts[card.resourceId] ?? 0 }
}

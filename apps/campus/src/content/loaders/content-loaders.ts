import { z } from 'zod'
/**
 * Lesson content pages: article, video, exercise. Each builds the lesson layout (reusing the
 * bundle the layout loader read in this request, content/store.ts), then finds the resource placed in that
 * lesson with the URL's type and slug. The resource itself must be whole: a missing YouTube id,
 * a malformed one, or any other metadata problem is a 404 with a warning naming the field.
 *
 * @module
 */

import type {
  ArticlePageData,
  ExercisePageData,
  Loaded,
  QuestionView,
  VideoPageData,
} from '../page-data.js'
import type { ContentSource } from '../source.js'
import type { AssessmentItemRecord } from '../types.js'
import {
  type LessonParams,
  type LessonScope,
  loadLessonLayout,
  logServed,
} from './course-loaders.js'
import { contentCard, findPlacedResource, type PlacedContent } from './interactive-helpers.js'
import { type LessonContentType, lessonContentPath } from './paths.js'

/** `/:subject/:course/:unit/:lesson/{a,v,e}/:slug` */
export interface ContentParams extends LessonParams {
  slug: string
}

/** The privacy-enhanced embed of a YouTube video. */
export function youtubeEmbedUrl(youtubeId: string): string {
  return `https://www.youtube-nocookie.com/embed/${youtubeId}`
}

const itemBody = z.object({
  prompt: z.string(),
  choices: z.array(z.string()).min(1),
  correct: z.number().int().nonnegative(),
})

/**
 * The items whose body has the shape a page can render; each other one is skipped with a
 * warning (`bundle_invalid_metadata`), so one broken question never turns a page into a 500.
 */
export function usableItems(
  source: ContentSource,
  resourceSourcedId: string,
  items: readonly AssessmentItemRecord[],
): AssessmentItemRecord[] {
  return items.filter((item) => {
    const parsed = itemBody.safeParse(item.body)
    if (parsed.success) return true
    source.ctx.logger.warn(
      {
        family: source.family,
        resourceSourcedId,
        itemId: item.sourcedId,
        field: ['body', ...(parsed.error.issues[0]?.path ?? [])].join('.'),
        outcome: 'bundle_invalid_metadata',
        reason: 'invalid_metadata',
      },
      'assessment item skipped',
    )
    return false
  })
}

/** An item as the learner sees it: prompt and choices, never the answer. */
export function questionView(item: AssessmentItemRecord): QuestionView {
  return {
    itemId: item.sourcedId,
    identifier: item.identifier,
    prompt: item.body.prompt,
    choices: [...item.body.choices],
  }
}

interface LoadedContent<T extends LessonContentType> {
  lesson: LessonScope
  placed: PlacedContent<T>
}

async function loadContent<T extends LessonContentType>(
  source: ContentSource,
  request: object | undefined,
  params: ContentParams,
  type: T,
): Promise<Loaded<LoadedContent<T>>> {
  const lesson = await loadLessonLayout(source, request, params)
  if (!lesson.ok) return lesson
  const placed = findPlacedResource(lesson.data.scope, lesson.data.lesson, type, params.slug, {
    unitId: lesson.data.unit.sourcedId,
    lessonId: lesson.data.lesson.sourcedId,
  })
  if (!placed.ok) return placed
  return { ok: true, data: { lesson: lesson.data, placed: placed.data } }
}

function card<T extends LessonContentType>(content: LoadedContent<T>) {
  const { lesson, placed } = content
  const { subjectSlug, courseSlug } = lesson.scope
  const path = lessonContentPath(
    subjectSlug,
    courseSlug,
    lesson.unitSlug,
    lesson.lessonSlug,
    placed.metadata.type,
    placed.metadata.slug,
  )
  return contentCard(lesson.scope.bundle, placed.placement, placed.resource, placed.metadata, path)
}

/** `/…/:lesson/a/:slug` */
export async function fetchArticlePageData(
  source: ContentSource,
  request: object | undefined,
  params: ContentParams,
): Promise<Loaded<ArticlePageData>> {
  const found = await loadContent(source, request, params, 'article')
  if (!found.ok) return found
  const { lesson, placed } = found.data
  logServed(lesson.scope, 'fetchArticlePageData')
  return {
    ok: true,
    data: {
      layout: lesson.layout,
      resource: card(found.data),
      paragraphs: placed.metadata.paragraphs,
    },
  }
}

/** `/…/:lesson/v/:slug` (the YouTube id was checked against `YOUTUBE_ID` by validation). */
export async function fetchVideoPageData(
  source: ContentSource,
  request: object | undefined,
  params: ContentParams,
): Promise<Loaded<VideoPageData>> {
  const found = await loadContent(source, request, params, 'video')
  if (!found.ok) return found
  const { lesson, placed } = found.data
  logServed(lesson.scope, 'fetchVideoPageData')
  return {
    ok: true,
    data: {
      layout: lesson.layout,
      resource: card(found.data),
      youtubeId: placed.metadata.youtubeId,
      durationSeconds: placed.metadata.durationSeconds ?? null,
      embedUrl: youtubeEmbedUrl(placed.metadata.youtubeId),
    },
  }
}

/** `/…/:lesson/e/:slug`: every question of the exercise, in authored order. */
export async function fetchExercisePageData(
  source: ContentSource,
  request: object | undefined,
  params: ContentParams,
): Promise<Loaded<ExercisePageData>> {
  const found = await loadContent(source, request, params, 'exercise')
  if (!found.ok) return found
  const { lesson, placed } = found.data
  const items = usableItems(
    source,
    placed.resource.sourcedId,
    await source.assessmentItems(lesson.scope.bundle.orgId, placed.resource.sourcedId),
  )
  logServed(lesson.scope, 'fetchExercisePageData')
  return {
    ok: true,
    data: { layout: lesson.layout, resource: card(found.data), questions: items.map(questionView) },
  }
}

/**
 * Pages inside a lesson: the frame with the lesson's content list, and the article, video and
 * exercise pages in it. The lesson path itself shows its first content item in the frame (or
 * the list alone when the lesson is empty).
 *
 * @module
 */
import type { Child } from 'hono/jsx'
import type {
  ArticlePageData,
  ContentCard,
  ExercisePageData,
  LessonLayoutData,
  VideoPageData,
} from '../../content/page-data.js'
import { ANONYMOUS, type PageViewer } from '../../practice/viewer.js'
import { Layout } from '../layout.js'
import { ContentLink, kindLabel, unitCrumbs } from './parts.js'
import { PracticeForm } from './practice-form.js'

/** Where a lesson page is shown: at its own path (the lesson path) or the lesson's path. */
export interface LessonView {
  /** True when rendered at `/:subject/:course/:unit/:lesson` rather than the content's path. */
  atLessonPath?: boolean
  /** Who is looking (the practice form and progress depend on it). */
  viewer?: PageViewer
}

// Only the no-cookie embed of an 11-character id is framed: the URL comes from data, and an
// attribute value is escaped but not otherwise checked by JSX.
const EMBED_URL = /^https:\/\/www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}$/

function LessonFrame({
  layout,
  current,
  title,
  atLessonPath,
  viewer = ANONYMOUS,
  children,
}: {
  layout: LessonLayoutData
  current: ContentCard | null
  title: string
  atLessonPath: boolean
  viewer?: PageViewer | undefined
  children?: Child
}) {
  const { course, unit, lesson } = layout
  const crumbs = [...unitCrumbs(course, unit), { label: lesson.title, path: lesson.path }]
  if (!atLessonPath && current) crumbs.push({ label: current.title, path: current.path })
  return (
    <Layout title={title} breadcrumbs={crumbs} viewer={viewer}>
      <div class="lesson-frame">
        <nav class="lesson-nav" aria-label="Lesson contents">
          <p class="meta">Lesson</p>
          <h2>
            <a href={lesson.path}>{lesson.title}</a>
          </h2>
          <ul class="plain">
            {lesson.contents.map((card) => (
              <ContentLink
                card={card}
                current={card.resourceId === current?.resourceId}
                viewer={viewer}
              />
            ))}
          </ul>
          <p>
            <a href={unit.path}>{`Back to unit: ${unit.title}`}</a>
          </p>
        </nav>
        <div>{children}</div>
      </div>
    </Layout>
  )
}

function ResourceHeading({ resource }: { resource: ContentCard }) {
  return (
    <>
      <p class="meta">{kindLabel(resource.type)}</p>
      <h1>{resource.title}</h1>
    </>
  )
}

/** A lesson with no content to show first: its frame and list. */
export function LessonOverviewPage({
  data,
  viewer,
}: {
  data: LessonLayoutData
  viewer?: PageViewer
}) {
  return (
    <LessonFrame
      layout={data}
      current={null}
      title={data.lesson.title}
      atLessonPath={true}
      viewer={viewer}
    >
      <h1>{data.lesson.title}</h1>
      <p class="meta">{`${data.lesson.xp} XP`}</p>
      {data.lesson.contents.length === 0 ? <p>This lesson has no content yet.</p> : null}
    </LessonFrame>
  )
}

/** `/…/:lesson/a/:slug` */
export function ArticlePage({ data, view = {} }: { data: ArticlePageData; view?: LessonView }) {
  return (
    <LessonFrame
      layout={data.layout}
      current={data.resource}
      title={data.resource.title}
      atLessonPath={view.atLessonPath ?? false}
      viewer={view.viewer}
    >
      <article>
        <ResourceHeading resource={data.resource} />
        <p class="meta">{`${data.resource.xp} XP`}</p>
        {data.paragraphs.map((text) => (
          <p>{text}</p>
        ))}
      </article>
    </LessonFrame>
  )
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60)
  const rest = Math.round(seconds % 60)
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`
}

/** `/…/:lesson/v/:slug` */
export function VideoPage({ data, view = {} }: { data: VideoPageData; view?: LessonView }) {
  const details = [`${data.resource.xp} XP`]
  if (data.durationSeconds !== null) details.unshift(formatDuration(data.durationSeconds))
  return (
    <LessonFrame
      layout={data.layout}
      current={data.resource}
      title={data.resource.title}
      atLessonPath={view.atLessonPath ?? false}
      viewer={view.viewer}
    >
      <ResourceHeading resource={data.resource} />
      <p class="meta">{details.join(' · ')}</p>
      {EMBED_URL.test(data.embedUrl) ? (
        <div class="video">
          <iframe
            src={data.embedUrl}
            title={data.resource.title}
            loading="lazy"
            referrerpolicy="strict-origin-when-cross-origin"
            allow="encrypted-media; picture-in-picture; fullscreen"
            allowfullscreen
          />
        </div>
      ) : (
        <p>This video cannot be shown.</p>
      )}
    </LessonFrame>
  )
}

/** `/…/:lesson/e/:slug` */
export function ExercisePage({ data, view = {} }: { data: ExercisePageData; view?: LessonView }) {
  const count = data.questions.length
  return (
    <LessonFrame
      layout={data.layout}
      current={data.resource}
      title={data.resource.title}
      atLessonPath={view.atLessonPath ?? false}
      viewer={view.viewer}
    >
      <ResourceHeading resource={data.resource} />
      <p class="meta">{`${count} question${count === 1 ? '' : 's'} · ${data.resource.xp} XP`}</p>
      <PracticeForm
        viewer={view.viewer ?? ANONYMOUS}
        courseId={data.layout.course.courseId}
        resource={data.resource}
        questions={data.questions}
      />
    </LessonFrame>
  )
}

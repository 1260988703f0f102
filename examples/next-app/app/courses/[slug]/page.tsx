import { randomUUID } from 'node:crypto'
import { loadCourse } from '@/lib/courses'

// ISR: rendered on first request, then served from the cache (satchel) for an hour, or until
// revalidateTag(`course:<slug>`) / revalidatePath(`/courses/<slug>`) on any instance.
export const revalidate = 3600
export const dynamicParams = true

export function generateStaticParams(): { slug: string }[] {
  return []
}

export default async function CoursePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params
  const course = await loadCourse(slug)
  return (
    <main>
      <h1>{course.title}</h1>
      <dl>
        <dt>Rendered</dt>
        <dd id="render">{randomUUID()}</dd>
        <dt>By instance</dt>
        <dd id="instance">{process.env.INSTANCE_NAME ?? 'unnamed'}</dd>
        <dt>Data load</dt>
        <dd id="load">{course.loadId}</dd>
        <dt>Loaded at</dt>
        <dd>{course.loadedAt}</dd>
      </dl>
    </main>
  )
}

import { describe, expect, it } from 'vitest'
import type { SubjectHubData, VideoPageData } from '../../src/content/page-data.js'
import { SubjectHubPage } from '../../src/web/pages/home.js'
import { VideoPage } from '../../src/web/pages/lesson.js'
import { notFoundPage } from '../../src/web/render.js'

const EVIL = '<script>alert("x")</script> & \'quotes\''

describe('pages escape data', () => {
  it('titles, descriptions and attributes are escaped', async () => {
    const hub: SubjectHubData = {
      subjectSlug: 'math',
      subjectTitle: EVIL,
      courses: [
        {
          courseId: 'c1',
          title: EVIL,
          slug: 's',
          courseCode: EVIL,
          grades: ['9'],
          description: EVIL,
          subjectTitle: EVIL,
          unitCount: 1,
          totalXp: 5,
          path: '/math/"onmouseover="x',
        },
      ],
    }
    const html = String(await SubjectHubPage({ data: hub }))
    expect(html).not.toContain('<script>')
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;',
    )
    expect(html).toContain('href="/math/&quot;onmouseover=&quot;x"')
    expect(String(await notFoundPage(EVIL))).not.toContain('<script>')
  })

  it('only a youtube-nocookie embed URL becomes an iframe', async () => {
    const card = {
      resourceId: 'r',
      componentResourceId: 'cr',
      type: 'video' as const,
      title: EVIL,
      slug: 'v',
      xp: 1,
      path: '/p',
    }
    const data: VideoPageData = {
      layout: {
        course: {
          courseId: 'c',
          orgId: 'o',
          title: 'C',
          slug: 'c',
          subjectSlug: 'math',
          description: '',
          courseCode: null,
          grades: [],
          path: '/math/c',
        },
        unit: { unitId: 'u', title: 'U', slug: 'u', path: '/math/c/u' },
        lesson: {
          lessonId: 'l',
          title: 'L',
          slug: 'l',
          path: '/math/c/u/l',
          xp: 1,
          contents: [card],
        },
      },
      resource: card,
      youtubeId: 'x',
      durationSeconds: 61,
      embedUrl: 'javascript:alert(1)',
    }
    const bad = String(await VideoPage({ data }))
    expect(bad).not.toContain('<iframe')
    expect(bad).not.toContain('javascript:')
    const good = String(
      await VideoPage({
        data: { ...data, embedUrl: 'https://www.youtube-nocookie.com/embed/abcdefghijk' },
      }),
    )
    expect(good).toContain('<iframe src="https://www.youtube-nocookie.com/embed/abcdefghijk"')
    expect(good).toContain('1 min 1 s')
  })
})

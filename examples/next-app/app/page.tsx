import Link from 'next/link'
import { COURSES } from '@/lib/courses'

export default function Home() {
  return (
    <main>
      <h1>Courses</h1>
      <ul>
        {COURSES.map((slug) => (
          <li key={slug}>
            <Link href={`/courses/${slug}`}>{slug}</Link>
          </li>
        ))}
      </ul>
    </main>
  )
}

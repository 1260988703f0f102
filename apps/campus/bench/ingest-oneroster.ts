/**
 * The OneRoster half of `npm run bench -w campus -- ingest`: generates OneRoster 1.2 CSV sets
 * on disk (streamed, never held in memory) at two sizes, imports each into an emptied database
 * and records rows per second and the peak RSS and heap of this process while it imports. The
 * database server does the storing in its own process; what the importer itself holds is what
 * must stay flat as the set grows (streaming, staged checks in SQL).
 */
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'drizzle-orm'
import type { Database } from '../src/db/client.js'
import { FILES } from '../src/ingest/oneroster/files.js'
import { importOneRoster } from '../src/ingest/oneroster/import.js'

/** One generated size. */
export interface OneRosterSize {
  users: number
  classes: number
  enrollments: number
}

/** What one size measured. */
export interface OneRosterMeasure extends OneRosterSize {
  rows: number
  megabytes: number
  seconds: number
  rowsPerSecond: number
  peakRssMiB: number
  peakHeapMiB: number
  /** Largest heap still in use right after a full collection: what the import holds. */
  peakRetainedHeapMiB: number
  baselineRssMiB: number
  baselineHeapMiB: number
  status: string
}

// A full collection on demand, without a command-line flag: the retained heap (heap in use right
// after a collection) is what shows whether the importer holds rows; the plain heap peak mostly
// shows when V8 chose to collect.
setFlagsFromString('--expose_gc')
const collect = runInNewContext('gc') as () => void

const DLM = '2024-08-01T00:00:00.000Z'
const SCHOOLS = 20

/** Writes lines to a file with back-pressure. */
async function writeLines(
  path: string,
  header: string,
  count: number,
  line: (i: number) => string,
) {
  const out = createWriteStream(path)
  out.write(`${header}\n`)
  for (let i = 0; i < count; i++) {
    if (!out.write(`${line(i)}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  out.end()
  await finished(out)
}

const header = (file: string) =>
  (FILES.find((f) => f.name === file)?.fields ?? []).map((f) => f.header).join(',')
const pad = (n: number) => String(n).padStart(6, '0')

/** Generates a bulk set of `size` into `dir`; returns its row count. */
export async function generateOneRosterSet(dir: string, size: OneRosterSize): Promise<number> {
  await mkdir(dir, { recursive: true })
  const courses = 100
  const files = ['orgs', 'academicSessions', 'courses', 'classes', 'users', 'roles', 'enrollments']
  await writeLines(join(dir, 'manifest.csv'), 'propertyName,value', files.length + 2, (i) =>
    i === 0
      ? 'manifest.version,1.0'
      : i === 1
        ? 'oneroster.version,1.2'
        : `file.${files[i - 2]},bulk`,
  )
  await writeLines(join(dir, 'orgs.csv'), header('orgs.csv'), SCHOOLS + 1, (i) =>
    i === 0
      ? `dist,active,${DLM},District,district,D,`
      : `sch${i},active,${DLM},School ${i},school,S${i},dist`,
  )
  await writeLines(join(dir, 'academicSessions.csv'), header('academicSessions.csv'), 3, (i) =>
    i === 0
      ? `y25,active,${DLM},2024-2025,schoolYear,2024-08-01,2025-06-30,,2025`
      : `t${i},active,${DLM},Term ${i},term,${i === 1 ? '2024-08-01,2024-12-20' : '2025-01-06,2025-06-30'},y25,2025`,
  )
  await writeLines(
    join(dir, 'courses.csv'),
    header('courses.csv'),
    courses,
    (i) => `crs${i},active,${DLM},y25,Course ${i},C${i},"09,10",dist,Math,`,
  )
  const school = (i: number) => `sch${(i % SCHOOLS) + 1}`
  await writeLines(
    join(dir, 'classes.csv'),
    header('classes.csv'),
    size.classes,
    (i) =>
      `cls${i},active,${DLM},Class ${i},09,crs${i % courses},K${i},scheduled,Room ${i % 40},${school(i)},"t1,t2",Math,,${(i % 8) + 1}`,
  )
  const teachers = Math.max(1, Math.floor(size.users / 20))
  await writeLines(
    join(dir, 'users.csv'),
    header('users.csv').replace(',resourceSourcedIds', ''),
    size.users,
    (i) =>
      `usr${pad(i)},active,${DLM},true,user${pad(i)},{SIS:${i}},Given${i},Family${i},,${i},user${pad(i)}@example.org,,,,${i < teachers ? '' : '09'},,,,,,${school(i)},`,
  )
  await writeLines(
    join(dir, 'roles.csv'),
    header('roles.csv'),
    size.users,
    (i) =>
      `rol${pad(i)},active,${DLM},usr${pad(i)},primary,${i < teachers ? 'teacher' : 'student'},,,${school(i)},`,
  )
  await writeLines(
    join(dir, 'enrollments.csv'),
    header('enrollments.csv'),
    size.enrollments,
    (i) => {
      const cls = i % size.classes
      // Students only, spread over classes; a class's students come from its own school.
      const student =
        teachers + ((Math.floor(i / size.classes) * size.classes + cls) % (size.users - teachers))
      return `enr${i},active,${DLM},cls${cls},${school(cls)},usr${pad(student)},student,false,,`
    },
  )
  return SCHOOLS + 1 + 3 + courses + size.classes + size.users * 2 + size.enrollments
}

/** Empties the OneRoster tables (children first) so each size imports into an empty database. */
async function emptyTables(db: Database): Promise<void> {
  const names = [...FILES].reverse().map((f) => sql.identifier(f.table))
  await db.execute(sql`TRUNCATE ${sql.join(names, sql`, `)} CASCADE`)
}

const MiB = 1024 * 1024

/** Generates, imports and measures one size. */
export async function measureOneRoster(
  db: Database,
  size: OneRosterSize,
): Promise<OneRosterMeasure> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-oneroster-'))
  try {
    const rows = await generateOneRosterSet(dir, size)
    let bytes = 0
    for (const f of [
      'orgs',
      'academicSessions',
      'courses',
      'classes',
      'users',
      'roles',
      'enrollments',
    ]) {
      bytes += (await stat(join(dir, `${f}.csv`))).size
    }
    await emptyTables(db)
    collect()
    const baseline = process.memoryUsage()
    let peakRss = baseline.rss
    let peakHeap = baseline.heapUsed
    let peakRetained = baseline.heapUsed
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peakRss = Math.max(peakRss, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
    }, 20)
    const retained = setInterval(() => {
      collect()
      peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed)
    }, 500)
    const started = performance.now()
    const result = await importOneRoster(db, { path: dir, via: 'cli' })
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    clearInterval(retained)
    if (result.status !== 'succeeded') {
      console.error(result.problems.slice(0, 20).join('\n'))
    }
    return {
      ...size,
      rows,
      megabytes: Math.round((bytes / MiB) * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / seconds),
      peakRssMiB: Math.round(peakRss / MiB),
      peakHeapMiB: Math.round(peakHeap / MiB),
      peakRetainedHeapMiB: Math.round(peakRetained / MiB),
      baselineRssMiB: Math.round(baseline.rss / MiB),
      baselineHeapMiB: Math.round(baseline.heapUsed / MiB),
      status: result.status,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The sizes measured: a fifth of the target, then the target (50k users). */
export const ONEROSTER_SIZES: readonly OneRosterSize[] = [
  { users: 10_000, classes: 400, enrollments: 40_000 },
  { users: 50_000, classes: 2_000, enrollments: 200_000 },
]

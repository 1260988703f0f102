/**
 * `npm run bench -w campus -- ingest` (or `ingest-ixl`): IXL import throughput and memory.
 *
 * Writes a roster of 50,000 learners in one school, generates IXL diagnostic exports
 * (percentile/level/tier layout, 27 columns, 7 strands) of 10,000 and 50,000 rows, and imports
 * each into an empty score table: rows per second, and peak JS heap and RSS above the level
 * before the import, sampled every 20 ms. Memory should not grow with the file: the importer
 * streams, and holds only a batch plus one key per learner seen (for duplicate detection).
 *
 * Uses DATABASE_URL (a private schema) when set, else an in-memory PGlite (whose WASM memory
 * shows in RSS, not in the JS heap). Writes bench/results/ingest-ixl.json.
 */

import { once } from 'node:events'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseHandle } from '../src/db/client.js'
import { orgs, userRoles, users } from '../src/db/schema.js'
import { importIxlFile } from '../src/ingest/ixl/import.js'
import { IXL_LAYOUTS } from '../src/ingest/ixl/layouts.js'
import { openBenchDatabase } from './database.js'
import { machine, writeResult } from './report.js'

const ROSTER = 50_000
const SIZES = [10_000, 50_000]
const ORG = 'org-bench-school'
const GRADES = ['K', '1', '2', '03', '4', '5', '6', '7', '8']
const TIERS = ['Far below grade', 'Below grade', 'On grade', 'Above grade']

const studentId = (i: number) => `S-${String(i).padStart(6, '0')}`

async function writeRoster(database: DatabaseHandle): Promise<void> {
  await database.db.insert(orgs).values({ sourcedId: ORG, name: 'Bench School', type: 'school' })
  for (let start = 0; start < ROSTER; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, ROSTER - start) }, (_, j) => start + j + 1)
    await database.db.insert(users).values(
      batch.map((i) => ({
        sourcedId: `u-${i}`,
        username: `u-${i}`,
        givenName: `Given${i % 997}`,
        familyName: `Family${i}`,
        identifier: studentId(i),
        grades: [gradeCode(i)],
      })),
    )
    await database.db.insert(userRoles).values(
      batch.map((i) => ({
        sourcedId: `r-${i}`,
        userSourcedId: `u-${i}`,
        roleType: 'primary',
        role: 'student',
        orgSourcedId: ORG,
      })),
    )
  }
}

function gradeCode(i: number): string {
  const g = GRADES[i % GRADES.length] ?? 'K'
  return g === 'K' ? 'KG' : g.padStart(2, '0')
}

/** Writes an export of `rows` rows, streamed to disk with backpressure. */
async function writeExport(path: string, rows: number): Promise<void> {
  const layout = IXL_LAYOUTS.find((l) => l.id === 'diagnostic-levels-percentile-tier-math-2024')
  if (!layout) throw new Error('layout missing')
  const out = createWriteStream(path)
  const quote = (c: string) => (/[",]/.test(c) ? `"${c}"` : c)
  out.write(`${layout.columns.map(quote).join(',')}\n`)
  for (let i = 1; i <= rows; i++) {
    const cells = layout.columns.map((column, c) => {
      if (column === 'ID') return studentId(i)
      if (column === 'First name') return `Given${i % 997}`
      if (column === 'Last name') return `Family${i}`
      if (column === 'Grade') return GRADES[i % GRADES.length] ?? 'K'
      if (column === 'Teacher(s)') return '"Smith, J"'
      if (column === 'Courses') return 'Math'
      if ((i + c) % 11 === 0) return '--'
      if (column.endsWith('percentile')) return String(1 + ((i * 7 + c) % 99))
      if (column.endsWith('tier')) return TIERS[(i + c) % 4] ?? 'On grade'
      return String(100 + ((i * 13 + c * 31) % 800))
    })
    if (!out.write(`${cells.join(',')}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

interface Measured {
  rows: number
  seconds: number
  rowsPerSecond: number
  scoreRowsWritten: number
  peakHeapMiB: number
  peakRssMiB: number
  heapAboveStartMiB: number
  rssAboveStartMiB: number
}

async function measure(database: DatabaseHandle, path: string, rows: number): Promise<Measured> {
  await database.db.execute('truncate external_assessment_scores, import_runs cascade' as never)
  ;(globalThis as { gc?: () => void }).gc?.()
  const start = process.memoryUsage()
  let peakHeap = start.heapUsed
  let peakRss = start.rss
  const sample = setInterval(() => {
    const m = process.memoryUsage()
    peakHeap = Math.max(peakHeap, m.heapUsed)
    peakRss = Math.max(peakRss, m.rss)
  }, 20)
  const t0 = performance.now()
  let lastLine = t0
  const result = await importIxlFile({
    db: database.db,
    liveRunProgress: database.kind === 'pg',
    orgSourcedId: ORG,
    path,
    via: 'cli',
    onProgress: (p) => {
      const now = performance.now()
      if (now - lastLine > 5000) {
        lastLine = now
        process.stdout.write(`  ${rows} rows: ${p.counts.rowsRead} read\n`)
      }
    },
  })
  const seconds = (performance.now() - t0) / 1000
  clearInterval(sample)
  if (result.status !== 'succeeded') {
    throw new Error(`import failed: ${result.summary}\n${result.problems.slice(0, 5).join('\n')}`)
  }
  const mib = (b: number) => +(b / 2 ** 20).toFixed(1)
  return {
    rows,
    seconds: +seconds.toFixed(2),
    rowsPerSecond: Math.round(rows / seconds),
    scoreRowsWritten: result.counts.rowsInserted,
    peakHeapMiB: mib(peakHeap),
    peakRssMiB: mib(peakRss),
    heapAboveStartMiB: mib(peakHeap - start.heapUsed),
    rssAboveStartMiB: mib(peakRss - start.rss),
  }
}

/** Runs the IXL ingestion benchmark and writes its result. */
export async function ingestIxlBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'campus-bench-ixl-'))
  const database = await openBenchDatabase('ixl', 4)
  try {
    process.stdout.write(`ingest-ixl: writing a roster of ${ROSTER} learners (${database.kind})\n`)
    await writeRoster(database)
    const results: Measured[] = []
    for (const rows of SIZES) {
      const path = join(dir, `ixl-${rows}.csv`)
      await writeExport(path, rows)
      process.stdout.write(`ingest-ixl: importing ${rows} rows\n`)
      results.push(await measure(database, path, rows))
    }
    console.table(results)
    const file = await writeResult('ingest-ixl', {
      date: new Date().toISOString(),
      machine: machine(),
      database: database.kind,
      roster: ROSTER,
      layout: 'diagnostic-levels-percentile-tier-math-2024',
      results,
    })
    process.stdout.write(`ingest-ixl: wrote ${file}\n`)
  } finally {
    await database.close()
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}

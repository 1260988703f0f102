/**
 * `npm run bench -w campus -- ingest`: import throughput and memory of every ingestion. Each
 * source has its own file (`ingest-oneroster.ts`, …) exporting a measure function; this one
 * opens the database (DATABASE_URL, else an in-memory PGlite, whose memory then counts in this
 * process), runs them and writes bench/results/ingest.json.
 */
import { openDatabase } from '../src/db/client.js'
import { measureOneRoster, ONEROSTER_SIZES, type OneRosterMeasure } from './ingest-oneroster.js'
import { machine, writeResult } from './report.js'

/** Runs the ingest suites. */
export async function ingestBench(): Promise<void> {
  const url = process.env.DATABASE_URL
  const database = await openDatabase({ url })
  try {
    const oneroster: OneRosterMeasure[] = []
    for (const size of ONEROSTER_SIZES) {
      const m = await measureOneRoster(database.db, size)
      oneroster.push(m)
      console.log(
        `oneroster ${m.users} users / ${m.classes} classes / ${m.enrollments} enrollments: ` +
          `${m.rows} rows (${m.megabytes} MiB) in ${m.seconds} s = ${m.rowsPerSecond} rows/s; ` +
          `peak RSS ${m.peakRssMiB} MiB (before ${m.baselineRssMiB}), peak heap ${m.peakHeapMiB} MiB, ` +
          `peak retained heap ${m.peakRetainedHeapMiB} MiB (before ${m.baselineHeapMiB}) [${m.status}]`,
      )
    }
    const path = await writeResult('ingest', {
      machine: machine(),
      database: url ? 'postgresql' : 'pglite',
      date: new Date().toISOString(),
      oneroster,
    })
    console.log(`wrote ${path}`)
  } finally {
    await database.close()
  }
}

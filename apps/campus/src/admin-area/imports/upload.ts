/**
 * The admin upload of a OneRoster zip: the request body (the zip's bytes, `application/zip`)
 * is streamed to a private temporary file, never held in memory, and bounded by
 * {@link UPLOAD_LIMIT_BYTES}; the import then runs in the background and the caller polls its
 * run. Requiring `application/zip` is also the CSRF defence of this endpoint: no cross-site
 * form can send that content type, and a cross-site script cannot without a CORS preflight
 * campus never grants.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { CampusDeps } from '../../deps.js'
import { afterImport } from '../../ingest/oneroster/after-import.js'
import { importOneRoster } from '../../ingest/oneroster/import.js'
import type { ImportRun } from '../../ingest/runs.js'
import type { AdminAccess } from '../access.js'

/** Largest zip the admin page accepts (docs/ingestion.md). */
export const UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024

/** Where the upload endpoint lives (app.ts exempts it from the small global body limit). */
export const UPLOAD_PATH = '/api/admin/imports/oneroster'

/**
 * Saves `body` to a temporary file and starts the import; resolves with the run once its row
 * exists (the import goes on in the background, then invalidates caches and warms them).
 */
export async function startUploadedImport(
  deps: CampusDeps,
  access: AdminAccess,
  body: ReadableStream<Uint8Array>,
  fileName: string,
  orgId: string | undefined,
): Promise<ImportRun> {
  const dir = await mkdtemp(join(tmpdir(), 'campus-upload-'))
  const path = join(dir, `${randomUUID()}.zip`)
  try {
    await pipeline(
      Readable.fromWeb(body as WebReadableStream<Uint8Array>),
      createWriteStream(path, { mode: 0o600 }),
    )
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return new Promise<ImportRun>((resolve, reject) => {
    let started = false
    importOneRoster(deps.database.db, {
      path,
      origin: fileName,
      via: 'admin',
      orgId,
      startedBy: access.userId,
      onStart: (run) => {
        started = true
        resolve(run)
      },
    })
      .then(async (result) => {
        if (result.status === 'succeeded') await afterImport(deps, result.affected)
      })
      .catch((error: unknown) => {
        if (!started) reject(error)
        else deps.logger.error({ err: error, fileName }, 'OneRoster upload import failed')
      })
      .finally(() => rm(dir, { recursive: true, force: true }))
  })
}

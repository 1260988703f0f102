/**
 * Starts an IXL import from an uploaded file, streamed to a private temporary file by the route
 * (the importer streams from disk, as the command line does), the import runs in the background,
 * and the caller gets the run id as soon as the run row exists, to poll its progress.
 *
 * @module
 */
import { rm } from 'node:fs/promises'
import { announceDataChange } from '../../analytics/changes.js'
import type { CampusDeps } from '../../deps.js'
import { importIxlFile } from '../../ingest/ixl/import.js'
import type { ReceivedUpload } from '../../web/upload-stream.js'

/** Largest IXL export the admin page accepts (the command line has no limit). */
export const IXL_UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024

/** Where the upload form posts (app.ts gives it {@link IXL_UPLOAD_LIMIT_BYTES}). */
export const IXL_UPLOAD_PATH = '/admin/ixl-import'

/** What the form gave. */
export interface IxlUpload {
  orgId: string
  /** The file, streamed to a private temporary directory that the import removes when done. */
  upload: ReceivedUpload
  period: string
  allowUnmatched: boolean
  dryRun: boolean
  startedBy: string | null
}

/** Starts the import; resolves with the run id once the run is recorded. */
export async function startIxlUpload(deps: CampusDeps, upload: IxlUpload): Promise<string> {
  const { dir, path, fileName } = upload.upload
  let announce: (id: string) => void = () => {}
  const runId = new Promise<string>((resolve) => {
    announce = resolve
  })
  const done = importIxlFile({
    db: deps.database.db,
    liveRunProgress: deps.database.kind === 'pg',
    orgSourcedId: upload.orgId,
    path,
    // Problems cite this name (receiveUpload keeps only the base name a browser sends).
    fileName: fileName || 'upload.csv',
    via: 'admin',
    startedBy: upload.startedBy,
    dryRun: upload.dryRun,
    period: upload.period,
    allowUnmatched: upload.allowUnmatched,
    onProgress: (p) => announce(p.runId),
  })
    .then(async (result) => {
      deps.logger.info(
        { importRunId: result.runId, status: result.status, orgId: upload.orgId },
        'IXL upload imported',
      )
      if (result.status !== 'succeeded') return
      await announceDataChange(
        { satchel: deps.satchel, db: deps.database.db, logger: deps.logger },
        { kind: 'import', source: 'ixl-csv', orgIds: [upload.orgId], userIds: [] },
      )
    })
    .finally(() => rm(dir, { recursive: true, force: true }))
  // A failure before the run exists (unknown organisation) rejects the caller; afterwards it is
  // recorded on the run and logged.
  return Promise.race([
    runId,
    done.then(
      () => runId,
      (error: unknown) => {
        deps.logger.error({ err: error, orgId: upload.orgId }, 'IXL upload failed')
        throw error
      },
    ),
  ])
}

/**
 * Starts an IXL import from an uploaded file: the upload is written to a private temporary file
 * (the importer streams from disk, as the command line does), the import runs in the background,
 * and the caller gets the run id as soon as the run row exists, to poll its progress.
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { announceDataChange } from '../../analytics/changes.js'
import type { CampusDeps } from '../../deps.js'
import { importIxlFile } from '../../ingest/ixl/import.js'

/** What the form gave. */
export interface IxlUpload {
  orgId: string
  fileName: string
  bytes: Uint8Array
  period: string
  allowUnmatched: boolean
  dryRun: boolean
  startedBy: string | null
}

/** Starts the import; resolves with the run id once the run is recorded. */
export async function startIxlUpload(deps: CampusDeps, upload: IxlUpload): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'campus-upload-'))
  const path = join(dir, 'upload.csv')
  await writeFile(path, upload.bytes, { mode: 0o600 })
  let announce: (id: string) => void = () => {}
  const runId = new Promise<string>((resolve) => {
    announce = resolve
  })
  const done = importIxlFile({
    db: deps.database.db,
    liveRunProgress: deps.database.kind === 'pg',
    orgSourcedId: upload.orgId,
    path,
    // Only the base name: a browser may send a path, and problems cite this name.
    fileName: upload.fileName.split(/[\\/]/).pop() || 'upload.csv',
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

/**
 * Importing a SCORM package (admin upload and `campus import scorm`): unpack safely, validate
 * the manifest against the files, then store the files and write the package and its SCOs in
 * one transaction. Any problem stops the import before anything is stored; a database failure
 * after the files were stored removes them again. Each import is recorded as an import run
 * (source `scorm-package`) with its outcome and problems.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import { courses, orgs, type ScormVersion, scormPackages, scormScos } from '../db/schema.js'
import { startRun } from '../ingest/runs.js'
import type { ScormContext } from './context.js'
import { forgetCoursePackages } from './course/packages.js'
import { ScormError } from './errors.js'
import { MANIFEST_FILE, validateManifest } from './manifest/validate.js'
import { primeManifest } from './manifest-cache.js'
import { packageKey } from './store/package-store.js'
import { unpackPackage } from './zip/unpack.js'

/** What to import. */
export interface ScormImportInput {
  orgId: string
  bytes: Buffer
  /** The file name as the user gave it (recorded on the import run). */
  origin: string
  via: 'cli' | 'admin'
  userId?: string | null
  /** A course of the org (or of its parent org) whose page lists the package. */
  courseId?: string | null
  /** Called at each stage, for progress on the command line and in logs. */
  onStage?: (stage: ImportStage) => void
}

/** Stages of an import, in order. */
export type ImportStage = 'unpacking' | 'validating' | 'storing' | 'done'

/** A finished import. */
export interface ScormImportResult {
  packageId: string
  title: string
  version: ScormVersion
  edition: number | null
  scoCount: number
  fileCount: number
  /** False when the same bytes were already imported to this org (the existing package). */
  created: boolean
  importRunId: string
}

/**
 * Imports a package or throws a {@link ScormError} listing every problem.
 * @example const result = await importScormPackage(ctx, { orgId, bytes, origin: 'golf.zip', via: 'cli' })
 */
export async function importScormPackage(
  ctx: ScormContext,
  input: ScormImportInput,
): Promise<ScormImportResult> {
  const contentHash = createHash('sha256').update(input.bytes).digest('hex')
  await checkOwner(ctx, input)
  const run = await startRun(ctx.db, {
    source: 'scorm-package',
    origin: input.origin,
    via: input.via,
    orgSourcedId: input.orgId,
    startedBy: input.userId ?? null,
    contentHash,
    filesTotal: 1,
  })
  try {
    input.onStage?.('unpacking')
    const { files, totalBytes } = await unpackPackage(input.bytes, ctx.limits)
    input.onStage?.('validating')
    const xml = files.get(MANIFEST_FILE)
    if (!xml) {
      const nested = [...files.keys()].find((f) => f.endsWith(`/${MANIFEST_FILE}`))
      throw new ScormError(
        'E_SCORM_NO_MANIFEST',
        422,
        `The zip has no ${MANIFEST_FILE} at its root.`,
        {
          problems: [
            nested
              ? `${MANIFEST_FILE}: missing at the root (found ${nested}: zip the package's contents, not its folder)`
              : `${MANIFEST_FILE}: missing at the root of the zip`,
          ],
        },
      )
    }
    const result = validateManifest(xml.toString('utf8'), new Set(files.keys()))
    run.counts.rowsRead = files.size
    if (!result.ok) {
      throw new ScormError(
        'E_SCORM_MANIFEST_INVALID',
        422,
        `${MANIFEST_FILE} has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}: ${result.problems[0]}`,
        { problems: result.problems },
      )
    }
    const manifest = result.manifest
    const existing = await ctx.db
      .select({ id: scormPackages.id, fileCount: scormPackages.fileCount })
      .from(scormPackages)
      .where(
        and(
          eq(scormPackages.orgSourcedId, input.orgId),
          eq(scormPackages.contentHash, contentHash),
        ),
      )
    if (existing[0]) {
      run.counts.filesDone = 1
      run.counts.rowsUnchanged = 1
      await run.finish('succeeded')
      return {
        packageId: existing[0].id,
        title: manifest.title,
        version: manifest.version,
        edition: manifest.summary.edition,
        scoCount: manifest.summary.scoCount,
        fileCount: existing[0].fileCount,
        created: false,
        importRunId: run.id,
      }
    }
    input.onStage?.('storing')
    const packageId = randomUUID()
    const storagePath = packageKey(packageId)
    await ctx.store.put(storagePath, files)
    try {
      await ctx.db.transaction(async (tx) => {
        await tx.insert(scormPackages).values({
          id: packageId,
          orgSourcedId: input.orgId,
          courseSourcedId: input.courseId ?? null,
          title: manifest.title,
          version: manifest.version,
          edition: manifest.summary.edition,
          contentHash,
          storagePath,
          byteSize: totalBytes,
          fileCount: files.size,
          manifest: manifest.summary,
          importRunId: run.id,
          uploadedBy: input.userId ?? null,
        })
        await tx.insert(scormScos).values(
          manifest.items.map((item, i) => ({
            packageId,
            orgSourcedId: input.orgId,
            identifier: item.identifier,
            parentIdentifier: item.parentIdentifier,
            resourceIdentifier: item.resourceIdentifier,
            title: item.title,
            launchHref: item.launchHref,
            parameters: item.parameters,
            scormType: item.scormType ?? 'container',
            sortOrder: i,
            depth: item.depth,
            masteryScore: item.masteryScore,
            completionThreshold: item.completionThreshold,
            launchData: item.launchData,
            maxTimeAllowed: item.maxTimeAllowed,
            timeLimitAction: item.timeLimitAction,
          })),
        )
      })
    } catch (error) {
      await ctx.store.remove(storagePath)
      throw error
    }
    run.counts.filesDone = 1
    run.counts.rowsInserted = 1 + manifest.items.length
    await run.finish('succeeded')
    await forgetCoursePackages(ctx, input.orgId, input.courseId ?? null)
    await primeManifest(
      ctx,
      { id: packageId, orgSourcedId: input.orgId, contentHash, storagePath },
      manifest,
    )
    input.onStage?.('done')
    ctx.logger.info(
      {
        orgId: input.orgId,
        packageId,
        version: manifest.version,
        scoCount: manifest.summary.scoCount,
      },
      'scorm package imported',
    )
    return {
      packageId,
      title: manifest.title,
      version: manifest.version,
      edition: manifest.summary.edition,
      scoCount: manifest.summary.scoCount,
      fileCount: files.size,
      created: true,
      importRunId: run.id,
    }
  } catch (error) {
    if (error instanceof ScormError) {
      run.problem(...error.problems)
      run.counts.rowsRejected = 1
      await run.finish('failed', `${error.code}: ${error.message}`)
    } else {
      await run.finish('failed', (error as Error).message)
    }
    throw error
  }
}

/**
 * The org must exist, and a named course must be one of its courses or one of its parent
 * organisation's (a school attaches packages to the district courses it teaches).
 */
async function checkOwner(ctx: ScormContext, input: ScormImportInput): Promise<void> {
  const [org] = await ctx.db
    .select({ id: orgs.sourcedId, parentId: orgs.parentSourcedId })
    .from(orgs)
    .where(eq(orgs.sourcedId, input.orgId))
  if (!org)
    throw new ScormError(
      'E_SCORM_NOT_FOUND',
      404,
      `organisation ${JSON.stringify(input.orgId)} not found`,
    )
  if (input.courseId) {
    const owners = org.parentId ? [input.orgId, org.parentId] : [input.orgId]
    const [course] = await ctx.db
      .select({ id: courses.sourcedId })
      .from(courses)
      .where(and(eq(courses.sourcedId, input.courseId), inArray(courses.orgSourcedId, owners)))
    if (!course)
      throw new ScormError(
        'E_SCORM_NOT_FOUND',
        404,
        `course ${JSON.stringify(input.courseId)} not found in this organisation`,
      )
  }
}

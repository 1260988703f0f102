/**
 * The parsed-manifest cache: a package's {@link ParsedManifest}, read from the store and
 * parsed once, then served from satchel for an hour. The key carries the organisation (tenant
 * data is never under a global key), the package and the zip's content hash, so a package
 * whose content changed can never be served an old manifest:
 * `campus:o:<org>:scorm-manifest:<packageId>:<sha256>`. Redis down → satchel's L1, then a
 * parse from the store (docs/scorm.md).
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { ScormContext } from './context.js'
import { ScormError } from './errors.js'
import type { ParsedManifest } from './manifest/types.js'
import { MANIFEST_FILE, validateManifest } from './manifest/validate.js'

/** How long a parsed manifest stays cached (satchel spreads it by its default ±10 % jitter). */
export const MANIFEST_TTL = '1h'

/** The cache key of a package's parsed manifest. */
export function manifestKey(
  satchel: Satchel,
  orgId: string,
  packageId: string,
  contentHash: string,
): string {
  return satchel.keys.org(orgId).key('scorm-manifest', packageId, contentHash)
}

/** The package fields the cache needs. */
export interface ManifestSource {
  id: string
  orgSourcedId: string
  contentHash: string
  storagePath: string
}

/** Parses a stored package's manifest (what the cache calls on a miss). */
export async function parseStoredManifest(
  ctx: ScormContext,
  pkg: ManifestSource,
): Promise<ParsedManifest> {
  const xml = await ctx.store.read(pkg.storagePath, MANIFEST_FILE)
  if (!xml) throw new ScormError('E_SCORM_NOT_FOUND', 404, 'the package files are missing')
  const result = validateManifest(
    xml.toString('utf8'),
    new Set(await ctx.store.list(pkg.storagePath)),
  )
  if (!result.ok) {
    throw new ScormError(
      'E_SCORM_MANIFEST_INVALID',
      422,
      'the stored manifest no longer validates',
      {
        problems: result.problems,
      },
    )
  }
  return result.manifest
}

/**
 * The parsed manifest of `pkg`, cached for {@link MANIFEST_TTL}.
 * @example const manifest = await cachedManifest(ctx, packageRow)
 */
export async function cachedManifest(
  ctx: ScormContext,
  pkg: ManifestSource,
): Promise<ParsedManifest> {
  try {
    return await ctx.satchel.cache.getOrSet(
      manifestKey(ctx.satchel, pkg.orgSourcedId, pkg.id, pkg.contentHash),
      () => parseStoredManifest(ctx, pkg),
      { ttl: MANIFEST_TTL },
    )
  } catch (error) {
    // satchel wraps a failed loader (E_FACTORY_ERROR); the caller wants the SCORM error itself.
    const cause = (error as { cause?: unknown }).cause
    throw cause instanceof ScormError ? cause : error
  }
}

/** Stores a manifest just parsed at import, so the first launch is a hit. Never fails. */
export async function primeManifest(
  ctx: ScormContext,
  pkg: ManifestSource,
  manifest: ParsedManifest,
): Promise<void> {
  try {
    await ctx.satchel.cache.set(
      manifestKey(ctx.satchel, pkg.orgSourcedId, pkg.id, pkg.contentHash),
      manifest,
      { ttl: MANIFEST_TTL },
    )
  } catch (error) {
    // Redis is an accelerator: the import stands, the first launch parses instead.
    ctx.logger.warn({ err: error, packageId: pkg.id }, 'scorm manifest not cached')
  }
}

/** Drops a package's cached manifest (when the package is deleted). Never fails. */
export async function forgetManifest(ctx: ScormContext, pkg: ManifestSource): Promise<void> {
  try {
    await ctx.satchel.cache.del(manifestKey(ctx.satchel, pkg.orgSourcedId, pkg.id, pkg.contentHash))
  } catch (error) {
    ctx.logger.warn({ err: error, packageId: pkg.id }, 'scorm manifest not dropped from cache')
  }
}

/**
 * Importing SCORM packages: 1.2 and 2004 (2nd–4th edition), one SCO and several, stored in the
 * filesystem package store with owner-only modes; the parsed manifest cached in Redis under an
 * org-scoped key with the content hash; and every kind of bad package refused with a precise
 * error while nothing is stored (no rows, no files, the import run recorded as failed).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { eq, sql } from 'drizzle-orm'
import { type RedisServer, startRedis } from 'satchel/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importRuns, scormPackages, scormScos } from '../../src/db/schema.js'
import { ScormError } from '../../src/scorm/errors.js'
import { importScormPackage } from '../../src/scorm/import.js'
import { cachedManifest, manifestKey } from '../../src/scorm/manifest-cache.js'
import { startTestCampus, type TestCampus } from '../support/campus.js'
import { buildPackage, fixtureManifest, zipFiles } from './fixtures.js'

const ORG = 'org-school-01'
/** Signature of a zip central directory file header. */
const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02])

describe('SCORM package import', () => {
  let redis: RedisServer
  let campus: TestCampus

  beforeAll(async () => {
    redis = await startRedis()
    campus = await startTestCampus({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await campus?.close()
    await redis?.stop()
  })

  const importBytes = (bytes: Buffer, origin = 'package.zip') =>
    importScormPackage(campus.deps.scorm, { orgId: ORG, bytes, origin, via: 'cli' })

  async function counts() {
    const db = campus.database.db
    const [p] = await db.select({ n: sql<number>`count(*)::int` }).from(scormPackages)
    const [s] = await db.select({ n: sql<number>`count(*)::int` }).from(scormScos)
    const dir = join(campus.dataDir, 'scorm', 'packages')
    return { packages: p?.n, scos: s?.n, stored: existsSync(dir) ? readdirSync(dir).length : 0 }
  }

  /** Imports `bytes`, expecting a refusal with `code`; checks nothing was stored. */
  async function refused(bytes: Buffer, code: string): Promise<ScormError> {
    const before = await counts()
    const error = await importBytes(bytes, `bad-${code}.zip`).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ScormError)
    expect((error as ScormError).code).toBe(code)
    expect(await counts()).toEqual(before)
    const [run] = await campus.database.db
      .select()
      .from(importRuns)
      .where(eq(importRuns.origin, `bad-${code}.zip`))
      .orderBy(sql`${importRuns.startedAt} desc`)
      .limit(1)
    expect(run?.status).toBe('failed')
    expect(run?.source).toBe('scorm-package')
    return error as ScormError
  }

  it.each([
    { label: '1.2', version: '1.2' as const, scos: 1 },
    { label: '1.2', version: '1.2' as const, scos: 3 },
    { label: '2004 2nd edition', version: '2004' as const, edition: 2 as const, scos: 1 },
    { label: '2004 3rd edition', version: '2004' as const, edition: 3 as const, scos: 2 },
    { label: '2004 4th edition', version: '2004' as const, edition: 4 as const, scos: 1 },
    { label: '2004 4th edition', version: '2004' as const, edition: 4 as const, scos: 3 },
  ])('imports SCORM $label with $scos SCO(s)', async ({ label: _label, ...fixture }) => {
    const bytes = buildPackage({
      ...fixture,
      title: `Fixture ${fixture.version} ${fixture.edition ?? ''} x${fixture.scos}`,
    })
    const result = await importBytes(bytes)
    expect(result).toMatchObject({
      version: fixture.version,
      scoCount: fixture.scos,
      created: true,
    })
    expect(result.edition).toBe(fixture.version === '1.2' ? null : fixture.edition)
    const [pkg] = await campus.database.db
      .select()
      .from(scormPackages)
      .where(eq(scormPackages.id, result.packageId))
    expect(pkg?.orgSourcedId).toBe(ORG)
    expect(pkg?.importRunId).toBe(result.importRunId)
    expect(pkg?.manifest.hasSequencing).toBe(fixture.version === '2004')
    const scos = await campus.database.db
      .select()
      .from(scormScos)
      .where(eq(scormScos.packageId, result.packageId))
      .orderBy(scormScos.sortOrder)
    expect(scos.map((s) => s.launchHref)).toEqual(
      Array.from({ length: fixture.scos }, (_, i) => `sco${i + 1}.html`),
    )
    expect(scos.every((s) => s.scormType === 'sco' && s.masteryScore === 80)).toBe(true)
    // Files on disk, owner-only.
    const dir = join(campus.dataDir, 'scorm', pkg?.storagePath ?? '')
    expect(readdirSync(dir).sort()).toEqual(
      ['imsmanifest.xml', 'shared', ...scos.map((s) => s.launchHref)].sort(),
    )
    expect(statSync(join(dir, 'sco1.html')).mode & 0o777).toBe(0o600)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(campus.dataDir, 'scorm')).mode & 0o777).toBe(0o700)
  })

  it('recognises the same bytes uploaded again and stores nothing new', async () => {
    const bytes = buildPackage({ version: '1.2', title: 'Twice' })
    const first = await importBytes(bytes)
    const before = await counts()
    const second = await importBytes(bytes)
    expect(second).toMatchObject({ packageId: first.packageId, created: false })
    expect(await counts()).toEqual(before)
  })

  it('caches the parsed manifest for an hour under an org-scoped key with the content hash', async () => {
    const result = await importBytes(buildPackage({ version: '2004', scos: 2, title: 'Cached' }))
    const [pkg] = await campus.database.db
      .select()
      .from(scormPackages)
      .where(eq(scormPackages.id, result.packageId))
    if (!pkg) throw new Error('no package')
    const key = manifestKey(campus.satchel, ORG, pkg.id, pkg.contentHash)
    expect(key).toContain(ORG)
    expect(key).toContain(pkg.contentHash)
    const client = campus.satchel.redis.client
    if (!client) throw new Error('no redis client')
    const stored = await client.keys(`*scorm-manifest*${pkg.id}*`)
    expect(stored).toHaveLength(1)
    const ttl = await client.pttl(stored[0] as string)
    // One hour with satchel's default jitter (±10 %, so entries written together expire apart).
    expect(ttl).toBeGreaterThan(3_600_000 * 0.9 - 60_000)
    expect(ttl).toBeLessThanOrEqual(3_600_000 * 1.1)
    // A miss (Redis emptied, process tier bypassed by a fresh read) parses from the store again.
    await client.del(stored[0] as string)
    await campus.satchel.cache.del(key)
    const manifest = await cachedManifest(campus.deps.scorm, pkg)
    expect(manifest.items.map((i) => i.identifier)).toEqual(['item1', 'item2'])
    expect(await client.keys(`*scorm-manifest*${pkg.id}*`)).toHaveLength(1)
    // Launches read through the cache: with the manifest file gone from the store, a cached
    // manifest still serves; once the entry is dropped, the store is read again (and fails).
    rmSync(join(campus.dataDir, 'scorm', pkg.storagePath, 'imsmanifest.xml'))
    expect((await cachedManifest(campus.deps.scorm, pkg)).items).toHaveLength(2)
    await campus.satchel.cache.del(key)
    const error = await cachedManifest(campus.deps.scorm, pkg).catch((e: unknown) => e)
    expect((error as ScormError).code).toBe('E_SCORM_NOT_FOUND')
  })

  describe('bad packages: a precise error, nothing stored', () => {
    it('a zip without imsmanifest.xml', async () => {
      const error = await refused(
        buildPackage({ version: '1.2', files: { 'imsmanifest.xml': null } }),
        'E_SCORM_NO_MANIFEST',
      )
      expect(error.problems).toEqual(['imsmanifest.xml: missing at the root of the zip'])
    })

    it('a package zipped with its folder (manifest one level down)', async () => {
      const error = await refused(
        zipFiles({ 'course/imsmanifest.xml': fixtureManifest({ version: '1.2' }) }),
        'E_SCORM_NO_MANIFEST',
      )
      expect(error.problems[0]).toContain('found course/imsmanifest.xml')
    })

    it('a manifest pointing at missing files', async () => {
      const error = await refused(
        buildPackage({
          version: '1.2',
          scos: 2,
          files: { 'sco2.html': null, 'shared/sco.js': null },
        }),
        'E_SCORM_MANIFEST_INVALID',
      )
      expect(error.problems).toEqual(
        expect.arrayContaining([
          'imsmanifest.xml:/manifest/resources/resource[2]/file[1]@href: sco2.html is not in the package',
          'imsmanifest.xml:/manifest/resources/resource[3]/file[1]@href: shared/sco.js is not in the package',
          'imsmanifest.xml:/manifest/resources/resource[2]@href: launch file sco2.html is not in the package',
        ]),
      )
    })

    it('a traversal entry (../../x)', async () => {
      const error = await refused(
        zipFiles({
          'imsmanifest.xml': fixtureManifest({ version: '1.2' }),
          '../../x.html': 'owned',
          'sco1.html': 'x',
        }),
        'E_SCORM_UNSAFE_PATH',
      )
      expect(error.problems).toEqual(['"../../x.html": path traversal ("..")'])
      expect(existsSync(join(campus.dataDir, '..', 'x.html'))).toBe(false)
    })

    it('absolute paths and backslashes', async () => {
      const error = await refused(
        zipFiles({ '/etc/passwd.txt': 'x', 'a\\..\\b.html': 'y' }),
        'E_SCORM_UNSAFE_PATH',
      )
      expect(error.problems).toEqual([
        '"/etc/passwd.txt": absolute path',
        '"a\\\\..\\\\b.html": backslash in name (Windows path separators are not allowed)',
      ])
    })

    it('a zip bomb (compression ratio)', async () => {
      const bomb = new Uint8Array(20 * 1024 * 1024)
      const error = await refused(
        buildPackage({ version: '1.2', files: { 'shared/data.txt': bomb } }),
        'E_SCORM_LIMIT',
      )
      expect(error.problems[0]).toMatch(/^shared\/data\.txt: compression ratio \d+:1 > 100:1/)
    })

    it('a zip bomb that understates its size is stopped while inflating', async () => {
      const bytes = buildPackage({
        version: '1.2',
        files: { 'shared/data.txt': new Uint8Array(5 * 1024 * 1024) },
      })
      // Rewrite the central directory's uncompressed size of shared/data.txt to 1,000 bytes: the
      // ratio check sees a harmless entry, the inflated byte count does not.
      let patched = 0
      for (
        let at = bytes.indexOf(CENTRAL_HEADER);
        at !== -1;
        at = bytes.indexOf(CENTRAL_HEADER, at + 4)
      ) {
        const nameLength = bytes.readUInt16LE(at + 28)
        if (bytes.toString('utf8', at + 46, at + 46 + nameLength) !== 'shared/data.txt') continue
        bytes.writeUInt32LE(1000, at + 24)
        patched++
      }
      expect(patched).toBe(1)
      const error = await refused(bytes, 'E_SCORM_LIMIT')
      expect(error.problems).toEqual(['shared/data.txt: inflates past 1 KiB'])
    })

    it('too many entries', async () => {
      const many: Record<string, string> = {}
      for (let i = 0; i < 5001; i++) many[`f${i}.txt`] = ''
      const error = await refused(zipFiles(many, 0), 'E_SCORM_LIMIT')
      expect(error.problems).toEqual(['(upload): 5001 entries > 5000'])
    })

    it('a non-zip', async () => {
      const error = await refused(Buffer.from('<html>not a zip</html>'), 'E_SCORM_NOT_ZIP')
      expect(error.problems).toEqual(['(upload): does not start with a zip signature'])
      await refused(
        Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]),
        'E_SCORM_NOT_ZIP',
      )
    })

    it('a 2004 package with 1.2 metadata', async () => {
      const manifest = fixtureManifest({ version: '1.2' }).replace(
        '<schemaversion>1.2</schemaversion>',
        '<schemaversion>2004 4th Edition</schemaversion>',
      )
      const error = await refused(
        buildPackage({ version: '1.2', manifest }),
        'E_SCORM_MANIFEST_INVALID',
      )
      expect(error.problems).toHaveLength(1)
      expect(error.problems[0]).toContain(
        'imsmanifest.xml:/manifest/metadata/schemaversion: declares "2004 4th Edition" (SCORM 2004) but the manifest uses SCORM 1.2 metadata: /manifest@xmlns:adlcp = http://www.adlnet.org/xsd/adlcp_rootv1p2',
      )
      expect(error.problems[0]).toContain('/manifest/resources/resource[1]@adlcp:scormtype')
    })

    it('files of a type not allowed', async () => {
      const error = await refused(
        buildPackage({ version: '1.2', files: { 'bin/setup.exe': 'MZ' } }),
        'E_SCORM_FILE_TYPE',
      )
      expect(error.problems).toEqual(['bin/setup.exe: file type not allowed in a SCORM package'])
    })

    it('malformed XML, with its line and column', async () => {
      const error = await refused(
        buildPackage({
          version: '1.2',
          manifest: '<?xml version="1.0"?>\n<manifest identifier="x">\n<metadata></manifest>',
        }),
        'E_SCORM_MANIFEST_INVALID',
      )
      expect(error.problems[0]).toMatch(/^imsmanifest\.xml:3:\d+: /)
    })

    it('bad mastery score, dangling references and sequencing values', async () => {
      const manifest12 = fixtureManifest({ version: '1.2' })
        .replace(
          '<adlcp:masteryscore>80</adlcp:masteryscore>',
          '<adlcp:masteryscore>150</adlcp:masteryscore>',
        )
        .replace('identifierref="res1"', 'identifierref="nope"')
      const error = await refused(
        buildPackage({ version: '1.2', manifest: manifest12 }),
        'E_SCORM_MANIFEST_INVALID',
      )
      expect(error.problems).toEqual(
        expect.arrayContaining([
          'imsmanifest.xml:/manifest/organizations/organization[1]/item[1]@identifierref: "nope" names no resource',
          'imsmanifest.xml:/manifest/organizations/organization[1]/item[1]/adlcp:masteryscore: "150" is not a number from 0 to 100',
        ]),
      )
      const manifest2004 = fixtureManifest({ version: '2004' })
        .replace(
          '<imsss:controlMode choice="true" flow="true"/>',
          '<imsss:controlMode choice="yes" flow="true"/>',
        )
        .replace('<imsss:minNormalizedMeasure>0.8<', '<imsss:minNormalizedMeasure>1.8<')
      const error2 = await refused(
        buildPackage({ version: '2004', manifest: manifest2004 }),
        'E_SCORM_MANIFEST_INVALID',
      )
      expect(error2.problems).toEqual(
        expect.arrayContaining([
          'imsmanifest.xml:/manifest/organizations/organization[1]/imsss:sequencing/imsss:controlMode@choice: "yes" is not true or false',
          'imsmanifest.xml:/manifest/organizations/organization[1]/item[1]/imsss:sequencing/imsss:objectives/imsss:primaryObjective/imsss:minNormalizedMeasure: "1.8" is not a number from -1 to 1',
        ]),
      )
    })
  })
})

/**
 * Which SCORM a manifest is: what `<schemaversion>` declares, checked against the metadata
 * the manifest actually uses (the `adlcp` namespace, `scormtype` vs `scormType`, 1.2-only
 * item elements, 2004 sequencing). A package that declares one version and is written in the
 * other is refused: its run-time data model would not be the one its content calls.
 *
 * @module
 */
import type { ScormVersion } from '../../db/schema.js'
import { attr, child, children, text, type XmlNode } from './xml.js'

/** The namespaces of SCORM 1.2 and 2004 manifests (ADL CAM). */
export const ADLCP_NAMESPACE = {
  '1.2': 'http://www.adlnet.org/xsd/adlcp_rootv1p2',
  '2004': 'http://www.adlnet.org/xsd/adlcp_v1p3',
} as const

const DECLARED: Record<string, { version: ScormVersion; edition: number | null }> = {
  '1.2': { version: '1.2', edition: null },
  'CAM 1.3': { version: '2004', edition: 2 },
  '2004 3rd Edition': { version: '2004', edition: 3 },
  '2004 4th Edition': { version: '2004', edition: 4 },
}

/** The version verdict: the version and edition, or the problems that leave it undecided. */
export type VersionResult =
  | { ok: true; version: ScormVersion; edition: number | null; schemaVersion: string }
  | { ok: false; problems: string[] }

/** Evidence of one version's metadata, each with the manifest path it was found at. */
function evidence(manifest: XmlNode): Record<ScormVersion, string[]> {
  const found: Record<ScormVersion, string[]> = { '1.2': [], '2004': [] }
  const adlcp = attr(manifest, 'xmlns:adlcp')
  if (adlcp === ADLCP_NAMESPACE['1.2']) found['1.2'].push(`/manifest@xmlns:adlcp = ${adlcp}`)
  if (adlcp === ADLCP_NAMESPACE['2004']) found['2004'].push(`/manifest@xmlns:adlcp = ${adlcp}`)
  children(child(manifest, 'resources'), 'resource').forEach((resource, i) => {
    const path = `/manifest/resources/resource[${i + 1}]`
    if (attr(resource, 'scormtype') !== undefined) found['1.2'].push(`${path}@adlcp:scormtype`)
    if (attr(resource, 'scormType') !== undefined) found['2004'].push(`${path}@adlcp:scormType`)
  })
  const walk = (node: XmlNode, path: string) => {
    for (const name of ['masteryscore', 'datafromlms', 'maxtimeallowed', 'timelimitaction']) {
      if (child(node, name)) found['1.2'].push(`${path}/adlcp:${name}`)
    }
    if (child(node, 'sequencing')) found['2004'].push(`${path}/imsss:sequencing`)
    children(node, 'item').forEach((item, i) => {
      walk(item, `${path}/item[${i + 1}]`)
    })
  }
  children(child(manifest, 'organizations'), 'organization').forEach((org, i) => {
    walk(org, `/manifest/organizations/organization[${i + 1}]`)
  })
  return found
}

/** Decides the version of `manifest` (the root element). */
export function detectVersion(manifest: XmlNode): VersionResult {
  const path = '/manifest/metadata/schemaversion'
  const declared = text(child(child(manifest, 'metadata'), 'schemaversion'))
  if (declared === undefined || declared === '') {
    return {
      ok: false,
      problems: [`${path}: missing (must be 1.2, CAM 1.3, 2004 3rd Edition or 2004 4th Edition)`],
    }
  }
  const known = DECLARED[declared]
  if (!known) {
    return {
      ok: false,
      problems: [
        `${path}: ${JSON.stringify(declared)} is not a SCORM version (1.2, CAM 1.3, 2004 3rd Edition or 2004 4th Edition)`,
      ],
    }
  }
  const other: ScormVersion = known.version === '1.2' ? '2004' : '1.2'
  const contrary = evidence(manifest)[other]
  if (contrary.length > 0) {
    return {
      ok: false,
      problems: [
        `${path}: declares ${JSON.stringify(declared)} (SCORM ${known.version}) but the manifest uses SCORM ${other} metadata: ${contrary.slice(0, 5).join('; ')}`,
      ],
    }
  }
  return { ok: true, version: known.version, edition: known.edition, schemaVersion: declared }
}

/**
 * Validation of `imsmanifest.xml` against the package's files: the SCORM version (see
 * version.ts), organizations and items, resources and their launch files, mastery scores and
 * completion thresholds, time limits, and the sequencing basics of 2004 (sequencing.ts).
 * Every problem is reported with its manifest path
 * (`imsmanifest.xml:/manifest/organizations/organization[1]/item[2]@identifierref: …`); a
 * manifest with any problem yields no {@link ParsedManifest}.
 *
 * @module
 */
import type { ScormVersion } from '../../db/schema.js'
import { resolveHref } from './href.js'
import { inRange, masteryFromSequencing, sequencingProblems } from './sequencing.js'
import type { ManifestItem, ParsedManifest } from './types.js'
import { detectVersion } from './version.js'
import { attr, child, children, parseXml, text, type XmlNode } from './xml.js'

/** The manifest's name in the package, and the prefix of every problem. */
export const MANIFEST_FILE = 'imsmanifest.xml'

/** What {@link validateManifest} returns. */
export type ManifestResult =
  | { ok: true; manifest: ParsedManifest }
  | { ok: false; problems: string[] }

const TIME_LIMIT_ACTIONS = new Set([
  'exit,message',
  'exit,no message',
  'continue,message',
  'continue,no message',
])
/** SCORM 1.2 CMITimespan: HHHH:MM:SS(.SS). */
const TIMESPAN_12 = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/
/** ISO 8601 duration as SCORM 2004 uses it. */
const DURATION_2004 = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/

interface Resource {
  path: string
  href: string | undefined
  base: string | undefined
  scormType: 'sco' | 'asset' | null
  node: XmlNode
}

/** Case-insensitive index of the files, to say "found X with other case" in a report. */
function caseIndex(files: ReadonlySet<string>): Map<string, string> {
  const index = new Map<string, string>()
  for (const f of files) index.set(f.toLowerCase(), f)
  return index
}

function missingFile(path: string, lower: Map<string, string>) {
  const near = lower.get(path.toLowerCase())
  return near
    ? `${path} is not in the package (${near} differs in case)`
    : `${path} is not in the package`
}

/**
 * Parses and validates the manifest of a package whose file paths are `files`.
 * @example const result = validateManifest(xml, new Set(files.keys()))
 */
export function validateManifest(xml: string, files: ReadonlySet<string>): ManifestResult {
  const parsed = parseXml(xml)
  if (!parsed.ok) {
    return {
      ok: false,
      problems: [`${MANIFEST_FILE}:${parsed.line}:${parsed.column}: ${parsed.message}`],
    }
  }
  const problems: string[] = []
  const report = (path: string, reason: string) =>
    problems.push(`${MANIFEST_FILE}:${path}: ${reason}`)
  const manifest = child(parsed.root, 'manifest')
  if (!manifest) {
    return { ok: false, problems: [`${MANIFEST_FILE}:/: the root element is not <manifest>`] }
  }
  const identifier = attr(manifest, 'identifier')
  if (!identifier) report('/manifest@identifier', 'missing')

  const detected = detectVersion(manifest)
  if (!detected.ok) for (const p of detected.problems) problems.push(`${MANIFEST_FILE}:${p}`)
  const version: ScormVersion = detected.ok ? detected.version : '2004'

  const lower = caseIndex(files)
  const manifestBase = attr(manifest, 'base')

  // Sequencing collection (2004): ids a sequencing element may reference.
  const collection = new Set<string>()
  children(child(manifest, 'sequencingCollection'), 'sequencing').forEach((s, i) => {
    const id = attr(s, 'ID')
    if (id) collection.add(id)
    const path = `/manifest/imsss:sequencingCollection/imsss:sequencing[${i + 1}]`
    for (const p of sequencingProblems(s, path, new Set())) problems.push(`${MANIFEST_FILE}:${p}`)
  })

  // Resources.
  const resourcesNode = child(manifest, 'resources')
  const resourcesBase = attr(resourcesNode, 'base')
  const resources = new Map<string, Resource>()
  if (!resourcesNode) report('/manifest/resources', 'missing')
  children(resourcesNode, 'resource').forEach((resource, i) => {
    const path = `/manifest/resources/resource[${i + 1}]`
    const id = attr(resource, 'identifier')
    if (!id) {
      report(`${path}@identifier`, 'missing')
      return
    }
    if (resources.has(id)) report(`${path}@identifier`, `${JSON.stringify(id)} is used twice`)
    const rawType = attr(resource, version === '1.2' ? 'scormtype' : 'scormType')
    const type = rawType?.toLowerCase()
    if (type !== undefined && type !== 'sco' && type !== 'asset') {
      report(
        `${path}@adlcp:${version === '1.2' ? 'scormtype' : 'scormType'}`,
        `${JSON.stringify(rawType)} is not sco or asset`,
      )
    }
    const base = attr(resource, 'base')
    const href = attr(resource, 'href')
    resources.set(id, {
      path,
      href,
      base,
      scormType: type === 'sco' || type === 'asset' ? type : null,
      node: resource,
    })
    children(resource, 'file').forEach((file, j) => {
      const fileHref = attr(file, 'href')
      const filePath = `${path}/file[${j + 1}]@href`
      if (!fileHref) {
        report(filePath, 'missing')
        return
      }
      const resolved = resolveHref(fileHref, [manifestBase, resourcesBase, base])
      if (!resolved.ok) {
        report(filePath, resolved.reason)
        return
      }
      if (!files.has(resolved.path)) report(filePath, missingFile(resolved.path, lower))
    })
  })
  // Dependencies, once every resource is known.
  for (const [, resource] of resources) {
    children(resource.node, 'dependency').forEach((dep, j) => {
      const ref = attr(dep, 'identifierref')
      if (!ref || !resources.has(ref)) {
        report(
          `${resource.path}/dependency[${j + 1}]@identifierref`,
          `${JSON.stringify(ref ?? '')} names no resource`,
        )
      }
    })
  }

  // Organizations and the default organization's items.
  const orgsNode = child(manifest, 'organizations')
  const organizations = children(orgsNode, 'organization')
  const defaultId = attr(orgsNode, 'default')
  if (organizations.length === 0)
    report('/manifest/organizations', 'has no organization (a SCORM package needs one to launch)')
  let defaultIndex = organizations.findIndex((o) => attr(o, 'identifier') === defaultId)
  if (defaultId !== undefined && defaultIndex === -1) {
    report('/manifest/organizations@default', `${JSON.stringify(defaultId)} names no organization`)
  }
  if (defaultIndex === -1) defaultIndex = 0
  const ids = new Set<string>()
  const items: ManifestItem[] = []
  let itemCount = 0
  let hasSequencing = false

  const walkItem = (
    item: XmlNode,
    path: string,
    parent: string | null,
    depth: number,
    collect: boolean,
  ) => {
    itemCount++
    const id = attr(item, 'identifier')
    if (!id) report(`${path}@identifier`, 'missing')
    else if (ids.has(id)) report(`${path}@identifier`, `${JSON.stringify(id)} is used twice`)
    else ids.add(id)
    const title = text(child(item, 'title'))
    if (!title) report(`${path}/title`, 'missing or empty')
    const sub = children(item, 'item')
    const ref = attr(item, 'identifierref')
    const sequencing = child(item, 'sequencing')
    if (sequencing) {
      hasSequencing = true
      for (const p of sequencingProblems(sequencing, `${path}/imsss:sequencing`, collection)) {
        problems.push(`${MANIFEST_FILE}:${p}`)
      }
    }
    let launch: { path: string; query: string | null } | null = null
    let resource: Resource | undefined
    if (ref !== undefined) {
      if (sub.length > 0)
        report(`${path}@identifierref`, 'an item with child items cannot reference a resource')
      resource = resources.get(ref)
      if (!resource) report(`${path}@identifierref`, `${JSON.stringify(ref)} names no resource`)
      else if (!resource.href)
        report(`${resource.path}@href`, `missing (item ${JSON.stringify(id ?? '')} launches it)`)
      else {
        const resolved = resolveHref(resource.href, [manifestBase, resourcesBase, resource.base])
        if (!resolved.ok) report(`${resource.path}@href`, resolved.reason)
        else if (!files.has(resolved.path))
          report(`${resource.path}@href`, `launch file ${missingFile(resolved.path, lower)}`)
        else launch = resolved
      }
    } else if (sub.length === 0) {
      report(`${path}`, 'a leaf item must reference a resource (identifierref)')
    }
    const itemFields = readItemFields(item, path, version, sequencing, report)
    const parameters = attr(item, 'parameters')
    if (collect && id) {
      const query = [launch?.query, parameters?.replace(/^[?&]/, '')].filter((q) => q).join('&')
      items.push({
        identifier: id,
        parentIdentifier: parent,
        title: title ?? id,
        depth,
        resourceIdentifier: ref ?? null,
        launchHref: launch?.path ?? null,
        parameters: query === '' ? null : query,
        scormType: resource
          ? (resource.scormType ?? (version === '1.2' ? 'asset' : 'asset'))
          : null,
        ...itemFields,
      })
    }
    sub.forEach((s, i) => {
      walkItem(s, `${path}/item[${i + 1}]`, id ?? null, depth + 1, collect)
    })
  }

  organizations.forEach((org, i) => {
    const path = `/manifest/organizations/organization[${i + 1}]`
    const orgId = attr(org, 'identifier')
    if (!orgId) report(`${path}@identifier`, 'missing')
    const top = children(org, 'item')
    if (top.length === 0) report(path, 'has no item')
    const sequencing = child(org, 'sequencing')
    if (sequencing) {
      hasSequencing = true
      for (const p of sequencingProblems(sequencing, `${path}/imsss:sequencing`, collection)) {
        problems.push(`${MANIFEST_FILE}:${p}`)
      }
    }
    top.forEach((item, j) => {
      walkItem(item, `${path}/item[${j + 1}]`, null, 0, i === defaultIndex)
    })
  })
  const defaultOrg = organizations[defaultIndex]
  const orgTitle = text(child(defaultOrg, 'title'))
  if (defaultOrg && !orgTitle)
    report(`/manifest/organizations/organization[${defaultIndex + 1}]/title`, 'missing or empty')
  const scoCount = items.filter((i) => i.scormType === 'sco').length
  if (
    organizations.length > 0 &&
    items.every((i) => i.launchHref === null) &&
    problems.length === 0
  ) {
    report('/manifest/organizations', 'no item launches anything')
  }

  if (problems.length > 0 || !detected.ok) return { ok: false, problems }
  return {
    ok: true,
    manifest: {
      version: detected.version,
      title: orgTitle || identifier || 'SCORM package',
      items,
      summary: {
        identifier: identifier ?? '',
        schemaVersion: detected.schemaVersion,
        edition: detected.edition,
        defaultOrganization: attr(defaultOrg, 'identifier') ?? '',
        organizationCount: organizations.length,
        itemCount,
        scoCount,
        resourceCount: resources.size,
        hasSequencing,
      },
    },
  }
}

/** Mastery, thresholds, launch data and time limits of an item, each checked. */
function readItemFields(
  item: XmlNode,
  path: string,
  version: ScormVersion,
  sequencing: XmlNode | undefined,
  report: (path: string, reason: string) => void,
): Pick<
  ManifestItem,
  'masteryScore' | 'completionThreshold' | 'launchData' | 'maxTimeAllowed' | 'timeLimitAction'
> {
  let masteryScore: number | null = null
  let completionThreshold: number | null = null
  let maxTimeAllowed: string | null = null
  let timeLimitAction: string | null = null
  let launchData: string | null = null
  if (version === '1.2') {
    const mastery = text(child(item, 'masteryscore'))
    if (mastery !== undefined) {
      if (!inRange(mastery, 0, 100))
        report(
          `${path}/adlcp:masteryscore`,
          `${JSON.stringify(mastery)} is not a number from 0 to 100`,
        )
      else masteryScore = Number(mastery)
    }
    const max = text(child(item, 'maxtimeallowed'))
    if (max !== undefined) {
      if (!TIMESPAN_12.test(max))
        report(
          `${path}/adlcp:maxtimeallowed`,
          `${JSON.stringify(max)} is not a time span HHHH:MM:SS`,
        )
      else maxTimeAllowed = max
    }
    const action = text(child(item, 'timelimitaction'))
    if (action !== undefined) {
      if (!TIME_LIMIT_ACTIONS.has(action))
        report(
          `${path}/adlcp:timelimitaction`,
          `${JSON.stringify(action)} is not one of ${[...TIME_LIMIT_ACTIONS].join(' | ')}`,
        )
      else timeLimitAction = action
    }
    launchData = text(child(item, 'datafromlms')) ?? null
  } else {
    masteryScore = masteryFromSequencing(sequencing)
    const threshold = child(item, 'completionThreshold')
    if (threshold) {
      // 4th edition: attributes; 3rd edition: the element's text.
      const value = attr(threshold, 'minProgressMeasure') ?? text(threshold) ?? ''
      const where =
        attr(threshold, 'minProgressMeasure') !== undefined
          ? `${path}/adlcp:completionThreshold@minProgressMeasure`
          : `${path}/adlcp:completionThreshold`
      if (value !== '' && !inRange(value, 0, 1))
        report(where, `${JSON.stringify(value)} is not a number from 0 to 1`)
      else if (value !== '') completionThreshold = Number(value)
    }
    const action = text(child(item, 'timeLimitAction'))
    if (action !== undefined) {
      if (!TIME_LIMIT_ACTIONS.has(action))
        report(
          `${path}/adlcp:timeLimitAction`,
          `${JSON.stringify(action)} is not one of ${[...TIME_LIMIT_ACTIONS].join(' | ')}`,
        )
      else timeLimitAction = action
    }
    const limit = attr(child(sequencing, 'limitConditions'), 'attemptAbsoluteDurationLimit')
    if (limit !== undefined) {
      if (!DURATION_2004.test(limit))
        report(
          `${path}/imsss:sequencing/imsss:limitConditions@attemptAbsoluteDurationLimit`,
          `${JSON.stringify(limit)} is not an ISO 8601 duration`,
        )
      else maxTimeAllowed = limit
    }
    launchData = text(child(item, 'dataFromLMS')) ?? null
  }
  return { masteryScore, completionThreshold, launchData, maxTimeAllowed, timeLimitAction }
}

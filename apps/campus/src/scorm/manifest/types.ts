/**
 * The parsed manifest: what campus keeps of `imsmanifest.xml` once it validates.
 *
 * @module
 */
import type { ScormManifestSummary, ScormVersion } from '../../db/schema.js'

/** One item of the default organization, in document order. */
export interface ManifestItem {
  identifier: string
  parentIdentifier: string | null
  title: string
  depth: number
  /** The resource it launches; null for a container item. */
  resourceIdentifier: string | null
  /** Package-relative launch path (with `xml:base` applied, no query); null for a container. */
  launchHref: string | null
  /** Query string to launch with: the resource href's own and the item's `parameters`. */
  parameters: string | null
  scormType: 'sco' | 'asset' | null
  /** 0–100: 1.2 `masteryscore`, or 2004 `minNormalizedMeasure` × 100 when satisfied by measure. */
  masteryScore: number | null
  completionThreshold: number | null
  launchData: string | null
  maxTimeAllowed: string | null
  timeLimitAction: string | null
}

/** A validated manifest. */
export interface ParsedManifest {
  version: ScormVersion
  title: string
  summary: ScormManifestSummary
  items: ManifestItem[]
}

/**
 * What the SCORM import and run-time need, built once per process (deps.ts) or per command.
 *
 * @module
 */
import type { Satchel } from 'satchel'
import type { Database } from '../db/client.js'
import type { CampusLogger } from '../logger.js'
import type { PackageStore } from './store/package-store.js'
import type { UnpackLimits } from './zip/limits.js'

/** The SCORM parts of campus. */
export interface ScormContext {
  db: Database
  satchel: Satchel
  store: PackageStore
  limits: UnpackLimits
  logger: CampusLogger
}

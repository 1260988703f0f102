import { pino } from 'pino'
import type { CampusConfig } from './config.js'

/** Campus's structured logger (pino): one JSON object per line, the field names docs/oneroster-bundle.md lists. */
export type CampusLogger = pino.Logger

/** A logger at the configured level, writing JSON lines to stdout. */
export function createLogger(level: CampusConfig['logLevel'] = 'info'): CampusLogger {
  return pino({ level, base: { service: 'campus' } })
}

/**
 * Size bounds of a OneRoster import (docs/ingestion.md). Files are streamed, so memory does not
 * grow with them; the bounds stop a runaway or hostile input (a zip bomb, a 100 MB stray file)
 * before it costs minutes of database work.
 *
 * @module
 */

/** Bounds of one import. */
export interface ImportLimits {
  /** Largest CSV file, uncompressed. @default 64 MiB */
  maxFileBytes: number
  /** Largest sum of every file, uncompressed. @default 512 MiB */
  maxTotalBytes: number
  /** Most entries in a zip. @default 64 */
  maxEntries: number
}

/** The default bounds. */
export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntries: 64,
}

/** `67108864` → `64 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`
  return `${bytes} bytes`
}

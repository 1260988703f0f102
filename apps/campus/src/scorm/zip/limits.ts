/**
 * Limits of a SCORM zip (docs/scorm.md). Every bound is checked against the central
 * directory before a byte is inflated, and again against the bytes actually inflated, so an
 * archive that lies about its sizes is stopped as it streams.
 *
 * @module
 */

/** Bounds applied while unpacking. */
export interface UnpackLimits {
  /** Largest zip accepted, in bytes. @default 100 MiB */
  maxZipBytes: number
  /** Most entries (files and directories). @default 5000 */
  maxEntries: number
  /** Largest uncompressed entry, in bytes. @default 100 MiB */
  maxEntryBytes: number
  /** Largest uncompressed total, in bytes. @default 250 MiB */
  maxTotalBytes: number
  /**
   * Highest compression ratio (uncompressed ÷ compressed) of an entry larger than
   * {@link ratioFloorBytes}; text compresses 5–20×, a bomb thousands of times. @default 100
   */
  maxRatio: number
  /** Entries smaller than this are not ratio-checked (a tiny file may compress well). @default 1 MiB */
  ratioFloorBytes: number
}

const MIB = 1024 * 1024

/** The defaults of {@link UnpackLimits}. */
export const DEFAULT_UNPACK_LIMITS: Readonly<UnpackLimits> = {
  maxZipBytes: 100 * MIB,
  maxEntries: 5000,
  maxEntryBytes: 100 * MIB,
  maxTotalBytes: 250 * MIB,
  maxRatio: 100,
  ratioFloorBytes: MIB,
}

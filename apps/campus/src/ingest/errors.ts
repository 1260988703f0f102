/**
 * Errors of the importers, with stable codes. Problems in the input itself are not errors: they
 * are collected as `file:row:column: reason` lines on the import run and returned.
 *
 * @module
 */

/** An importer was asked for something it cannot do: unknown organisation, bad arguments. */
export class ImportUsageError extends Error {
  readonly code = 'E_IMPORT_USAGE'
}

/** The Toddle API could not be read (after retries), or answered something campus cannot use. */
export class ToddleApiError extends Error {
  readonly code = 'E_TODDLE_API'
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Every importer error class by code. */
export const importErrors = {
  E_IMPORT_USAGE: ImportUsageError,
  E_TODDLE_API: ToddleApiError,
} as const

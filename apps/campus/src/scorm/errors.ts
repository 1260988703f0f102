/**
 * Errors of SCORM import and run-time: one type with a stable `code`, answered as RFC 9457
 * problem+json. Import failures carry every problem found (`problems`, each naming the zip
 * entry or the manifest path and why); run-time commit failures name each CMI element.
 *
 * @module
 */
import { problemResponse } from 'satchel/http'

/** Stable codes; branch on these, never on messages. */
export type ScormErrorCode =
  /** The upload is not a zip archive (or a damaged one). */
  | 'E_SCORM_NOT_ZIP'
  /** An entry's name escapes the package (`../`, absolute path, backslash, link). */
  | 'E_SCORM_UNSAFE_PATH'
  /** Entry count, size or compression ratio over the limits (a zip bomb, or just too big). */
  | 'E_SCORM_LIMIT'
  /** Files of types a package may not carry. */
  | 'E_SCORM_FILE_TYPE'
  /** No `imsmanifest.xml` at the package root. */
  | 'E_SCORM_NO_MANIFEST'
  /** The manifest is not well-formed XML or breaks SCORM's rules. */
  | 'E_SCORM_MANIFEST_INVALID'
  | 'E_SCORM_NOT_FOUND'
  /** CMI values outside their vocabulary, range or length: nothing of the commit is stored. */
  | 'E_CMI_INVALID'
  /** A commit body that is not the run-time's JSON object. */
  | 'E_CMI_BODY'
  /** A new attempt asked for while the latest one is not finished (resume it instead). */
  | 'E_SCORM_ATTEMPT_OPEN'
  /** The package was archived by an administrator: it can no longer be launched. */
  | 'E_SCORM_PACKAGE_ARCHIVED'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
}

/** A foreseeable failure of a SCORM import or run-time request. */
export class ScormError extends Error {
  readonly code: ScormErrorCode
  readonly status: number
  /** Every problem, one line each (`imsmanifest.xml:/manifest/…: reason`, `cmi.x: reason`). */
  readonly problems: readonly string[]
  constructor(
    code: ScormErrorCode,
    status: number,
    detail: string,
    options: { problems?: readonly string[]; cause?: unknown } = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ScormError'
    this.code = code
    this.status = status
    this.problems = options.problems ?? []
  }

  /** The problem+json response (never stored by a cache). */
  response(): Response {
    return problemResponse(
      {
        title: TITLES[this.status] ?? 'Error',
        status: this.status,
        detail: this.message,
        code: this.code,
        ...(this.problems.length > 0 ? { problems: this.problems } : {}),
      },
      { 'cache-control': 'no-store' },
    )
  }
}

/** 404 for a package, SCO or registration that does not exist or belongs to another org. */
export function scormNotFound(what: string): ScormError {
  return new ScormError('E_SCORM_NOT_FOUND', 404, `${what} not found`)
}

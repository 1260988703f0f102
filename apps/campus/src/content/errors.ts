/** Codes of content errors that are bugs or infrastructure failures (not "not found"). */
export type ContentErrorCode = 'E_BUNDLE_NOT_STASHED' | 'E_CONTENT_LOAD'

/**
 * A content failure that is not the learner's fault. Missing or inconsistent data is not an
 * error: loaders return a `NotFound` result with a warning log instead.
 */
export class ContentError extends Error {
  constructor(
    readonly code: ContentErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'ContentError'
  }
}

/**
 * The security policies of the SCORM routes (docs/scorm.md).
 *
 * The player page runs under the site's policy, widened only to frame campus itself. Package
 * content is served from campus (the SCO must reach the run-time API in its parent window,
 * which a browser allows only within one origin) under a policy of its own: scripts and
 * styles from the package (SCORM authoring tools write inline scripts, so those are allowed
 * there and nowhere else), no plugins, no forms posting anywhere, framed only by campus.
 *
 * @module
 */
import { CONTENT_SECURITY_POLICY, serializeCsp } from '../../security/headers.js'

/** The player page's policy: the site's, with frames from campus itself. */
export const PLAYER_CSP = serializeCsp({ ...CONTENT_SECURITY_POLICY, frameSrc: ["'self'"] })

/** The policy of package content. */
export const CONTENT_CSP = serializeCsp({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'none'"],
  frameAncestors: ["'self'"],
})

/** The iframe `sandbox` of the content frame: scripts, and its own origin for the API. */
export const CONTENT_SANDBOX = 'allow-scripts allow-same-origin allow-forms'

/**
 * The URL a login link points at: the sign-in layer's magic-link redemption, which accepts
 * tokens of purpose `login-link` as single-use sign-ins (docs/auth.md).
 *
 * @module
 */

/** Path of the redemption page; the token goes in `?token=`. */
export const LOGIN_LINK_PATH = '/auth/magic'

/** The absolute link for `token` under `origin` (`https://campus.example`). */
export function loginLinkUrl(origin: string, token: string): string {
  const url = new URL(LOGIN_LINK_PATH, origin)
  url.searchParams.set('token', token)
  return url.toString()
}

/**
 * Password sign-in. An unknown email, an account without a password, a disabled account and a
 * wrong password all get {@link invalidCredentials} after the same scrypt work.
 *
 * @module
 */
import type { Database } from '../db/client.js'
import { findAccountByEmail, primaryRole } from './accounts.js'
import { invalidCredentials } from './errors.js'
import { verifyAgainstDummy, verifyPassword } from './passwords.js'
import type { CreatedSession, SessionStore } from './sessions.js'

/** Where a sign-in comes from (kept on the session row). */
export interface ClientInfo {
  readonly ip?: string | undefined
  readonly userAgent?: string | undefined
}

/**
 * Checks email and password and opens a session.
 * @throws AuthError `E_INVALID_CREDENTIALS` (401) for every kind of failure alike.
 */
export async function passwordLogin(
  db: Database,
  sessions: SessionStore,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<CreatedSession> {
  const account = await findAccountByEmail(db, input.email)
  const role = account?.active ? primaryRole(account.roles) : undefined
  const ok =
    account?.password && role
      ? await verifyPassword(input.password, account.password)
      : await verifyAgainstDummy(input.password)
  if (!ok || !account || !role) throw invalidCredentials()
  return sessions.create({
    userId: account.userId,
    orgId: role.orgId,
    role: role.role,
    ip: client.ip,
    userAgent: client.userAgent,
  })
}

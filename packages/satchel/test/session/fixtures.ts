import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { SessionIndexOptions } from '../../src/session/index.js'
import { tokenHash } from '../../src/session/index.js'
import { type TestDatabase, uniqueName } from '../db.js'

/** The session row the tests store in Postgres. */
export interface Session {
  tokenHash: string
  userId: string
  expiresAt: Date
  revoked: boolean
}

interface Row {
  token_hash: string
  user_id: string
  expires_at: Date
  revoked: boolean
}

/** A one-shot barrier a test opens when it chooses. */
export interface Gate {
  readonly reached: Promise<void>
  open(): void
}

/**
 * A sessions table of one test file plus a loader over it whose calls are counted and which can
 * be held between its database read and its return (to interleave an invalidation there).
 */
export class SessionTable {
  loads = 0
  /** Every raw token issued, to check none ever reaches a key. */
  readonly issued: string[] = []
  #gate: { reached: () => void; released: Promise<void> } | undefined

  constructor(
    readonly db: TestDatabase,
    readonly name = uniqueName('sessions'),
  ) {}

  async create(): Promise<void> {
    await this.db.query(
      `CREATE TABLE ${this.name} (token_hash text PRIMARY KEY, user_id text NOT NULL,
       expires_at timestamptz NOT NULL, revoked boolean NOT NULL DEFAULT false)`,
    )
  }

  async drop(): Promise<void> {
    await this.db.query(`DROP TABLE IF EXISTS ${this.name}`)
  }

  /** Inserts a session (a login) and returns its token. */
  async login(userId: string, ttlMs = 3_600_000): Promise<string> {
    const token = randomBytes(24).toString('base64url')
    this.issued.push(token)
    await this.db.query(
      `INSERT INTO ${this.name} (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
      [tokenHash(token), userId, new Date(Date.now() + ttlMs)],
    )
    return token
  }

  async revokeToken(token: string): Promise<void> {
    await this.db.query(`UPDATE ${this.name} SET revoked = true WHERE token_hash = $1`, [
      tokenHash(token),
    ])
  }

  async revokeUser(userId: string): Promise<void> {
    await this.db.query(`UPDATE ${this.name} SET revoked = true WHERE user_id = $1`, [userId])
  }

  /** The next load stops after reading its row, until the returned gate is opened. */
  holdNextLoad(): Gate {
    let reached!: () => void
    let open!: () => void
    const reachedPromise = new Promise<void>((r) => {
      reached = r
    })
    const released = new Promise<void>((r) => {
      open = r
    })
    this.#gate = { reached, released }
    return { reached: reachedPromise, open }
  }

  readonly load = async (_token: string, info: { tokenHash: string }): Promise<Session | null> => {
    this.loads++
    const rows = await this.db.query<Row>(
      `SELECT token_hash, user_id, expires_at, revoked FROM ${this.name} WHERE token_hash = $1`,
      [info.tokenHash],
    )
    const gate = this.#gate
    if (gate) {
      this.#gate = undefined
      gate.reached()
      await gate.released
    }
    const row = rows[0]
    if (!row) return null
    return {
      tokenHash: row.token_hash,
      userId: row.user_id,
      expiresAt: new Date(row.expires_at),
      revoked: row.revoked,
    }
  }

  options(overrides: Partial<SessionIndexOptions<Session>> = {}): SessionIndexOptions<Session> {
    return {
      load: this.load,
      expiresAt: (s) => s.expiresAt,
      userId: (s) => s.userId,
      isRevoked: (s) => s.revoked,
      capTtl: '15m',
      ...overrides,
    }
  }
}

/** Every key under `prefix`, by SCAN (tests only). */
export async function scanKeys(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    cursor = next
    keys.push(...batch)
  } while (cursor !== '0')
  return keys
}

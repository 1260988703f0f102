/**
 * The checks across rows and files, run as SQL over the staged rows (stage.ts): duplicate
 * `sourcedId`s, references to rows that exist neither in the set nor in the database,
 * usernames taken by another user, and with `--org` rows outside the organisation's tree.
 * Each returns every problem, in file order.
 *
 * @module
 */
import { sql } from 'drizzle-orm'
import { problem } from './errors.js'
import { type FileSpec, fileSpec } from './files.js'
import { queryRows, stageTable, type Tx } from './stage.js'

/** Every row whose `sourcedId` an earlier row of the same file already has. */
export async function duplicateIds(tx: Tx, spec: FileSpec): Promise<string[]> {
  const rows = await queryRows<{ row_no: number; sourced_id: string; first: number }>(
    tx,
    sql`SELECT row_no, sourced_id, first FROM (
          SELECT row_no, sourced_id, min(row_no) OVER (PARTITION BY sourced_id) AS first
          FROM ${stageTable(spec)} WHERE sourced_id IS NOT NULL) d
        WHERE row_no <> first ORDER BY row_no`,
  )
  return rows.map((r) =>
    problem(
      spec.name,
      r.row_no,
      'sourcedId',
      `duplicate sourcedId ${JSON.stringify(r.sourced_id)} (first on row ${r.first})`,
    ),
  )
}

/**
 * Every reference of `spec`'s columns that names no row of the target file in this set and no
 * row of the target table. `staged` is the set of files staged in this run; `unreadable` the
 * files that could not be read whole.
 */
export async function danglingReferences(
  tx: Tx,
  spec: FileSpec,
  staged: ReadonlySet<string>,
  presentColumns: ReadonlySet<string>,
  unreadable: ReadonlySet<string>,
): Promise<string[]> {
  const out: { row_no: number; line: string }[] = []
  for (const field of spec.fields) {
    if (!field.ref || !field.column || !presentColumns.has(field.column)) continue
    const target = fileSpec(field.ref)
    // A target file that could not be read says nothing about which ids exist: its own problem
    // is reported, and listing every reference to it as well would only bury that.
    if (!target || unreadable.has(target.name)) continue
    const column = sql.identifier(field.column)
    const list = field.kind === 'list'
    const value = list ? sql`v.ref` : sql`s.${column}`
    const from = list
      ? sql`${stageTable(spec)} s CROSS JOIN LATERAL unnest(s.${column}) AS v(ref)`
      : sql`${stageTable(spec)} s`
    const inSet = staged.has(target.name)
      ? sql`AND NOT EXISTS (SELECT 1 FROM ${stageTable(target)} t WHERE t.sourced_id = ${value})`
      : sql``
    const rows = await queryRows<{ row_no: number; ref: string }>(
      tx,
      sql`SELECT s.row_no, ${value} AS ref FROM ${from}
          WHERE ${value} IS NOT NULL ${inSet}
            AND NOT EXISTS (SELECT 1 FROM ${sql.identifier(target.table)} t WHERE t.sourced_id = ${value})
          ORDER BY s.row_no`,
    )
    for (const r of rows) {
      out.push({
        row_no: r.row_no,
        line: problem(
          spec.name,
          r.row_no,
          field.header,
          `${JSON.stringify(r.ref)} names no row of ${target.name}${staged.has(target.name) ? '' : ' (not in this set)'} nor of the database`,
        ),
      })
    }
  }
  return out.sort((a, b) => a.row_no - b.row_no).map((o) => o.line)
}

/** users.csv rows whose username another user has (in the file or in the database). */
export async function takenUsernames(tx: Tx, spec: FileSpec): Promise<string[]> {
  const stage = stageTable(spec)
  const rows = await queryRows<{ row_no: number; username: string; other: string; where: string }>(
    tx,
    sql`SELECT row_no, username, other, place AS where FROM (
          SELECT s.row_no, s.username, s.sourced_id AS own, first_value(s.sourced_id) OVER w AS other,
                 first_value(s.row_no) OVER w AS first_row, 'file' AS place
          FROM ${stage} s WHERE s.username IS NOT NULL WINDOW w AS (PARTITION BY s.username ORDER BY s.row_no)) d
        WHERE d.row_no <> d.first_row AND d.other <> d.own
        UNION ALL
        SELECT s.row_no, s.username, u.sourced_id AS other, 'db' AS where
        FROM ${stage} s JOIN users u ON u.username = s.username AND u.sourced_id <> s.sourced_id
        WHERE NOT EXISTS (SELECT 1 FROM ${stage} s2 WHERE s2.sourced_id = u.sourced_id AND s2.username <> u.username)
        ORDER BY 1`,
  )
  return rows.map((r) =>
    problem(
      spec.name,
      r.row_no,
      'username',
      `username ${JSON.stringify(r.username)} is already used by user ${JSON.stringify(r.other)}${r.where === 'db' ? ' in the database' : ' earlier in the file'}`,
    ),
  )
}

/**
 * With `--org`: every organisation reference must be the organisation or one of its
 * descendants (parents from the set and from the database), and a row the set would overwrite
 * must be the organisation's ({@link foreignRows}).
 */
export async function outsideOrg(
  tx: Tx,
  specs: readonly FileSpec[],
  orgId: string,
  staged: ReadonlySet<string>,
): Promise<string[]> {
  const orgsSpec = fileSpec('orgs.csv')
  const stagedOrgs =
    orgsSpec && staged.has(orgsSpec.name)
      ? sql`UNION SELECT sourced_id, parent_sourced_id FROM ${stageTable(orgsSpec)}`
      : sql``
  await tx.execute(
    sql`CREATE TEMP TABLE scope_orgs ON COMMIT DROP AS
        WITH RECURSIVE tree(id, parent) AS (SELECT sourced_id, parent_sourced_id FROM orgs ${stagedOrgs}),
        scope(id) AS (SELECT ${orgId}::text UNION SELECT t.id FROM tree t JOIN scope s ON t.parent = s.id)
        SELECT id FROM scope`,
  )
  const out: string[] = []
  for (const spec of specs) {
    if (!staged.has(spec.name)) continue
    for (const field of spec.fields) {
      // An org row's own id is an organisation too: a set scoped to a school may not carry its district.
      const own = spec.name === 'orgs.csv' && field.header === 'sourcedId'
      if (!(field.org || own) || !field.column) continue
      const rows = await queryRows<{ row_no: number; value: string }>(
        tx,
        sql`SELECT row_no, ${sql.identifier(field.column)} AS value FROM ${stageTable(spec)}
            WHERE ${sql.identifier(field.column)} IS NOT NULL
              AND ${sql.identifier(field.column)} NOT IN (SELECT id FROM scope_orgs) ORDER BY row_no`,
      )
      for (const r of rows) {
        out.push(
          problem(
            spec.name,
            r.row_no,
            field.header,
            `organisation ${JSON.stringify(r.value)} is outside ${JSON.stringify(orgId)} and its schools (--org)`,
          ),
        )
      }
    }
    for (const r of await foreignRows(tx, spec)) {
      out.push(
        problem(
          spec.name,
          r.row_no,
          'sourcedId',
          r.owner === null
            ? `the existing row is not ${JSON.stringify(orgId)}'s (campus made it, or a campus-wide import brought it; --org)`
            : `the existing row belongs to organisation ${JSON.stringify(r.owner)}, outside --org ${JSON.stringify(orgId)}`,
        ),
      )
    }
  }
  return out
}

/**
 * Existing rows a scoped set would overwrite that are not the organisation's: by the row's
 * organisation column when the file has one, else by the organisation of the import run that
 * brought the row (users also count as the organisation's when they hold a role in its tree).
 */
async function foreignRows(
  tx: Tx,
  spec: FileSpec,
): Promise<{ row_no: number; owner: string | null }[]> {
  const table = sql.identifier(spec.table)
  if (spec.orgColumn) {
    const col = sql.identifier(spec.orgColumn)
    return queryRows(
      tx,
      sql`SELECT s.row_no, t.${col} AS owner FROM ${stageTable(spec)} s
          JOIN ${table} t ON t.sourced_id = s.sourced_id
          WHERE t.${col} IS NOT NULL AND t.${col} NOT IN (SELECT id FROM scope_orgs) ORDER BY s.row_no`,
    )
  }
  const member =
    spec.table === 'users'
      ? sql`AND NOT EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_sourced_id = t.sourced_id
                              AND ur.org_sourced_id IN (SELECT id FROM scope_orgs))`
      : sql``
  return queryRows(
    tx,
    sql`SELECT s.row_no, r.org_sourced_id AS owner FROM ${stageTable(spec)} s
        JOIN ${table} t ON t.sourced_id = s.sourced_id
        LEFT JOIN import_runs r ON r.id = t.import_run_id
        WHERE (r.org_sourced_id IS NULL OR r.org_sourced_id NOT IN (SELECT id FROM scope_orgs)) ${member}
        ORDER BY s.row_no`,
  )
}

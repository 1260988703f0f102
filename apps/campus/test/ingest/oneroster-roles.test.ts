/**
 * Imported roles and sign-in: OneRoster's administrator roles sign in as campus's
 * `administrator`; a role an import retires (status `tobedeleted`) no longer signs in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rolesOf } from '../../src/auth/accounts.js'
import { importOneRoster } from '../../src/ingest/oneroster/import.js'
import { type CampusTestDatabase, openCampusTestDatabase } from '../support/db.js'
import { removeDir, validSet, writeSet } from './oneroster-support.js'

let database: CampusTestDatabase
const dirs: string[] = []
beforeAll(async () => {
  database = await openCampusTestDatabase()
})
afterAll(async () => {
  await database?.close()
  for (const dir of dirs) await removeDir(dir)
})

describe('imported roles', () => {
  it('signs siteAdministrator in as administrator, and a retired role not at all', async () => {
    const set = validSet()
    const dir = await writeSet({
      ...set,
      'roles.csv': (set['roles.csv'] ?? '').replace(
        ',primary,teacher,',
        ',primary,siteAdministrator,',
      ),
    })
    dirs.push(dir)
    expect((await importOneRoster(database.db, { path: dir, via: 'cli' })).problems).toEqual([])
    expect(await rolesOf(database.db, 'u2')).toEqual([{ orgId: 's1', role: 'administrator' }])
    expect(await rolesOf(database.db, 'u1')).toEqual([{ orgId: 's1', role: 'student' }])

    const delta = await writeSet({
      'manifest.csv':
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.roles,delta\n',
      'roles.csv':
        'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n' +
        'r2,tobedeleted,2024-09-01T00:00:00.000Z,u2,primary,siteAdministrator,2024-08-01,,s1,\n',
    })
    dirs.push(delta)
    const result = await importOneRoster(database.db, { path: delta, via: 'cli' })
    expect(result.problems).toEqual([])
    // Its sessions' cached copies go after the commit (after-import.ts).
    expect(result.affected.userIds).toEqual(['u2'])
    expect(await rolesOf(database.db, 'u2')).toEqual([])
  })

  it('lets --org overwrite its own members but not rows of a campus-wide import', async () => {
    // u1 holds a role in s1 (first test's import); t1 came from that campus-wide import.
    const delta = await writeSet({
      'manifest.csv':
        'propertyName,value\nmanifest.version,1.0\noneroster.version,1.2\nfile.users,delta\nfile.academicSessions,delta\n',
      'users.csv':
        'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n' +
        'u1,active,2024-09-01T00:00:00.000Z,true,ada,,Ada,King,,,,,,,09,,,,,,s1,\n',
      'academicSessions.csv':
        'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n' +
        't1,active,2024-09-01T00:00:00.000Z,Autumn,term,2024-08-01,2024-12-20,y2025,2025\n',
    })
    dirs.push(delta)
    const result = await importOneRoster(database.db, { path: delta, via: 'cli', orgId: 's1' })
    expect(result.problems).toEqual([
      `academicSessions.csv:2:sourcedId: the existing row is not "s1"'s (campus made it, or a campus-wide import brought it; --org)`,
    ])
  })
})

/**
 * Helpers of the OneRoster tests: a small valid set written as files, with any file replaced
 * or added, and a count of every OneRoster row (to prove a refused import wrote nothing).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'
import { FILES } from '../../src/ingest/oneroster/files.js'

/** A fresh temporary directory. */
export function tempDir(prefix = 'oneroster-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** Removes a temporary directory. */
export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true })
}

const DLM = '2024-08-01T00:00:00.000Z'

/** A small valid bulk set: one district, one school, a term, a course, a class, two users… */
export function validSet(): Record<string, string> {
  const manifest = [
    'propertyName,value',
    'manifest.version,1.0',
    'oneroster.version,1.2',
    'file.academicSessions,bulk',
    'file.categories,bulk',
    'file.classes,bulk',
    'file.courses,bulk',
    'file.enrollments,bulk',
    'file.lineItems,bulk',
    'file.orgs,bulk',
    'file.results,bulk',
    'file.roles,bulk',
    'file.scoreScales,bulk',
    'file.users,bulk',
    'file.demographics,absent',
    'source.systemName,test',
  ]
  return {
    'manifest.csv': `${manifest.join('\n')}\n`,
    'orgs.csv':
      'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n' +
      `d1,active,${DLM},District One,district,D1,\n` +
      `s1,active,${DLM},School One,school,S1,d1\n`,
    'academicSessions.csv':
      'sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear\n' +
      `y2025,active,${DLM},2024-2025,schoolYear,2024-08-01,2025-06-30,,2025\n` +
      `t1,active,${DLM},Fall,term,2024-08-01,2024-12-20,y2025,2025\n`,
    'courses.csv':
      'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\n' +
      `c1,active,${DLM},y2025,Algebra I,ALG1,"09,10",d1,Math,\n`,
    'classes.csv':
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n' +
      `k1,active,${DLM},Algebra I - P1,09,c1,ALG1-1,scheduled,Room 4,s1,t1,Math,,1\n`,
    'users.csv':
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns\n' +
      `u1,active,${DLM},true,ada,{SIS:1001},Ada,Lovelace,,1001,ada@example.org,,,,09,,,,,,s1,she/her\n` +
      `u2,active,${DLM},true,alan,"{SIS:2002},{LDAP:alan}",Alan,Turing,,2002,alan@example.org,,,,,,,,,,s1,\n`,
    'roles.csv':
      'sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId\n' +
      `r1,active,${DLM},u1,primary,student,,,s1,\n` +
      `r2,active,${DLM},u2,primary,teacher,2024-08-01,,s1,\n`,
    'enrollments.csv':
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n' +
      `e1,active,${DLM},k1,s1,u1,student,false,,\n` +
      `e2,active,${DLM},k1,s1,u2,teacher,true,,\n`,
    'categories.csv': `sourcedId,status,dateLastModified,title,weight\ncat1,active,${DLM},Tests,0.6\n`,
    'scoreScales.csv':
      'sourcedId,status,dateLastModified,title,type,orgSourcedId,courseSourcedId,classSourcedId,scoreScaleValue\n' +
      `sc1,active,${DLM},Letters,letter,s1,c1,k1,"{90-100:A},{80-89:B}"\n`,
    'lineItems.csv':
      'sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,academicSessionSourcedId,resultValueMin,resultValueMax,schoolSourcedId\n' +
      `li1,active,${DLM},Unit 1 test,"Linear equations, part 1",2024-09-01T08:00:00.000Z,2024-09-15T23:59:00.000Z,k1,cat1,t1,0,100,s1\n`,
    'results.csv':
      'sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing\n' +
      `res1,active,${DLM},li1,u1,fully graded,92.5,2024-09-16,Well done,A,k1,false,false,false,false\n`,
  }
}

/** Writes `files` into a new temporary directory and returns it. */
export async function writeSet(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir()
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body)
  return dir
}

/** Every file of a directory, by name. */
export async function readSet(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort())
    out[name] = await readFile(join(dir, name), 'utf8')
  return out
}

/** Rows of every OneRoster table plus import runs' written rows, for "nothing was written". */
export async function countRows(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const spec of FILES) {
    const result = (await db.execute(
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(spec.table)}`,
    )) as unknown as { rows: { n: number }[] }
    out[spec.table] = result.rows[0]?.n ?? 0
  }
  return out
}

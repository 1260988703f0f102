import type { Redis } from 'ioredis'

/** Calls of EVALSHA and EVAL the server has run so far, from INFO commandstats. */
export async function scriptCalls(admin: Redis): Promise<number> {
  const info = await admin.info('commandstats')
  let calls = 0
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+)/gm)) calls += Number(m[2])
  return calls
}

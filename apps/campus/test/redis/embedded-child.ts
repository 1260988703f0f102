/**
 * A process that starts the embedded Redis, prints its pid and directory, then ends as told by
 * its argument: `exit` (process.exit), `throw` (an uncaught error) or `signal` (SIGTERM with no
 * handler of its own). The test checks the server did not outlive it.
 */
import { startEmbeddedRedis } from '../../src/redis/embedded.js'

const how = process.argv[2]
const redis = await startEmbeddedRedis({ maxmemory: '16mb' })
if (!redis) throw new Error('no redis-server on PATH')
console.log(JSON.stringify({ pid: redis.pid, dir: redis.dir }))
if (how === 'exit') process.exit(0)
if (how === 'throw') throw new Error('campus crashed')
if (how === 'signal') process.kill(process.pid, 'SIGTERM')

// Next's incremental cache (ISR pages, route handlers, fetch / unstable_cache data) on satchel:
// L1 in this process, Redis shared by every instance. Named by `cacheHandler` in next.config.
import { createCacheHandler } from 'satchel/next'
import { satchelOptions } from './lib/satchel-options.mjs'

export default createCacheHandler(satchelOptions)

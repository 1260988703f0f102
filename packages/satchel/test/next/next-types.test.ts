/**
 * satchel/next writes Next's handler interfaces out itself (src/next/next-types.ts); these checks
 * hold them against the installed Next's own declarations, so a Next release that changes the
 * contract fails the typecheck here.
 */

import type { CacheHandler as NextUseCacheHandlerInterface } from 'next/dist/server/lib/cache-handlers/types.js'
import type {
  CacheHandlerContext,
  CacheHandlerValue,
  CacheHandler as NextIncrementalCacheHandlerClass,
} from 'next/dist/server/lib/incremental-cache/index.js'
import type {
  GetIncrementalFetchCacheContext,
  GetIncrementalResponseCacheHandlerContext,
  IncrementalCacheValue,
  SetIncrementalFetchCacheContext,
  SetIncrementalResponseCacheHandlerContext,
} from 'next/dist/server/response-cache/index.js'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type createCacheHandler,
  createUseCacheHandler,
  type NextCacheHandlerContext,
  type NextCacheHandlerValue,
  type NextCacheValue,
  type NextGetContext,
  type NextSetContext,
  type NextUseCacheHandler,
} from '../../src/next/index.js'

describe('satchel/next types against the installed Next', () => {
  it('accepts everything Next passes to the incremental cache handler', () => {
    expectTypeOf<CacheHandlerContext>().toExtend<NextCacheHandlerContext>()
    expectTypeOf<IncrementalCacheValue>().toExtend<NextCacheValue>()
    expectTypeOf<GetIncrementalFetchCacheContext>().toExtend<NextGetContext>()
    expectTypeOf<GetIncrementalResponseCacheHandlerContext>().toExtend<NextGetContext>()
    expectTypeOf<SetIncrementalFetchCacheContext>().toExtend<NextSetContext>()
    expectTypeOf<SetIncrementalResponseCacheHandlerContext>().toExtend<NextSetContext>()
    // What get() returns carries Next's fields with Next's types (value passes through as stored).
    expectTypeOf<CacheHandlerValue['lastModified']>().toEqualTypeOf<
      NextCacheHandlerValue['lastModified']
    >()
    expectTypeOf<NonNullable<CacheHandlerValue['cacheControl']>>().toExtend<
      NonNullable<NextCacheHandlerValue['cacheControl']>
    >()
  })

  it('has the incremental cache handler class methods Next calls', () => {
    type Ours = InstanceType<ReturnType<typeof createCacheHandler>>
    expectTypeOf<keyof NextIncrementalCacheHandlerClass>().toEqualTypeOf<keyof Ours>()
  })

  it('implements Next 16’s use cache handler interface exactly', () => {
    expectTypeOf<NextUseCacheHandler>().toExtend<NextUseCacheHandlerInterface>()
    expectTypeOf<NextUseCacheHandlerInterface>().toExtend<NextUseCacheHandler>()
    expectTypeOf(createUseCacheHandler).returns.toExtend<NextUseCacheHandlerInterface>()
  })
})

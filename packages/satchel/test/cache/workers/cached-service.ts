// Runs @Cached under tsx (esbuild lowers TC39 decorators; vitest's oxc transform does not yet),
// so the decorator is exercised as written in application code.
import { Cached } from '../../../src/cache/helpers/index.js'
import { createSatchel } from '../../../src/index.js'
import { serveCommands } from '../../../src/testing/index.js'

// A slow answer on a busy machine must not be taken for an outage (a miss would call the method
// again): this test is about what @Cached stores, not the 50 ms bound.
const satchel = createSatchel({
  redis: process.env.REDIS_URL,
  prefix: 'cached',
  timeouts: { commandMs: 2000 },
})

class CourseService {
  calls: string[] = []
  readonly label = 'service'

  @Cached({
    cache: () => satchel.cache,
    key: (orgId: string, courseId: number) => satchel.keys.org(orgId).key('course', courseId),
    ttl: '1m',
    tags: (_orgId: string, courseId: number) => [`course:${courseId}`],
  })
  async getCourse(
    orgId: string,
    courseId: number,
  ): Promise<{ orgId: string; courseId: number; by: string }> {
    this.calls.push(`${orgId}/${courseId}`)
    // `this` must be the instance: the decorator applies the method with its receiver.
    return { orgId, courseId, by: this.label }
  }
}

const service = new CourseService()

serveCommands({
  get: (args: { orgId: string; courseId: number }) => service.getCourse(args.orgId, args.courseId),
  calls: () => service.calls,
  invalidate: async (args: { tags: string[] }) => {
    await satchel.cache.invalidateTags(args.tags)
    return true
  },
  key: (args: { orgId: string; courseId: number }) =>
    satchel.keys.org(args.orgId).key('course', args.courseId),
  close: async () => {
    await satchel.close()
    return true
  },
})

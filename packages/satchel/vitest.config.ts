import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'satchel',
    include: ['test/**/*.test.ts'],
    // The packaging tests run in the root config's `package` project, on the packed build.
    exclude: ['test/package/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})

import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      {
        // The published package: satchel packed once (global setup), installed into temporary
        // projects, and the Next.js example built on it and started twice. Runs on the built
        // files; every other project runs on the sources.
        test: {
          name: 'package',
          include: ['packages/satchel/test/package/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
          globalSetup: ['packages/satchel/test/package/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
})

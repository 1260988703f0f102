import { defineConfig } from 'tsdown'

/**
 * The published build: one ESM file per public entry (shared code split into chunks), `.d.ts`
 * beside each, source maps for both. Dependencies and peer dependencies stay external, so the
 * caller's ioredis, hono, prom-client and next are the ones used. The workspace itself never
 * needs this build: see "Sources in the workspace, dist/ in the tarball" in README.md.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    http: 'src/http/index.ts',
    prometheus: 'src/cache/prometheus.ts',
    testing: 'src/testing/index.ts',
    next: 'src/next/index.ts',
  },
  outDir: 'dist',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: { sourcemap: true },
  sourcemap: true,
  clean: true,
  // Plain `.js` / `.d.ts` names: the package is `"type": "module"`, so `.js` is already ESM.
  fixedExtension: false,
  tsconfig: 'tsconfig.build.json',
})

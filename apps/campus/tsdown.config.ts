import { defineConfig } from 'tsdown'

/**
 * The production build of campus: `src/main.ts` bundled to `dist/main.js`, run with plain
 * `node` (`npm run build -w campus && npm run start:prod -w campus`). satchel is bundled in,
 * since its workspace exports point at TypeScript sources; every other package stays external
 * and is loaded from node_modules as installed. `dist/` runs in place: migrations are read from
 * `drizzle/` beside it. The static files the server reads beside its own module (the page
 * scripts and stylesheets of `src/web/assets/`, the dispatch launcher's files) are copied into
 * `dist/`, where the bundled module looks for them.
 */
export default defineConfig({
  entry: { main: 'src/main.ts' },
  outDir: 'dist',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  clean: true,
  copy: [
    { from: 'src/web/assets/*.{js,css}', to: 'dist', flatten: true },
    { from: 'src/dispatch/launcher/*', to: 'dist/launcher', flatten: true },
  ],
  dts: false,
  fixedExtension: false,
  deps: {
    alwaysBundle: [/^satchel(\/|$)/],
    // Bare imports other than satchel (its own dependencies included) stay external.
    neverBundle: (id) => /^[@a-z]/i.test(id) && !/^satchel(\/|$)/.test(id),
  },
})

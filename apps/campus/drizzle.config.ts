import { defineConfig } from 'drizzle-kit'

// `npm run db:generate -- --name <name>` (drizzle-kit generate, then scripts/generate-migration.mjs
// drops the "public". qualifier) writes a new SQL migration into ./drizzle after a schema change;
// campus applies the folder at start (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
})

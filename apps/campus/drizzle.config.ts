import { defineConfig } from 'drizzle-kit'

// `npx drizzle-kit generate` writes a new SQL migration into ./drizzle after a schema change;
// campus applies the folder at start (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
})

import { defineConfig } from 'prisma/config';

// Used by the Prisma CLI (`prisma generate`). The server itself reads DATABASE_URL through
// src/config and connects with the pg driver adapter; migrations run through src/db/migrations/migrator.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});

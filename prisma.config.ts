import { defineConfig } from "prisma/config";

// The CLI here is used for `generate` only (see README: migrations are SQL files applied by
// scripts/db-migrate.ts). A placeholder URL keeps `generate` working when DATABASE_URL is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});

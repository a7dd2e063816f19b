// One fresh, migrated database per integration test file, on the real Postgres. The name is derived from
// the caller's name (hash) and the process id, so parallel vitest workers and a concurrent suite never collide.
import { createHash } from "node:crypto";
import pg from "pg";
import type { PrismaClient } from "@/generated/prisma/client";
import { createDb } from "@/server/db";
import { migrateDatabase } from "@/server/db/migrate";

export const DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export function adminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL?.trim() || DEFAULT_ADMIN_URL;
}

export function testDatabaseName(name: string): string {
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 10);
  return `pacts_t_${hash}_${process.pid}`;
}

/** The admin URL with its database swapped for `database` (keeps host, port, user, password, params). */
export function databaseUrlFor(database: string, base: string = adminUrl()): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates an empty database (dropping a leftover of the same name) without migrating it. */
export async function createEmptyDatabase(name: string): Promise<{ url: string; dbName: string; drop(): Promise<void> }> {
  const dbName = testDatabaseName(name);
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${dbName}"`);
  });
  return {
    url: databaseUrlFor(dbName),
    dbName,
    drop: () => withAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`))),
  };
}

export async function createTestDatabase(name: string): Promise<{ url: string; db: PrismaClient; drop(): Promise<void> }> {
  const empty = await createEmptyDatabase(name);
  try {
    await migrateDatabase(empty.url);
  } catch (err) {
    await empty.drop();
    throw err;
  }
  const db = createDb(empty.url);
  return {
    url: empty.url,
    db,
    async drop() {
      await db.$disconnect();
      await empty.drop();
    },
  };
}

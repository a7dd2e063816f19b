// The benches' own databases on the local Postgres: created fresh, dropped at the end. BENCH_ADMIN_URL names the
// server and a database to connect to for CREATE/DROP (default: the local `postgres` database, trust auth).
import pg from "pg";

export const ADMIN_URL = process.env.BENCH_ADMIN_URL?.trim() || "postgresql://postgres@127.0.0.1:5432/postgres";

/** The URL of database `name` on the admin URL's server. */
export function benchDbUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs one statement on the admin connection (CREATE/DROP DATABASE cannot run inside a transaction). */
export async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Drops `name` if it exists (closing its connections) and creates it empty; returns its URL. */
export async function createBenchDatabase(name: string): Promise<string> {
  await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE "${name}"`);
  return benchDbUrl(name);
}

export const dropBenchDatabase = (name: string) => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);

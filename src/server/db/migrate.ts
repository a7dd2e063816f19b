// Applies the hand-written SQL migrations in prisma/migrations (Prisma's folder layout) with plain `pg`,
// because the Prisma 7 CLI cannot run its schema engine offline. The bookkeeping mirrors `prisma migrate
// deploy` exactly (same `_prisma_migrations` table, same checksum, same advisory lock key), so a machine
// with internet can later run `prisma migrate deploy` against the same database and find nothing to do.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** Resolved from this file, not from cwd, so the start command, CLI and tests agree wherever they run. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/migrations");

/** The key Prisma's schema engine locks on; sharing it serialises us with a concurrent `prisma migrate deploy`. */
const ADVISORY_LOCK_KEY = 72707369;

// Verbatim from Prisma's postgres connector (create_migrations_table), plus IF NOT EXISTS: we hold the lock,
// but an older database may already have the table.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export type LocalMigration = { name: string; sql: string; checksum: string };

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

/** sha256 hex of the file's bytes: what Prisma stores in `_prisma_migrations.checksum`. */
export function checksumOf(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Every `<name>/migration.sql` under dir, in name order (Prisma's order: the timestamp prefix sorts). */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const out: LocalMigration[] = [];
  for (const name of names) {
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(dir, name, "migration.sql"));
    } catch {
      throw new MigrationError(`Migration folder ${name} has no migration.sql`);
    }
    out.push({ name, sql: bytes.toString("utf8"), checksum: checksumOf(bytes) });
  }
  return out;
}

export async function migrateDatabase(
  databaseUrl: string,
  opts: { log?: (msg: string) => void; migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const local = await readMigrations(opts.migrationsDir ?? MIGRATIONS_DIR);

  // One dedicated connection: a session-level advisory lock belongs to the connection that took it.
  const client = new pg.Client({ connectionString: databaseUrl });
  // Without a listener, a connection dropped by the server (e.g. the database is dropped) crashes the process;
  // the pending query still rejects with the cause.
  client.on("error", (err) => log(`connection error: ${err.message}`));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at
           FROM _prisma_migrations ORDER BY started_at ASC`,
      );
      const live = rows.filter((r) => r.rolled_back_at === null);

      const failed = live.filter((r) => r.finished_at === null);
      if (failed.length > 0) {
        throw new MigrationError(
          `Migration ${failed.map((r) => r.migration_name).join(", ")} started but never finished (failed). ` +
            `Fix the database by hand, then mark it rolled back (UPDATE _prisma_migrations SET rolled_back_at = now() ...) ` +
            `or run \`prisma migrate resolve\`; refusing to apply anything.`,
        );
      }

      const applied = new Map(live.map((r) => [r.migration_name, r]));
      const localNames = new Set(local.map((m) => m.name));
      for (const m of local) {
        const row = applied.get(m.name);
        if (row && row.checksum !== m.checksum) {
          throw new MigrationError(
            `Migration ${m.name} was modified after it was applied (checksum in database ${row.checksum}, ` +
              `file ${m.checksum}). Applied migrations must never change: revert the file and add a new migration.`,
          );
        }
      }
      for (const name of applied.keys()) {
        if (!localNames.has(name)) log(`warning: applied migration ${name} is not in the migrations folder`);
      }

      const done: string[] = [];
      for (const m of local) {
        if (applied.has(m.name)) continue;
        log(`applying ${m.name}`);
        // One transaction per migration: a failing file leaves no trace, so fixing it and re-running is safe.
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
             VALUES ($1, $2, clock_timestamp(), $3, NULL, now(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK").catch(() => {});
          const msg = err instanceof Error ? err.message : String(err);
          throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${msg}`);
        }
        done.push(m.name);
      }
      if (done.length === 0) log("database is up to date");
      return { applied: done };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

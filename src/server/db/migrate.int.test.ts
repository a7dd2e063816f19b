import { cp, mkdtemp, rm, writeFile, appendFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createEmptyDatabase } from "../../../test/helpers/test-db";
import { MIGRATIONS_DIR, checksumOf, migrateDatabase, readMigrations } from "./migrate";

type Empty = Awaited<ReturnType<typeof createEmptyDatabase>>;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emptyDb(name: string): Promise<Empty> {
  const d = await createEmptyDatabase(`migrate-int:${name}`);
  cleanups.push(d.drop);
  return d;
}

async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "pacts-migrations-"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

type MigrationRow = { migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; id: string };

describe("migrateDatabase", () => {
  it("applies every migration once, records it like Prisma, and a second run applies nothing", async () => {
    const d = await emptyDb("idempotent");
    const local = await readMigrations();
    expect(local.length).toBeGreaterThan(0);
    const logs: string[] = [];

    const first = await migrateDatabase(d.url, { log: (m) => logs.push(m) });
    expect(first.applied).toEqual(local.map((m) => m.name));
    expect(logs.some((l) => l.includes(local[0]!.name))).toBe(true);

    const rows = await query<MigrationRow>(d.url, `SELECT * FROM _prisma_migrations ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(local.map((m) => m.name));
    for (const [i, r] of rows.entries()) {
      expect(r.checksum).toBe(local[i]!.checksum);
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    // The schema really exists.
    expect(await query(d.url, `SELECT req_id, test_name, status, completed_steps, heal_rounds, duration_ms FROM runs ORDER BY created_at DESC LIMIT 5`)).toEqual([]);

    const second = await migrateDatabase(d.url);
    expect(second.applied).toEqual([]);
    expect(await query(d.url, `SELECT 1 FROM _prisma_migrations`)).toHaveLength(local.length);
  });

  it("checksum is the sha256 hex of the file bytes", () => {
    expect(checksumOf("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("refuses when an applied migration file was changed", async () => {
    const d = await emptyDb("checksum");
    const dir = await copyMigrations();
    await migrateDatabase(d.url, { migrationsDir: dir });
    const [first] = await readMigrations(dir);
    await appendFile(path.join(dir, first!.name, "migration.sql"), "\n-- edited after apply\n");
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).rejects.toThrow(/was modified after it was applied/);
  });

  it("refuses when a previous migration failed (finished_at null)", async () => {
    const d = await emptyDb("failed");
    await migrateDatabase(d.url);
    await query(d.url, `UPDATE _prisma_migrations SET finished_at = NULL`);
    await expect(migrateDatabase(d.url)).rejects.toThrow(/never finished/);
  });

  it("applies a new migration on top, and rolls back a failing one completely", async () => {
    const d = await emptyDb("incremental");
    const dir = await copyMigrations();
    await migrateDatabase(d.url, { migrationsDir: dir });

    await mkdir(path.join(dir, "29990101000000_add_probe"));
    await writeFile(path.join(dir, "29990101000000_add_probe", "migration.sql"), `CREATE TABLE "probe" ("id" TEXT NOT NULL);\n`);
    expect((await migrateDatabase(d.url, { migrationsDir: dir })).applied).toEqual(["29990101000000_add_probe"]);

    await mkdir(path.join(dir, "29990102000000_broken"));
    await writeFile(
      path.join(dir, "29990102000000_broken", "migration.sql"),
      `CREATE TABLE "half_done" ("id" TEXT);\nSELECT * FROM "no_such_table";\n`,
    );
    await expect(migrateDatabase(d.url, { migrationsDir: dir })).rejects.toThrow(/29990102000000_broken failed and was rolled back/);
    expect(await query(d.url, `SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
    expect(await query(d.url, `SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990102000000_broken'`)).toEqual([]);
  });

  it("two concurrent calls both succeed and apply each migration exactly once", async () => {
    const d = await emptyDb("concurrent");
    const local = await readMigrations();
    const [a, b] = await Promise.all([migrateDatabase(d.url), migrateDatabase(d.url)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(local.map((m) => m.name).sort());
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, local.length]);
    const rows = await query<{ migration_name: string; n: string }>(
      d.url,
      `SELECT migration_name, count(*) AS n FROM _prisma_migrations GROUP BY migration_name`,
    );
    expect(rows.every((r) => r.n === "1")).toBe(true);
    expect(rows).toHaveLength(local.length);
  });
});

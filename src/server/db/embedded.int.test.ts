// Real embedded PostgreSQL in a temp folder on a free port: start, query, attach, stop, restart on the same data.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachOrStartEmbedded, readEmbeddedState, resolveDatabaseUrl, resolveEmbeddedPaths, type ResolvedDatabase } from "./embedded";

const projectDir = path.resolve(import.meta.dirname, "../../..");
let base: string;
let started: ResolvedDatabase | undefined;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  beforeAll(async () => {
    // As root Postgres runs as `postgres`, which must traverse the cluster folder: a 0755 dir under /tmp.
    base = await fs.mkdtemp(path.join(os.tmpdir(), "pacts-embedded-"));
    await fs.chmod(base, 0o755);
  });

  afterAll(async () => {
    await started?.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  const opts = () => ({
    projectDir,
    dataDir: path.join(base, "data"),
    clusterRoot: path.join(base, "cluster"),
    handleSignals: false,
    log: () => {},
  });

  it("starts a new cluster on a free port (never 5432) and creates the pacts database", async () => {
    started = await attachOrStartEmbedded(opts());
    expect(started.source).toBe("embedded-started");
    const port = Number(new URL(started.url).port);
    expect(port).not.toBe(5432);
    expect(new URL(started.url).pathname).toBe("/pacts");
    const rows = await query<{ db: string; one: number }>(started.url, "SELECT current_database() AS db, 1 AS one");
    expect(rows[0]).toEqual({ db: "pacts", one: 1 });

    const paths = resolveEmbeddedPaths(opts());
    const state = await readEmbeddedState(paths.stateFile);
    expect(state).toMatchObject({ dataDir: paths.pgDataDir, port });
    expect(state?.pid).toBeGreaterThan(0);
    const mode = (await fs.stat(paths.stateFile)).mode & 0o777;
    expect(mode).toBe(0o600);
    if (process.getuid?.() === 0) {
      // As root the library is imported from a copy the postgres user can read.
      expect(paths.runtimeDir).toBeDefined();
      const owner = execFileSync("stat", ["-c", "%U", paths.pgDataDir]).toString().trim();
      expect(owner).toBe("postgres");
    }
    await query(started.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives restart')");
  });

  it("attaches to the live cluster instead of starting a second one", async () => {
    const attached = await resolveDatabaseUrl({ ...opts(), startIfNeeded: false });
    expect(attached.source).toBe("embedded-attached");
    expect(attached.url).toBe(started!.url);
    await attached.stop(); // a no-op for a cluster this call did not start
    const rows = await query<{ v: string }>(started!.url, "SELECT v FROM kept");
    expect(rows).toEqual([{ v: "survives restart" }]);
  });

  it("prefers DATABASE_URL when given", async () => {
    const r = await resolveDatabaseUrl({ ...opts(), databaseUrl: "postgresql://u@127.0.0.1:1/x" });
    expect(r).toMatchObject({ source: "env", url: "postgresql://u@127.0.0.1:1/x" });
  });

  it("stops, refuses to attach when down, and restarts on the same data", async () => {
    const url = started!.url;
    await started!.stop();
    await expect(query(url, "SELECT 1")).rejects.toThrow();
    await expect(resolveDatabaseUrl({ ...opts(), startIfNeeded: false })).rejects.toThrow(/not running/);

    const t0 = Date.now();
    started = await attachOrStartEmbedded(opts());
    expect(started.source).toBe("embedded-started");
    expect(Date.now() - t0).toBeLessThan(15_000);
    const rows = await query<{ v: string }>(started.url, "SELECT v FROM kept");
    expect(rows).toEqual([{ v: "survives restart" }]);
  });
});

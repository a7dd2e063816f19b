// Rollups on the real Postgres: concurrent writers sum exactly, a rolled-back event leaves no count, and the
// worker heartbeat table drives pacts_workers_active.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { readCounters, readHistograms } from "./query";
import { recordCacheRequests, recordHealAttempt, recordRunFinished } from "./rollups";
import { getRunMetrics } from "./summary";
import { countActiveWorkers, heartbeatWorker, registerWorker, stopWorker, workerHealth } from "./workers";

let t: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  t = await createTestDatabase("metrics-rollups");
});
afterAll(async () => {
  await t?.drop();
});

describe("rollups", () => {
  it("concurrent recordRunFinished calls in separate transactions sum exactly", async () => {
    const N = 60;
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        // 60 transactions share the pool's few connections: each may wait its turn longer than Prisma's 2 s default
        // on a loaded machine, which would fail the test for a reason it does not test.
        t.db.$transaction(
          async (tx) => {
            await recordRunFinished(tx, { teamId: "team-c", status: i % 3 === 0 ? "FAILED" : "PASSED", durationMs: 1000 + i, healRounds: 1 });
          },
          { maxWait: 30_000, timeout: 30_000 },
        ),
      ),
    );
    const runs = await getRunMetrics(t.db, { teamId: "team-c" });
    expect(runs.total_runs).toBe(N);
    expect(runs.failed).toBe(N / 3);
    expect(runs.passed).toBe(N - N / 3);
    expect(runs.avg_heal_rounds).toBe(1);
    // mean of 1000..1059 ms
    expect(runs.avg_duration_ms).toBe(1029.5);
    const hist = await readHistograms(t.db, { teamId: "team-c" }, ["run_duration_seconds"]);
    expect(hist.reduce((a, h) => a + h.count, 0)).toBe(N);
    // 1.000–1.059 s: exactly at the 1 s bound for i=0, the rest in the 2.5 s bucket.
    expect(hist.find((h) => h.le === 1)?.count).toBe(1);
    expect(hist.find((h) => h.le === 2.5)?.count).toBe(N - 1);
    // One row per (team, metric, labels, hour): the upserts merged, they did not append.
    const rows = await t.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM metric_counters WHERE team_id = 'team-c' AND metric = 'runs_total'`;
    expect(rows[0]!.n).toBeLessThanOrEqual(4);
  });

  it("all-time reads (the totals the trigger keeps) equal the hourly rows, whichever way rows were written", async () => {
    const long = new Date("2020-01-01T00:00:00Z");
    const sorted = <T extends { metric: string; labels: string }>(xs: T[]) =>
      [...xs].sort((a, b) => `${a.metric}|${a.labels}|${"le" in a ? String(a.le) : ""}`.localeCompare(`${b.metric}|${b.labels}|${"le" in b ? String(b.le) : ""}`));
    // Through the app, in three different hours (new rows and upserts into existing ones)...
    for (const at of [new Date("2026-03-01T10:15:00Z"), new Date("2026-03-01T10:45:00Z"), new Date("2026-03-02T08:00:00Z")]) {
      await recordRunFinished(t.db, { teamId: "team-t", status: "PASSED", durationMs: 1200, healRounds: 2, at });
      await recordHealAttempt(t.db, { teamId: "team-t", strategy: "label", outcome: "healed", durationMs: 300, at });
    }
    // ...and a SQL backfill straight into the hourly tables (what a bench seed or an import does).
    await t.db.$executeRaw`INSERT INTO metric_counters (team_id, metric, labels, bucket_start, value)
      VALUES ('team-t', 'runs_total', 'status=failed', '2026-02-01T00:00:00', 5)`;
    await t.db.$executeRaw`INSERT INTO metric_histogram_buckets (team_id, metric, labels, bucket_start, le, count, sum)
      VALUES ('team-t', 'run_duration_seconds', '', '2026-02-01T00:00:00', 5, 5, 20)`;

    const metrics = ["runs_total", "run_heal_rounds", "heal_attempts_total"];
    const hists = ["run_duration_seconds", "heal_duration_seconds"];
    const allTime = await readCounters(t.db, { teamId: "team-t" }, metrics);
    expect(sorted(allTime)).toEqual(sorted(await readCounters(t.db, { teamId: "team-t", since: long }, metrics)));
    expect(allTime.find((r) => r.metric === "runs_total" && r.labels === "status=passed")?.value).toBe(3);
    expect(allTime.find((r) => r.metric === "runs_total" && r.labels === "status=failed")?.value).toBe(5);
    const histAll = await readHistograms(t.db, { teamId: "team-t" }, hists);
    expect(sorted(histAll)).toEqual(sorted(await readHistograms(t.db, { teamId: "team-t", since: long }, hists)));
    expect(histAll.find((h) => h.metric === "run_duration_seconds" && h.le === 5)).toMatchObject({ count: 5, sum: 20 });

    // Pruning old hourly rows does not lower an all-time counter.
    await t.db.$executeRaw`DELETE FROM metric_counters WHERE team_id = 'team-t' AND bucket_start < '2026-03-01T00:00:00'`;
    const after = await readCounters(t.db, { teamId: "team-t" }, ["runs_total"]);
    expect(after.find((r) => r.labels === "status=failed")?.value).toBe(5);
  });

  it("a rolled-back event leaves no count", async () => {
    await expect(
      t.db.$transaction(async (tx) => {
        await recordRunFinished(tx, { teamId: "team-r", status: "PASSED", durationMs: 10 });
        await recordHealAttempt(tx, { teamId: "team-r", strategy: "text", outcome: "healed", durationMs: 5 });
        throw new Error("the event failed");
      }),
    ).rejects.toThrow("the event failed");
    expect(await readCounters(t.db, { teamId: "team-r" }, ["runs_total", "heal_attempts_total"])).toEqual([]);
    expect(await readHistograms(t.db, { teamId: "team-r" }, ["run_duration_seconds", "heal_duration_seconds"])).toEqual([]);
  });

  it("batched cache counts with duplicate keys merge into one upsert; zero counts write nothing", async () => {
    await recordCacheRequests(t.db, "team-k", [
      { layer: "redis", result: "hit", n: 2 },
      { layer: "redis", result: "hit", n: 3 },
      { layer: "postgres", result: "miss", n: 0 },
    ]);
    await recordCacheRequests(t.db, "team-k", []);
    const rows = await readCounters(t.db, { teamId: "team-k" }, ["selector_cache_requests_total"]);
    expect(rows).toEqual([{ metric: "selector_cache_requests_total", labels: "layer=redis,result=hit", value: 5 }]);
  });

  it("events land in the hour they happened and `since` filters by hour", async () => {
    const old = new Date(Date.now() - 3 * 86_400_000);
    await recordRunFinished(t.db, { teamId: "team-s", status: "PASSED", durationMs: 100, at: old });
    await recordRunFinished(t.db, { teamId: "team-s", status: "FAILED", durationMs: 300 });
    expect((await getRunMetrics(t.db, { teamId: "team-s" })).total_runs).toBe(2);
    const recent = await getRunMetrics(t.db, { teamId: "team-s", since: new Date(Date.now() - 86_400_000) });
    expect(recent).toMatchObject({ total_runs: 1, passed: 0, failed: 1, avg_duration_ms: 300 });
  });
});

describe("workers", () => {
  it("counts workers with a heartbeat in the last 30 s that have not stopped", async () => {
    await registerWorker(t.db, "w-1", { hostname: "h", pid: 1 });
    await registerWorker(t.db, "w-2", { hostname: "h", pid: 2 });
    await registerWorker(t.db, "w-3", { hostname: "h", pid: 3 });
    expect(await countActiveWorkers(t.db)).toBe(3);
    await stopWorker(t.db, "w-2");
    await t.db.$executeRaw`UPDATE workers SET heartbeat_at = heartbeat_at - interval '45 seconds' WHERE id = 'w-3'`;
    expect(await countActiveWorkers(t.db)).toBe(1);
    expect(await heartbeatWorker(t.db, "w-3")).toBe(true);
    expect(await heartbeatWorker(t.db, "w-2")).toBe(false);
    expect(await countActiveWorkers(t.db)).toBe(2);
    // Re-registering a stopped id (restart with the same id) makes it active again.
    await registerWorker(t.db, "w-2", { hostname: "h", pid: 22 });
    expect(await countActiveWorkers(t.db)).toBe(3);
  });

  it("workerHealth says workers are down once none heartbeated within the window", async () => {
    await t.db.$executeRaw`DELETE FROM workers`;
    expect(await workerHealth(t.db)).toEqual({ active: 0, lastHeartbeatAt: null, unhealthy: [] });
    await registerWorker(t.db, "w-h", { hostname: "h", pid: 1 });
    expect((await workerHealth(t.db)).active).toBe(1);
    // A crashed worker stops heartbeating: after the window the dashboard shows none, with the last beat.
    await t.db.$executeRaw`UPDATE workers SET heartbeat_at = heartbeat_at - interval '45 seconds' WHERE id = 'w-h'`;
    const down = await workerHealth(t.db);
    expect(down.active).toBe(0);
    expect(Date.now() - down.lastHeartbeatAt!.getTime()).toBeGreaterThan(40_000);
  });
});

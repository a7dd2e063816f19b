// `pacts metrics` against a real database: the original's tables from the global numbers, and --json equal to
// what the /api/metrics/summary endpoint builds.
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCacheRequests, recordHealAttempt, recordRunFinished } from "@/server/metrics/rollups";
import { getMetricsSummary } from "@/server/metrics/summary";
import { createTestDatabase } from "../../test/helpers/test-db";
import { metricsCommand } from "./metrics";

let t: Awaited<ReturnType<typeof createTestDatabase>>;

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function run(argv: string[]) {
  const out = sink();
  const err = sink();
  const code = await metricsCommand(argv, { stdout: out.stream, stderr: err.stream, env: { DATABASE_URL: t.url } });
  return { code, stdout: out.text(), stderr: err.text() };
}

beforeAll(async () => {
  t = await createTestDatabase("cli-metrics");
  for (const [teamId, status, durationMs] of [["t1", "PASSED", 1000], ["t1", "PASSED", 2000], ["t2", "FAILED", 3000]] as const) {
    await recordRunFinished(t.db, { teamId, status, durationMs, healRounds: 1 });
  }
  await recordHealAttempt(t.db, { teamId: "t1", strategy: "placeholder", outcome: "healed", durationMs: 20 });
  await recordHealAttempt(t.db, { teamId: "t2", strategy: "text", outcome: "failed", durationMs: 20 });
  await recordCacheRequests(t.db, "t1", [{ layer: "redis", result: "hit", n: 3 }, { layer: "redis", result: "miss", n: 1 }, { layer: "postgres", result: "miss", n: 1 }]);
});
afterAll(async () => {
  await t?.drop();
});

describe("pacts metrics", () => {
  it("prints the three tables over every team", async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("📊 CACHE METRICS\n" + "=".repeat(50) + "\nRedis Hits:      3\nPostgres Hits:   0\nMisses:          1\nHit Rate:        75.0%\nTotal Cached:    0\n");
    expect(r.stdout).toContain("Strategy             Success    Failure    Rate       Uses\n");
    expect(r.stdout).toContain("placeholder          1          0          100.0%     1\n");
    expect(r.stdout).toContain("text                 0          1          0.0%       1\n");
    expect(r.stdout).toContain("Total Runs:      3\nPassed:          2\nFailed:          1\nSuccess Rate:    66.7%\nAvg Heal Rounds: 1.00\nAvg Duration:    2000ms\n");
  });

  it("--runs prints only that table", async () => {
    const r = await run(["--runs"]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("🏃 RUN METRICS")).toBe(true);
    expect(r.stdout).not.toContain("CACHE METRICS");
  });

  it("--json prints the global summary built by the endpoint's function", async () => {
    const r = await run(["--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(await getMetricsSummary(t.db, { teamId: null }));
    const heal = await run(["--json", "--heal"]);
    expect(Object.keys(JSON.parse(heal.stdout))).toEqual(["strategies"]);
  });

  it("usage errors exit 2", async () => {
    expect((await run(["--bogus"])).code).toBe(2);
    expect((await run(["--json", "--cache", "--runs"])).code).toBe(2);
    expect((await run(["--since", "whenever"])).code).toBe(2);
  });
});

// /api/metrics and /api/metrics/* on a seeded data set: exact JSON numbers per scope and `since`, the
// Prometheus text (values, promtool), METRICS_TOKEN auth, and the Next route handlers called directly.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { resetServerEnv } from "@/server/env";
import { createApiToken } from "@/server/tokens/api-token";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { handleMetricsJsonRequest, handlePrometheusRequest, resolveSessionTeamId, tokenMatches } from "./http";
import { renderMetrics, resetMetricsCache } from "./prometheus";
import { recordCacheRequests, recordHealAttempt, recordInvalidation, recordRunFinished, recordWrongHeal } from "./rollups";
import { durationOverTime, hitRateOverTime, passRateOverTime } from "./summary";
import { registerWorker } from "./workers";

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let teamA: string;
let teamB: string;
let userA: string;
let tokenA: string;
const METRICS_TOKEN = "metrics-secret-token-for-tests";
const BASE = "http://localhost:3000";

async function seed(): Promise<void> {
  teamA = (await db.team.create({ data: { name: "A", slug: "a" } })).id;
  teamB = (await db.team.create({ data: { name: "B", slug: "b" } })).id;
  userA = (await db.user.create({ data: { email: "a@example.com" } })).id;
  await db.membership.create({ data: { userId: userA, teamId: teamA, role: "OWNER" } });
  tokenA = (await createApiToken(db, { teamId: teamA, name: "ci" })).token;

  const old = new Date(Date.now() - 10 * 86_400_000);
  // Team A: 3 passed, 1 failed, 1 cancelled now; 1 passed 10 days ago. Team B: 1 passed.
  for (const [status, durationMs, healRounds] of [["PASSED", 1000, 1], ["PASSED", 2000, 0], ["PASSED", 3000, 1], ["FAILED", 4000, 2]] as const) {
    await db.$transaction((tx) => recordRunFinished(tx, { teamId: teamA, status, durationMs, healRounds }));
  }
  await recordRunFinished(db, { teamId: teamA, status: "CANCELLED", durationMs: null });
  await recordRunFinished(db, { teamId: teamA, status: "PASSED", durationMs: 60_000, at: old });
  await recordRunFinished(db, { teamId: teamB, status: "PASSED", durationMs: 10_000 });

  for (const [strategy, outcome, durationMs] of [
    ["text", "healed", 100], ["text", "healed", 300], ["text", "failed", 200], ["placeholder", "healed", 50], ["label", "unverified", 400],
  ] as const) {
    await recordHealAttempt(db, { teamId: teamA, strategy, outcome, durationMs });
  }
  await recordHealAttempt(db, { teamId: teamB, strategy: "aria-label", outcome: "HEALED", durationMs: 1000 });
  await recordWrongHeal(db, { teamId: teamA });

  await recordCacheRequests(db, teamA, [
    { layer: "redis", result: "hit", n: 4 },
    { layer: "memory", result: "hit", n: 1 },
    { layer: "redis", result: "miss", n: 3 },
    { layer: "postgres", result: "hit", n: 2 },
    { layer: "postgres", result: "miss", n: 1 },
    { layer: "redis", result: "stale", n: 1 },
  ]);
  await recordInvalidation(db, { teamId: teamA, count: 2 });
  await db.selectorCacheEntry.create({
    data: { teamId: teamA, cacheKey: "k1", urlPattern: "http://x/login", elementName: "field:username", selector: "#u", strategy: "label", confidence: 1, expiresAt: new Date(Date.now() + 86_400_000) },
  });
  await db.selectorCacheEntry.create({
    data: { teamId: teamA, cacheKey: "k2", urlPattern: "http://x/login", elementName: "field:gone", selector: "#g", strategy: "label", confidence: 1, expiresAt: new Date(Date.now() - 1000) },
  });

  // Queue: 2 pending, 1 running. Workers: 2 registered, 1 of them stale.
  const base = { teamId: teamA, testName: "t", url: "http://x", steps: [] };
  await db.run.createMany({ data: [{ ...base, status: "PENDING" }, { ...base, status: "PENDING" }, { ...base, status: "RUNNING" }] });
  await registerWorker(db, "w-live");
  await registerWorker(db, "w-stale");
  await db.$executeRaw`UPDATE workers SET heartbeat_at = heartbeat_at - interval '5 minutes' WHERE id = 'w-stale'`;
}

beforeAll(async () => {
  t = await createTestDatabase("metrics-http");
  db = t.db;
  await seed();
});
afterAll(async () => {
  await t?.drop();
});

const get = (path: string, headers: Record<string, string> = {}) => new Request(`${BASE}${path}`, { headers });
const jsonOf = async (res: Response) => (await res.json()) as Record<string, unknown>;
const noSession = async () => null;

describe("JSON metrics (the original's keys verbatim)", () => {
  it("cache, team-scoped through a team API token", async () => {
    const res = await handleMetricsJsonRequest(get("/api/metrics/cache", { authorization: `Bearer ${tokenA}` }), "cache", { db, metricsToken: METRICS_TOKEN, sessionTeamId: noSession });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redis_hits: 5, postgres_hits: 2, misses: 1, hit_rate: 87.5, drift_detections: 1, invalidations: 2, total_cached: 1 });
  });

  it("heal, team-scoped through the session's current team", async () => {
    const res = await handleMetricsJsonRequest(get("/api/metrics/heal"), "heal", { db, metricsToken: METRICS_TOKEN, sessionTeamId: async () => teamA });
    expect(await res.json()).toEqual({
      strategies: [
        { strategy: "placeholder", total_success: 1, total_failure: 0, success_rate: 100, usage_count: 1, avg_heal_time_ms: 50 },
        { strategy: "text", total_success: 2, total_failure: 1, success_rate: 66.67, usage_count: 3, avg_heal_time_ms: 200 },
        { strategy: "label", total_success: 0, total_failure: 1, success_rate: 0, usage_count: 1, avg_heal_time_ms: 400 },
      ],
    });
  });

  it("runs: all time vs ?since=7d vs ?since=<ISO date>", async () => {
    const deps = { db, metricsToken: METRICS_TOKEN, sessionTeamId: async () => teamA };
    const all = await jsonOf(await handleMetricsJsonRequest(get("/api/metrics/runs"), "runs", deps));
    expect(all).toEqual({ total_runs: 6, passed: 4, failed: 1, success_rate: 80, avg_heal_rounds: 0.67, avg_duration_ms: 14000 });
    const week = await jsonOf(await handleMetricsJsonRequest(get("/api/metrics/runs?since=7d"), "runs", deps));
    expect(week).toEqual({ total_runs: 5, passed: 3, failed: 1, success_rate: 75, avg_heal_rounds: 0.8, avg_duration_ms: 2500 });
    const iso = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await jsonOf(await handleMetricsJsonRequest(get(`/api/metrics/runs?since=${iso}`), "runs", deps))).toEqual(week);
  });

  it("summary, global through METRICS_TOKEN", async () => {
    const res = await handleMetricsJsonRequest(get("/api/metrics/summary", { authorization: `Bearer ${METRICS_TOKEN}` }), "summary", { db, metricsToken: METRICS_TOKEN });
    const body = await jsonOf(res);
    expect(Object.keys(body)).toEqual(["cache", "heal", "runs"]);
    expect(body.runs).toEqual({ total_runs: 7, passed: 5, failed: 1, success_rate: 83.33, avg_heal_rounds: 0.57, avg_duration_ms: 13333.33 });
    const heal = body.heal as { strategy_count: number; top_strategies: { strategy: string }[] };
    expect(heal.strategy_count).toBe(4);
    expect(heal.top_strategies.map((s) => s.strategy)).toEqual(["aria-label", "placeholder", "text", "label"]);
    expect((body.cache as { total_cached: number }).total_cached).toBe(1);
  });

  it("400 on a bad since, 401 (JSON + WWW-Authenticate, never a redirect) without credentials, 404 on an unknown kind", async () => {
    const deps = { db, metricsToken: METRICS_TOKEN, sessionTeamId: async () => teamA };
    const bad = await handleMetricsJsonRequest(get("/api/metrics/runs?since=last-tuesday"), "runs", deps);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BAD_REQUEST");

    const anon = await handleMetricsJsonRequest(get("/api/metrics/runs"), "runs", { db, metricsToken: METRICS_TOKEN, sessionTeamId: noSession });
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(anon.headers.get("location")).toBeNull();
    expect(anon.headers.get("content-type")).toMatch(/application\/json/);

    const wrong = await handleMetricsJsonRequest(get("/api/metrics/runs", { authorization: "Bearer nope" }), "runs", deps);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');

    expect((await handleMetricsJsonRequest(get("/api/metrics/nope"), "nope", deps)).status).toBe(404);
  });

  it("resolves the session's current team from the pacts_team cookie, else the first membership", async () => {
    const other = (await db.team.create({ data: { name: "Other", slug: "other" } })).id;
    await db.membership.create({ data: { userId: userA, teamId: other } });
    expect(await resolveSessionTeamId(db, userA, new Headers())).toBe(teamA);
    expect(await resolveSessionTeamId(db, userA, new Headers({ cookie: `x=1; pacts_team=${other}` }))).toBe(other);
    expect(await resolveSessionTeamId(db, userA, new Headers({ cookie: `pacts_team=${teamB}` }))).toBe(teamA);
    expect(await resolveSessionTeamId(db, "nobody", new Headers())).toBeNull();
  });

  it("time series for the dashboard", async () => {
    const scope = { teamId: teamA };
    const hits = await hitRateOverTime(db, scope, "hour");
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ hits: 7, misses: 1, hitRate: 87.5 });
    const pass = await passRateOverTime(db, scope, "day");
    expect(pass.map((p) => p.total)).toEqual([1, 5]);
    expect(pass[1]).toMatchObject({ passed: 3, failed: 1, passRate: 75 });
    const dur = await durationOverTime(db, scope, "day");
    expect(dur.map((d) => d.avgDurationMs)).toEqual([60000, 2500]);
    expect(new Date(dur[0]!.t).getUTCHours()).toBe(0);
  });
});

describe("Prometheus exposition", () => {
  let text: string;
  beforeAll(async () => {
    text = await renderMetrics(db);
  });
  const sample = (line: string) => {
    const hit = text.split("\n").find((l) => l.startsWith(`${line} `));
    return hit === undefined ? undefined : Number(hit.slice(line.length + 1));
  };

  it("has the right values (global sums over all rollup rows)", () => {
    expect(sample('pacts_runs_total{status="passed"}')).toBe(5);
    expect(sample('pacts_runs_total{status="failed"}')).toBe(1);
    expect(sample('pacts_runs_total{status="cancelled"}')).toBe(1);
    expect(sample('pacts_runs_total{status="error"}')).toBe(0);
    expect(sample("pacts_run_duration_seconds_count")).toBe(6);
    expect(sample("pacts_run_duration_seconds_sum")).toBe(80);
    expect(sample('pacts_run_duration_seconds_bucket{le="1"}')).toBe(1);
    expect(sample('pacts_run_duration_seconds_bucket{le="5"}')).toBe(4);
    expect(sample('pacts_run_duration_seconds_bucket{le="10"}')).toBe(5);
    expect(sample('pacts_run_duration_seconds_bucket{le="60"}')).toBe(6);
    expect(sample('pacts_run_duration_seconds_bucket{le="+Inf"}')).toBe(6);
    expect(sample('pacts_heal_attempts_total{strategy="text",outcome="healed"}')).toBe(2);
    expect(sample('pacts_heal_attempts_total{strategy="aria-label",outcome="healed"}')).toBe(1);
    expect(sample('pacts_heal_duration_seconds_count{strategy="text"}')).toBe(3);
    expect(sample('pacts_heal_duration_seconds_bucket{strategy="text",le="0.25"}')).toBe(2);
    expect(sample("pacts_wrong_heals_total")).toBe(1);
    expect(sample('pacts_selector_cache_requests_total{layer="redis",result="hit"}')).toBe(4);
    expect(sample('pacts_selector_cache_requests_total{layer="postgres",result="stale"}')).toBe(0);
    expect(sample("pacts_queue_depth")).toBe(2);
    expect(sample("pacts_runs_running")).toBe(1);
    expect(sample("pacts_workers_active")).toBe(1);
    // Present (and empty here: this data set fires no schedule).
    expect(text).toContain("# TYPE pacts_schedule_lag_seconds histogram");
    expect(sample("pacts_schedule_lag_seconds_count")).toBe(0);
    expect(sample('pacts_schedule_lag_seconds_bucket{le="+Inf"}')).toBe(0);
    // Process metrics, minus the three promtool rejects.
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_heap_size_used_bytes");
    expect(text).not.toMatch(/nodejs_active_(handles|requests|resources)_total/);
  });

  it("passes `promtool check metrics`", () => {
    const res = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(res.error).toBeUndefined();
    expect(`${res.stdout}${res.stderr}`).toBe("");
    expect(res.status).toBe(0);
  });

  it("promtool really checks: a broken exposition fails", () => {
    const res = spawnSync("promtool", ["check", "metrics"], { input: `${text}\nnot a metric line {\n`, encoding: "utf8" });
    expect(res.status).not.toBe(0);
  });

  it("counters are monotonic: deleting raw runs never lowers them", async () => {
    await db.run.deleteMany({});
    const again = await renderMetrics(db);
    expect(again).toContain('pacts_runs_total{status="passed"} 5');
    expect(again).toContain("pacts_queue_depth 0");
  });
});

describe("GET /api/metrics auth", () => {
  it("open when METRICS_TOKEN is unset", async () => {
    resetMetricsCache();
    const res = await handlePrometheusRequest(get("/api/metrics"), { db, metricsToken: undefined });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await res.text()).toContain("pacts_runs_total");
  });

  it("401 JSON with WWW-Authenticate on a missing or wrong token; 200 with the right one", async () => {
    const deps = { db, metricsToken: METRICS_TOKEN };
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong" }, { authorization: `Bearer ${METRICS_TOKEN}x` }, { authorization: `Basic ${METRICS_TOKEN}` }, { authorization: `Bearer ${tokenA}` }];
    for (const headers of attempts) {
      const res = await handlePrometheusRequest(get("/api/metrics", headers), deps);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="pacts"/);
      expect(res.headers.get("location")).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    }
    const ok = await handlePrometheusRequest(get("/api/metrics", { authorization: `Bearer ${METRICS_TOKEN}` }), deps);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("pacts_workers_active");
  });

  it("compares in constant time over equal-length digests (any length, no throw)", () => {
    expect(tokenMatches("a", "a")).toBe(true);
    expect(tokenMatches("a", "ab")).toBe(false);
    expect(tokenMatches("", METRICS_TOKEN)).toBe(false);
    expect(tokenMatches("x".repeat(10_000), METRICS_TOKEN)).toBe(false);
  });

  it("the Next route handlers, called directly with a Request", async () => {
    process.env.DATABASE_URL = t.url;
    process.env.METRICS_TOKEN = METRICS_TOKEN;
    resetServerEnv();
    resetMetricsCache();
    try {
      const { GET } = await import("@/app/api/metrics/route");
      expect((await GET(get("/api/metrics"))).status).toBe(401);
      const ok = await GET(get("/api/metrics", { authorization: `Bearer ${METRICS_TOKEN}` }));
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('pacts_runs_total{status="passed"} 5');

      const kindRoute = await import("@/app/api/metrics/[kind]/route");
      const params = (kind: string) => ({ params: Promise.resolve({ kind }) });
      const runs = await kindRoute.GET(get("/api/metrics/runs", { authorization: `Bearer ${METRICS_TOKEN}` }), params("runs"));
      expect(runs.status).toBe(200);
      expect(((await runs.json()) as { total_runs: number }).total_runs).toBe(7);
      const cache = await kindRoute.GET(get("/api/metrics/cache", { authorization: `Bearer ${tokenA}` }), params("cache"));
      expect(((await cache.json()) as { redis_hits: number }).redis_hits).toBe(5);
      const bad = await kindRoute.GET(get("/api/metrics/runs?since=abc", { authorization: `Bearer ${tokenA}` }), params("runs"));
      expect(bad.status).toBe(400);
    } finally {
      delete process.env.METRICS_TOKEN;
      resetServerEnv();
    }
  });
});

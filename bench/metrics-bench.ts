// Metrics endpoints under load: p50/p95/p99 of GET /api/metrics and GET /api/metrics/summary against `next start`
// with 1M heal events and 100k runs in the database, 50 concurrent keep-alive clients for ~10 s per endpoint,
// versus the 50 ms p95 target. Baseline from the same process: the same summary computed naively with COUNT/AVG
// over the raw runs and heal_events rows (what the rollups replace), plus the rollup queries called directly.
//
// Usage (repo root): npx tsx bench/metrics-bench.ts
//   env: BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres), BENCH_SECONDS (default 10),
//        BENCH_CONCURRENCY (default 50), BENCH_WARMUP_SECONDS (default 2), BENCH_KEEP_DB=1 to keep the database
//        afterwards, BENCH_SERVER_NODE_ARGS (node flags for the server, e.g. --cpu-prof).
// It creates (and at the end drops) the database pacts_bench_metrics, reuses a production build from .next-e2e
// or .next when one exists (else builds into .next-bench) and starts `next start` on a free loopback port.
// Results go to stdout; paste them into docs/benchmarks.md.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createDb } from "@/server/db";
import { migrateDatabase } from "@/server/db/migrate";
import { COUNTERS, HISTOGRAMS } from "@/server/metrics/definitions";
import { getMetricsSummary } from "@/server/metrics/summary";
import { createApiToken } from "@/server/tokens/api-token";
import { benchDbUrl, createBenchDatabase, dropBenchDatabase } from "./bench-db";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DB_NAME = "pacts_bench_metrics";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10) || 10;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50) || 50;
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const TARGET_P95_MS = 50;
const METRICS_TOKEN = "bench-metrics-token-0123456789";

const N_TEAMS = 10;
const N_RUNS = 100_000;
const N_HEALS = 1_000_000;
const DAYS = 30;
const STRATEGIES = ["label", "placeholder", "role_name", "text", "test_id", "stable_id", "aria_label", "name_attr"];

const DB_URL = benchDbUrl(DB_NAME);

const log = (msg: string) => console.log(`[bench] ${msg}`);
const sqlArray = (xs: readonly number[]) => `ARRAY[${xs.join(",")}]::float8[]`;
/** Prometheus `le` of a value in seconds (value <= bound), 'Infinity' above the last bound: same as bucketFor(). */
const leOf = (expr: string, bounds: readonly number[]) =>
  `COALESCE((SELECT min(b) FROM unnest(${sqlArray(bounds)}) AS b WHERE b >= ${expr}), 'Infinity'::float8)`;

// ---- seed ------------------------------------------------------------------------------------------------------

async function seed(c: pg.Client): Promise<{ teamIds: string[]; rollupRows: { counters: number; buckets: number } }> {
  const t0 = performance.now();
  await c.query(`INSERT INTO teams (id, name, slug, updated_at)
    SELECT 'bench-team-' || i, 'Bench team ' || i, 'bench-' || i, now() FROM generate_series(1, ${N_TEAMS}) AS i`);
  // 100k finished runs spread evenly over the last 30 days: 80% passed, 12% failed, 4% error, 2% blocked, 2% cancelled.
  await c.query(`INSERT INTO runs (req_id, team_id, test_name, url, steps, status, trigger, start_time, end_time,
      total_steps, completed_steps, heal_rounds, heal_events, duration_ms, created_at, updated_at)
    SELECT 'bench-run-' || i, 'bench-team-' || (1 + i % ${N_TEAMS}), 'Bench test ' || (i % 50), 'http://127.0.0.1/bench', '[]'::jsonb,
      (CASE WHEN (i * 7919) % 100 < 80 THEN 'PASSED' WHEN (i * 7919) % 100 < 92 THEN 'FAILED'
            WHEN (i * 7919) % 100 < 96 THEN 'ERROR' WHEN (i * 7919) % 100 < 98 THEN 'BLOCKED' ELSE 'CANCELLED' END)::"RunStatus",
      'API'::"RunTrigger", e - make_interval(secs => d / 1000.0), e, 4, 4, (i % 5 = 0)::int, 10, d, e, e
    FROM (SELECT i, now() - make_interval(secs => (i::float8 / ${N_RUNS}) * ${DAYS} * 86400) AS e,
                 800 + (i * 7919) % 45000 AS d
            FROM generate_series(1, ${N_RUNS}) AS i) AS s`);
  log(`seeded ${N_RUNS} runs in ${Math.round(performance.now() - t0)} ms`);
  const t1 = performance.now();
  // 1M heal events, 10 per run, 8 strategies; 70% healed, 20% failed, 10% unverified; 20 ms – 3 s.
  await c.query(`INSERT INTO heal_events (id, req_id, step_idx, round, element_name, url_pattern, outcome, strategy, duration_ms, created_at)
    SELECT 'bench-heal-' || i, 'bench-run-' || (1 + (i - 1) % ${N_RUNS}), i % 4, 1, 'Element ' || (i % 20), '/bench',
      (CASE WHEN (i * 13) % 10 < 7 THEN 'HEALED' WHEN (i * 13) % 10 < 9 THEN 'FAILED' ELSE 'UNVERIFIED' END)::"HealOutcome",
      (${`ARRAY[${STRATEGIES.map((s) => `'${s}'`).join(",")}]`})[1 + (i * 31) % ${STRATEGIES.length}],
      20 + (i * 7877) % 2980,
      now() - make_interval(secs => ((1 + (i - 1) % ${N_RUNS})::float8 / ${N_RUNS}) * ${DAYS} * 86400)
    FROM generate_series(1::bigint, ${N_HEALS}::bigint) AS i`);
  log(`seeded ${N_HEALS} heal events in ${Math.round(performance.now() - t1)} ms`);

  // Rollups, aggregated from the seeded rows exactly as recordRunFinished / recordHealAttempt would have
  // bumped them one event at a time (same hour buckets, label keys and bucket bounds).
  const t2 = performance.now();
  const runBounds = HISTOGRAMS.runDuration.bounds;
  const healBounds = HISTOGRAMS.healDuration.bounds;
  await c.query(`INSERT INTO metric_counters (team_id, metric, labels, bucket_start, value)
    SELECT team_id, '${COUNTERS.runsTotal}', 'status=' || lower(status::text), date_trunc('hour', end_time), count(*)
      FROM runs GROUP BY 1, 2, 3, 4`);
  await c.query(`INSERT INTO metric_counters (team_id, metric, labels, bucket_start, value)
    SELECT team_id, '${COUNTERS.runHealRounds}', '', date_trunc('hour', end_time), sum(heal_rounds)
      FROM runs WHERE heal_rounds > 0 GROUP BY 1, 2, 3, 4`);
  await c.query(`INSERT INTO metric_histogram_buckets (team_id, metric, labels, bucket_start, le, count, sum)
    SELECT team_id, '${HISTOGRAMS.runDuration.metric}', '', date_trunc('hour', end_time), ${leOf("duration_ms / 1000.0", runBounds)},
           count(*), sum(duration_ms / 1000.0)
      FROM runs WHERE duration_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5`);
  await c.query(`INSERT INTO metric_counters (team_id, metric, labels, bucket_start, value)
    SELECT r.team_id, '${COUNTERS.healAttemptsTotal}', 'outcome=' || lower(h.outcome::text) || ',strategy=' || h.strategy,
           date_trunc('hour', h.created_at), count(*)
      FROM heal_events h JOIN runs r ON r.req_id = h.req_id GROUP BY 1, 2, 3, 4`);
  await c.query(`INSERT INTO metric_histogram_buckets (team_id, metric, labels, bucket_start, le, count, sum)
    SELECT r.team_id, '${HISTOGRAMS.healDuration.metric}', 'strategy=' || h.strategy, date_trunc('hour', h.created_at),
           ${leOf("h.duration_ms / 1000.0", healBounds)}, count(*), sum(h.duration_ms / 1000.0)
      FROM heal_events h JOIN runs r ON r.req_id = h.req_id GROUP BY 1, 2, 3, 4, 5`);
  // Selector-cache lookups: one batch per run (recordCacheRequests), 3 element steps each.
  await c.query(`INSERT INTO metric_counters (team_id, metric, labels, bucket_start, value)
    SELECT team_id, '${COUNTERS.cacheRequestsTotal}', l.labels, date_trunc('hour', end_time), sum(l.n)
      FROM runs CROSS JOIN (VALUES ('layer=memory,result=hit', 2), ('layer=postgres,result=hit', 1),
                                   ('layer=memory,result=miss', 1), ('layer=postgres,result=miss', 1)) AS l(labels, n)
     GROUP BY 1, 2, 3, 4`);
  // Steady state, as autovacuum would leave it within a minute: the seed's upserts of the all-time totals rows
  // (one per hourly row, through the trigger) leave dead row versions that should not be measured.
  await c.query("VACUUM ANALYZE");
  const counts = await c.query<{ counters: string; buckets: string }>(
    `SELECT (SELECT count(*) FROM metric_counters) AS counters, (SELECT count(*) FROM metric_histogram_buckets) AS buckets`,
  );
  const rollupRows = { counters: Number(counts.rows[0]!.counters), buckets: Number(counts.rows[0]!.buckets) };
  log(`rollups: ${rollupRows.counters} counter rows, ${rollupRows.buckets} histogram bucket rows, in ${Math.round(performance.now() - t2)} ms`);
  return { teamIds: Array.from({ length: N_TEAMS }, (_, i) => `bench-team-${i + 1}`), rollupRows };
}

// ---- server ------------------------------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function pickBuild(): string {
  for (const dir of [".next-e2e", ".next"]) if (existsSync(path.join(ROOT, dir, "BUILD_ID"))) return dir;
  log("no production build found; running next build into .next-bench");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: ".next-bench", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error("next build failed");
  return ".next-bench";
}

async function startServer(distDir: string, port: number, dataDir: string): Promise<ChildProcess> {
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see
  // where a request's time goes (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_DIST_DIR: distDir,
      DATABASE_URL: DB_URL,
      METRICS_TOKEN,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: "pacts-bench-secret-0123456789abcdef",
      PACTS_DATA_DIR: dataDir,
      REDIS_URL: "",
      LOG_LEVEL: "warn",
    },
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/login`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error(`next start did not answer within 60 s:\n${output}`);
}

// ---- load ------------------------------------------------------------------------------------------------------

type LoadResult = { requests: number; errors: number; statuses: Record<string, number>; p50: number; p95: number; p99: number; max: number; rps: number };

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function getOnce(agent: http.Agent, port: number, urlPath: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: urlPath, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/**
 * CONCURRENCY callers, each calling `call` again as soon as its previous call ended, until `seconds` have
 * passed (a closed loop): every call's latency, sorted, and the calls per second.
 */
async function closedLoop(seconds: number, call: () => Promise<unknown>): Promise<{ latencies: number[]; rps: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const rps = latencies.length / ((performance.now() - start) / 1000);
  return { latencies: latencies.sort((a, b) => a - b), rps };
}

function summarise(run: { latencies: number[]; rps: number }, errors: number, statuses: Record<string, number>): LoadResult {
  const { latencies, rps } = run;
  return {
    requests: latencies.length,
    errors,
    statuses,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: latencies.at(-1) ?? NaN,
    rps,
  };
}

/** `concurrency` keep-alive clients, each sending its next request as soon as the previous answer has been read. */
async function load(port: number, urlPath: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = () => getOnce(agent, port, urlPath, headers);
  // Warm-up: open the connections, then the same load for WARMUP_SECONDS unmeasured, so the route's code is
  // compiled by the JIT and its result cache is built before the clock starts.
  await Promise.all(Array.from({ length: CONCURRENCY }, () => get().catch(() => 0)));
  await closedLoop(WARMUP_SECONDS, () => get().catch(() => 0));
  const statuses: Record<string, number> = {};
  let errors = 0;
  const run = await closedLoop(seconds, async () => {
    try {
      const status = await get();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) errors++;
    } catch {
      errors++;
    }
  });
  agent.destroy();
  return summarise(run, errors, statuses);
}

/** `concurrency` callers of an async function for `seconds` (no HTTP), latencies of each call. */
async function loadFn(fn: () => Promise<unknown>, seconds: number): Promise<LoadResult> {
  let errors = 0;
  const run = await closedLoop(seconds, () => fn().catch(() => errors++));
  return summarise(run, errors, {});
}

async function timeSequential(reps: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; min: number }> {
  await fn(); // warm the plan/cache
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), min: xs[0]! };
}

// The summary computed the naive way: COUNT/AVG over the raw rows on every request (no rollups).
const NAIVE_SUMMARY_SQL = `
  WITH r AS (
    SELECT count(*) AS total_runs,
           count(*) FILTER (WHERE status = 'PASSED') AS passed,
           count(*) FILTER (WHERE status IN ('FAILED', 'ERROR', 'BLOCKED')) AS failed,
           avg(heal_rounds) AS avg_heal_rounds, avg(duration_ms) AS avg_duration_ms
      FROM runs WHERE status IN ('PASSED', 'FAILED', 'ERROR', 'BLOCKED', 'CANCELLED')
  ), h AS (
    SELECT strategy, count(*) FILTER (WHERE outcome = 'HEALED') AS total_success,
           count(*) FILTER (WHERE outcome <> 'HEALED') AS total_failure, avg(duration_ms) AS avg_heal_time_ms
      FROM heal_events GROUP BY strategy
  )
  SELECT (SELECT row_to_json(r) FROM r) AS runs, (SELECT json_agg(h) FROM h) AS heal`;

// ---- main ------------------------------------------------------------------------------------------------------

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  log(`machine: ${os.cpus().length} vCPU ${os.cpus()[0]?.model ?? ""}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  await createBenchDatabase(DB_NAME);
  let server: ChildProcess | undefined;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "pacts-bench-metrics-"));
  const db = createDb(DB_URL);
  try {
    await migrateDatabase(DB_URL);
    const c = new pg.Client({ connectionString: DB_URL });
    await c.connect();
    let seeded: Awaited<ReturnType<typeof seed>>;
    try {
      seeded = await seed(c);
    } finally {
      await c.end();
    }
    const teamToken = (await createApiToken(db, { teamId: seeded.teamIds[0]!, name: "bench" })).token;

    // Baselines, from this process, one query at a time.
    const naiveClient = new pg.Client({ connectionString: DB_URL });
    await naiveClient.connect();
    const naive = await timeSequential(10, () => naiveClient.query(NAIVE_SUMMARY_SQL));
    await naiveClient.end();
    const direct = await timeSequential(20, () => getMetricsSummary(db, { teamId: null }));
    // The naive query under the same concurrency as the HTTP load, through a pool the size of the app's (pg's default 10).
    const pool = new pg.Pool({ connectionString: DB_URL, max: 10 });
    const naiveLoad = await loadFn(() => pool.query(NAIVE_SUMMARY_SQL), SECONDS);
    await pool.end();
    log(`naive summary SQL, ${CONCURRENCY} concurrent callers, pool of 10: ${naiveLoad.requests} queries, p50 ${fmt(naiveLoad.p50)}, p95 ${fmt(naiveLoad.p95)}`);
    log(`naive summary SQL over raw rows (sequential, 10 reps): p50 ${fmt(naive.p50)}, p95 ${fmt(naive.p95)}`);
    log(`rollup summary (getMetricsSummary in-process, sequential, 20 reps): p50 ${fmt(direct.p50)}, p95 ${fmt(direct.p95)}`);

    const distDir = pickBuild();
    const port = await freePort();
    server = await startServer(distDir, port, dataDir);
    log(`next start (${distDir}) on 127.0.0.1:${port}`);

    const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
    const targets: [string, string, Record<string, string>][] = [
      ["GET /api/metrics (Prometheus, global)", "/api/metrics", bearer(METRICS_TOKEN)],
      ["GET /api/metrics/summary (METRICS_TOKEN: all teams)", "/api/metrics/summary", bearer(METRICS_TOKEN)],
      ["GET /api/metrics/summary (team API token: one team)", "/api/metrics/summary", bearer(teamToken)],
    ];
    const results: [string, LoadResult][] = [];
    for (const [name, urlPath, headers] of targets) {
      const r = await load(port, urlPath, headers, SECONDS);
      results.push([name, r]);
      log(`${name}: ${r.requests} requests (${r.rps.toFixed(0)}/s), errors ${r.errors} ${JSON.stringify(r.statuses)}, p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, p99 ${fmt(r.p99)}`);
    }

    console.log("\n## Results (paste into docs/benchmarks.md)\n");
    console.log(`Data: ${N_RUNS} runs, ${N_HEALS} heal events, ${N_TEAMS} teams over ${DAYS} days; rollups ${seeded.rollupRows.counters} counter rows + ${seeded.rollupRows.buckets} histogram bucket rows.`);
    console.log(`Load: ${CONCURRENCY} concurrent keep-alive clients, ${SECONDS} s per endpoint, \`next start\` (${distDir}), loopback.\n`);
    console.log("| endpoint | requests | req/s | errors | p50 | p95 | p99 | p95 ÷ 50 ms |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const [name, r] of results) {
      console.log(`| ${name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.errors} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${(r.p95 / TARGET_P95_MS).toFixed(2)}x |`);
    }
    console.log("\n| baseline (from the bench process, one query at a time) | p50 | p95 |");
    console.log("|---|---:|---:|");
    console.log(`| naive summary: COUNT/AVG over runs + heal_events | ${fmt(naive.p50)} | ${fmt(naive.p95)} |`);
    console.log(`| rollup summary: getMetricsSummary (all teams), no HTTP | ${fmt(direct.p50)} | ${fmt(direct.p95)} |`);
    console.log(`\n| naive summary SQL under load (${CONCURRENCY} concurrent callers, pg pool of 10, ${SECONDS} s) | queries | p50 | p95 | p99 |`);
    console.log("|---|---:|---:|---:|---:|");
    console.log(`| COUNT/AVG over runs + heal_events | ${naiveLoad.requests} | ${fmt(naiveLoad.p50)} | ${fmt(naiveLoad.p95)} | ${fmt(naiveLoad.p99)} |`);
    console.log(`\nload average after: ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await db.$disconnect();
    await rm(dataDir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DB !== "1") await dropBenchDatabase(DB_NAME);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

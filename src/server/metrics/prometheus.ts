// Prometheus exposition for GET /api/metrics. Every number comes from Postgres (rollups, runs, workers), so
// what any worker recorded shows in any web process, with or without Redis. prom-client does the formatting:
// counters and gauges are prom-client Counter/Gauge objects filled per scrape; histograms come from stored
// bucket counts, which prom-client's Histogram cannot be loaded with, so they are metric objects whose get()
// returns prom-client's histogram value shape. The rendered text is cached for CACHE_MS and concurrent
// scrapes share one build.
import { collectDefaultMetrics, Counter, Gauge, type Metric, Registry } from "prom-client";
import type { PrismaClient } from "@/generated/prisma/client";
import {
  CACHE_LAYERS,
  CACHE_RESULTS,
  COUNTERS,
  cumulativeBuckets,
  HISTOGRAMS,
  parseLabelKey,
  RUN_STATUSES,
} from "./definitions";
import { readCounters, readHistograms, type CounterRow, type HistogramRow } from "./query";
import { countActiveWorkers, countUnhealthyWorkers } from "./workers";
import { createResultCache, type ResultCache } from "./result-cache";

/**
 * How long a built answer is served as is. An all-team build sums every rollup row (~50 ms of Postgres on a
 * month of busy history), so rebuilding it every second cost a 2-core box a visible share of its CPU under a
 * polling storm; 5 s is still well under any scrape interval or dashboard refresh.
 */
export const CACHE_MS = 5000;
/** Longest a reader is served an old value while a rebuild runs; scrape intervals are 15 s and up, so a
 *  scrape normally gets a build made for it. */
export const STALE_MS = 10_000;
export const CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** prom-client gauges that promtool rejects ("non-counter metrics should not have _total suffix"). */
export const DROPPED_DEFAULT_METRICS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

type Db = Pick<PrismaClient, "$queryRaw">;

const globalForMetrics = globalThis as unknown as {
  pactsDefaultRegistry?: Registry;
  pactsMetricsCache?: ResultCache<string>;
  pactsJsonCache?: ResultCache<unknown>;
};

/** Process metrics, collected once per process (collectDefaultMetrics starts monitors; never per scrape). */
function defaultRegistry(): Registry {
  if (!globalForMetrics.pactsDefaultRegistry) {
    const reg = new Registry();
    collectDefaultMetrics({ register: reg });
    for (const name of DROPPED_DEFAULT_METRICS) reg.removeSingleMetric(name);
    globalForMetrics.pactsDefaultRegistry = reg;
  }
  return globalForMetrics.pactsDefaultRegistry;
}

function counterFamily(reg: Registry, name: string, help: string, labelNames: string[], rows: CounterRow[], metric: string, seed: Record<string, string>[] = []) {
  const c = new Counter({ name, help, labelNames, registers: [reg] });
  // Known label sets start at 0 so their series exist before the first event (rate() needs the zero).
  for (const labels of seed) c.inc(labels, 0);
  for (const r of rows) {
    if (r.metric !== metric) continue;
    const labels = parseLabelKey(r.labels);
    if (labelNames.length === 0) c.inc(r.value);
    else c.inc(Object.fromEntries(labelNames.map((k) => [k, labels[k] ?? "none"])), r.value);
  }
  return c;
}

function gauge(reg: Registry, name: string, help: string, value: number) {
  new Gauge({ name, help, registers: [reg] }).set(value);
}

const leLabel = (le: number) => (Number.isFinite(le) ? String(le) : "+Inf");

/** A histogram family from stored buckets, in prom-client's value shape. Label-less families always appear. */
function histogramFamily(reg: Registry, name: string, help: string, labelNames: string[], bounds: readonly number[], rows: HistogramRow[], metric: string) {
  const series = new Map<string, { labels: Record<string, string>; rows: { le: number; count: number }[]; sum: number }>();
  if (labelNames.length === 0) series.set(JSON.stringify({}), { labels: {}, rows: [], sum: 0 });
  for (const r of rows) {
    if (r.metric !== metric) continue;
    const parsed = parseLabelKey(r.labels);
    const labels = Object.fromEntries(labelNames.map((k) => [k, parsed[k] ?? "none"]));
    const key = JSON.stringify(labels);
    let s = series.get(key);
    if (!s) series.set(key, (s = { labels, rows: [], sum: 0 }));
    s.rows.push({ le: r.le, count: r.count });
    s.sum += r.sum;
  }
  const values: { metricName: string; labels: Record<string, string>; value: number }[] = [];
  for (const s of series.values()) {
    const cumulative = cumulativeBuckets(s.rows, bounds);
    for (const b of cumulative) values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: leLabel(b.le) }, value: b.count });
    values.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
    values.push({ metricName: `${name}_count`, labels: s.labels, value: cumulative.at(-1)!.count });
  }
  const family = {
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    get: async () => ({ name, help, type: "histogram", aggregator: "sum", values }),
  };
  reg.registerMetric(family as unknown as Metric);
}

async function readQueue(db: Db): Promise<{ pending: number; running: number }> {
  const rows = await db.$queryRaw<{ pending: number; running: number }[]>`
    SELECT count(*) FILTER (WHERE "status" = 'PENDING')::int AS "pending",
           count(*) FILTER (WHERE "status" = 'RUNNING')::int AS "running"
      FROM "runs" WHERE "status" IN ('PENDING', 'RUNNING')`;
  return rows[0] ?? { pending: 0, running: 0 };
}

/** A fresh registry with the PACTS families for this scrape (global: every team). */
export async function buildPactsRegistry(db: Db): Promise<Registry> {
  const all = { teamId: null };
  const [counters, histograms, queue, workers, unhealthyWorkers] = await Promise.all([
    readCounters(db, all, Object.values(COUNTERS)),
    readHistograms(db, all, Object.values(HISTOGRAMS).map((h) => h.metric)),
    readQueue(db),
    countActiveWorkers(db),
    countUnhealthyWorkers(db),
  ]);
  const reg = new Registry();
  counterFamily(reg, "pacts_runs_total", "Finished runs by final status.", ["status"], counters, COUNTERS.runsTotal,
    RUN_STATUSES.map((status) => ({ status })));
  histogramFamily(reg, "pacts_run_duration_seconds", "Duration of finished runs.", [], HISTOGRAMS.runDuration.bounds, histograms, HISTOGRAMS.runDuration.metric);
  counterFamily(reg, "pacts_heal_attempts_total", "Heal attempts by strategy and outcome.", ["strategy", "outcome"], counters, COUNTERS.healAttemptsTotal);
  histogramFamily(reg, "pacts_heal_duration_seconds", "Duration of heal attempts by strategy.", ["strategy"], HISTOGRAMS.healDuration.bounds, histograms, HISTOGRAMS.healDuration.metric);
  counterFamily(reg, "pacts_wrong_heals_total", "Heals a later assertion proved wrong.", [], counters, COUNTERS.wrongHealsTotal);
  counterFamily(reg, "pacts_selector_cache_requests_total", "Selector-cache lookups by layer and result.", ["layer", "result"], counters, COUNTERS.cacheRequestsTotal,
    CACHE_LAYERS.flatMap((layer) => CACHE_RESULTS.map((result) => ({ layer, result }))));
  counterFamily(reg, "pacts_selector_cache_invalidations_total", "Selector-cache entries removed on purpose.", [], counters, COUNTERS.cacheInvalidationsTotal);
  gauge(reg, "pacts_queue_depth", "Runs waiting to be claimed (PENDING).", queue.pending);
  gauge(reg, "pacts_runs_running", "Runs being executed (RUNNING).", queue.running);
  gauge(reg, "pacts_workers_active", "Workers with a heartbeat in the last 30 s.", workers);
  gauge(reg, "pacts_workers_unhealthy", "Active workers that cannot run anything (Chromium does not launch).", unhealthyWorkers);
  histogramFamily(reg, "pacts_schedule_lag_seconds", "Delay between a schedule's due time and its run being queued.", [], HISTOGRAMS.scheduleLag.bounds, histograms, HISTOGRAMS.scheduleLag.metric);
  return reg;
}

/** The full exposition text: PACTS families plus process metrics (minus the three promtool rejects). */
export async function renderMetrics(db: Db): Promise<string> {
  const pacts = await buildPactsRegistry(db);
  return Registry.merge([pacts, defaultRegistry()]).metrics();
}

/**
 * renderMetrics behind the shared result cache: a scrape storm costs one build per CACHE_MS, and no scrape waits
 * for a rebuild while the last text is younger than STALE_MS (it is rebuilt in the background).
 */
export function renderMetricsCached(db: Db, now: number = Date.now()): Promise<string> {
  globalForMetrics.pactsMetricsCache ??= createResultCache<string>({ freshMs: CACHE_MS, staleMs: STALE_MS, maxEntries: 1 });
  return globalForMetrics.pactsMetricsCache.get("prometheus", () => renderMetrics(db), now);
}

/** For tests. */
export function resetMetricsCache(): void {
  globalForMetrics.pactsMetricsCache?.clear();
  globalForMetrics.pactsJsonCache?.clear();
}

/** The JSON endpoints' shared cache (key: kind, scope and since), same freshness rules as the scrape. */
export function metricsJsonCache(): ResultCache<unknown> {
  globalForMetrics.pactsJsonCache ??= createResultCache<unknown>({ freshMs: CACHE_MS, staleMs: STALE_MS });
  return globalForMetrics.pactsJsonCache;
}

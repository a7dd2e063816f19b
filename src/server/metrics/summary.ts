// The original system's JSON metrics (GET /metrics/cache|heal|runs|summary), keys verbatim, built from the
// rollups. One function per shape, shared by the /api/metrics/* route handlers, `pacts metrics` and the
// dashboard. Rates are percentages rounded to 2 decimals, like the original's ROUND(…, 2).
import { COUNTERS, HISTOGRAMS, parseLabelKey } from "./definitions";
import {
  countCachedSelectors,
  readCounters,
  readCounterSeries,
  readHistograms,
  readHistogramSeries,
  type CounterRow,
  type Granularity,
  type HistogramRow,
  type MetricsReadDb,
  type MetricsScope,
} from "./query";

export type { MetricsScope } from "./query";

export type CacheMetrics = {
  /** L1 hits: Redis, or the in-process map that stands in for it when there is no Redis. */
  redis_hits: number;
  postgres_hits: number;
  /** Lookups that missed both layers. */
  misses: number;
  /** (redis_hits + postgres_hits) / (redis_hits + postgres_hits + misses) * 100; 0 with no lookups. */
  hit_rate: number;
  /** Served entries that failed validation on the page (stale). */
  drift_detections: number;
  invalidations: number;
  /** Live entries in the Postgres layer (current, not limited by `since`). */
  total_cached: number;
};

export type HealStrategyMetrics = {
  strategy: string;
  /** Attempts whose outcome was HEALED. */
  total_success: number;
  /** Attempts that ended UNVERIFIED or FAILED. */
  total_failure: number;
  success_rate: number;
  usage_count: number;
  avg_heal_time_ms: number;
};
export type HealMetrics = { strategies: HealStrategyMetrics[] };

export type RunMetrics = {
  /** Finished runs of every final status (passed, failed, error, blocked, cancelled). */
  total_runs: number;
  passed: number;
  /** FAILED + ERROR + BLOCKED. */
  failed: number;
  /** passed / (passed + failed) * 100 (cancelled runs count for neither). */
  success_rate: number;
  avg_heal_rounds: number;
  avg_duration_ms: number;
};

export type MetricsSummary = {
  cache: CacheMetrics;
  heal: { strategy_count: number; top_strategies: HealStrategyMetrics[] };
  runs: RunMetrics;
};

export const TOP_STRATEGIES = 5;

const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (part: number, whole: number) => (whole > 0 ? round2((part / whole) * 100) : 0);

function sumWhere(rows: CounterRow[], metric: string, pred: (labels: Record<string, string>) => boolean = () => true): number {
  let n = 0;
  for (const r of rows) if (r.metric === metric && pred(parseLabelKey(r.labels))) n += r.value;
  return n;
}

// ---- pure builders (unit-tested) ---------------------------------------------------------------------------

export function buildCacheMetrics(counters: CounterRow[], totalCached: number): CacheMetrics {
  const m = COUNTERS.cacheRequestsTotal;
  const redis = sumWhere(counters, m, (l) => (l.layer === "redis" || l.layer === "memory") && l.result === "hit");
  const pg = sumWhere(counters, m, (l) => l.layer === "postgres" && l.result === "hit");
  const misses = sumWhere(counters, m, (l) => l.layer === "postgres" && l.result === "miss");
  return {
    redis_hits: redis,
    postgres_hits: pg,
    misses,
    hit_rate: pct(redis + pg, redis + pg + misses),
    drift_detections: sumWhere(counters, m, (l) => l.result === "stale"),
    invalidations: sumWhere(counters, COUNTERS.cacheInvalidationsTotal),
    total_cached: totalCached,
  };
}

export function buildHealMetrics(counters: CounterRow[], histograms: HistogramRow[]): HealMetrics {
  const by = new Map<string, { success: number; failure: number; count: number; sumSec: number }>();
  const get = (s: string) => {
    let v = by.get(s);
    if (!v) by.set(s, (v = { success: 0, failure: 0, count: 0, sumSec: 0 }));
    return v;
  };
  for (const r of counters) {
    if (r.metric !== COUNTERS.healAttemptsTotal) continue;
    const l = parseLabelKey(r.labels);
    const s = get(l.strategy ?? "none");
    if (l.outcome === "healed") s.success += r.value;
    else s.failure += r.value;
  }
  for (const h of histograms) {
    if (h.metric !== HISTOGRAMS.healDuration.metric) continue;
    const s = get(parseLabelKey(h.labels).strategy ?? "none");
    s.count += h.count;
    s.sumSec += h.sum;
  }
  const strategies = [...by.entries()]
    .filter(([, v]) => v.success + v.failure > 0)
    .map(([strategy, v]) => ({
      strategy,
      total_success: v.success,
      total_failure: v.failure,
      success_rate: pct(v.success, v.success + v.failure),
      usage_count: v.success + v.failure,
      avg_heal_time_ms: v.count > 0 ? round2((v.sumSec * 1000) / v.count) : 0,
    }))
    // The original's ranking: success_rate DESC, success_count DESC (name for a stable order).
    .sort((a, b) => b.success_rate - a.success_rate || b.total_success - a.total_success || a.strategy.localeCompare(b.strategy));
  return { strategies };
}

export function buildRunMetrics(counters: CounterRow[], histograms: HistogramRow[]): RunMetrics {
  const byStatus = (s: string) => sumWhere(counters, COUNTERS.runsTotal, (l) => l.status === s);
  const total = sumWhere(counters, COUNTERS.runsTotal);
  const passed = byStatus("passed");
  const failed = byStatus("failed") + byStatus("error") + byStatus("blocked");
  let count = 0;
  let sumSec = 0;
  for (const h of histograms) {
    if (h.metric !== HISTOGRAMS.runDuration.metric) continue;
    count += h.count;
    sumSec += h.sum;
  }
  return {
    total_runs: total,
    passed,
    failed,
    success_rate: pct(passed, passed + failed),
    avg_heal_rounds: total > 0 ? round2(sumWhere(counters, COUNTERS.runHealRounds) / total) : 0,
    avg_duration_ms: count > 0 ? round2((sumSec * 1000) / count) : 0,
  };
}

// ---- one function per JSON shape ---------------------------------------------------------------------------

const CACHE_COUNTERS = [COUNTERS.cacheRequestsTotal, COUNTERS.cacheInvalidationsTotal];
const HEAL_COUNTERS = [COUNTERS.healAttemptsTotal];
const RUN_COUNTERS = [COUNTERS.runsTotal, COUNTERS.runHealRounds];

export async function getCacheMetrics(db: MetricsReadDb, scope: MetricsScope): Promise<CacheMetrics> {
  const [counters, total] = await Promise.all([readCounters(db, scope, CACHE_COUNTERS), countCachedSelectors(db, scope.teamId)]);
  return buildCacheMetrics(counters, total);
}

export async function getHealMetrics(db: MetricsReadDb, scope: MetricsScope): Promise<HealMetrics> {
  const [counters, histograms] = await Promise.all([
    readCounters(db, scope, HEAL_COUNTERS),
    readHistograms(db, scope, [HISTOGRAMS.healDuration.metric]),
  ]);
  return buildHealMetrics(counters, histograms);
}

export async function getRunMetrics(db: MetricsReadDb, scope: MetricsScope): Promise<RunMetrics> {
  const [counters, histograms] = await Promise.all([
    readCounters(db, scope, RUN_COUNTERS),
    readHistograms(db, scope, [HISTOGRAMS.runDuration.metric]),
  ]);
  return buildRunMetrics(counters, histograms);
}

export function summarise(cache: CacheMetrics, heal: HealMetrics, runs: RunMetrics): MetricsSummary {
  return { cache, heal: { strategy_count: heal.strategies.length, top_strategies: heal.strategies.slice(0, TOP_STRATEGIES) }, runs };
}

export async function getMetricsSummary(db: MetricsReadDb, scope: MetricsScope): Promise<MetricsSummary> {
  // Two rollup queries and one count for all three parts.
  const [counters, histograms, total] = await Promise.all([
    readCounters(db, scope, [...CACHE_COUNTERS, ...HEAL_COUNTERS, ...RUN_COUNTERS]),
    readHistograms(db, scope, [HISTOGRAMS.healDuration.metric, HISTOGRAMS.runDuration.metric]),
    countCachedSelectors(db, scope.teamId),
  ]);
  return summarise(buildCacheMetrics(counters, total), buildHealMetrics(counters, histograms), buildRunMetrics(counters, histograms));
}

export type MetricsKind = "cache" | "heal" | "runs" | "summary";

export function getMetricsJson(db: MetricsReadDb, kind: MetricsKind, scope: MetricsScope): Promise<CacheMetrics | HealMetrics | RunMetrics | MetricsSummary> {
  switch (kind) {
    case "cache":
      return getCacheMetrics(db, scope);
    case "heal":
      return getHealMetrics(db, scope);
    case "runs":
      return getRunMetrics(db, scope);
    case "summary":
      return getMetricsSummary(db, scope);
  }
}

// ---- time series for the dashboard -------------------------------------------------------------------------

export type HitRatePoint = { t: string; hits: number; misses: number; hitRate: number | null };
export type PassRatePoint = { t: string; total: number; passed: number; failed: number; passRate: number | null };
export type DurationPoint = { t: string; runs: number; avgDurationMs: number | null };

function groupByTime<T extends { t: Date }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = r.t.toISOString();
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

/** Selector-cache hit rate per hour or day (points only where there were lookups). */
export async function hitRateOverTime(db: MetricsReadDb, scope: MetricsScope, granularity: Granularity = "hour"): Promise<HitRatePoint[]> {
  const rows = await readCounterSeries(db, scope, [COUNTERS.cacheRequestsTotal], granularity);
  return [...groupByTime(rows)].map(([t, rs]) => {
    const c = buildCacheMetrics(rs, 0);
    const hits = c.redis_hits + c.postgres_hits;
    return { t, hits, misses: c.misses, hitRate: hits + c.misses > 0 ? c.hit_rate : null };
  });
}

/** Run pass rate per hour or day. */
export async function passRateOverTime(db: MetricsReadDb, scope: MetricsScope, granularity: Granularity = "day"): Promise<PassRatePoint[]> {
  const rows = await readCounterSeries(db, scope, [COUNTERS.runsTotal], granularity);
  return [...groupByTime(rows)].map(([t, rs]) => {
    const r = buildRunMetrics(rs, []);
    return { t, total: r.total_runs, passed: r.passed, failed: r.failed, passRate: r.passed + r.failed > 0 ? r.success_rate : null };
  });
}

/** Average run duration per hour or day. */
export async function durationOverTime(db: MetricsReadDb, scope: MetricsScope, granularity: Granularity = "day"): Promise<DurationPoint[]> {
  const rows = await readHistogramSeries(db, scope, [HISTOGRAMS.runDuration.metric], granularity);
  return [...groupByTime(rows)].map(([t, rs]) => {
    const runs = rs.reduce((a, r) => a + r.count, 0);
    const sum = rs.reduce((a, r) => a + r.sum, 0);
    return { t, runs, avgDurationMs: runs > 0 ? Math.round((sum * 1000 * 100) / runs) / 100 : null };
  });
}

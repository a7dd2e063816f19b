// Recording side of the metrics: every event bumps hourly rollup rows with ONE statement
// (INSERT … ON CONFLICT DO UPDATE SET value = value + EXCLUDED.value, counters and histogram buckets together in
// data-modifying CTEs), so it is atomic on its own and, given the event's transaction client, commits or rolls
// back with the event. Concurrent writers never lose an increment: the row lock serialises the additions.
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import {
  bucketFor,
  CACHE_LAYERS,
  CACHE_RESULTS,
  COUNTERS,
  enumLabel,
  HEAL_OUTCOMES,
  HISTOGRAMS,
  hourBucket,
  labelKey,
  RUN_STATUSES,
  sanitiseLabelValue,
  type CacheLayer,
  type CacheResult,
  type HealOutcomeLabel,
} from "./definitions";

/** A PrismaClient or an interactive transaction client (`db.$transaction(async (tx) => …)`). */
export type MetricsDb = Pick<PrismaClient, "$executeRaw">;

type CounterDelta = { teamId: string; metric: string; labels: string; at: Date; value: number };
type HistogramDelta = { teamId: string; metric: string; labels: string; at: Date; bounds: readonly number[]; valueSec: number };

const ts = (d: Date) => Prisma.sql`${hourBucket(d).toISOString()}::timestamp(3)`;
const leText = (le: number) => (Number.isFinite(le) ? String(le) : "Infinity");

/** Merges deltas with the same key: one INSERT … ON CONFLICT must not touch a row twice. */
function mergeCounters(rows: CounterDelta[]): CounterDelta[] {
  const byKey = new Map<string, CounterDelta>();
  for (const r of rows) {
    if (!(r.value > 0)) continue;
    const k = JSON.stringify([r.teamId, r.metric, r.labels, hourBucket(r.at).getTime()]);
    const prev = byKey.get(k);
    if (prev) prev.value += r.value;
    else byKey.set(k, { ...r });
  }
  return [...byKey.values()];
}

function counterInsert(rows: CounterDelta[]): Prisma.Sql {
  const values = rows.map((r) => Prisma.sql`(${r.teamId}, ${r.metric}, ${r.labels}, ${ts(r.at)}, ${Math.round(r.value)}::bigint)`);
  return Prisma.sql`INSERT INTO "metric_counters" ("team_id", "metric", "labels", "bucket_start", "value")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("team_id", "metric", "labels", "bucket_start")
    DO UPDATE SET "value" = "metric_counters"."value" + EXCLUDED."value"`;
}

function histogramInsert(rows: HistogramDelta[]): Prisma.Sql {
  // Same-key observations in one call are merged (count and sum) for the same reason as counters.
  const byKey = new Map<string, { h: HistogramDelta; le: number; count: number; sum: number }>();
  for (const h of rows) {
    const le = bucketFor(h.valueSec, h.bounds);
    const k = JSON.stringify([h.teamId, h.metric, h.labels, hourBucket(h.at).getTime(), leText(le)]);
    const prev = byKey.get(k);
    if (prev) {
      prev.count += 1;
      prev.sum += h.valueSec;
    } else byKey.set(k, { h, le, count: 1, sum: h.valueSec });
  }
  const values = [...byKey.values()].map(
    ({ h, le, count, sum }) =>
      Prisma.sql`(${h.teamId}, ${h.metric}, ${h.labels}, ${ts(h.at)}, ${leText(le)}::float8, ${count}::bigint, ${sum}::float8)`,
  );
  return Prisma.sql`INSERT INTO "metric_histogram_buckets" ("team_id", "metric", "labels", "bucket_start", "le", "count", "sum")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("team_id", "metric", "labels", "bucket_start", "le")
    DO UPDATE SET "count" = "metric_histogram_buckets"."count" + EXCLUDED."count",
                  "sum" = "metric_histogram_buckets"."sum" + EXCLUDED."sum"`;
}

/** Applies counter and histogram deltas in one statement. */
export async function applyDeltas(db: MetricsDb, counters: CounterDelta[], histograms: HistogramDelta[] = []): Promise<void> {
  const c = mergeCounters(counters);
  const h = histograms.filter((x) => Number.isFinite(x.valueSec) && x.valueSec >= 0);
  if (c.length === 0 && h.length === 0) return;
  if (h.length === 0) {
    await db.$executeRaw(counterInsert(c));
    return;
  }
  if (c.length === 0) {
    await db.$executeRaw(histogramInsert(h));
    return;
  }
  // Both in one statement: a data-modifying CTE always runs, so this is one atomic unit even without a transaction.
  await db.$executeRaw(Prisma.sql`WITH "c" AS (${counterInsert(c)} RETURNING 1) ${histogramInsert(h)}`);
}

const msToSec = (ms: number) => Math.max(0, ms) / 1000;

export type RunFinishedEvent = {
  teamId: string;
  /** RunStatus of the settled run (PASSED, FAILED, ERROR, BLOCKED, CANCELLED); case-insensitive. */
  status: string;
  /** Run.durationMs; null/undefined (never started) records the count without a duration observation. */
  durationMs?: number | null;
  /** Run.healRounds, for avg_heal_rounds. */
  healRounds?: number;
  at?: Date;
};

/** A run reached a final status. Call once per run, in the transaction that settles it. */
export async function recordRunFinished(db: MetricsDb, e: RunFinishedEvent): Promise<void> {
  const at = e.at ?? new Date();
  const status = enumLabel(e.status, RUN_STATUSES);
  const counters: CounterDelta[] = [{ teamId: e.teamId, metric: COUNTERS.runsTotal, labels: labelKey({ status }), at, value: 1 }];
  if (e.healRounds && e.healRounds > 0) counters.push({ teamId: e.teamId, metric: COUNTERS.runHealRounds, labels: "", at, value: e.healRounds });
  const histograms: HistogramDelta[] =
    typeof e.durationMs === "number"
      ? [{ teamId: e.teamId, metric: HISTOGRAMS.runDuration.metric, labels: "", at, bounds: HISTOGRAMS.runDuration.bounds, valueSec: msToSec(e.durationMs) }]
      : [];
  await applyDeltas(db, counters, histograms);
}

export type HealAttemptEvent = {
  teamId: string;
  /** Strategy that produced the candidate (or the heal kind when none did); sanitised, "none" when empty. */
  strategy: string | null | undefined;
  outcome: HealOutcomeLabel | Lowercase<HealOutcomeLabel> | Uppercase<HealOutcomeLabel>;
  durationMs: number;
  at?: Date;
};

/** One heal attempt (one HealEvent row): counts it by strategy and outcome and observes its duration. */
export async function recordHealAttempt(db: MetricsDb, e: HealAttemptEvent): Promise<void> {
  const at = e.at ?? new Date();
  const strategy = sanitiseLabelValue(e.strategy);
  const outcome = enumLabel(e.outcome, HEAL_OUTCOMES);
  await applyDeltas(
    db,
    [{ teamId: e.teamId, metric: COUNTERS.healAttemptsTotal, labels: labelKey({ strategy, outcome }), at, value: 1 }],
    [{ teamId: e.teamId, metric: HISTOGRAMS.healDuration.metric, labels: labelKey({ strategy }), at, bounds: HISTOGRAMS.healDuration.bounds, valueSec: msToSec(e.durationMs) }],
  );
}

/** A later assertion proved heals wrong (HealEvent.wrongHeal set); `count` defaults to 1. */
export async function recordWrongHeal(db: MetricsDb, e: { teamId: string; count?: number; at?: Date }): Promise<void> {
  await applyDeltas(db, [{ teamId: e.teamId, metric: COUNTERS.wrongHealsTotal, labels: "", at: e.at ?? new Date(), value: e.count ?? 1 }]);
}

export type CacheRequestCount = { layer: CacheLayer; result: CacheResult; n: number };

/**
 * Selector-cache lookups, batched once per run. `stale` = a served entry failed validation on the page (the
 * original's drift detection). Zero counts are skipped; nothing is written when all are zero.
 */
export async function recordCacheRequests(db: MetricsDb, teamId: string, counts: CacheRequestCount[], at: Date = new Date()): Promise<void> {
  await applyDeltas(
    db,
    counts.map((c) => ({
      teamId,
      metric: COUNTERS.cacheRequestsTotal,
      labels: labelKey({ layer: enumLabel(c.layer, CACHE_LAYERS), result: enumLabel(c.result, CACHE_RESULTS) }),
      at,
      value: c.n,
    })),
  );
}

/** Selector-cache entries removed on purpose (manual clear / invalidate()). */
export async function recordInvalidation(db: MetricsDb, e: { teamId: string; count?: number; at?: Date }): Promise<void> {
  await applyDeltas(db, [{ teamId: e.teamId, metric: COUNTERS.cacheInvalidationsTotal, labels: "", at: e.at ?? new Date(), value: e.count ?? 1 }]);
}

/** Same shape as SelectorCacheStats["layers"] (src/server/cache/selector-cache.ts), kept structural on purpose. */
export type LayerStatsSnapshot = Record<CacheLayer, { hits: number; misses: number; stale: number }>;

/**
 * Per-run cache counts from two snapshots of a long-lived cache's stats().layers (taken before and after the
 * run; valid because a worker runs one run at a time).
 */
export function diffCacheStats(before: LayerStatsSnapshot, after: LayerStatsSnapshot): CacheRequestCount[] {
  const out: CacheRequestCount[] = [];
  for (const layer of CACHE_LAYERS) {
    const b = before[layer];
    const a = after[layer];
    const pairs: [CacheResult, number][] = [
      ["hit", a.hits - b.hits],
      ["miss", a.misses - b.misses],
      ["stale", a.stale - b.stale],
    ];
    for (const [result, n] of pairs) if (n > 0) out.push({ layer, result, n });
  }
  return out;
}

/** A schedule fired: observes how late it fired (now − its due nextRunAt). Call in the firing transaction. */
export async function recordScheduleLag(db: MetricsDb, e: { teamId: string; lagMs: number; at?: Date }): Promise<void> {
  await applyDeltas(
    db,
    [],
    [{ teamId: e.teamId, metric: HISTOGRAMS.scheduleLag.metric, labels: "", at: e.at ?? new Date(), bounds: HISTOGRAMS.scheduleLag.bounds, valueSec: msToSec(e.lagMs) }],
  );
}

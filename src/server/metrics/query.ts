// Read side of the rollups: sums over metric_counters / metric_histogram_buckets for one team or all teams,
// all time or since a point in time (hour granularity: a bucket counts when it starts at or after the hour
// containing `since`), optionally grouped by hour or day for charts.
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { hourBucket } from "./definitions";

export type MetricsReadDb = Pick<PrismaClient, "$queryRaw">;

/** teamId null = every team (METRICS_TOKEN / CLI); since null/undefined = all time. */
export type MetricsScope = { teamId: string | null; since?: Date | null };

export type CounterRow = { metric: string; labels: string; value: number };
export type HistogramRow = { metric: string; labels: string; le: number; count: number; sum: number };
export type Granularity = "hour" | "day";
export type SeriesCounterRow = CounterRow & { t: Date };
export type SeriesHistogramRow = { t: Date; metric: string; labels: string; count: number; sum: number };

function where(scope: MetricsScope, metrics: readonly string[]): Prisma.Sql {
  const parts = [Prisma.sql`"metric" IN (${Prisma.join(metrics)})`];
  if (scope.teamId !== null) parts.push(Prisma.sql`"team_id" = ${scope.teamId}`);
  if (scope.since) parts.push(Prisma.sql`"bucket_start" >= ${hourBucket(scope.since).toISOString()}::timestamp(3)`);
  return Prisma.join(parts, " AND ");
}

// All-time reads sum the per-label-set totals a trigger keeps next to the hourly rows (migration metric_totals):
// a few rows per team instead of one per hour ever recorded. Reads since a point in time sum the hourly rows.

export async function readCounters(db: MetricsReadDb, scope: MetricsScope, metrics: readonly string[]): Promise<CounterRow[]> {
  if (metrics.length === 0) return [];
  const table = Prisma.raw(scope.since ? `"metric_counters"` : `"metric_counter_totals"`);
  return db.$queryRaw<CounterRow[]>`
    SELECT "metric", "labels", sum("value")::float8 AS "value"
      FROM ${table} WHERE ${where(scope, metrics)}
     GROUP BY "metric", "labels"`;
}

export async function readHistograms(db: MetricsReadDb, scope: MetricsScope, metrics: readonly string[]): Promise<HistogramRow[]> {
  if (metrics.length === 0) return [];
  const table = Prisma.raw(scope.since ? `"metric_histogram_buckets"` : `"metric_histogram_totals"`);
  const rows = await db.$queryRaw<(Omit<HistogramRow, "le"> & { le: string })[]>`
    SELECT "metric", "labels", "le"::text AS "le", sum("count")::float8 AS "count", sum("sum")::float8 AS "sum"
      FROM ${table} WHERE ${where(scope, metrics)}
     GROUP BY "metric", "labels", "le"`;
  return rows.map((r) => ({ ...r, le: Number(r.le) }));
}

const trunc = (g: Granularity) => Prisma.raw(g === "day" ? "'day'" : "'hour'");

export async function readCounterSeries(db: MetricsReadDb, scope: MetricsScope, metrics: readonly string[], g: Granularity): Promise<SeriesCounterRow[]> {
  if (metrics.length === 0) return [];
  return db.$queryRaw<SeriesCounterRow[]>`
    SELECT date_trunc(${trunc(g)}, "bucket_start") AS "t", "metric", "labels", sum("value")::float8 AS "value"
      FROM "metric_counters" WHERE ${where(scope, metrics)}
     GROUP BY 1, "metric", "labels" ORDER BY 1`;
}

export async function readHistogramSeries(db: MetricsReadDb, scope: MetricsScope, metrics: readonly string[], g: Granularity): Promise<SeriesHistogramRow[]> {
  if (metrics.length === 0) return [];
  return db.$queryRaw<SeriesHistogramRow[]>`
    SELECT date_trunc(${trunc(g)}, "bucket_start") AS "t", "metric", "labels", sum("count")::float8 AS "count", sum("sum")::float8 AS "sum"
      FROM "metric_histogram_buckets" WHERE ${where(scope, metrics)}
     GROUP BY 1, "metric", "labels" ORDER BY 1`;
}

/** Live selector-cache entries (stable, not expired) — the original's total_cached. */
export async function countCachedSelectors(db: MetricsReadDb, teamId: string | null, now: Date = new Date()): Promise<number> {
  const team = teamId === null ? Prisma.empty : Prisma.sql`AND "team_id" = ${teamId}`;
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS "n" FROM "selector_cache_entries"
     WHERE "stable" AND "expires_at" > ${now.toISOString()}::timestamp(3) ${team}`;
  return rows[0]?.n ?? 0;
}

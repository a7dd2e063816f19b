import { z } from "zod";
import { createTRPCRouter, teamProcedure } from "@/server/api/trpc";
import {
  durationOverTime,
  getCacheMetrics,
  getHealMetrics,
  getRunMetrics,
  hitRateOverTime,
  passRateOverTime,
  type MetricsScope,
} from "@/server/metrics/summary";
import { workerHealth } from "@/server/metrics/workers";

export const METRICS_RANGES = ["24h", "7d", "30d", "all"] as const;
export type MetricsRange = (typeof METRICS_RANGES)[number];

const RANGE_MS: Record<Exclude<MetricsRange, "all">, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** Start of a range (null = all time); the rollups are hourly, so `since` includes the hour it falls in. */
export function rangeSince(range: MetricsRange, now: Date = new Date()): Date | null {
  return range === "all" ? null : new Date(now.getTime() - RANGE_MS[range]);
}

export const ZMetricsOverviewInput = z.object({ range: z.enum(METRICS_RANGES) });

// The dashboard's Metrics page: the same functions as GET /api/metrics/{cache,heal,runs} (so the numbers
// match the JSON endpoints for the same team and `since`), plus time series for the charts.
export const metricsRouter = createTRPCRouter({
  /** Are any workers running? (The pool is shared by all teams; the banner shows no team's data.) */
  workers: teamProcedure.query(async ({ ctx }) => {
    const h = await workerHealth(ctx.db);
    return {
      active: h.active,
      lastHeartbeatAt: h.lastHeartbeatAt?.toISOString() ?? null,
      unhealthy: h.unhealthy.map((w) => ({ id: w.id, health: w.health, error: w.error, since: w.since?.toISOString() ?? null })),
    };
  }),
  overview: teamProcedure.input(ZMetricsOverviewInput).query(async ({ ctx, input }) => {
    const since = rangeSince(input.range);
    const scope: MetricsScope = { teamId: ctx.team.id, since };
    // Hourly points for a day, daily points beyond.
    const granularity = input.range === "24h" ? "hour" : "day";
    const [cache, heal, runs, hitRate, passRate, duration] = await Promise.all([
      getCacheMetrics(ctx.db, scope),
      getHealMetrics(ctx.db, scope),
      getRunMetrics(ctx.db, scope),
      hitRateOverTime(ctx.db, scope, granularity),
      passRateOverTime(ctx.db, scope, granularity),
      durationOverTime(ctx.db, scope, granularity),
    ]);
    return {
      range: input.range,
      since: since?.toISOString() ?? null,
      granularity,
      cache,
      heal,
      runs,
      series: { hitRate, passRate, duration },
    };
  }),
});

// Per-element heal history: how often each discovery strategy healed a given element on a given page, and how
// fast. The re-probe step orders strategies by it — the original recorded this and never read it.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";

export type HealOutcome = {
  teamId: string;
  urlPattern: string;
  elementName: string;
  strategy: string;
  success: boolean;
  healTimeMs: number;
};

/**
 * Records one attempt in a single atomic upsert: concurrent workers healing the same element never lose an
 * increment (no read-modify-write in JS), and the average is recomputed in SQL from the new totals.
 * The average covers all attempts (successes and failures).
 */
export async function recordHealOutcome(db: PrismaClient, o: HealOutcome): Promise<void> {
  const ms = Number.isFinite(o.healTimeMs) ? Math.max(0, Math.round(o.healTimeMs)) : 0;
  const s = o.success ? 1 : 0;
  const f = o.success ? 0 : 1;
  await db.$executeRaw`
    INSERT INTO heal_history AS h
      (id, team_id, url_pattern, element_name, strategy, success_count, failure_count,
       total_heal_time_ms, avg_heal_time_ms, last_used_at, created_at, updated_at)
    VALUES (${randomUUID()}, ${o.teamId}, ${o.urlPattern}, ${o.elementName}, ${o.strategy}, ${s}, ${f},
       ${ms}::bigint, ${ms}::float8, now(), now(), now())
    ON CONFLICT (team_id, url_pattern, element_name, strategy) DO UPDATE SET
      success_count = h.success_count + EXCLUDED.success_count,
      failure_count = h.failure_count + EXCLUDED.failure_count,
      total_heal_time_ms = h.total_heal_time_ms + EXCLUDED.total_heal_time_ms,
      avg_heal_time_ms = (h.total_heal_time_ms + EXCLUDED.total_heal_time_ms)::float8
        / (h.success_count + h.failure_count + EXCLUDED.success_count + EXCLUDED.failure_count),
      last_used_at = now(),
      updated_at = now()`;
}

export type StrategyHistory = {
  strategy: string;
  successCount: number;
  failureCount: number;
  avgHealTimeMs: number;
};

/** Laplace-smoothed success rate: an untried strategy scores 0.5, one success out of one scores 0.67. */
export const smoothedSuccessRate = (h: Pick<StrategyHistory, "successCount" | "failureCount">) =>
  (h.successCount + 1) / (h.successCount + h.failureCount + 2);

/**
 * Orders `registry` (strategy names in registry order) by this element's history. Sort keys:
 *   1. smoothed success rate, descending — untried strategies count as the prior 0.5;
 *   2. strategies with history before untried ones at an equal rate;
 *   3. average heal time, ascending;
 *   4. registry order.
 * So strategies that worked come first (best, then fastest), then the untried rest in registry order, and
 * strategies that failed more often than they worked go last — a known-bad strategy is not retried before an
 * untried one. History for names not in the registry is ignored; the result is a permutation of `registry`.
 */
export function orderStrategies(history: readonly StrategyHistory[], registry: readonly string[]): string[] {
  const byName = new Map(history.map((h) => [h.strategy, h]));
  const unique = [...new Set(registry)];
  const index = new Map(unique.map((name, i) => [name, i]));
  const rate = (name: string) => {
    const h = byName.get(name);
    return h ? smoothedSuccessRate(h) : 0.5;
  };
  return unique.sort((a, b) => {
    const ra = rate(a);
    const rb = rate(b);
    if (ra !== rb) return rb - ra;
    const ha = byName.get(a);
    const hb = byName.get(b);
    if (ha && !hb) return -1;
    if (!ha && hb) return 1;
    if (ha && hb && ha.avgHealTimeMs !== hb.avgHealTimeMs) return ha.avgHealTimeMs - hb.avgHealTimeMs;
    return (index.get(a) ?? 0) - (index.get(b) ?? 0);
  });
}

export async function rankStrategies(
  db: PrismaClient,
  key: { teamId: string; urlPattern: string; elementName: string },
  allStrategyNames: readonly string[],
): Promise<string[]> {
  const rows = await db.healHistory.findMany({
    where: { teamId: key.teamId, urlPattern: key.urlPattern, elementName: key.elementName },
    select: { strategy: true, successCount: true, failureCount: true, avgHealTimeMs: true },
  });
  return orderStrategies(rows, allStrategyNames);
}

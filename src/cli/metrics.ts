// `pacts metrics [--cache|--heal|--runs] [--json] [--since 7d]`: the original's scripts/print_metrics.py tables
// over the global (all teams) numbers, or with --json the same JSON the /api/metrics/* endpoints return (same
// functions, src/server/metrics/summary.ts). The database is found like `pacts run` does: DATABASE_URL (the
// project's .env is merged in by bin/pacts.mjs), else the embedded cluster (attached when live, else started).
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { parseSince } from "@/server/metrics/since";
import {
  getCacheMetrics,
  getHealMetrics,
  getMetricsSummary,
  getRunMetrics,
  type CacheMetrics,
  type HealMetrics,
  type MetricsScope,
  type RunMetrics,
} from "@/server/metrics/summary";
import { openCliDatabase, type CliDatabase } from "./database";

export type MetricsIo = {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** Checkout root for the embedded cluster's state (default: the current directory). */
  projectDir?: string;
};

export const METRICS_USAGE = `Usage: pacts metrics [--cache] [--heal] [--runs] [--json] [--since <24h|7d|ISO date>]
  Print the selector-cache, healing and run metrics of every team (all of them when no section is named).
  --json prints the summary JSON (or the one named section's JSON), as GET /api/metrics/summary returns it.`;

const EXIT_OK = 0;
const EXIT_ERROR = 1;
const EXIT_USAGE = 2;

const write = (out: Writable, text: string) => new Promise<void>((resolve) => out.write(text, () => resolve()));

const SINGLE = "=".repeat(50);
const WIDE = "=".repeat(70);
const row = (label: string, value: string) => `${`${label}:`.padEnd(17)}${value}`;

export function formatCacheTable(c: CacheMetrics): string {
  return [
    "📊 CACHE METRICS",
    SINGLE,
    row("Redis Hits", String(c.redis_hits)),
    row("Postgres Hits", String(c.postgres_hits)),
    row("Misses", String(c.misses)),
    row("Hit Rate", `${c.hit_rate.toFixed(1)}%`),
    row("Total Cached", String(c.total_cached)),
    "",
  ].join("\n");
}

export function formatHealTable(h: HealMetrics): string {
  const line = (a: string, b: string, c: string, d: string, e: string) =>
    `${a.padEnd(20)} ${b.padEnd(10)} ${c.padEnd(10)} ${d.padEnd(10)} ${e}`.trimEnd();
  const out = ["🩹 HEALING METRICS", WIDE, line("Strategy", "Success", "Failure", "Rate", "Uses"), "-".repeat(70)];
  for (const s of h.strategies) {
    out.push(line(s.strategy, String(s.total_success), String(s.total_failure), `${s.success_rate.toFixed(1)}%`, String(s.usage_count)));
  }
  if (h.strategies.length === 0) out.push("(no heal attempts recorded)");
  out.push("");
  return out.join("\n");
}

export function formatRunTable(r: RunMetrics): string {
  return [
    "🏃 RUN METRICS",
    SINGLE,
    row("Total Runs", String(r.total_runs)),
    row("Passed", String(r.passed)),
    row("Failed", String(r.failed)),
    row("Success Rate", `${r.success_rate.toFixed(1)}%`),
    row("Avg Heal Rounds", r.avg_heal_rounds.toFixed(2)),
    row("Avg Duration", `${r.avg_duration_ms.toFixed(0)}ms`),
    "",
  ].join("\n");
}

type Section = "cache" | "heal" | "runs";

/** Prints the metrics; exit 0, 1 on a database error, 2 on a usage error. */
export async function metricsCommand(argv: string[], io: MetricsIo): Promise<number> {
  let values: { cache: boolean; heal: boolean; runs: boolean; json: boolean; since?: string; help: boolean };
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        cache: { type: "boolean", default: false },
        heal: { type: "boolean", default: false },
        runs: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        since: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    values = parsed.values as typeof values;
  } catch (err) {
    await write(io.stderr, `pacts metrics: ${(err as Error).message}\n\n${METRICS_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (values.help) {
    await write(io.stdout, `${METRICS_USAGE}\n`);
    return EXIT_OK;
  }
  let since: Date | null = null;
  if (values.since !== undefined) {
    since = parseSince(values.since);
    if (!since) {
      await write(io.stderr, `pacts metrics: --since must be an ISO date/time or a duration like 24h or 7d, got ${JSON.stringify(values.since)}\n`);
      return EXIT_USAGE;
    }
  }
  const named: Section[] = (["cache", "heal", "runs"] as const).filter((s) => values[s]);
  if (values.json && named.length > 1) {
    await write(io.stderr, "pacts metrics: --json takes at most one of --cache, --heal, --runs (none: the summary)\n");
    return EXIT_USAGE;
  }
  const sections: Section[] = named.length > 0 ? named : ["cache", "heal", "runs"];
  const scope: MetricsScope = { teamId: null, since };

  const say = (msg: string) => void io.stderr.write(`[pacts] ${msg}\n`);
  let database: CliDatabase | undefined;
  try {
    database = await openCliDatabase({ ...io, say });
    const db = database.db;

    if (values.json) {
      const body =
        named[0] === "cache" ? await getCacheMetrics(db, scope)
        : named[0] === "heal" ? await getHealMetrics(db, scope)
        : named[0] === "runs" ? await getRunMetrics(db, scope)
        : await getMetricsSummary(db, scope);
      await write(io.stdout, `${JSON.stringify(body)}\n`);
      return EXIT_OK;
    }
    const parts: string[] = [];
    for (const s of sections) {
      if (s === "cache") parts.push(formatCacheTable(await getCacheMetrics(db, scope)));
      if (s === "heal") parts.push(formatHealTable(await getHealMetrics(db, scope)));
      if (s === "runs") parts.push(formatRunTable(await getRunMetrics(db, scope)));
    }
    await write(io.stdout, parts.join("\n"));
    return EXIT_OK;
  } catch (err) {
    await write(io.stderr, `pacts metrics: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_ERROR;
  } finally {
    await database?.close();
  }
}

// The metrics PACTS keeps: internal names, allowed labels and fixed histogram bounds. Everything that lands in
// the rollup tables goes through here, so label sets stay small and known (no run or test ids, no free text).

/** Counter rollups (metric_counters.metric). */
export const COUNTERS = {
  runsTotal: "runs_total",
  /** Sum of Run.healRounds over finished runs (for avg_heal_rounds). */
  runHealRounds: "run_heal_rounds",
  healAttemptsTotal: "heal_attempts_total",
  wrongHealsTotal: "wrong_heals_total",
  cacheRequestsTotal: "selector_cache_requests_total",
  cacheInvalidationsTotal: "selector_cache_invalidations_total",
} as const;

/** Histogram rollups (metric_histogram_buckets.metric); bounds in seconds, ascending, +Inf implied. */
export const HISTOGRAMS = {
  runDuration: { metric: "run_duration_seconds", bounds: [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1800] },
  healDuration: { metric: "heal_duration_seconds", bounds: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] },
  /** Delay between a schedule falling due and its run being queued (recorded by src/server/schedules/fire.ts). */
  scheduleLag: { metric: "schedule_lag_seconds", bounds: [1, 5, 15, 30, 60, 300, 900] },
} as const satisfies Record<string, { metric: string; bounds: readonly number[] }>;

export const RUN_STATUSES = ["passed", "failed", "error", "blocked", "cancelled"] as const;
export const HEAL_OUTCOMES = ["healed", "unverified", "failed"] as const;
export const CACHE_LAYERS = ["redis", "memory", "postgres"] as const;
export const CACHE_RESULTS = ["hit", "miss", "stale"] as const;

export type RunStatusLabel = (typeof RUN_STATUSES)[number];
export type HealOutcomeLabel = (typeof HEAL_OUTCOMES)[number];
export type CacheLayer = (typeof CACHE_LAYERS)[number];
export type CacheResult = (typeof CACHE_RESULTS)[number];

const MAX_LABEL_VALUE = 64;

/**
 * A free-form label value made safe and bounded: lowercase, characters outside [a-z0-9_.:-] become "_",
 * at most 64 characters, "none" when empty. Keeps the canonical label key unambiguous (no "=" or ",").
 */
export function sanitiseLabelValue(raw: string | null | undefined): string {
  const v = (raw ?? "")
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.:-]+/g, "_")
    .slice(0, MAX_LABEL_VALUE);
  return v === "" || /^_+$/.test(v) ? "none" : v;
}

/** A label value that must be one of a known set; anything else is "other" (never a new series per typo). */
export function enumLabel<T extends string>(raw: string | null | undefined, allowed: readonly T[]): T | "other" {
  const v = sanitiseLabelValue(raw);
  return (allowed as readonly string[]).includes(v) ? (v as T) : "other";
}

/** Canonical label key: sanitised `k=v` pairs sorted by key, comma-separated; "" for no labels. */
export function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${sanitiseLabelValue(labels[k])}`)
    .join(",");
}

/** Inverse of labelKey (values are sanitised, so they contain neither "=" nor ","). */
export function parseLabelKey(key: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (key === "") return out;
  for (const part of key.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** The upper bound of the bucket a value falls in (Prometheus `le`: value <= bound), Infinity above the last. */
export function bucketFor(valueSec: number, bounds: readonly number[]): number {
  for (const b of bounds) if (valueSec <= b) return b;
  return Infinity;
}

/**
 * Cumulative Prometheus buckets from stored per-bucket counts. Stored rows are matched to the current bounds by
 * value (a row whose bound is no longer configured counts toward the next larger bound), so changing the bounds
 * in code never loses counts.
 */
export function cumulativeBuckets(rows: { le: number; count: number }[], bounds: readonly number[]): { le: number; count: number }[] {
  const all = [...bounds, Infinity];
  const per = new Array<number>(all.length).fill(0);
  for (const r of rows) {
    const idx = all.findIndex((b) => r.le <= b);
    per[idx === -1 ? all.length - 1 : idx]! += r.count;
  }
  let acc = 0;
  return all.map((le, i) => ({ le, count: (acc += per[i]!) }));
}

/** Start of the UTC hour containing `at`. */
export function hourBucket(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

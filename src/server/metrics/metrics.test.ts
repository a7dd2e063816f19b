import { describe, expect, it } from "vitest";
import { bucketFor, cumulativeBuckets, enumLabel, hourBucket, labelKey, parseLabelKey, RUN_STATUSES, sanitiseLabelValue } from "./definitions";
import { diffCacheStats } from "./rollups";
import { parseSince, ZMetricsQuery } from "./since";
import { buildCacheMetrics, buildHealMetrics, buildRunMetrics } from "./summary";
import { formatHealTable, formatRunTable } from "@/cli/metrics";

describe("label sets", () => {
  it("sanitises free-form values into a small, safe alphabet", () => {
    expect(sanitiseLabelValue("Text Match")).toBe("text_match");
    expect(sanitiseLabelValue("role=button,name")).toBe("role_button_name");
    expect(sanitiseLabelValue('a"b\\c\nd')).toBe("a_b_c_d");
    expect(sanitiseLabelValue("")).toBe("none");
    expect(sanitiseLabelValue(null)).toBe("none");
    expect(sanitiseLabelValue("###")).toBe("none");
    expect(sanitiseLabelValue("x".repeat(200))).toHaveLength(64);
  });

  it("maps unknown enumerated values to 'other' instead of a new series", () => {
    expect(enumLabel("PASSED", RUN_STATUSES)).toBe("passed");
    expect(enumLabel("Cancelled", RUN_STATUSES)).toBe("cancelled");
    expect(enumLabel("RUNNING", RUN_STATUSES)).toBe("other");
    expect(enumLabel("passed\n", RUN_STATUSES)).toBe("passed");
  });

  it("builds a canonical key (sorted keys) that parses back", () => {
    const key = labelKey({ strategy: "Text", outcome: "HEALED" });
    expect(key).toBe("outcome=healed,strategy=text");
    expect(labelKey({ outcome: "healed", strategy: "text" })).toBe(key);
    expect(parseLabelKey(key)).toEqual({ outcome: "healed", strategy: "text" });
    expect(labelKey({})).toBe("");
    expect(parseLabelKey("")).toEqual({});
    // A hostile value cannot smuggle in a second label.
    expect(parseLabelKey(labelKey({ strategy: "x,outcome=healed" }))).toEqual({ strategy: "x_outcome_healed" });
  });
});

describe("histogram bucket maths", () => {
  const bounds = [0.5, 1, 5];
  it("puts a value in the smallest bucket whose bound is >= the value", () => {
    expect(bucketFor(0, bounds)).toBe(0.5);
    expect(bucketFor(0.5, bounds)).toBe(0.5);
    expect(bucketFor(0.5001, bounds)).toBe(1);
    expect(bucketFor(5, bounds)).toBe(5);
    expect(bucketFor(5.1, bounds)).toBe(Infinity);
  });

  it("cumulates stored per-bucket counts, +Inf last = total", () => {
    const rows = [
      { le: 0.5, count: 2 },
      { le: 5, count: 3 },
      { le: Infinity, count: 1 },
      { le: 0.5, count: 1 },
    ];
    expect(cumulativeBuckets(rows, bounds)).toEqual([
      { le: 0.5, count: 3 },
      { le: 1, count: 3 },
      { le: 5, count: 6 },
      { le: Infinity, count: 7 },
    ]);
  });

  it("keeps counts whose bound is no longer configured (they move to the next larger bound)", () => {
    expect(cumulativeBuckets([{ le: 0.25, count: 1 }, { le: 2, count: 4 }, { le: 99, count: 2 }], bounds)).toEqual([
      { le: 0.5, count: 1 },
      { le: 1, count: 1 },
      { le: 5, count: 5 },
      { le: Infinity, count: 7 },
    ]);
  });

  it("truncates to the UTC hour", () => {
    expect(hourBucket(new Date("2026-11-24T06:59:59.999Z")).toISOString()).toBe("2026-11-24T06:00:00.000Z");
  });
});

describe("since", () => {
  const now = new Date("2026-11-24T12:00:00Z");
  it("accepts durations and ISO dates", () => {
    expect(parseSince("24h", now)?.toISOString()).toBe("2026-11-23T12:00:00.000Z");
    expect(parseSince("7d", now)?.toISOString()).toBe("2026-11-17T12:00:00.000Z");
    expect(parseSince("30m", now)?.toISOString()).toBe("2026-11-24T11:30:00.000Z");
    expect(parseSince("2w", now)?.toISOString()).toBe("2026-11-10T12:00:00.000Z");
    expect(parseSince("2026-11-01", now)?.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(parseSince("2026-11-01T10:30:00Z", now)?.toISOString()).toBe("2026-11-01T10:30:00.000Z");
    expect(parseSince("2026-11-01T10:30:00+02:00", now)?.toISOString()).toBe("2026-11-01T08:30:00.000Z");
  });

  it("rejects anything else", () => {
    for (const bad of ["", "yesterday", "24", "h", "0h", "-1d", "7y", "2026-13-01", "2026-02-31", "2026-11-01 10:00", "1e3h", "9999999d"]) {
      expect(parseSince(bad, now), bad).toBeNull();
    }
  });

  it("validates the query with zod (absent = all time)", () => {
    expect(ZMetricsQuery.parse({}).since).toBeNull();
    expect(ZMetricsQuery.parse({ since: "1h" }).since).toBeInstanceOf(Date);
    expect(ZMetricsQuery.safeParse({ since: "soon" }).success).toBe(false);
  });
});

describe("JSON builders", () => {
  it("cache: L1 (redis or memory) hits, postgres hits, misses of both layers, hit rate in percent", () => {
    const rows = [
      { metric: "selector_cache_requests_total", labels: "layer=redis,result=hit", value: 4 },
      { metric: "selector_cache_requests_total", labels: "layer=memory,result=hit", value: 1 },
      { metric: "selector_cache_requests_total", labels: "layer=redis,result=miss", value: 3 },
      { metric: "selector_cache_requests_total", labels: "layer=postgres,result=hit", value: 2 },
      { metric: "selector_cache_requests_total", labels: "layer=postgres,result=miss", value: 1 },
      { metric: "selector_cache_requests_total", labels: "layer=redis,result=stale", value: 1 },
      { metric: "selector_cache_invalidations_total", labels: "", value: 2 },
    ];
    expect(buildCacheMetrics(rows, 9)).toEqual({
      redis_hits: 5, postgres_hits: 2, misses: 1, hit_rate: 87.5, drift_detections: 1, invalidations: 2, total_cached: 9,
    });
    expect(buildCacheMetrics([], 0).hit_rate).toBe(0);
  });

  it("heal: per strategy, ranked by success rate then successes", () => {
    const counters = [
      { metric: "heal_attempts_total", labels: "outcome=healed,strategy=text", value: 2 },
      { metric: "heal_attempts_total", labels: "outcome=failed,strategy=text", value: 1 },
      { metric: "heal_attempts_total", labels: "outcome=unverified,strategy=label", value: 1 },
      { metric: "heal_attempts_total", labels: "outcome=healed,strategy=placeholder", value: 1 },
    ];
    const hist = [
      { metric: "heal_duration_seconds", labels: "strategy=text", le: 0.25, count: 2, sum: 0.3 },
      { metric: "heal_duration_seconds", labels: "strategy=text", le: 0.5, count: 1, sum: 0.3 },
      { metric: "heal_duration_seconds", labels: "strategy=placeholder", le: 0.05, count: 1, sum: 0.05 },
      { metric: "heal_duration_seconds", labels: "strategy=label", le: 0.5, count: 1, sum: 0.4 },
    ];
    expect(buildHealMetrics(counters, hist).strategies).toEqual([
      { strategy: "placeholder", total_success: 1, total_failure: 0, success_rate: 100, usage_count: 1, avg_heal_time_ms: 50 },
      { strategy: "text", total_success: 2, total_failure: 1, success_rate: 66.67, usage_count: 3, avg_heal_time_ms: 200 },
      { strategy: "label", total_success: 0, total_failure: 1, success_rate: 0, usage_count: 1, avg_heal_time_ms: 400 },
    ]);
  });

  it("runs: failed = failed + error + blocked; cancelled counts only in total", () => {
    const counters = [
      { metric: "runs_total", labels: "status=passed", value: 3 },
      { metric: "runs_total", labels: "status=failed", value: 1 },
      { metric: "runs_total", labels: "status=error", value: 1 },
      { metric: "runs_total", labels: "status=cancelled", value: 1 },
      { metric: "run_heal_rounds", labels: "", value: 3 },
    ];
    const hist = [{ metric: "run_duration_seconds", labels: "", le: 5, count: 4, sum: 10 }];
    expect(buildRunMetrics(counters, hist)).toEqual({
      total_runs: 6, passed: 3, failed: 2, success_rate: 60, avg_heal_rounds: 0.5, avg_duration_ms: 2500,
    });
  });

  it("diffs cache stats snapshots into per-run counts", () => {
    const z = { hits: 0, misses: 0, stale: 0 };
    const before = { redis: { hits: 1, misses: 1, stale: 0 }, memory: z, postgres: { hits: 1, misses: 0, stale: 0 } };
    const after = { redis: { hits: 4, misses: 2, stale: 1 }, memory: z, postgres: { hits: 2, misses: 1, stale: 0 } };
    expect(diffCacheStats(before, after)).toEqual([
      { layer: "redis", result: "hit", n: 3 },
      { layer: "redis", result: "miss", n: 1 },
      { layer: "redis", result: "stale", n: 1 },
      { layer: "postgres", result: "hit", n: 1 },
      { layer: "postgres", result: "miss", n: 1 },
    ]);
  });
});

describe("CLI tables (print_metrics.py layout)", () => {
  it("prints the healing table with the original's columns", () => {
    const text = formatHealTable({
      strategies: [{ strategy: "placeholder", total_success: 5, total_failure: 0, success_rate: 100, usage_count: 5, avg_heal_time_ms: 12 }],
    });
    expect(text.split("\n").slice(0, 5)).toEqual([
      "🩹 HEALING METRICS",
      "=".repeat(70),
      "Strategy             Success    Failure    Rate       Uses",
      "-".repeat(70),
      "placeholder          5          0          100.0%     5",
    ]);
  });

  it("prints the run table", () => {
    const text = formatRunTable({ total_runs: 10, passed: 8, failed: 2, success_rate: 80, avg_heal_rounds: 0.5, avg_duration_ms: 15234.4 });
    expect(text).toBe(
      ["🏃 RUN METRICS", "=".repeat(50), "Total Runs:      10", "Passed:          8", "Failed:          2", "Success Rate:    80.0%", "Avg Heal Rounds: 0.50", "Avg Duration:    15234ms", ""].join("\n"),
    );
  });
});

// docs/grafana-dashboard.json must not drift from the code: every metric an expression uses is one PACTS
// exposes (counters/histograms from definitions.ts, gauges from prometheus.ts), every label it filters or
// groups on is one that metric has, and the JSON is a dashboard Grafana can import.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_LAYERS, CACHE_RESULTS, COUNTERS, HEAL_OUTCOMES, HISTOGRAMS, RUN_STATUSES } from "./definitions";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const dashboard = JSON.parse(readFileSync(path.join(ROOT, "docs/grafana-dashboard.json"), "utf8")) as {
  schemaVersion: number;
  uid: string;
  title: string;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: { id: number; type: string; title: string; datasource?: { uid: string }; targets?: { expr: string; refId: string }[] }[];
};

// Label names per exposed family (the Prometheus side adds job/instance; histogram series add le).
const SCRAPE_LABELS = ["job", "instance"];
const families = new Map<string, string[]>([
  [`pacts_${COUNTERS.runsTotal}`, ["status"]],
  [`pacts_${COUNTERS.healAttemptsTotal}`, ["strategy", "outcome"]],
  [`pacts_${COUNTERS.wrongHealsTotal}`, []],
  [`pacts_${COUNTERS.cacheRequestsTotal}`, ["layer", "result"]],
  [`pacts_${COUNTERS.cacheInvalidationsTotal}`, []],
  [`pacts_${HISTOGRAMS.runDuration.metric}`, []],
  [`pacts_${HISTOGRAMS.healDuration.metric}`, ["strategy"]],
  [`pacts_${HISTOGRAMS.scheduleLag.metric}`, []],
  ["pacts_queue_depth", []],
  ["pacts_runs_running", []],
  ["pacts_workers_active", []],
  ["pacts_workers_unhealthy", []],
]);
const HISTOGRAM_FAMILIES = new Set(Object.values(HISTOGRAMS).map((h) => `pacts_${h.metric}`));
const GAUGES = ["pacts_queue_depth", "pacts_runs_running", "pacts_workers_active", "pacts_workers_unhealthy"];
const LABEL_VALUES: Record<string, readonly string[]> = { status: RUN_STATUSES, outcome: HEAL_OUTCOMES, layer: CACHE_LAYERS, result: CACHE_RESULTS };

/** A series name in an expression -> its family and whether it is a histogram's _bucket/_sum/_count series. */
function familyOf(series: string): { family: string; part: "bucket" | "sum" | "count" | null } {
  const m = /^(.*)_(bucket|sum|count)$/.exec(series);
  if (m && HISTOGRAM_FAMILIES.has(m[1]!)) return { family: m[1]!, part: m[2] as "bucket" | "sum" | "count" };
  return { family: series, part: null };
}

const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));
const selectors = targets.flatMap((t) =>
  [...t.expr.matchAll(/\b(pacts_[a-z0-9_]+)\s*(\{[^}]*\})?/g)].map((m) => ({ panel: t.panel, series: m[1]!, matchers: m[2] ?? "" })),
);

describe("docs/grafana-dashboard.json", () => {
  it("is an importable dashboard with a Prometheus data source variable", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    const ds = dashboard.templating.list.find((v) => v.type === "datasource");
    expect(ds).toMatchObject({ name: "datasource", query: "prometheus" });
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels.filter((x) => x.type !== "row")) {
      expect(p.datasource?.uid, p.title).toBe("${datasource}");
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
  });

  it("uses only metric names the code exposes, with their own labels and label values", () => {
    expect(selectors.length).toBeGreaterThan(10);
    for (const s of selectors) {
      const { family, part } = familyOf(s.series);
      expect(families.has(family), `${s.panel}: ${s.series} is not a PACTS metric`).toBe(true);
      // A histogram is only queried through its _bucket/_sum/_count series.
      expect(HISTOGRAM_FAMILIES.has(family) ? part !== null : true, `${s.panel}: ${s.series}`).toBe(true);
      const allowed = [...families.get(family)!, ...SCRAPE_LABELS, ...(part === "bucket" ? ["le"] : [])];
      for (const m of s.matchers.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)\s*"([^"]*)"/g)) {
        const [, label, op, value] = m;
        expect(allowed, `${s.panel}: ${s.series} has no label ${label}`).toContain(label);
        const known = LABEL_VALUES[label!];
        if (known && !value!.startsWith("$")) {
          const values = op === "=" || op === "!=" ? [value!] : value!.split("|");
          for (const v of values) expect(known, `${s.panel}: ${label}="${v}"`).toContain(v);
        }
      }
    }
  });

  it("groups only by labels the grouped metrics have", () => {
    for (const t of targets) {
      const used = new Set([...t.expr.matchAll(/\b(pacts_[a-z0-9_]+)/g)].map((m) => familyOf(m[1]!)));
      for (const m of t.expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of m[1]!.split(",").map((x) => x.trim())) {
          const ok = [...used].some(({ family, part }) => [...families.get(family)!, ...SCRAPE_LABELS, ...(part === "bucket" ? ["le"] : [])].includes(label));
          expect(ok, `${t.panel}: by (${label}) in ${t.expr}`).toBe(true);
        }
      }
    }
  });

  it("covers every PACTS metric family", () => {
    const used = new Set(selectors.map((s) => familyOf(s.series).family));
    for (const f of families.keys()) expect(used, f).toContain(f);
  });

  it("names the gauges the Prometheus endpoint registers", () => {
    const source = readFileSync(path.join(ROOT, "src/server/metrics/prometheus.ts"), "utf8");
    for (const g of GAUGES) expect(source).toContain(`"${g}"`);
    // Counter and histogram families are registered under the same names as above.
    for (const f of families.keys()) expect(source, f).toContain(`"${f}"`);
  });
});

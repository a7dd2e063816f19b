"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type ReactElement, type ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import styles from "./metrics.module.css";

type Overview = RouterOutputs["metrics"]["overview"];
type Range = Overview["range"];
type Strategy = Overview["heal"]["strategies"][number];

const RANGES: { value: Range; label: string; long: string }[] = [
  { value: "24h", label: "24 hours", long: "the last 24 hours" },
  { value: "7d", label: "7 days", long: "the last 7 days" },
  { value: "30d", label: "30 days", long: "the last 30 days" },
  { value: "all", label: "All time", long: "all time" },
];

const ACCENT = "#3b5bdb";
const GOOD = "#12b76a";

// Numbers are shown as text next to every chart (the charts are a picture of the same numbers).
const NUM = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const PCT = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const formatCount = (n: number) => NUM.format(n);
const formatPct = (n: number) => `${PCT.format(n)}%`;
const formatMs = (ms: number) => `${NUM.format(ms)} ms`;

function formatTime(iso: string, granularity: Overview["granularity"]): string {
  const d = new Date(iso);
  const day = d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  if (granularity === "day") return day;
  return `${day} ${String(d.getUTCHours()).padStart(2, "0")}:00`;
}

export function MetricsView() {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("7d");
  const overview = useQuery({
    ...trpc.metrics.overview.queryOptions({ range }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const data = overview.data;

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Metrics</h1>
        <RangePicker value={range} onChange={setRange} busy={overview.isFetching} />
      </div>
      {overview.isPending && <p className="muted">Loading…</p>}
      {overview.error && <p role="alert">{overview.error.message}</p>}
      {data && (
        <>
          <p className="muted small" role="status" aria-live="polite">
            Showing {RANGES.find((r) => r.value === data.range)?.long ?? data.range} for this team
            {data.granularity === "hour" ? ", per hour (UTC)" : ", per day (UTC)"}.
          </p>
          <RunsSection data={data} />
          <HealSection data={data} />
          <CacheSection data={data} />
        </>
      )}
    </div>
  );
}

function RangePicker({ value, onChange, busy }: { value: Range; onChange: (r: Range) => void; busy: boolean }) {
  const name = useId();
  return (
    <fieldset className="segmented" aria-busy={busy}>
      <legend>Time range</legend>
      {RANGES.map((r) => (
        <label key={r.value} className={value === r.value ? "active" : undefined}>
          <input type="radio" name={name} value={r.value} checked={value === r.value} onChange={() => onChange(r.value)} />
          {r.label}
        </label>
      ))}
    </fieldset>
  );
}

function Stats({ items, label }: { items: [string, string][]; label: string }) {
  return (
    <dl className={styles.stats} aria-label={label}>
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A chart with an accessible name (figure + figcaption); `empty` replaces the chart when there is nothing to draw. */
function ChartFigure({ title, empty, children }: { title: string; empty: string | null; children: ReactNode }) {
  const id = useId();
  return (
    <figure className={styles.figure} aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      {empty ? (
        <div className={styles.empty}>{empty}</div>
      ) : (
        <div className={styles.chart}>
          <ResponsiveContainer width="100%" height="100%">
            {children as ReactElement}
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}

function StrategyTooltip({ active, payload }: TooltipContentProps) {
  const s = payload?.[0]?.payload as Strategy | undefined;
  if (!active || !s) return null;
  return (
    <div className={styles.tooltip}>
      <strong>{s.strategy}</strong>
      <p>Success rate {formatPct(s.success_rate)}</p>
      <p>
        {formatCount(s.usage_count)} uses ({formatCount(s.total_success)} healed, {formatCount(s.total_failure)} failed)
      </p>
      <p>Avg heal time {formatMs(s.avg_heal_time_ms)}</p>
    </div>
  );
}

function HealSection({ data }: { data: Overview }) {
  const strategies = data.heal.strategies;
  return (
    <section className="card" aria-labelledby="heal-heading">
      <h2 id="heal-heading">Heal strategies</h2>
      <div className={styles.split}>
        <ChartFigure title="Heal success rate by strategy" empty={strategies.length === 0 ? "No heal attempts in this range." : null}>
          <BarChart data={strategies} margin={{ top: 20, right: 8, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="strategy" tick={{ fontSize: 12 }} interval={0} />
            <YAxis domain={[0, 100]} unit="%" width={48} tick={{ fontSize: 12 }} />
            <Tooltip content={StrategyTooltip} cursor={{ fill: "#eef2ff" }} />
            <Bar dataKey="success_rate" name="Success rate" fill={ACCENT} isAnimationActive={false} maxBarSize={56}>
              <LabelList dataKey="success_rate" position="top" formatter={(v: unknown) => formatPct(Number(v))} fontSize={12} />
            </Bar>
          </BarChart>
        </ChartFigure>
        <table aria-label="Heal strategies">
          <thead>
            <tr>
              <th scope="col">Strategy</th>
              <th scope="col" className={styles.num}>Success rate</th>
              <th scope="col" className={styles.num}>Uses</th>
              <th scope="col" className={styles.num}>Avg heal time</th>
            </tr>
          </thead>
          <tbody>
            {strategies.map((s) => (
              <tr key={s.strategy}>
                <th scope="row" className={styles.rowhead}>{s.strategy}</th>
                <td className={styles.num}>{formatPct(s.success_rate)}</td>
                <td className={styles.num} title={`${s.total_success} healed, ${s.total_failure} failed`}>
                  {formatCount(s.usage_count)}
                </td>
                <td className={styles.num}>{formatMs(s.avg_heal_time_ms)}</td>
              </tr>
            ))}
            {strategies.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No heal attempts in this range.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CacheSection({ data }: { data: Overview }) {
  const c = data.cache;
  const points = data.series.hitRate.map((p) => ({ ...p, label: formatTime(p.t, data.granularity) }));
  return (
    <section className="card" aria-labelledby="cache-heading">
      <h2 id="cache-heading">Selector cache</h2>
      <Stats
        label="Selector cache"
        items={[
          ["Redis hits", formatCount(c.redis_hits)],
          ["Postgres hits", formatCount(c.postgres_hits)],
          ["Misses", formatCount(c.misses)],
          ["Hit rate", formatPct(c.hit_rate)],
          ["Drift detections", formatCount(c.drift_detections)],
          ["Cached selectors", formatCount(c.total_cached)],
        ]}
      />
      <ChartFigure title="Selector-cache hit rate over time" empty={points.length === 0 ? "No cache lookups in this range." : null}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis domain={[0, 100]} unit="%" width={48} tick={{ fontSize: 12 }} />
          <Tooltip formatter={(v: unknown) => formatPct(Number(v))} />
          <Line type="monotone" dataKey="hitRate" name="Hit rate" stroke={ACCENT} strokeWidth={2} dot connectNulls isAnimationActive={false} />
        </LineChart>
      </ChartFigure>
    </section>
  );
}

function RunsSection({ data }: { data: Overview }) {
  const r = data.runs;
  const pass = data.series.passRate.map((p) => ({ ...p, label: formatTime(p.t, data.granularity) }));
  const duration = data.series.duration.map((p) => ({ ...p, label: formatTime(p.t, data.granularity) }));
  return (
    <section className="card" aria-labelledby="runs-heading">
      <h2 id="runs-heading">Runs</h2>
      <Stats
        label="Runs"
        items={[
          ["Total runs", formatCount(r.total_runs)],
          ["Passed", formatCount(r.passed)],
          ["Failed", formatCount(r.failed)],
          ["Pass rate", formatPct(r.success_rate)],
          ["Avg duration", formatMs(r.avg_duration_ms)],
          ["Avg heal rounds", formatCount(r.avg_heal_rounds)],
        ]}
      />
      <div className={styles.pair}>
        <ChartFigure title="Pass rate over time" empty={pass.length === 0 ? "No finished runs in this range." : null}>
          <LineChart data={pass} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis domain={[0, 100]} unit="%" width={48} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(v: unknown) => formatPct(Number(v))} />
            <Line type="monotone" dataKey="passRate" name="Pass rate" stroke={GOOD} strokeWidth={2} dot connectNulls isAnimationActive={false} />
          </LineChart>
        </ChartFigure>
        <ChartFigure title="Average run duration over time" empty={duration.length === 0 ? "No timed runs in this range." : null}>
          <LineChart data={duration} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} />
            <YAxis unit=" ms" width={72} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(v: unknown) => formatMs(Number(v))} />
            <Line type="monotone" dataKey="avgDurationMs" name="Avg duration" stroke={ACCENT} strokeWidth={2} dot connectNulls isAnimationActive={false} />
          </LineChart>
        </ChartFigure>
      </div>
    </section>
  );
}

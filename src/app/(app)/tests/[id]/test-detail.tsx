"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { RunNowButton } from "@/app/_components/run-now-button";
import { RunsTable } from "@/app/_components/runs-table";
import { useTRPC } from "@/trpc/react";
import { HealPolicyField, type HealPolicyValue } from "../new-test-form";
import { SchedulesSection } from "./schedules-section";

export function TestDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const test = useQuery(trpc.test.byId.queryOptions({ id }));
  const teamQuery = useQuery(trpc.team.current.queryOptions());
  const runs = useQuery({
    ...trpc.run.list.queryOptions({ testId: id, pageSize: 20 }),
    // Keep the list live while any run is still moving.
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === "PENDING" || r.status === "RUNNING") ? 1000 : false),
  });

  const team = teamQuery;
  if (test.isPending) return <p className="muted">Loading…</p>;
  if (test.error) return <p role="alert">{test.error.message}</p>;
  const t = test.data;

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>{t.name}</h1>
        <RunNowButton testId={t.id} testName={t.name} />
      </div>
      <section className="card" aria-labelledby="source-heading">
        <h2 id="source-heading">Steps</h2>
        <p className="muted">
          Starts at <span className="mono">{t.startUrl}</span> · {t.stepCount} steps
        </p>
        <ol className="source">
          {t.source.split("\n").map((line, i) => (
            <li key={i}>{line || "\u00a0"}</li>
          ))}
        </ol>
      </section>
      {/* Viewers read a test; editing it needs a member (src/server/teams/policy.ts). */}
      {team.data && team.data.role !== "VIEWER" && (
        <>
          <HealPolicyForm id={t.id} current={t.healPolicy} />
          <TraceModeForm id={t.id} current={t.traceMode} />
          <TimeLimitForm id={t.id} current={t.runTimeLimitSec} defaultSec={t.defaultRunTimeLimitSec} />
        </>
      )}
      <SchedulesSection testId={t.id} />
      <section className="card" aria-labelledby="runs-heading">
        <h2 id="runs-heading">Runs of this test</h2>
        {runs.data ? <RunsTable runs={runs.data.items} showTest={false} /> : <p className="muted">Loading…</p>}
      </section>
    </div>
  );
}

/** Edits Test.healPolicy through test.update; the next run snapshots the saved value. */
function HealPolicyForm({ id, current }: { id: string; current: HealPolicyValue }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<HealPolicyValue>(current);
  const update = useMutation(
    trpc.test.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.test.byId.queryKey({ id }) }),
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update.mutate({ id, healPolicy: value });
  }
  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="heal-policy-heading">
      <h2 id="heal-policy-heading">Healing</h2>
      <HealPolicyField value={value} onChange={setValue} />
      <div className="row">
        <button className="btn" type="submit" disabled={update.isPending || value === current}>
          {update.isPending ? "Saving…" : "Save heal policy"}
        </button>
        {update.isSuccess && value === current && (
          <span role="status" className="muted small">
            Saved
          </span>
        )}
      </div>
      {update.error && <p role="alert">{update.error.message}</p>}
    </form>
  );
}

/** Edits Test.runTimeLimitSec (minutes in the form; empty = the default): a longer run ends FAILED, TIMEOUT. */
function TimeLimitForm({ id, current, defaultSec }: { id: string; current: number | null; defaultSec: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [minutes, setMinutes] = useState(current === null ? "" : String(current / 60));
  const update = useMutation(
    trpc.test.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.test.byId.queryKey({ id }) }),
    }),
  );
  const parsed = minutes.trim() === "" ? null : Math.round(Number(minutes) * 60);
  const invalid = parsed !== null && (!Number.isFinite(parsed) || parsed < 1);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!invalid) update.mutate({ id, runTimeLimitSec: parsed });
  }
  return (
    <form className="card stack" onSubmit={onSubmit} aria-labelledby="time-limit-heading">
      <h2 id="time-limit-heading">Time limit</h2>
      <label className="field">
        <span>Minutes a run may take before it is stopped and fails with TIMEOUT (empty: {defaultSec / 60})</span>
        <input
          type="number"
          min="0.1"
          step="any"
          inputMode="decimal"
          placeholder={String(defaultSec / 60)}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          aria-invalid={invalid || undefined}
        />
      </label>
      <div className="row">
        <button className="btn" type="submit" disabled={update.isPending || invalid || parsed === current}>
          {update.isPending ? "Saving…" : "Save time limit"}
        </button>
        {update.isSuccess && parsed === current && (
          <span role="status" className="muted small">
            Saved
          </span>
        )}
      </div>
      {update.error && <p role="alert">{update.error.message}</p>}
    </form>
  );
}

type TraceModeValue = "ALWAYS" | "FAILED_OR_HEALED";

/** Edits Test.traceMode: which runs keep a Playwright trace (opened from the run page in the trace viewer). */
function TraceModeForm({ id, current }: { id: string; current: TraceModeValue }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.test.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.test.byId.queryKey({ id }) }),
    }),
  );
  return (
    <section className="card stack" aria-labelledby="trace-mode-heading">
      <h2 id="trace-mode-heading">Trace</h2>
      <label className="row">
        Keep a Playwright trace of
        <select
          value={current}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ id, traceMode: e.target.value as TraceModeValue })}
          aria-label="Which runs keep a trace"
        >
          <option value="ALWAYS">every run</option>
          <option value="FAILED_OR_HEALED">failed and healed runs only</option>
        </select>
      </label>
      {update.error && <p role="alert">{update.error.message}</p>}
    </section>
  );
}

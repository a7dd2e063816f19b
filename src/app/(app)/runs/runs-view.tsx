"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { RunsTable } from "@/app/_components/runs-table";
import { useTRPC } from "@/trpc/react";

const PAGE_SIZE = 25;
const STATUSES = ["PENDING", "RUNNING", "PASSED", "FAILED", "ERROR", "CANCELLED", "BLOCKED"] as const;
const VERDICTS = [
  "CLEAN", "SELECTOR_DRIFT_HEALED", "SELECTOR_DRIFT_NOT_HEALED", "ASSERTION_FAILED", "TIMEOUT", "NAVIGATION_ERROR", "BLOCKED", "APP_ERROR", "BLOCKED_BY_POLICY",
] as const;
type Status = (typeof STATUSES)[number];
type Verdict = (typeof VERDICTS)[number];

export function RunsView() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | "">("");
  const [verdict, setVerdict] = useState<Verdict | "">("");
  const [testId, setTestId] = useState("");
  const [healedOnly, setHealedOnly] = useState(false);
  // Cursor pagination: the cursors of the pages before this one (the first page has none).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const tests = useQuery(trpc.test.list.queryOptions());
  const runs = useQuery({
    ...trpc.run.list.queryOptions({
      pageSize: PAGE_SIZE,
      ...(status ? { status } : {}),
      ...(verdict ? { verdict } : {}),
      ...(testId ? { testId } : {}),
      ...(healedOnly ? { healedOnly } : {}),
      ...(cursor ? { cursor } : {}),
    }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === "PENDING" || r.status === "RUNNING") ? 1000 : 10_000),
  });
  const refilter = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setCursors([]);
  };
  const testOptions = tests.data ?? [];

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Run history</h1>
      </div>
      <form className="row card" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
        <label className="row">
          Status
          <select value={status} onChange={(e) => refilter(setStatus)(e.target.value as Status | "")}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          Verdict
          <select value={verdict} onChange={(e) => refilter(setVerdict)(e.target.value as Verdict | "")}>
            <option value="">any</option>
            {VERDICTS.map((v) => (
              <option key={v} value={v}>
                {v.toLowerCase().replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          Test
          <select value={testId} onChange={(e) => refilter(setTestId)(e.target.value)}>
            <option value="">any</option>
            {testOptions.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          <input type="checkbox" checked={healedOnly} onChange={(e) => refilter(setHealedOnly)(e.target.checked)} />
          Healed only
        </label>
      </form>
      <section className="card" aria-label="Runs">
        {runs.isPending && <p className="muted">Loading…</p>}
        {runs.error && <p role="alert">{runs.error.message}</p>}
        {runs.data && <RunsTable runs={runs.data.items} />}
        {runs.data && (cursors.length > 0 || runs.data.nextCursor) && (
          <nav className="row pager" aria-label="Pagination">
            <button type="button" className="btn small" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous
            </button>
            <span className="muted">
              Page {cursors.length + 1} of {Math.max(1, Math.ceil(runs.data.total / PAGE_SIZE))}
            </span>
            <button
              type="button"
              className="btn small"
              disabled={!runs.data.nextCursor}
              onClick={() => runs.data?.nextCursor && setCursors((c) => [...c, runs.data.nextCursor!])}
            >
              Next
            </button>
          </nav>
        )}
      </section>
    </div>
  );
}

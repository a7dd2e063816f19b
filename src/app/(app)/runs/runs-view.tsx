"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { RunsTable } from "@/app/_components/runs-table";
import { useTRPC } from "@/trpc/react";

const PAGE_SIZE = 25;

export function RunsView() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const runs = useQuery({
    ...trpc.run.list.queryOptions({ page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === "PENDING" || r.status === "RUNNING") ? 1000 : 10_000),
  });
  const pageCount = runs.data ? Math.max(1, Math.ceil(runs.data.total / PAGE_SIZE)) : 1;

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Run history</h1>
      </div>
      <section className="card" aria-label="Runs">
        {runs.isPending && <p className="muted">Loading…</p>}
        {runs.error && <p role="alert">{runs.error.message}</p>}
        {runs.data && <RunsTable runs={runs.data.items} />}
        {runs.data && pageCount > 1 && (
          <nav className="row pager" aria-label="Pagination">
            <button type="button" className="btn small" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
              Previous
            </button>
            <span className="muted">
              Page {page} of {pageCount}
            </span>
            <button type="button" className="btn small" disabled={page >= pageCount} onClick={() => setPage((p) => p + 1)}>
              Next
            </button>
          </nav>
        )}
      </section>
    </div>
  );
}

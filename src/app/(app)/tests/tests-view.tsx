"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { RunNowButton } from "@/app/_components/run-now-button";
import { StatusBadge, formatDate } from "@/app/_components/status-badge";
import { useTRPC } from "@/trpc/react";
import { NewTestForm } from "./new-test-form";

export function TestsView() {
  const trpc = useTRPC();
  const tests = useQuery(trpc.test.list.queryOptions());
  const [createdId, setCreatedId] = useState<string | null>(null);

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Tests</h1>
      </div>
      <section aria-labelledby="tests-heading" className="card">
        <h2 id="tests-heading">All tests</h2>
        {tests.isPending && <p className="muted">Loading…</p>}
        {tests.error && <p role="alert">{tests.error.message}</p>}
        {tests.data && tests.data.length === 0 && <p className="muted">No tests yet. Create one below.</p>}
        {tests.data && tests.data.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Start URL</th>
                <th scope="col">Last run</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tests.data.map((t) => (
                <tr key={t.id} className={t.id === createdId ? "highlight" : undefined}>
                  <td>
                    <Link href={`/tests/${t.id}`}>{t.name}</Link>
                  </td>
                  <td className="mono truncate">{t.startUrl}</td>
                  <td>
                    {t.lastRun ? (
                      <Link href={`/runs/${t.lastRun.id}`} className="inline-flex">
                        <StatusBadge status={t.lastRun.status} /> <span className="muted">{formatDate(t.lastRun.createdAt)}</span>
                      </Link>
                    ) : (
                      <span className="muted">never</span>
                    )}
                  </td>
                  <td className="actions">
                    <RunNowButton testId={t.id} testName={t.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewTestForm onCreated={setCreatedId} />
    </div>
  );
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { StatusBadge, formatDate, formatDuration } from "@/app/_components/status-badge";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type RunData = RouterOutputs["run"]["byId"];
type StepRow = RunData["runSteps"][number];
type ArtifactRow = RunData["artifacts"][number];

const isLive = (status: string | undefined) => status === "PENDING" || status === "RUNNING";

export function RunDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const run = useQuery({
    ...trpc.run.byId.queryOptions({ id }),
    // The page follows the worker: one refresh a second until the run is finished.
    refetchInterval: (q) => (isLive(q.state.data?.status) ? 1000 : false),
  });
  const cancel = useMutation(
    trpc.run.cancel.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.run.byId.queryKey({ id }) }),
    }),
  );

  if (run.isPending) return <p className="muted">Loading…</p>;
  if (run.error) return <p role="alert">{run.error.message}</p>;
  const r = run.data;
  const screenshots = new Map<number, ArtifactRow>();
  for (const a of r.artifacts) if (a.type === "SCREENSHOT" && a.stepIdx != null) screenshots.set(a.stepIdx, a);
  const testFile = r.artifacts.find((a) => a.type === "TEST_FILE");

  return (
    <div className="stack-lg">
      <div className="page-head">
        <div>
          <p className="muted small">Run {r.id}</p>
          <h1>{r.testName}</h1>
        </div>
        <div className="row">
          {isLive(r.status) && (
            <button type="button" className="btn small" onClick={() => cancel.mutate({ id })} disabled={cancel.isPending}>
              Cancel run
            </button>
          )}
          {r.testId && <Link href={`/tests/${r.testId}`}>View test</Link>}
        </div>
      </div>

      <section className="card" aria-label="Run summary">
        <dl className="summary">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={r.status} role="status" />
            </dd>
          </div>
          <div>
            <dt>Verdict</dt>
            <dd>{r.verdict ? r.verdict.toLowerCase().replaceAll("_", " ") : "—"}</dd>
          </div>
          <div>
            <dt>Steps</dt>
            <dd>
              {r.completedSteps}/{r.totalSteps}
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(r.durationMs)}</dd>
          </div>
          <div>
            <dt>Trigger</dt>
            <dd>
              {r.trigger.toLowerCase()}
              {r.triggeredBy ? ` by ${r.triggeredBy.email}` : ""}
            </dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>{formatDate(r.createdAt)}</dd>
          </div>
        </dl>
        <p className="muted small mono truncate">{r.url}</p>
        {r.errorMessage && (
          <p className="alert" role="alert">
            {r.errorMessage}
          </p>
        )}
        {testFile && (
          <p>
            <a href={`/api/artifacts/${testFile.id}`} target="_blank" rel="noreferrer">
              Generated Playwright spec ({testFile.fileName})
            </a>
          </p>
        )}
        {cancel.error && <p role="alert">{cancel.error.message}</p>}
      </section>

      <section aria-labelledby="steps-heading" className="stack">
        <h2 id="steps-heading">Steps</h2>
        {r.runSteps.length === 0 && <p className="muted">{isLive(r.status) ? "Waiting for a worker…" : "No steps ran."}</p>}
        {r.runSteps.map((s) => (
          <StepCard key={s.stepIdx} step={s} screenshot={screenshots.get(s.stepIdx)} />
        ))}
        {r.healEvents.length > 0 && (
          <div className="card">
            <h3>Heal events</h3>
            <ul>
              {r.healEvents.map((h) => (
                <li key={h.id}>
                  Step {h.stepIdx + 1}, round {h.round}: {h.elementName} — {h.outcome.toLowerCase()}
                  {h.strategy ? ` via ${h.strategy}` : ""} {h.oldSelector && <code>{h.oldSelector}</code>} →{" "}
                  {h.newSelector && <code>{h.newSelector}</code>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  );
}

function StepCard({ step, screenshot }: { step: StepRow; screenshot: ArtifactRow | undefined }) {
  const headingId = `step-${step.stepIdx}-heading`;
  const n = step.stepIdx + 1;
  return (
    <article className="card step" aria-labelledby={headingId}>
      <div className="step-body">
        <h3 id={headingId}>
          Step {n}: {step.text}
        </h3>
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={step.status} />
              {step.healed && <span className="badge badge-healed">healed</span>}
            </dd>
          </div>
          <div>
            <dt>Strategy</dt>
            <dd>{step.strategy ?? "—"}</dd>
          </div>
          <div>
            <dt>Selector</dt>
            <dd>{step.selector ? <code>{step.selector}</code> : "—"}</dd>
          </div>
          <div>
            <dt>Cache</dt>
            <dd>{step.cacheSource ?? "—"}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(step.durationMs)}</dd>
          </div>
        </dl>
        {step.errorMessage && (
          <p className="alert" role="alert">
            {step.errorMessage}
          </p>
        )}
      </div>
      {screenshot ? (
        <a href={`/api/artifacts/${screenshot.id}`} target="_blank" rel="noreferrer" className="shot">
          <img src={`/api/artifacts/${screenshot.id}`} alt={`Screenshot after step ${n}`}/>
        </a>
      ) : (
        <div className="shot empty muted">No screenshot</div>
      )}
    </article>
  );
}

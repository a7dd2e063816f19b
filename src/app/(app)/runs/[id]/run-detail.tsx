"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment } from "react";
import { HealTrials } from "@/app/_components/heal-trials";
import { StatusBadge, formatDate, formatDuration } from "@/app/_components/status-badge";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type RunData = RouterOutputs["run"]["byId"];
type StepRow = RunData["runSteps"][number];
type ArtifactRow = RunData["artifacts"][number];
type HealEventRow = RunData["healEvents"][number];

const isLive = (status: string | undefined) => status === "PENDING" || status === "RUNNING";

export function RunDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
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

  const rerun = useMutation(
    trpc.run.create.mutationOptions({
      onSuccess: (created) => router.push(`/runs/${created.id}`),
    }),
  );

  if (run.isPending) return <p className="muted">Loading…</p>;
  if (run.error) return <p role="alert">{run.error.message}</p>;
  const r = run.data;
  const screenshots = new Map<number, ArtifactRow>();
  // The step's own screenshot (step-N.png); heal-round screenshots of the same step are shown with their event.
  for (const a of r.artifacts) {
    if (a.type !== "SCREENSHOT" || a.stepIdx == null) continue;
    if (a.fileName === `step-${a.stepIdx}.png` || !screenshots.has(a.stepIdx)) screenshots.set(a.stepIdx, a);
  }
  const testFile = r.artifacts.find((a) => a.type === "TEST_FILE");
  const trace = r.artifacts.find((a) => a.type === "TRACE");
  // A CAPTCHA or bot-challenge page the run stopped at (execute-run.ts keeps its HTML and a screenshot).
  const blockedPng = r.artifacts.find((a) => a.fileName === "blocked.png");
  const blockedHtml = r.artifacts.find((a) => a.fileName === "blocked.html");
  const healsByStep = new Map<number, HealEventRow[]>();
  for (const h of r.healEvents) healsByStep.set(h.stepIdx, [...(healsByStep.get(h.stepIdx) ?? []), h]);

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
          {r.testId && !isLive(r.status) && (
            <button type="button" className="btn small" onClick={() => rerun.mutate({ testId: r.testId! })} disabled={rerun.isPending}>
              Re-run
            </button>
          )}
          {testFile && (
            <a className="btn small" href={`/api/artifacts/${testFile.id}?download=1`} download={testFile.fileName}>
              Download spec
            </a>
          )}
          {trace && <TraceLinks runId={r.id} traceId={trace.id} />}
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
            <dd>
              {formatDuration(r.durationMs)}
              {r.attempts > 1 && <span className="muted small"> (attempt {r.attempts})</span>}
            </dd>
          </div>
          <div>
            <dt>Queue wait</dt>
            <dd>{formatDuration(r.queueWaitMs)}</dd>
          </div>
          {r.earlierAttemptsMs !== null && (
            <div>
              <dt>Earlier attempts</dt>
              <dd title="From the first attempt's start to the final attempt's, e.g. a worker that was killed and the wait until the run was requeued">
                {formatDuration(r.earlierAttemptsMs)} ({r.attempts - 1})
              </dd>
            </div>
          )}
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
        {rerun.error && <p role="alert">{rerun.error.message}</p>}
      </section>

      {(blockedPng || blockedHtml) && (
        <section className="card stack" aria-labelledby="blocked-heading">
          <h2 id="blocked-heading">Blocked page</h2>
          <p className="muted">The run stopped at a CAPTCHA or bot-challenge page. This is what the browser saw.</p>
          {blockedPng && (
            <a href={`/api/artifacts/${blockedPng.id}`} target="_blank" rel="noreferrer" className="shot heal-shot">
              <img src={`/api/artifacts/${blockedPng.id}`} alt="Screenshot of the blocked page" />
            </a>
          )}
          {blockedHtml && (
            <p>
              <a href={`/api/artifacts/${blockedHtml.id}`} target="_blank" rel="noreferrer">
                The blocked page&apos;s HTML (as text)
              </a>
            </p>
          )}
        </section>
      )}

      <section aria-labelledby="steps-heading" className="stack">
        <h2 id="steps-heading">Steps</h2>
        {r.runSteps.length === 0 && <p className="muted">{isLive(r.status) ? "Waiting for a worker…" : "No steps ran."}</p>}
        {r.runSteps.map((s) => (
          // A step's heal events sit right under it (outside its card, so the card's own selector stays the only code in it).
          <Fragment key={s.stepIdx}>
            <StepCard step={s} screenshot={screenshots.get(s.stepIdx)} />
            {healsByStep.has(s.stepIdx) && <HealEvents stepIdx={s.stepIdx} events={healsByStep.get(s.stepIdx)!} />}
          </Fragment>
        ))}
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
              {step.healed && (
                <span className="badge badge-healed" data-testid="healed-badge">
                  healed
                </span>
              )}
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
        {step.note && <p className="muted small" data-testid="step-note">{step.note}</p>}
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

const DECISION_LABEL = { APPROVED: "approved", REJECTED: "rejected", ROLLED_BACK: "rolled back" } as const;

const OUTCOME_LABEL: Record<HealEventRow["outcome"], string> = {
  HEALED: "verified",
  UNVERIFIED: "unverified — needs review",
  FAILED: "failed",
};

function HealEvents({ stepIdx, events }: { stepIdx: number; events: HealEventRow[] }) {
  return (
    <section className="card stack step-heals" aria-label={`Heal events of step ${stepIdx + 1}`}>
      <ol className="heal-events stack">
        {events.map((h) => {
          const headingId = `heal-${h.id}`;
          return (
            <li key={h.id} className="heal-event" data-outcome={h.outcome.toLowerCase()}>
              <h4 id={headingId}>
                Heal round {h.round}: {h.elementName}
                {h.wrongHeal && <span className="badge badge-failed">a later step proved it wrong</span>}
              </h4>
              <dl className="facts">
                <div>
                  <dt>Outcome</dt>
                  <dd>
                    <span className={`badge ${h.outcome === "HEALED" ? "badge-passed" : h.outcome === "UNVERIFIED" ? "badge-pending" : "badge-failed"}`}>
                      {OUTCOME_LABEL[h.outcome]}
                    </span>
                  </dd>
                </div>
                <div>
                  <dt>Strategy</dt>
                  <dd>
                    {h.strategy ?? "—"}
                    {h.score != null ? ` (score ${h.score.toFixed(2)})` : ""}
                  </dd>
                </div>
                <div>
                  <dt>Old selector</dt>
                  <dd>{h.oldSelector ? <code data-testid="heal-old-selector">{h.oldSelector}</code> : "—"}</dd>
                </div>
                <div>
                  <dt>New selector</dt>
                  <dd>{h.newSelector ? <code data-testid="heal-new-selector">{h.newSelector}</code> : "—"}</dd>
                </div>
                <div>
                  <dt>Duration</dt>
                  <dd>{formatDuration(h.durationMs)}</dd>
                </div>
              </dl>
              <HealTrials attempts={h.attempts} />
              {h.reviews.length > 0 && (
                <ul className="small" aria-label="Review decisions" data-testid="heal-reviews">
                  {h.reviews.map((rv) => (
                    <li key={rv.id}>
                      <span className="badge badge-healed">{DECISION_LABEL[rv.decision]}</span> by {rv.reviewerEmail} on {formatDate(rv.createdAt)}
                      {rv.reason ? `: ${rv.reason}` : ""}
                    </li>
                  ))}
                </ul>
              )}
              {h.reviews.length === 0 && h.outcome !== "FAILED" && h.newSelector && (
                <p className="small">
                  <Link href="/review">Review this heal</Link>
                </p>
              )}
              {h.screenshotArtifactId && (
                <a href={`/api/artifacts/${h.screenshotArtifactId}`} target="_blank" rel="noreferrer" className="shot heal-shot">
                  <img src={`/api/artifacts/${h.screenshotArtifactId}`} alt={`Page during heal of step ${h.stepIdx + 1}, round ${h.round}`} />
                </a>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Playwright's trace viewer, served by the dashboard for this run (src/app/api/runs/[id]/trace), and the zip itself. */
function TraceLinks({ runId, traceId }: { runId: string; traceId: string }) {
  const base = `/api/runs/${encodeURIComponent(runId)}/trace/`;
  // The viewer's service worker fetches the trace by absolute URL.
  const open = () => window.open(`${base}index.html?trace=${encodeURIComponent(`${window.location.origin}${base}trace.zip`)}`, "_blank", "noopener");
  return (
    <>
      <button type="button" className="btn small" onClick={open}>
        Open trace
      </button>
      <a className="btn small" href={`/api/artifacts/${traceId}?download=1`} download="trace.zip">
        Download trace
      </a>
    </>
  );
}

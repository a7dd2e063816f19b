"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { StatusBadge, formatDate, formatDuration } from "@/app/_components/status-badge";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type RunData = RouterOutputs["run"]["byId"];
type StepRow = RunData["runSteps"][number];
type ArtifactRow = RunData["artifacts"][number];
type HealEventRow = RunData["healEvents"][number];
type HealTrial = { strategy: string; matched: number | null; ms: number | null; score: number | null; reason: string | null };

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
  // The step's own screenshot (step-N.png); heal-round screenshots of the same step are shown with their event.
  for (const a of r.artifacts) {
    if (a.type !== "SCREENSHOT" || a.stepIdx == null) continue;
    if (a.fileName === `step-${a.stepIdx}.png` || !screenshots.has(a.stepIdx)) screenshots.set(a.stepIdx, a);
  }
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
      </section>

      <section aria-labelledby="steps-heading" className="stack">
        <h2 id="steps-heading">Steps</h2>
        {r.runSteps.length === 0 && <p className="muted">{isLive(r.status) ? "Waiting for a worker…" : "No steps ran."}</p>}
        {r.runSteps.map((s) => (
          <StepCard key={s.stepIdx} step={s} screenshot={screenshots.get(s.stepIdx)} />
        ))}
        {r.healEvents.length > 0 && <HealEvents events={r.healEvents} />}
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

const OUTCOME_LABEL: Record<HealEventRow["outcome"], string> = {
  HEALED: "verified",
  UNVERIFIED: "unverified — needs review",
  FAILED: "failed",
};

/** The strategies a heal round tried, as stored in HealEvent.attempts (JSON; tolerate older shapes). */
function readTrials(raw: unknown): HealTrial[] {
  if (!Array.isArray(raw)) return [];
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return raw.flatMap((t: unknown) => {
    if (!t || typeof t !== "object") return [];
    const o = t as Record<string, unknown>;
    if (typeof o.strategy !== "string") return [];
    return [{ strategy: o.strategy, matched: num(o.matched), ms: num(o.ms), score: num(o.score), reason: typeof o.reason === "string" ? o.reason : null }];
  });
}

function HealEvents({ events }: { events: HealEventRow[] }) {
  return (
    <section className="card stack" aria-labelledby="heal-events-heading">
      <h3 id="heal-events-heading">Heal events</h3>
      <ol className="heal-events stack">
        {events.map((h) => {
          const headingId = `heal-${h.id}`;
          const trials = readTrials(h.attempts);
          return (
            <li key={h.id} className="heal-event" data-outcome={h.outcome.toLowerCase()}>
              <h4 id={headingId}>
                Step {h.stepIdx + 1}, round {h.round}: {h.elementName}
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
              {trials.length > 0 && (
                <details>
                  <summary>Strategies tried ({trials.length})</summary>
                  <ul>
                    {trials.map((t, i) => (
                      <li key={i}>
                        {t.strategy}: {t.matched ?? "?"} matched, {t.ms ?? "?"} ms{t.score != null ? `, score ${t.score.toFixed(2)}` : ""}
                        {t.reason ? <span className="muted"> — {t.reason}</span> : null}
                      </li>
                    ))}
                  </ul>
                </details>
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

"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { HealTrials } from "@/app/_components/heal-trials";
import { formatDate, formatDuration } from "@/app/_components/status-badge";
import { useTRPC, type RouterOutputs } from "@/trpc/react";

type Item = RouterOutputs["review"]["list"]["items"][number];
type Status = "pending" | "decided" | "all";

const REASON_LABEL: Record<Item["reason"], string> = {
  "wrong-heal": "a later step proved it wrong",
  unverified: "unverified — needs review",
  rediscovery: "re-discovered a changed element",
};
const DECISION_LABEL = { APPROVED: "approved", REJECTED: "rejected", ROLLED_BACK: "rolled back" } as const;

export function ReviewView() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status>("pending");
  const list = useInfiniteQuery(
    trpc.review.list.infiniteQueryOptions({ status, limit: 20 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="stack-lg">
      <div className="page-head">
        <div>
          <h1>Heal review</h1>
          <p className="muted">
            Approve a heal to make its selector the cached one, reject it to stop the engine from ever healing to it again (the next run fails
            that step with your reason), or roll back an approval.
          </p>
        </div>
        <label className="row">
          Show
          <select value={status} onChange={(e) => setStatus(e.target.value as Status)} aria-label="Which heals">
            <option value="pending">Needs review</option>
            <option value="decided">Decided</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      {list.isPending && <p className="muted">Loading…</p>}
      {list.error && <p role="alert">{list.error.message}</p>}
      {list.data && items.length === 0 && <p className="muted">{status === "pending" ? "Nothing to review." : "No heals here."}</p>}
      <ol className="stack review-queue" aria-label="Heals">
        {items.map((item) => (
          <ReviewCard key={item.id} item={item} />
        ))}
      </ol>
      {list.hasNextPage && (
        <button type="button" className="btn small" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          Load more
        </button>
      )}
    </div>
  );
}

function ReviewCard({ item }: { item: Item }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.review.list.pathKey() });
  const approve = useMutation(trpc.review.approve.mutationOptions({ onSettled }));
  const reject = useMutation(trpc.review.reject.mutationOptions({ onSettled }));
  const rollback = useMutation(trpc.review.rollback.mutationOptions({ onSettled }));
  const busy = approve.isPending || reject.isPending || rollback.isPending;
  const error = approve.error ?? reject.error ?? rollback.error;
  const open = item.decision === null || item.decision === "ROLLED_BACK";
  const headingId = `review-${item.id}`;
  return (
    <li className="card heal-event" aria-labelledby={headingId} data-testid="review-item">
      <h2 id={headingId} className="h3">
        Step {item.stepIdx + 1}: {item.stepText ?? item.elementName}
      </h2>
      <p className="muted small">
        <Link href={`/runs/${item.runId}`}>{item.run.testName}</Link> · {formatDate(item.createdAt)} · <span className="badge badge-pending">{REASON_LABEL[item.reason]}</span>
        {item.decision && <span className="badge badge-healed">{DECISION_LABEL[item.decision]}</span>}
      </p>
      <dl className="facts">
        <div>
          <dt>Old selector</dt>
          <dd>{item.oldSelector ? <code data-testid="review-old-selector">{item.oldSelector}</code> : "— (first discovery)"}</dd>
        </div>
        <div>
          <dt>New selector</dt>
          <dd>
            <code data-testid="review-new-selector">{item.newSelector}</code>
          </dd>
        </div>
        <div>
          <dt>Strategy</dt>
          <dd>
            {item.strategy ?? "—"}
            {item.score != null ? ` (score ${item.score.toFixed(2)})` : ""}
          </dd>
        </div>
        <div>
          <dt>Heal time</dt>
          <dd>{formatDuration(item.durationMs)}</dd>
        </div>
      </dl>
      <HealTrials attempts={item.attempts} open />
      <div className="row">
        {item.screenshotArtifactId && (
          <a href={`/api/artifacts/${item.screenshotArtifactId}`} target="_blank" rel="noreferrer" className="shot heal-shot">
            <img src={`/api/artifacts/${item.screenshotArtifactId}`} alt={`Page while healing step ${item.stepIdx + 1}`} />
          </a>
        )}
        {item.stepScreenshotId && (
          <a href={`/api/artifacts/${item.stepScreenshotId}`} target="_blank" rel="noreferrer" className="shot heal-shot">
            <img src={`/api/artifacts/${item.stepScreenshotId}`} alt={`Page after step ${item.stepIdx + 1}`} />
          </a>
        )}
      </div>
      {item.reviews.length > 0 && (
        <ul className="small muted" aria-label="Decisions">
          {item.reviews.map((r) => (
            <li key={r.id}>
              {DECISION_LABEL[r.decision]} by {r.reviewerEmail} on {formatDate(r.createdAt)}
              {r.reason ? `: ${r.reason}` : ""}
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            reject.mutate({ healEventId: item.id, reason });
          }}
        >
          <button type="button" className="btn small primary" disabled={busy} onClick={() => approve.mutate({ healEventId: item.id })}>
            Approve
          </button>
          <input aria-label="Why is this heal wrong?" placeholder="Why is this heal wrong?" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
          <button type="submit" className="btn small" disabled={busy || reason.trim() === ""}>
            Reject
          </button>
        </form>
      ) : item.decision === "APPROVED" ? (
        <button type="button" className="btn small" disabled={busy} onClick={() => rollback.mutate({ healEventId: item.id })}>
          Roll back to the old selector
        </button>
      ) : null}
      {error && <p role="alert">{error.message}</p>}
    </li>
  );
}

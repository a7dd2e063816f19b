"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/trpc/react";

/** Queues a run and opens its detail page, where the user watches it go PENDING → RUNNING → done. Not shown to
 * viewers, who may not start runs (src/server/teams/policy.ts; the server refuses them anyway). */
export function RunNowButton({ testId, testName }: { testId: string; testName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const team = useQuery(trpc.team.current.queryOptions());
  const create = useMutation(
    trpc.run.create.mutationOptions({ onSuccess: (run) => router.push(`/runs/${run.id}`) }),
  );
  if (!team.data || team.data.role === "VIEWER") return null;
  return (
    <>
      <button
        type="button"
        className="btn primary small"
        aria-label={`Run ${testName} now`}
        disabled={create.isPending}
        onClick={() => create.mutate({ testId })}
      >
        {create.isPending ? "Queuing…" : "Run now"}
      </button>
      {create.error && (
        <span className="error-text" role="alert">
          {create.error.message}
        </span>
      )}
    </>
  );
}

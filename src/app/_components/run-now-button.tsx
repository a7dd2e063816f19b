"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/trpc/react";

/** Queues a run and opens its detail page, where the user watches it go PENDING → RUNNING → done. */
export function RunNowButton({ testId, testName }: { testId: string; testName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(
    trpc.run.create.mutationOptions({ onSuccess: (run) => router.push(`/runs/${run.id}`) }),
  );
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

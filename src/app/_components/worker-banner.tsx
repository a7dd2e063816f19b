"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

/** Says so when no worker is heartbeating (crashed, crash loop given up, never started): queued runs wait. */
export function WorkerBanner() {
  const trpc = useTRPC();
  const workers = useQuery({ ...trpc.metrics.workers.queryOptions(), refetchInterval: 10_000 });
  if (!workers.data || workers.data.active > 0) return null;
  const last = workers.data.lastHeartbeatAt;
  return (
    <div className="worker-banner" role="alert">
      <strong>Workers are down:</strong> no worker has reported in the last 30 s, so queued runs wait.
      {last ? ` Last heartbeat ${new Date(last).toLocaleString()}.` : " No worker has ever run."} Check the worker&apos;s
      output (./scripts/start.sh restarts a crashed worker and stops after repeated crashes; see docs/operations.md).
    </div>
  );
}

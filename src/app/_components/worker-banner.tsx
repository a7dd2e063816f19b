"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";

/**
 * Says so when no worker is heartbeating (crashed, crash loop given up, never started): queued runs wait. Also
 * lists live workers that report themselves unhealthy (Chromium does not launch), which claim nothing.
 */
export function WorkerBanner() {
  const trpc = useTRPC();
  const workers = useQuery({ ...trpc.metrics.workers.queryOptions(), refetchInterval: 10_000 });
  if (!workers.data) return null;
  const { active, lastHeartbeatAt, unhealthy } = workers.data;
  const healthy = active - unhealthy.length;
  if (active > 0 && unhealthy.length === 0) return null;
  return (
    <div className="worker-banner" role="alert">
      {active === 0 ? (
        <p>
          <strong>Workers are down:</strong> no worker has reported in the last 30 s, so queued runs wait.
          {lastHeartbeatAt ? ` Last heartbeat ${new Date(lastHeartbeatAt).toLocaleString()}.` : " No worker has run yet."} Check the
          worker&apos;s output (./scripts/start.sh restarts a crashed worker and stops after repeated crashes; see docs/operations.md).
        </p>
      ) : (
        <p>
          <strong>
            {unhealthy.length} of {active} workers unhealthy
            {healthy === 0 ? ": no worker can run tests, queued runs wait." : "."}
          </strong>
        </p>
      )}
      {unhealthy.length > 0 && (
        <ul>
          {unhealthy.map((w) => (
            <li key={w.id}>
              <code>{w.id}</code>: {w.error ?? w.health}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// The worker's periodic data jobs: retention (src/server/retention/retention.ts, every RETENTION_TICK_MS) and alert
// delivery (src/server/alerts/dispatch.ts, every ALERT_TICK_MS), each on its own timer beside the claim loop.
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { type DispatchOptions, dispatchDueAlerts } from "@/server/alerts/dispatch";
import { runRetention } from "@/server/retention/retention";
import type { ArtifactStore } from "@/server/storage/store";
import { startTicker } from "./ticker";

export type RetentionTickOptions = { everyMs: number; batchSize: number; store: ArtifactStore };
export type AlertTickOptions = DispatchOptions & { everyMs: number };

type Deps = { db: PrismaClient; log: Logger; signal: AbortSignal };

export function startRetentionTick(o: Deps & { retention?: RetentionTickOptions }): () => void {
  const r = o.retention;
  if (!r) return () => undefined;
  return startTicker({
    name: "retention pass",
    everyMs: r.everyMs,
    firstMs: 5_000,
    log: o.log,
    signal: o.signal,
    pass: async () => {
      const res = await runRetention(o.db, { store: r.store, batchSize: r.batchSize });
      if (res.runsDeleted || res.healEventsDeleted || res.cacheRowsDeleted || res.filesDeleted || res.fileErrors) o.log.info(res, "retention pass");
    },
  });
}

export function startAlertTick(o: Deps & { alerts?: AlertTickOptions }): () => void {
  const a = o.alerts;
  if (!a) return () => undefined;
  return startTicker({
    name: "alert delivery",
    everyMs: a.everyMs,
    log: o.log,
    signal: o.signal,
    pass: async () => {
      // Drain what is due, a batch at a time.
      while (!o.signal.aborted && (await dispatchDueAlerts(o.db, a)) === (a.batchSize ?? 20));
    },
  });
}

// The worker's periodic data jobs: retention (src/server/retention/retention.ts, every RETENTION_TICK_MS) and alert
// delivery (src/server/alerts/dispatch.ts, every ALERT_TICK_MS), each on its own timer beside the claim loop; and
// alert rules for runs the stale sweep ends.
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { type DispatchOptions, dispatchDueAlerts } from "@/server/alerts/dispatch";
import { evaluateRunAlerts } from "@/server/alerts/evaluate";
import { runRetention } from "@/server/retention/retention";
import type { ArtifactStore } from "@/server/storage/store";
import { startTicker } from "./ticker";

export type RetentionTickOptions = { everyMs: number; batchSize: number; store: ArtifactStore };
/** publicUrl: the dashboard origin for links in alerts on runs the sweep ended (serverEnv().publicUrl). */
export type AlertTickOptions = DispatchOptions & { everyMs: number; publicUrl: string };

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

/** Evaluates alert rules for runs the stale sweep settled as ERROR (no worker is left to do it). */
export async function alertOnSweptRuns(o: Deps & { alerts?: AlertTickOptions }, released: { id: string; status: string }[]): Promise<void> {
  if (!o.alerts) return;
  for (const r of released) {
    if (r.status !== "ERROR") continue;
    await evaluateRunAlerts(o.db, r.id, { publicUrl: o.alerts.publicUrl }).catch((err: unknown) => o.log.warn({ err, runId: r.id }, "could not evaluate alert rules"));
  }
}

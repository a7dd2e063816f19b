// The retention job's timer in a worker (src/server/retention/retention.ts): one pass every `everyMs`
// (RETENTION_TICK_MS), the first shortly after start; passes never overlap, a failing pass is logged and tried
// again next tick, and the timer stops when the worker's signal aborts.
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { runRetention } from "@/server/retention/retention";
import type { ArtifactStore } from "@/server/storage/store";

export type RetentionTickOptions = { everyMs: number; batchSize: number; store: ArtifactStore };

const FIRST_PASS_MS = 5_000;

export function startRetentionTick(o: { db: PrismaClient; log: Logger; signal: AbortSignal; retention?: RetentionTickOptions }): () => void {
  const r = o.retention;
  if (!r || r.everyMs <= 0) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped || o.signal.aborted) return;
    timer = setTimeout(() => void pass(), ms);
    timer.unref();
  };
  const pass = async () => {
    try {
      const res = await runRetention(o.db, { store: r.store, batchSize: r.batchSize });
      if (res.runsDeleted || res.healEventsDeleted || res.cacheRowsDeleted || res.filesDeleted || res.fileErrors) o.log.info(res, "retention pass");
    } catch (err) {
      o.log.error({ err }, "retention pass failed");
    }
    schedule(r.everyMs);
  };
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  o.signal.addEventListener("abort", stop, { once: true });
  schedule(Math.min(FIRST_PASS_MS, r.everyMs));
  return stop;
}

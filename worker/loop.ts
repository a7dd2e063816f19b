// The worker loop: claim one run, execute it, repeat; when idle, sleep until NOTIFY pacts_runs or the poll
// interval. A sweep releases runs whose worker died, and a heartbeat keeps this worker's lock fresh.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { claimRuns } from "@/server/queue/claim";
import type { RunListener } from "@/server/queue/notify";
import { heartbeat, releaseStaleRuns } from "@/server/queue/settle";
import { executeRun } from "@/server/runs/execute-run";

export const HEARTBEAT_MS = 5_000;
export const SWEEP_MS = 30_000;
/** 60 heartbeats missed: long enough that a slow step never looks dead. */
export const STALE_AFTER_MS = 5 * 60_000;

export function createWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

export type WorkerLoopOptions = {
  db: PrismaClient;
  workerId: string;
  getBrowser: () => Promise<Browser>;
  listener: Pick<RunListener, "wait">;
  pollMs: number;
  log: Logger;
  /** Aborted on shutdown: no new claims, and the current run is handed back. */
  signal: AbortSignal;
};

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<void> {
  let lastSweep = 0;
  while (!o.signal.aborted) {
    try {
      if (Date.now() - lastSweep >= SWEEP_MS) {
        lastSweep = Date.now();
        const released = await releaseStaleRuns(o.db, STALE_AFTER_MS);
        if (released.length) o.log.warn({ released }, "released stale runs");
      }
      const [run] = await claimRuns(o.db, o.workerId, 1);
      if (!run) {
        await o.listener.wait(o.pollMs);
        continue;
      }
      const log = o.log.child({ runId: run.id });
      const beat = setInterval(() => {
        heartbeat(o.db, run.id, o.workerId).catch((err: unknown) => log.warn({ err }, "heartbeat failed"));
      }, HEARTBEAT_MS);
      try {
        const browser = await o.getBrowser();
        await executeRun(o.db, run, { workerId: o.workerId, browser, log: o.log, signal: o.signal });
      } finally {
        clearInterval(beat);
      }
    } catch (err) {
      // A DB or browser hiccup must not kill the worker; back off one poll interval and try again.
      o.log.error({ err }, "worker loop error");
      if (!o.signal.aborted) await new Promise((r) => setTimeout(r, o.pollMs));
    }
  }
}

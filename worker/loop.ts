// The worker loop: claim one run, execute it, repeat; when idle, sleep until NOTIFY pacts_runs or the poll
// interval. A sweep releases runs whose worker died, and a heartbeat keeps this worker's lock fresh. Due cron
// schedules are fired (queued as runs) every SCHEDULE_TICK_MS and on each idle wake, before claiming.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { claimRuns } from "@/server/queue/claim";
import type { RunListener } from "@/server/queue/notify";
import { heartbeat, releaseStaleRuns } from "@/server/queue/settle";
import { executeRun } from "@/server/runs/execute-run";
import { fireDueSchedules } from "@/server/schedules/fire";
import { type AlertTickOptions, type RetentionTickOptions, startAlertTick, startRetentionTick } from "./jobs";

export const HEARTBEAT_MS = 5_000;
export const SWEEP_MS = 30_000;
/** 60 heartbeats missed: long enough that a slow step never looks dead. */
export const STALE_AFTER_MS = 5 * 60_000;
/** Cron resolution is one minute; a 15 s tick keeps schedule lag well under that. */
export const SCHEDULE_TICK_MS = 15_000;
const SCHEDULES_PER_TICK = 10;

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
  /** The retention job's timer (worker/index.ts: every RETENTION_TICK_MS); absent or 0 ms = off in this worker. */
  retention?: RetentionTickOptions;
  /** The alert sender's timer (worker/index.ts: every ALERT_TICK_MS); absent or 0 ms = off in this worker. */
  alerts?: AlertTickOptions;
};

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<void> {
  let lastSweep = 0;
  let lastScheduleTick = 0;
  let wokeIdle = false;
  // Retention and alert delivery run on their own timers (a long run never delays them) and stop with the signal.
  startRetentionTick(o);
  startAlertTick(o);
  while (!o.signal.aborted) {
    if (wokeIdle || Date.now() - lastScheduleTick >= SCHEDULE_TICK_MS) {
      wokeIdle = false;
      lastScheduleTick = Date.now();
      await tickSchedules(o);
    }
    try {
      if (Date.now() - lastSweep >= SWEEP_MS) {
        lastSweep = Date.now();
        const released = await releaseStaleRuns(o.db, STALE_AFTER_MS);
        if (released.length) o.log.warn({ released }, "released stale runs");
      }
      const [run] = await claimRuns(o.db, o.workerId, 1);
      if (!run) {
        await o.listener.wait(o.pollMs);
        wokeIdle = true;
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

/** Fires due schedules; its own try/catch so a scheduling failure never stops runs from being claimed. */
async function tickSchedules(o: WorkerLoopOptions): Promise<void> {
  try {
    const fired = await fireDueSchedules(o.db, o.workerId, SCHEDULES_PER_TICK);
    for (const f of fired) {
      if (f.error) o.log.warn({ scheduleId: f.scheduleId, runId: f.runId, err: f.error }, "schedule did not fire cleanly");
      else o.log.info({ scheduleId: f.scheduleId, runId: f.runId, nextRunAt: f.nextRunAt }, "schedule fired");
    }
  } catch (err) {
    o.log.error({ err }, "firing schedules failed");
  }
}

// The worker loop: claim one run, execute it, repeat; when idle, sleep until NOTIFY pacts_runs or the poll
// interval. Every heartbeatMs (WORKER_HEARTBEAT_MS, a few seconds) the run's heartbeat is written and runs whose
// worker stopped beating for staleAfterMs (a small multiple) are swept, so a killed worker's run is re-run within
// seconds. A heartbeat that finds the run no longer ours (swept, cancelled) stops the run at once. Due cron
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

/** Defaults; the worker takes them from WORKER_HEARTBEAT_MS / WORKER_STALE_AFTER_MS (src/server/env.ts). The
 * heartbeat runs on a timer beside the browser work, so a slow step still beats. */
export const HEARTBEAT_MS = 3_000;
export const STALE_AFTER_MS = 5 * HEARTBEAT_MS;
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
  /** Run heartbeat and stale sweep interval (default HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** A run whose heartbeat is older than this is swept (default STALE_AFTER_MS). */
  staleAfterMs?: number;
  log: Logger;
  /** Aborted on shutdown: no new claims, and the current run is handed back. */
  signal: AbortSignal;
};

export async function runWorkerLoop(o: WorkerLoopOptions): Promise<void> {
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
  const staleAfterMs = o.staleAfterMs ?? STALE_AFTER_MS;
  let lastSweep = 0;
  // Sweeps also run on a timer while this worker is busy with a long run (other workers' dead runs wait otherwise).
  const sweep = async () => {
    if (Date.now() - lastSweep < heartbeatMs) return;
    lastSweep = Date.now();
    const released = await releaseStaleRuns(o.db, staleAfterMs);
    if (released.length) o.log.warn({ released }, "released stale runs (their worker stopped heartbeating)");
  };
  const sweeper = setInterval(() => void sweep().catch((err: unknown) => o.log.warn({ err }, "stale sweep failed")), heartbeatMs);
  try {
    await loop(o, heartbeatMs, sweep);
  } finally {
    clearInterval(sweeper);
  }
}

async function loop(o: WorkerLoopOptions, heartbeatMs: number, sweep: () => Promise<void>): Promise<void> {
  let lastScheduleTick = 0;
  let wokeIdle = false;
  while (!o.signal.aborted) {
    if (wokeIdle || Date.now() - lastScheduleTick >= SCHEDULE_TICK_MS) {
      wokeIdle = false;
      lastScheduleTick = Date.now();
      await tickSchedules(o);
    }
    try {
      await sweep();
      const [run] = await claimRuns(o.db, o.workerId, 1);
      if (!run) {
        await o.listener.wait(o.pollMs);
        wokeIdle = true;
        continue;
      }
      const log = o.log.child({ runId: run.id });
      const lost = new AbortController();
      const beat = setInterval(() => {
        heartbeat(o.db, run.id, { workerId: o.workerId, attempt: run.attempts }).then(
          (mine) => {
            if (!mine && !lost.signal.aborted) {
              log.warn("heartbeat: the run is no longer ours (cancelled, or swept as stale); stopping it");
              lost.abort();
            }
          },
          (err: unknown) => log.warn({ err }, "heartbeat failed"),
        );
      }, heartbeatMs);
      try {
        const browser = await o.getBrowser();
        await executeRun(o.db, run, { workerId: o.workerId, browser, log: o.log, signal: o.signal, lost: lost.signal });
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

// The worker loop: up to `concurrency` runs at once (WORKER_CONCURRENCY; one Chromium per process, a browser
// context per run): claim a run whenever a slot is free; when idle, sleep until NOTIFY pacts_runs or the poll
// interval. Every heartbeatMs (WORKER_HEARTBEAT_MS, a few seconds) the run's heartbeat is written and runs whose
// worker stopped beating for staleAfterMs (a small multiple) are swept, so a killed worker's run is re-run within
// seconds. A heartbeat that finds the run no longer ours (swept, cancelled) stops the run at once. Due cron
// schedules are fired (queued as runs) every SCHEDULE_TICK_MS and on each idle wake, before claiming.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Browser, BrowserContext } from "playwright-core";
import type { Logger } from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { newRunContext } from "@/server/browser";
import { setWorkerHealth, type WorkerHealthState } from "@/server/metrics/workers";
import { type ClaimedRun, claimRuns } from "@/server/queue/claim";
import type { RunListener } from "@/server/queue/notify";
import { heartbeat, releaseRun, releaseStaleRuns } from "@/server/queue/settle";
import { executeRun } from "@/server/runs/execute-run";
import { fireDueSchedules } from "@/server/schedules/fire";
import { alertOnSweptRuns, type AlertTickOptions, type RetentionTickOptions, startAlertTick, startRetentionTick } from "./jobs";

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
  /** Opens a run's browser context (default newRunContext). */
  newContext?: (browser: Browser) => Promise<BrowserContext>;
  listener: Pick<RunListener, "wait">;
  pollMs: number;
  /** Runs executed at once (default 1). */
  concurrency?: number;
  /** Run heartbeat and stale sweep interval (default HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** A run whose heartbeat is older than this is swept (default STALE_AFTER_MS). */
  staleAfterMs?: number;
  log: Logger;
  /** Aborted on shutdown: no new claims, and the current run is handed back. */
  signal: AbortSignal;
  /** The retention job's timer (worker/index.ts: every RETENTION_TICK_MS); absent or 0 ms = off in this worker. */
  retention?: RetentionTickOptions;
  /** The alert sender's timer (worker/index.ts: every ALERT_TICK_MS); absent or 0 ms = off in this worker. */
  alerts?: AlertTickOptions;
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
    // A run that used its last attempt ends ERROR here rather than in executeRun: alert rules see it too.
    await alertOnSweptRuns(o, released);
  };
  const sweeper = setInterval(() => void sweep().catch((err: unknown) => o.log.warn({ err }, "stale sweep failed")), heartbeatMs);
  try {
    await loop(o, heartbeatMs, sweep);
  } finally {
    clearInterval(sweeper);
  }
}

/** Browser launch backoff: 1 s, doubling to 30 s while Chromium keeps failing to start. */
export const BROWSER_BACKOFF_MS = { initial: 1_000, max: 30_000 };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * The process's browser, checked before every claim: a worker whose Chromium cannot start claims nothing (its runs
 * stay PENDING for healthy workers), reports itself BROWSER_UNAVAILABLE on its Worker row (the dashboard banner and
 * pacts_workers_unhealthy) and backs off; once Chromium launches again it reports HEALTHY.
 */
class BrowserHealth {
  private failures = 0;
  private reported: WorkerHealthState = "HEALTHY";
  constructor(private readonly o: WorkerLoopOptions) {}

  get backoffMs(): number {
    return Math.min(BROWSER_BACKOFF_MS.max, BROWSER_BACKOFF_MS.initial * 2 ** Math.max(0, this.failures - 1));
  }

  async browser(): Promise<Browser | undefined> {
    try {
      const browser = await this.o.getBrowser();
      if (!browser.isConnected()) throw new Error("Chromium disconnected right after launch");
      if (this.reported !== "HEALTHY") {
        this.o.log.info({ afterFailures: this.failures }, "Chromium launches again; worker healthy");
        await this.report("HEALTHY");
      }
      this.failures = 0;
      return browser;
    } catch (err) {
      await this.failed(err);
      return undefined;
    }
  }

  async failed(err: unknown): Promise<void> {
    this.failures++;
    const message = `Chromium could not be started: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`;
    this.o.log.error({ err, failures: this.failures, retryInMs: this.backoffMs }, "browser unavailable; claiming nothing until it launches");
    if (this.reported !== "BROWSER_UNAVAILABLE" || this.failures === 1) await this.report("BROWSER_UNAVAILABLE", message);
  }

  private async report(health: WorkerHealthState, error?: string): Promise<void> {
    this.reported = health;
    await setWorkerHealth(this.o.db, this.o.workerId, health, error).catch((err: unknown) => this.o.log.warn({ err }, "could not record worker health"));
  }
}

async function loop(o: WorkerLoopOptions, heartbeatMs: number, sweep: () => Promise<void>): Promise<void> {
  let lastScheduleTick = 0;
  let wokeIdle = false;
  const health = new BrowserHealth(o);
  const newContext = o.newContext ?? newRunContext;
  const concurrency = Math.max(1, o.concurrency ?? 1);
  const active = new Set<Promise<void>>();
  const stopped = new Promise<void>((r) => (o.signal.aborted ? r() : o.signal.addEventListener("abort", () => r(), { once: true })));
  // Retention and alert delivery run on their own timers (a long run never delays them) and stop with the signal.
  startRetentionTick(o);
  startAlertTick(o);
  while (!o.signal.aborted) {
    if (active.size >= concurrency) {
      // Every slot is busy: wait for one to free up (or shutdown, which the runs themselves answer).
      await Promise.race([...active, stopped]);
      continue;
    }
    if (wokeIdle || Date.now() - lastScheduleTick >= SCHEDULE_TICK_MS) {
      wokeIdle = false;
      lastScheduleTick = Date.now();
      await tickSchedules(o);
    }
    try {
      await sweep();
      const browser = await health.browser();
      if (!browser) {
        await sleep(health.backoffMs, o.signal);
        continue;
      }
      const [run] = await claimRuns(o.db, o.workerId, 1);
      if (!run) {
        await o.listener.wait(o.pollMs);
        wokeIdle = true;
        continue;
      }
      const owner = { workerId: o.workerId, attempt: run.attempts };
      // A context that cannot be opened means the browser broke between the check and now: the run is given back
      // uncounted (it never started) and the worker backs off like a failed launch.
      let context: BrowserContext;
      try {
        context = await newContext(browser);
      } catch (err) {
        const released = await releaseRun(o.db, run.id, owner);
        o.log.warn({ runId: run.id, released }, "could not open a browser context; run handed back without counting the attempt");
        await health.failed(err);
        await sleep(health.backoffMs, o.signal);
        continue;
      }
      const slot: Promise<void> = executeClaimed(o, run, browser, context, heartbeatMs)
        .catch((err: unknown) => o.log.error({ err, runId: run.id }, "run execution failed"))
        .finally(() => active.delete(slot));
      active.add(slot);
    } catch (err) {
      // A DB or browser hiccup must not kill the worker; back off one poll interval and try again.
      o.log.error({ err }, "worker loop error");
      await sleep(o.pollMs, o.signal);
    }
  }
  // Shutdown: each run hands itself back (executeRun sees the aborted signal); wait for all of them.
  await Promise.allSettled([...active]);
}

/** Executes one claimed run with its own heartbeat timer; a heartbeat that finds the run gone stops it at once. */
async function executeClaimed(o: WorkerLoopOptions, run: ClaimedRun, browser: Browser, context: BrowserContext, heartbeatMs: number): Promise<void> {
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
    await executeRun(o.db, run, { workerId: o.workerId, browser, context: Promise.resolve(context), log: o.log, signal: o.signal, lost: lost.signal });
  } finally {
    clearInterval(beat);
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

// Worker process entry: `tsx worker/index.ts`. One Chromium per process (relaunched when it crashes), up to
// WORKER_CONCURRENCY runs at a time, each in its own browser context; scale further by starting more processes
// (claims use SKIP LOCKED, so they never collide). SIGINT/SIGTERM: stop claiming, hand the
// current run back to the queue, close browser and DB, exit within about 3 s.
import { closeBrowser, getBrowser } from "@/server/browser";
import { getDb } from "@/server/db";
import { serverEnv } from "@/server/env";
import { logger } from "@/server/logger";
import { heartbeatWorker, registerWorker, stopWorker } from "@/server/metrics/workers";
import { listenForRuns } from "@/server/queue/notify";
import { artifactStore } from "@/server/storage/artifact-store";
import { createWorkerId, runWorkerLoop } from "./loop";

const FORCE_EXIT_MS = 3_000;
/** pacts_workers_active counts workers that heartbeated within 30 s: the Worker row beats at least every 10 s. */
const WORKER_ROW_HEARTBEAT_MAX_MS = 10_000;

async function main(): Promise<void> {
  const env = serverEnv();
  const workerId = createWorkerId();
  const log = logger.child({ workerId });
  const db = getDb();
  const stop = new AbortController();
  const listener = await listenForRuns(env.DATABASE_URL, log);
  await registerWorker(db, workerId);
  const beat = setInterval(() => {
    heartbeatWorker(db, workerId).catch((err: unknown) => log.warn({ err }, "worker heartbeat failed"));
  }, Math.min(env.WORKER_HEARTBEAT_MS, WORKER_ROW_HEARTBEAT_MAX_MS));

  const shutdown = (sig: string) => {
    if (stop.signal.aborted) return;
    log.info({ sig }, "stopping worker");
    stop.abort();
    // No more wake-ups are needed; closing now also keeps a database that stops with us (the embedded one gets
    // the same Ctrl-C) from being reported as a lost connection.
    void listener.close();
    // The loop exits on its own; this is the backstop if something hangs.
    setTimeout(() => {
      log.warn("worker did not stop in time; exiting");
      process.exit(1);
    }, FORCE_EXIT_MS).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));

  // Chromium is launched before the worker says it started (so "started" means ready to claim). A launch failure
  // is not fatal: the loop retries with backoff and reports the worker unhealthy meanwhile.
  await getBrowser().catch(() => undefined);
  log.info({ concurrency: env.WORKER_CONCURRENCY, pollMs: env.WORKER_POLL_MS, heartbeatMs: env.WORKER_HEARTBEAT_MS, staleAfterMs: env.staleAfterMs }, "worker started");
  const retention = { everyMs: env.RETENTION_TICK_MS, batchSize: env.RETENTION_BATCH_SIZE, store: artifactStore() };
  const alerts = {
    everyMs: env.ALERT_TICK_MS,
    retryBaseMs: env.ALERT_RETRY_BASE_MS,
    maxAttempts: env.ALERT_MAX_ATTEMPTS,
    mail: { smtpUrl: env.SMTP_URL, from: env.ALERT_EMAIL_FROM },
    publicUrl: env.publicUrl,
  };
  await runWorkerLoop({
    db,
    workerId,
    getBrowser,
    listener,
    pollMs: env.WORKER_POLL_MS,
    concurrency: env.WORKER_CONCURRENCY,
    heartbeatMs: env.WORKER_HEARTBEAT_MS,
    staleAfterMs: env.staleAfterMs,
    log,
    signal: stop.signal,
    retention,
    alerts,
  });
  clearInterval(beat);
  await stopWorker(db, workerId).catch((err: unknown) =>
    // Expected when the database is stopping too (Ctrl-C reaches the embedded one at the same time); the row
    // then simply ages out of pacts_workers_active (30 s without a heartbeat).
    log.info({ reason: err instanceof Error ? err.message.trim().split("\n").pop() : String(err) }, "could not mark worker stopped; its heartbeat will expire"),
  );
  await Promise.allSettled([closeBrowser(), listener.close(), db.$disconnect()]);
  log.info("worker stopped");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    logger.fatal({ err }, "worker failed");
    process.exit(1);
  },
);

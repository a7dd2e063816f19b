// Run-level vocabulary shared by UI, routers and the worker. Imports only zod.
import { z } from "zod";

export const RUN_STATUSES = ["PENDING", "RUNNING", "PASSED", "FAILED", "ERROR", "CANCELLED", "BLOCKED"] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];
export const FINISHED_STATUSES: ReadonlySet<RunStatusName> = new Set(["PASSED", "FAILED", "ERROR", "CANCELLED", "BLOCKED"]);

export const CACHE_SOURCES = ["redis", "memory", "postgres", "miss"] as const;
export type CacheSource = (typeof CACHE_SOURCES)[number];

export const ZDataRow = z.record(z.string(), z.string());
export type DataRow = z.infer<typeof ZDataRow>;
export const ZDataRows = z.array(ZDataRow);

/** A run's time limit (a test setting; each attempt gets the whole limit). Over it, the run ends FAILED/TIMEOUT. */
export const DEFAULT_RUN_TIME_LIMIT_SEC = 15 * 60;
export const MAX_RUN_TIME_LIMIT_SEC = 6 * 3600;
/** null = the default. */
export const ZRunTimeLimitSec = z.number().int().min(1).max(MAX_RUN_TIME_LIMIT_SEC).nullable();

export type RunTimings = {
  /** Queued until first claimed (null: never claimed). */
  queueWaitMs: number | null;
  /** From the first claim to the final attempt's claim: earlier attempts, including time their worker was dead
   * and the requeue wait (null: only one attempt). The run's durationMs is the final attempt alone. */
  earlierAttemptsMs: number | null;
};

export function runTimings(r: { createdAt: Date; startTime: Date | null; attemptStartedAt: Date | null; attempts: number }): RunTimings {
  const queueWaitMs = r.startTime ? Math.max(0, r.startTime.getTime() - r.createdAt.getTime()) : null;
  const earlierAttemptsMs =
    r.attempts > 1 && r.startTime && r.attemptStartedAt ? Math.max(0, r.attemptStartedAt.getTime() - r.startTime.getTime()) : null;
  return { queueWaitMs, earlierAttemptsMs };
}

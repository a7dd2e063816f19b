// Fires due cron schedules. Like the run queue, the Schedule row is the job: ONE statement claims due rows
// (FOR UPDATE SKIP LOCKED, so two workers never claim the same schedule) and stamps locked_at; then each claimed
// schedule queues one run and is settled with a compare-and-set on that exact lock stamp, so a worker whose lock
// went stale and was re-claimed can never advance the schedule a second time. Missed slots are skipped: a due
// schedule fires once and its next time is computed from now, never a burst of catch-up runs.
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import { AppError } from "../errors";
import { recordScheduleLag } from "../metrics/rollups";
import { enqueueRun } from "../runs/enqueue";
import { nextRunAfter } from "./cron";

/** A lock older than this belongs to a crashed worker (firing one schedule takes milliseconds). */
export const SCHEDULE_STALE_LOCK_MS = 5 * 60_000;

/** Columns are `timestamp(3)` holding UTC (Prisma's convention); compare in UTC whatever the session zone is. */
const NOW_UTC = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

type ClaimedSchedule = {
  id: string;
  teamId: string;
  testId: string;
  cron: string;
  timezone: string;
  /** locked_at exactly as stored (text), the compare-and-set token for the settle. */
  lockToken: string;
  /** How late the claim is: now − the due next_run_at. */
  lagMs: number;
};

export type FiredSchedule = {
  scheduleId: string;
  /** The queued run; null when the test could not be queued (see error) or the lock was lost. */
  runId: string | null;
  nextRunAt: Date | null;
  error?: string;
};

export async function claimDueSchedules(db: PrismaClient, limit: number): Promise<ClaimedSchedule[]> {
  if (!Number.isInteger(limit) || limit < 1) return [];
  const staleMs = SCHEDULE_STALE_LOCK_MS;
  return db.$queryRaw<ClaimedSchedule[]>`
    UPDATE schedules s
       SET locked_at = ${NOW_UTC}
      FROM (SELECT id FROM schedules
             WHERE enabled
               AND next_run_at <= ${NOW_UTC}
               AND (locked_at IS NULL OR locked_at < ${NOW_UTC} - make_interval(secs => ${staleMs / 1000}::float8))
             ORDER BY next_run_at
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) c
     WHERE s.id = c.id
 RETURNING s.id, s.team_id AS "teamId", s.test_id AS "testId", s.cron, s.timezone,
           s.locked_at::text AS "lockToken",
           (extract(epoch FROM (${NOW_UTC} - s.next_run_at)) * 1000)::float8 AS "lagMs"`;
}

/**
 * Settles a fired schedule if this claim still holds its lock: lastRunAt (when a run was queued), the next time,
 * lock cleared. When the cron or zone was edited meanwhile, the editor's nextRunAt wins. Returns false when the
 * lock was lost (re-claimed as stale, or the schedule was deleted).
 */
async function settleSchedule(
  tx: Prisma.TransactionClient,
  s: ClaimedSchedule,
  next: Date | null,
  ran: boolean,
): Promise<boolean> {
  const nextSql = next ? Prisma.sql`${next.toISOString()}::timestamp(3)` : Prisma.sql`NULL`;
  const count = await tx.$executeRaw`
    UPDATE schedules
       SET locked_at = NULL,
           last_run_at = CASE WHEN ${ran} THEN ${NOW_UTC} ELSE last_run_at END,
           next_run_at = CASE WHEN cron = ${s.cron} AND timezone = ${s.timezone} THEN ${nextSql} ELSE next_run_at END,
           updated_at = ${NOW_UTC}
     WHERE id = ${s.id} AND locked_at = ${s.lockToken}::timestamp(3)`;
  return count === 1;
}

/** The next slot after now; null (the schedule stops) when the stored expression can no longer be computed. */
function safeNext(s: ClaimedSchedule, now: Date): Date | null {
  try {
    return nextRunAfter(s.cron, s.timezone, now);
  } catch {
    return null;
  }
}

/**
 * Claims up to `limit` due schedules and queues one SCHEDULE run for each. The worker id is accepted for the
 * queue's calling convention; ownership is the lock stamp. A failure on one schedule never stops the others.
 */
export async function fireDueSchedules(db: PrismaClient, _workerId: string, limit = 10): Promise<FiredSchedule[]> {
  const claimed = await claimDueSchedules(db, limit);
  const fired: FiredSchedule[] = [];
  for (const s of claimed) {
    let runId: string | null = null;
    let error: string | undefined;
    try {
      // enqueueRun owns its transaction (snapshot + NOTIFY), so the run is queued first and the schedule settled
      // right after with a compare-and-set on our lock; a lost lock is only possible after SCHEDULE_STALE_LOCK_MS.
      runId = (await enqueueRun(db, { teamId: s.teamId, testId: s.testId, trigger: "SCHEDULE", scheduleId: s.id })).id;
    } catch (err) {
      if (!(err instanceof AppError)) {
        // A transient failure (database hiccup): release the lock untouched so a later tick retries this slot.
        await db.$executeRaw`UPDATE schedules SET locked_at = NULL WHERE id = ${s.id} AND locked_at = ${s.lockToken}::timestamp(3)`.catch(
          () => undefined,
        );
        fired.push({ scheduleId: s.id, runId: null, nextRunAt: null, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      // The test cannot run (no steps, deleted): skip this slot instead of retrying it every tick.
      error = err.message;
    }
    const next = safeNext(s, new Date());
    const settled = await db.$transaction(async (tx) => {
      const ok = await settleSchedule(tx, s, next, runId !== null);
      if (ok && runId !== null) await recordScheduleLag(tx, { teamId: s.teamId, lagMs: s.lagMs });
      return ok;
    });
    if (!settled && !error) error = "schedule lock lost before settle";
    fired.push({ scheduleId: s.id, runId, nextRunAt: settled ? next : null, ...(error ? { error } : {}) });
  }
  return fired;
}

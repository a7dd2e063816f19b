// Run state changes after the claim. Every change is compare-and-set on (status RUNNING, worker_id, attempt), so
// a worker that lost its lock (swept as stale, or the run was cancelled) can never overwrite someone else's result
// — not even its own later attempt of the same run (a swept worker that is alive may claim that run again).
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import type { RunStatus, RunVerdict } from "@/generated/prisma/enums";
import { recordRunFinished } from "../metrics/rollups";

export const MAX_ATTEMPTS = 3;

/** Who may write to a RUNNING run: the worker id, and (when known) the attempt it claimed. */
export type RunOwner = string | { workerId: string; attempt: number };

const ownerOf = (o: RunOwner) => (typeof o === "string" ? { workerId: o, attempt: undefined } : o);

/** Prisma filter: the run is RUNNING and still owned by this claim. */
export function ownedBy(o: RunOwner): Prisma.RunWhereInput {
  const { workerId, attempt } = ownerOf(o);
  return { status: "RUNNING", workerId, ...(attempt === undefined ? {} : { attempts: attempt }) };
}

const attemptSql = (o: RunOwner) => {
  const { attempt } = ownerOf(o);
  return attempt === undefined ? Prisma.empty : Prisma.sql` AND attempts = ${attempt}`;
};

/** Bumps the heartbeat; false when this worker no longer owns the run (cancelled, or released as stale). */
export async function heartbeat(db: PrismaClient, runId: string, owner: RunOwner, completedSteps?: number): Promise<boolean> {
  const res = await db.run.updateMany({
    where: { id: runId, ...ownedBy(owner) },
    data: { heartbeatAt: new Date(), ...(completedSteps === undefined ? {} : { completedSteps }) },
  });
  return res.count === 1;
}

export type FinishRunInput = {
  status: Extract<RunStatus, "PASSED" | "FAILED" | "ERROR" | "BLOCKED">;
  verdict: RunVerdict | null;
  errorMessage?: string | null;
  completedSteps?: number;
  /** This attempt's start when the caller has it (saves reading it back): the duration is the final attempt's. */
  startTime?: Date | null;
};

/** Settles a run this worker owns; false when it no longer owned it. The run metrics are counted in the same
 *  transaction, so a run is counted exactly once and only when its final status is really written. */
export async function finishRun(db: PrismaClient, runId: string, owner: RunOwner, input: FinishRunInput): Promise<boolean> {
  const startTime =
    input.startTime !== undefined
      ? input.startTime
      : await db.run.findUnique({ where: { id: runId }, select: { startTime: true, attemptStartedAt: true } }).then((r) => r?.attemptStartedAt ?? r?.startTime);
  const endTime = new Date();
  const durationMs = startTime ? endTime.getTime() - startTime.getTime() : null;
  return db.$transaction(async (tx) => {
    const updated = await tx.run.updateManyAndReturn({
      where: { id: runId, ...ownedBy(owner) },
      data: {
        status: input.status,
        verdict: input.verdict,
        errorMessage: input.errorMessage ?? null,
        endTime,
        durationMs,
        heartbeatAt: endTime,
        ...(input.completedSteps === undefined ? {} : { completedSteps: input.completedSteps }),
      },
      select: { teamId: true, healRounds: true },
    });
    const row = updated[0];
    if (!row) return false;
    await recordRunFinished(tx, { teamId: row.teamId, status: input.status, durationMs, healRounds: row.healRounds, at: endTime });
    return true;
  });
}

type SettledRow = { id: string; status: "PENDING" | "ERROR"; attempts: number; teamId: string; durationMs: number | null; healRounds: number };

/** Counts the rows a requeue/sweep turned into ERROR (final); PENDING ones will be counted when they finish. */
async function recordErrored(tx: Prisma.TransactionClient, rows: SettledRow[]): Promise<void> {
  for (const r of rows) {
    if (r.status === "ERROR") await recordRunFinished(tx, { teamId: r.teamId, status: "ERROR", durationMs: r.durationMs, healRounds: r.healRounds });
  }
}

/** Hands a run back to the queue (worker shutting down mid-run); ERROR once attempts are used up. */
export async function requeueRun(db: PrismaClient, runId: string, owner: RunOwner, reason: string): Promise<boolean> {
  const { workerId } = ownerOf(owner);
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<SettledRow[]>`
    UPDATE runs
       SET status = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN 'PENDING'::"RunStatus" ELSE 'ERROR'::"RunStatus" END,
           error_message = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN NULL ELSE ${`${reason} (after ${MAX_ATTEMPTS} attempts)`} END,
           end_time = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN NULL ELSE now() END,
           worker_id = NULL, locked_at = NULL, updated_at = now()
     WHERE req_id = ${runId} AND status = 'RUNNING' AND worker_id = ${workerId}${attemptSql(owner)}
 RETURNING req_id AS "id", status::text AS "status", attempts, team_id AS "teamId", duration_ms AS "durationMs",
           heal_rounds AS "healRounds"`;
    await recordErrored(tx, rows);
    return rows.length === 1;
  });
}

export type ReleasedRun = { id: string; status: "PENDING" | "ERROR"; attempts: number };

/**
 * Sweeps runs whose worker stopped heartbeating (crashed, killed, lost its network) for longer than
 * `olderThanMs`: back to PENDING while attempts remain, else ERROR "Worker lost (worker <id>)", so nothing stays
 * RUNNING. The swept worker's later writes fail their compare-and-set (worker_id is cleared).
 */
export async function releaseStaleRuns(db: PrismaClient, olderThanMs: number): Promise<ReleasedRun[]> {
  const seconds = olderThanMs / 1000;
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<SettledRow[]>`
    UPDATE runs
       SET status = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN 'PENDING'::"RunStatus" ELSE 'ERROR'::"RunStatus" END,
           error_message = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN error_message
             ELSE 'Worker lost (worker ' || coalesce(worker_id, '?') || '): no heartbeat for '
                  || ${Math.round(seconds)}::int || ' s, and the run used all ' || ${MAX_ATTEMPTS}::int || ' attempts' END,
           end_time = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN NULL ELSE now() END,
           duration_ms = CASE WHEN attempts < ${MAX_ATTEMPTS} THEN NULL
             ELSE (extract(epoch FROM now() - coalesce(attempt_started_at, start_time, now())) * 1000)::int END,
           worker_id = NULL, locked_at = NULL, updated_at = now()
     WHERE status = 'RUNNING'
       AND coalesce(heartbeat_at, locked_at, updated_at) < now() - make_interval(secs => ${seconds}::float8)
 RETURNING req_id AS "id", status::text AS "status", attempts, team_id AS "teamId", duration_ms AS "durationMs",
           heal_rounds AS "healRounds"`;
    await recordErrored(tx, rows);
    return rows.map(({ id, status, attempts }) => ({ id, status, attempts }));
  });
}

/**
 * Gives a claimed run back to the queue without counting the attempt: the worker could not even start it (its
 * browser does not launch or just crashed), which says nothing about the run. Compare-and-set like the rest.
 */
export async function releaseRun(db: PrismaClient, runId: string, owner: RunOwner): Promise<boolean> {
  const { workerId } = ownerOf(owner);
  const n = await db.$executeRaw`
    UPDATE runs
       SET status = 'PENDING', attempts = greatest(attempts - 1, 0),
           start_time = CASE WHEN attempts <= 1 THEN NULL ELSE start_time END,
           worker_id = NULL, locked_at = NULL, updated_at = now()
     WHERE req_id = ${runId} AND status = 'RUNNING' AND worker_id = ${workerId}${attemptSql(owner)}`;
  return n === 1;
}

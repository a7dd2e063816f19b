// Claims one specific PENDING run for this CLI process, so the run it just queued is executed here (with this
// process's browser and flags) and never by a worker. Same bookkeeping as claimRuns; the status guard makes it
// compare-and-set: null when a worker got there first.
import type { PrismaClient } from "@/generated/prisma/client";
import type { ClaimedRun } from "@/server/queue/claim";

export async function claimRunById(db: PrismaClient, runId: string, workerId: string): Promise<ClaimedRun | null> {
  const rows = await db.$queryRaw<ClaimedRun[]>`
    UPDATE runs
       SET status = 'RUNNING',
           worker_id = ${workerId},
           locked_at = now(),
           heartbeat_at = now(),
           start_time = coalesce(start_time, now()),
           attempts = attempts + 1,
           updated_at = now()
     WHERE req_id = ${runId} AND status = 'PENDING'
 RETURNING req_id AS "id", team_id AS "teamId", test_id AS "testId", test_name AS "testName",
           url, steps, data_row AS "dataRow", heal_policy::text AS "healPolicy",
           attempts, worker_id AS "workerId", start_time AS "startTime"`;
  return rows[0] ?? null;
}

// The Run row is the job. One statement claims the oldest PENDING runs: the inner SELECT locks them with
// FOR UPDATE SKIP LOCKED (two workers never get the same row and never wait on each other), the outer UPDATE
// marks them RUNNING with this worker as owner and counts the attempt at claim time (a crash still counts).
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import type { HealPolicy } from "@/generated/prisma/enums";

export type ClaimedRun = {
  id: string;
  teamId: string;
  testId: string | null;
  testName: string;
  url: string;
  /** Raw JSON snapshot; validated with ZSteps by the executor. */
  steps: unknown;
  dataRow: unknown;
  healPolicy: HealPolicy;
  attempts: number;
  workerId: string;
  startTime: Date;
};

/** The claim's bookkeeping: owner, lock and heartbeat times, first start, and the attempt (counted at claim). */
const claimedBy = (workerId: string) => Prisma.sql`
       SET status = 'RUNNING',
           worker_id = ${workerId},
           locked_at = now(),
           heartbeat_at = now(),
           start_time = coalesce(start_time, now()),
           attempts = attempts + 1,
           updated_at = now()`;

const CLAIMED_COLUMNS = Prisma.sql`
 RETURNING runs.req_id AS "id", runs.team_id AS "teamId", runs.test_id AS "testId", runs.test_name AS "testName",
           runs.url, runs.steps, runs.data_row AS "dataRow", runs.heal_policy::text AS "healPolicy",
           runs.attempts, runs.worker_id AS "workerId", runs.start_time AS "startTime"`;

export async function claimRuns(db: PrismaClient, workerId: string, limit: number): Promise<ClaimedRun[]> {
  if (!Number.isInteger(limit) || limit < 1) return [];
  return db.$queryRaw<ClaimedRun[]>`
    UPDATE runs ${claimedBy(workerId)}
      FROM (SELECT req_id FROM runs
             WHERE status = 'PENDING'
             ORDER BY created_at
             LIMIT ${limit}
             FOR UPDATE SKIP LOCKED) c
     WHERE runs.req_id = c.req_id ${CLAIMED_COLUMNS}`;
}

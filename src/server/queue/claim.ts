// The Run row is the job. One statement claims PENDING runs, round-robin across teams (claimRuns): the inner
// SELECT locks them with FOR UPDATE SKIP LOCKED (two workers never get the same row and never wait on each
// other), the outer UPDATE marks them RUNNING with this worker as owner and counts the attempt at claim time (a crash still counts).
import { Prisma, type PrismaClient } from "@/generated/prisma/client";
import type { HealPolicy, TraceMode } from "@/generated/prisma/enums";

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
  /** The test's run time limit when queued; null = DEFAULT_RUN_TIME_LIMIT_SEC. */
  timeLimitSec: number | null;
  /** Absent (a run made before trace modes): ALWAYS. */
  traceMode?: TraceMode;
  attempts: number;
  workerId: string;
  /** The first claim of the run. */
  startTime: Date;
  /** This attempt's claim: the run's duration is measured from here. */
  attemptStartedAt: Date;
};

/** The claim's bookkeeping: owner, lock and heartbeat times, first start, and the attempt (counted at claim). */
const claimedBy = (workerId: string) => Prisma.sql`
       SET status = 'RUNNING',
           worker_id = ${workerId},
           locked_at = now(),
           heartbeat_at = now(),
           start_time = coalesce(start_time, now()),
           attempt_started_at = now(),
           attempts = attempts + 1,
           updated_at = now()`;

const CLAIMED_COLUMNS = Prisma.sql`
 RETURNING runs.req_id AS "id", runs.team_id AS "teamId", runs.test_id AS "testId", runs.test_name AS "testName",
           runs.url, runs.steps, runs.data_row AS "dataRow", runs.heal_policy::text AS "healPolicy", runs.trace_mode::text AS "traceMode",
           runs.time_limit_sec AS "timeLimitSec", runs.attempts, runs.worker_id AS "workerId", runs.start_time AS "startTime",
           runs.attempt_started_at AS "attemptStartedAt"`;

/**
 * Claims up to `limit` PENDING runs, fairly across teams: each candidate is ranked by its team's RUNNING runs plus
 * its place in that team's queue (so one team's burst cannot starve another: a team with nothing running goes
 * first), then the team claimed least recently, then age. Within a team runs start oldest first.
 */
export async function claimRuns(db: PrismaClient, workerId: string, limit: number): Promise<ClaimedRun[]> {
  if (!Number.isInteger(limit) || limit < 1) return [];
  return db.$queryRaw<ClaimedRun[]>`
    UPDATE runs ${claimedBy(workerId)}
      FROM (WITH pending AS (
              SELECT req_id, team_id, row_number() OVER (PARTITION BY team_id ORDER BY created_at, req_id) AS nth
                FROM runs WHERE status = 'PENDING'),
            teams AS (
              SELECT t.team_id,
                     (SELECT count(*) FROM runs x WHERE x.team_id = t.team_id AND x.status = 'RUNNING') AS running,
                     (SELECT max(x.locked_at) FROM runs x WHERE x.team_id = t.team_id) AS last_claim
                FROM (SELECT DISTINCT team_id FROM pending) t)
            SELECT r.req_id FROM runs r
              -- Every pending run stays a candidate: concurrent claims skip each other's locked rows and must still
              -- find one (a narrower pool would leave a worker idle while runs wait).
              JOIN pending p ON p.req_id = r.req_id
              JOIN teams t ON t.team_id = r.team_id
             WHERE r.status = 'PENDING'
             ORDER BY t.running + p.nth, t.last_claim NULLS FIRST, r.created_at
             LIMIT ${limit}
             FOR UPDATE OF r SKIP LOCKED) c
     WHERE runs.req_id = c.req_id ${CLAIMED_COLUMNS}`;
}

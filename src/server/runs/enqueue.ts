// Queues a run: snapshots the test (name, start URL, parsed steps, heal policy) into a PENDING Run row so later
// edits to the test never change a queued run, then NOTIFY wakes an idle worker (delivered at commit). A team
// may have at most MAX_QUEUED_RUNS_PER_TEAM runs queued; beyond that queueing fails with TOO_MANY_REQUESTS.
import { z } from "zod";
import { ZDataRow } from "@/domain/run";
import { ZSteps } from "@/domain/step";
import type { PrismaClient } from "@/generated/prisma/client";
import { RunTrigger } from "@/generated/prisma/enums";
import { queueEnv } from "../env";
import { AppError } from "../errors";
import type { ClaimedRun } from "../queue/claim";
import { notifyRunQueued } from "../queue/notify";

export const ZEnqueueRunInput = z.object({
  teamId: z.string().min(1),
  testId: z.string().min(1),
  trigger: z.enum(RunTrigger),
  triggeredById: z.string().min(1).optional(),
  scheduleId: z.string().min(1).optional(),
  dataRow: ZDataRow.optional(),
});
export type EnqueueRunInput = z.input<typeof ZEnqueueRunInput>;

export async function enqueueRun(db: PrismaClient, rawInput: EnqueueRunInput): Promise<{ id: string }>;
/** With `claimFor`, the run is created already claimed by that worker id (in-process runners such as the CLI):
 *  it is never visible as PENDING, so no worker can take it. */
export async function enqueueRun(
  db: PrismaClient,
  rawInput: EnqueueRunInput,
  opts: { claimFor: string },
): Promise<{ id: string; claimed: ClaimedRun }>;
export async function enqueueRun(
  db: PrismaClient,
  rawInput: EnqueueRunInput,
  opts?: { claimFor: string },
): Promise<{ id: string; claimed?: ClaimedRun }> {
  const input = ZEnqueueRunInput.parse(rawInput);
  const test = await db.test.findFirst({
    where: { id: input.testId, teamId: input.teamId },
    select: { id: true, name: true, startUrl: true, steps: true, healPolicy: true, runTimeLimitSec: true, traceMode: true },
  });
  if (!test) throw new AppError("NOT_FOUND", "Test not found");
  const steps = ZSteps.safeParse(test.steps);
  if (!steps.success) throw new AppError("BAD_REQUEST", `Test "${test.name}" has invalid stored steps; edit and save it again`);
  if (steps.data.length === 0) throw new AppError("BAD_REQUEST", `Test "${test.name}" has no steps`);

  const snapshot = {
    teamId: input.teamId,
    testId: test.id,
    scheduleId: input.scheduleId,
    triggeredById: input.triggeredById,
    testName: test.name,
    url: test.startUrl,
    steps: steps.data,
    dataRow: input.dataRow ?? {},
    healPolicy: test.healPolicy,
    timeLimitSec: test.runTimeLimitSec,
    traceMode: test.traceMode,
    trigger: input.trigger,
    totalSteps: steps.data.length,
  };
  if (opts) {
    // Created already claimed (one INSERT, as a claim would leave it: owner, lock, heartbeat, first attempt).
    const now = new Date();
    const run = await db.run.create({
      data: { ...snapshot, status: "RUNNING", workerId: opts.claimFor, lockedAt: now, heartbeatAt: now, startTime: now, attemptStartedAt: now, attempts: 1 },
      select: { id: true, teamId: true, testId: true, testName: true, url: true, steps: true, dataRow: true, healPolicy: true, timeLimitSec: true, traceMode: true, attempts: true },
    });
    return { id: run.id, claimed: { ...run, workerId: opts.claimFor, startTime: now, attemptStartedAt: now } };
  }
  const maxQueued = queueEnv().MAX_QUEUED_RUNS_PER_TEAM;
  return db.$transaction(async (tx) => {
    // One enqueue per team at a time holds the count while it inserts, so concurrent requests cannot overshoot.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('pacts_enqueue'), hashtext(${input.teamId}))::text AS "locked"`;
    const queued = await tx.run.count({ where: { teamId: input.teamId, status: "PENDING" } });
    if (queued >= maxQueued) {
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `This team already has ${queued} runs queued (the limit is ${maxQueued}); wait for some to start, then try again`,
        { queued, limit: maxQueued },
      );
    }
    const run = await tx.run.create({ data: { ...snapshot, status: "PENDING" }, select: { id: true } });
    await notifyRunQueued(tx, run.id);
    return run;
  });
}

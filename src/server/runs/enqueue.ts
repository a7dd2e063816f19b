// Queues a run: snapshots the test (name, start URL, parsed steps, heal policy) into a PENDING Run row so later
// edits to the test never change a queued run, then NOTIFY wakes an idle worker (delivered at commit).
import { z } from "zod";
import { ZDataRow } from "@/domain/run";
import { ZSteps } from "@/domain/step";
import type { PrismaClient } from "@/generated/prisma/client";
import { RunTrigger } from "@/generated/prisma/enums";
import { AppError } from "../errors";
import { claimRunById, type ClaimedRun } from "../queue/claim";
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
/** With `claimFor`, the run is claimed by that worker id in the creating transaction (in-process runners such
 *  as the CLI): it is never visible as PENDING, so no worker can take it. */
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
    select: { id: true, name: true, startUrl: true, steps: true, healPolicy: true },
  });
  if (!test) throw new AppError("NOT_FOUND", "Test not found");
  const steps = ZSteps.safeParse(test.steps);
  if (!steps.success) throw new AppError("BAD_REQUEST", `Test "${test.name}" has invalid stored steps; edit and save it again`);
  if (steps.data.length === 0) throw new AppError("BAD_REQUEST", `Test "${test.name}" has no steps`);

  return db.$transaction(async (tx) => {
    const run = await tx.run.create({
      data: {
        teamId: input.teamId,
        testId: test.id,
        scheduleId: input.scheduleId,
        triggeredById: input.triggeredById,
        testName: test.name,
        url: test.startUrl,
        steps: steps.data,
        dataRow: input.dataRow ?? {},
        healPolicy: test.healPolicy,
        status: "PENDING",
        trigger: input.trigger,
        totalSteps: steps.data.length,
      },
      select: { id: true },
    });
    if (opts) {
      const claimed = await claimRunById(tx, run.id, opts.claimFor);
      if (!claimed) throw new AppError("INTERNAL", `Run ${run.id} could not be claimed in its own transaction`);
      return { id: run.id, claimed };
    }
    await notifyRunQueued(tx, run.id);
    return run;
  });
}

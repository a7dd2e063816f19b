// Cancels a queued or running run. A worker running it notices on its next heartbeat/step update (the
// compare-and-set on RUNNING fails), stops driving the browser and marks the remaining steps SKIPPED.
import type { PrismaClient } from "@/generated/prisma/client";
import { AppError } from "../errors";

export async function cancelRun(db: PrismaClient, input: { teamId: string; runId: string }): Promise<{ cancelled: boolean }> {
  const run = await db.run.findFirst({ where: { id: input.runId, teamId: input.teamId }, select: { startTime: true } });
  if (!run) throw new AppError("NOT_FOUND", "Run not found");
  const endTime = new Date();
  const res = await db.run.updateMany({
    where: { id: input.runId, teamId: input.teamId, status: { in: ["PENDING", "RUNNING"] } },
    data: {
      status: "CANCELLED",
      endTime,
      durationMs: run.startTime ? endTime.getTime() - run.startTime.getTime() : null,
      errorMessage: "Cancelled by a user",
    },
  });
  if (res.count === 1) {
    await db.runStep.updateMany({ where: { runId: input.runId, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "SKIPPED" } });
  }
  return { cancelled: res.count === 1 };
}

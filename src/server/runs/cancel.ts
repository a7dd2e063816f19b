// Cancels a queued or running run. A worker running it notices on its next heartbeat/step update (the
// compare-and-set on RUNNING fails), stops driving the browser and marks the remaining steps SKIPPED.
import type { PrismaClient } from "@/generated/prisma/client";
import { AppError } from "../errors";
import { recordRunFinished } from "../metrics/rollups";

export async function cancelRun(
  db: PrismaClient,
  input: { teamId: string; runId: string; reason?: string },
): Promise<{ cancelled: boolean }> {
  const run = await db.run.findFirst({ where: { id: input.runId, teamId: input.teamId }, select: { startTime: true, attemptStartedAt: true } });
  if (!run) throw new AppError("NOT_FOUND", "Run not found");
  const endTime = new Date();
  // The current attempt's time (a cancelled queued run has none; an earlier attempt is not this one's time).
  const started = run.attemptStartedAt ?? run.startTime;
  const durationMs = started ? endTime.getTime() - started.getTime() : null;
  const cancelled = await db.$transaction(async (tx) => {
    const res = await tx.run.updateMany({
      where: { id: input.runId, teamId: input.teamId, status: { in: ["PENDING", "RUNNING"] } },
      data: { status: "CANCELLED", endTime, durationMs, errorMessage: input.reason ?? "Cancelled by a user" },
    });
    if (res.count !== 1) return false;
    await tx.runStep.updateMany({ where: { runId: input.runId, status: { in: ["PENDING", "RUNNING"] } }, data: { status: "SKIPPED" } });
    await recordRunFinished(tx, { teamId: input.teamId, status: "CANCELLED", durationMs, at: endTime });
    return true;
  });
  return { cancelled };
}

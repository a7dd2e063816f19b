// Decides which alert rules a finished run fires (called where runs finalize: src/server/runs/execute-run.ts) and
// queues one delivery per rule; a worker sends them (src/server/alerts/dispatch.ts). A run is failed when FAILED or
// ERROR; BLOCKED (a bot challenge) and CANCELLED neither fail nor recover a test.
import type { PrismaClient } from "@/generated/prisma/client";
import type { AlertEvent } from "@/generated/prisma/enums";
import { buildPayload, type RunFacts } from "./payload";

const FAILED = new Set(["FAILED", "ERROR"]);
const COUNTED = ["PASSED", "FAILED", "ERROR"] as const;

export async function evaluateRunAlerts(db: PrismaClient, runId: string, opts: { publicUrl: string }): Promise<string[]> {
  const run = await db.run.findUnique({
    where: { id: runId },
    select: {
      id: true,
      teamId: true,
      testId: true,
      testName: true,
      status: true,
      verdict: true,
      errorMessage: true,
      endTime: true,
      createdAt: true,
      team: { select: { id: true, name: true } },
      runSteps: { where: { status: "FAILED" }, orderBy: { stepIdx: "asc" }, take: 1, select: { stepIdx: true, text: true, errorMessage: true } },
    },
  });
  if (!run || !(COUNTED as readonly string[]).includes(run.status)) return [];
  const rules = await db.alertRule.findMany({
    where: { teamId: run.teamId, enabled: true, OR: run.testId ? [{ testId: null }, { testId: run.testId }] : [{ testId: null }] },
    select: { id: true, event: true, threshold: true },
  });
  if (!rules.length) return [];

  // The test's finished runs up to this one, newest first: this run, then its predecessors.
  const depth = Math.max(...rules.map((r) => r.threshold)) + 1;
  const history = await db.run.findMany({
    where: {
      teamId: run.teamId,
      ...(run.testId ? { testId: run.testId } : { testId: null, testName: run.testName }),
      status: { in: [...COUNTED] },
      endTime: { lte: run.endTime ?? new Date() },
      id: { not: run.id },
    },
    orderBy: [{ endTime: "desc" }, { createdAt: "desc" }],
    take: depth,
    select: { status: true },
  });
  const leadingFailures = (rows: { status: string }[]) => {
    let n = 0;
    while (n < rows.length && FAILED.has(rows[n]!.status)) n++;
    return n;
  };
  const failed = FAILED.has(run.status);
  const before = leadingFailures(history);
  const streak = failed ? before + 1 : 0;
  const healsNeedingReview = await db.healEvent.count({ where: { runId: run.id, outcome: "UNVERIFIED" } });

  const fires = (event: AlertEvent, threshold: number): boolean => {
    if (event === "FAILURE") return failed && streak === threshold;
    if (event === "RECOVERY") return !failed && before >= threshold;
    return healsNeedingReview > 0;
  };
  const facts: RunFacts = { ...run, failingStep: run.runSteps[0] ?? null };
  const chosen = rules.filter((r) => fires(r.event, r.threshold));
  if (!chosen.length) return [];
  const rows = chosen.map((r) => ({
    ruleId: r.id,
    teamId: run.teamId,
    runId: run.id,
    event: r.event,
    payload: buildPayload(r.event, facts, { consecutiveFailures: r.event === "RECOVERY" ? before : streak, healsNeedingReview, publicUrl: opts.publicUrl }),
  }));
  // One delivery per rule and run, even if the run is evaluated twice.
  const created = await db.alertDelivery.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true } });
  return created.map((c) => c.id);
}

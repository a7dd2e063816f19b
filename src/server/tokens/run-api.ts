// The REST run API behind /api/v1/runs: queue a run of a team's test, and read a run back with its steps
// and links. Team scoping is enforced here (every query filters by the token's team) so another team's
// run or test is indistinguishable from one that does not exist.
import { z } from "zod";
import { ZDataRow } from "@/domain/run";
import type { PrismaClient } from "@/generated/prisma/client";
import { AppError } from "../errors";
import { ZSteps } from "@/domain/step";
import { serverEnv } from "../env";
import { enqueueRun } from "../runs/enqueue";
import { assertRunUrlsAllowed } from "../runs/run-urls";

export const ZTriggerRunBody = z
  .strictObject({
    testId: z.string().trim().min(1).max(100).optional(),
    testName: z.string().trim().min(1).max(200).optional(),
    dataRow: ZDataRow.refine((row) => Object.keys(row).length <= 200, "At most 200 variables").optional(),
  })
  .refine((b) => (b.testId === undefined) !== (b.testName === undefined), {
    message: "Give exactly one of testId or testName",
    path: ["testId"],
  });
export type TriggerRunBody = z.infer<typeof ZTriggerRunBody>;

export type RunLinks = { self: string; web: string; test: string | null };

export function runLinks(origin: string, runId: string, testId: string | null): RunLinks {
  return {
    self: `${origin}/api/v1/runs/${encodeURIComponent(runId)}`,
    web: `${origin}/runs/${encodeURIComponent(runId)}`,
    test: testId ? `${origin}/tests/${encodeURIComponent(testId)}` : null,
  };
}

export async function triggerApiRun(
  db: PrismaClient,
  input: { teamId: string; origin: string; body: TriggerRunBody },
): Promise<{ id: string; status: "PENDING"; url: string; api: string }> {
  const { body, teamId } = input;
  const test = await db.test.findFirst({
    where: { teamId, ...(body.testId !== undefined ? { id: body.testId } : { name: body.testName }) },
    select: { id: true, startUrl: true, steps: true },
  });
  if (!test) throw new AppError("NOT_FOUND", "Test not found");
  // A data row that makes `Go to {{u}}` a file: URL or a metadata address is refused here, before it is queued.
  const steps = ZSteps.safeParse(test.steps);
  if (steps.success) assertRunUrlsAllowed({ startUrl: test.startUrl, steps: steps.data, dataRow: body.dataRow }, serverEnv().urlPolicy);
  const run = await enqueueRun(db, {
    teamId,
    testId: test.id,
    trigger: "API",
    ...(body.dataRow ? { dataRow: body.dataRow } : {}),
  });
  const links = runLinks(input.origin, run.id, test.id);
  return { id: run.id, status: "PENDING", url: links.web, api: links.self };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type ApiRun = {
  id: string;
  status: string;
  verdict: string | null;
  testId: string | null;
  testName: string;
  url: string;
  startUrl: string;
  createdAt: string;
  startTime: string | null;
  endTime: string | null;
  durationMs: number | null;
  totalSteps: number;
  completedSteps: number;
  error: string | null;
  steps: Array<{
    idx: number;
    text: string;
    status: string;
    strategy: string | null;
    selector: string | null;
    durationMs: number | null;
    error: string | null;
    screenshot: string | null;
  }>;
  links: RunLinks;
};

/** A run of the team for the API, or null when it does not exist or belongs to another team. */
export async function getApiRun(db: PrismaClient, input: { teamId: string; runId: string; origin: string }): Promise<ApiRun | null> {
  const run = await db.run.findFirst({
    where: { id: input.runId, teamId: input.teamId },
    select: {
      id: true,
      status: true,
      verdict: true,
      testId: true,
      testName: true,
      url: true,
      createdAt: true,
      startTime: true,
      endTime: true,
      durationMs: true,
      totalSteps: true,
      completedSteps: true,
      errorMessage: true,
      runSteps: {
        orderBy: { stepIdx: "asc" },
        select: { stepIdx: true, text: true, status: true, strategy: true, selector: true, durationMs: true, errorMessage: true },
      },
      artifacts: { where: { type: "SCREENSHOT" }, orderBy: { createdAt: "asc" }, select: { id: true, stepIdx: true } },
    },
  });
  if (!run) return null;
  // Latest screenshot per step; served to the same token by /api/v1/artifacts/:id.
  const shots = new Map<number, string>();
  for (const a of run.artifacts) if (a.stepIdx !== null) shots.set(a.stepIdx, a.id);
  const links = runLinks(input.origin, run.id, run.testId);
  return {
    id: run.id,
    status: run.status,
    verdict: run.verdict,
    testId: run.testId,
    testName: run.testName,
    url: links.web,
    startUrl: run.url,
    createdAt: run.createdAt.toISOString(),
    startTime: iso(run.startTime),
    endTime: iso(run.endTime),
    durationMs: run.durationMs,
    totalSteps: run.totalSteps,
    completedSteps: run.completedSteps,
    error: run.errorMessage,
    steps: run.runSteps.map((s) => {
      const shot = shots.get(s.stepIdx);
      return {
        idx: s.stepIdx,
        text: s.text,
        status: s.status,
        strategy: s.strategy,
        selector: s.selector,
        durationMs: s.durationMs,
        error: s.errorMessage,
        screenshot: shot ? `${input.origin}/api/v1/artifacts/${encodeURIComponent(shot)}` : null,
      };
    }),
    links,
  };
}

/** An artifact file path of the team (for /api/v1/artifacts/:id), or null. */
export async function findTeamArtifact(
  db: PrismaClient,
  input: { teamId: string; artifactId: string },
): Promise<{ filePath: string; mime: string } | null> {
  return db.artifact.findFirst({
    where: { id: input.artifactId, run: { teamId: input.teamId } },
    select: { filePath: true, mime: true },
  });
}

import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { RunStatus, RunVerdict } from "@/generated/prisma/enums";
import { createTRPCRouter, teamProcedure } from "@/server/api/trpc";
import { AppError } from "@/server/errors";
import { cancelRun } from "@/server/runs/cancel";
import { runTimings } from "@/domain/run";
import { ZSteps } from "@/domain/step";
import { serverEnv } from "@/server/env";
import { enqueueRun } from "@/server/runs/enqueue";
import { assertRunUrlsAllowed } from "@/server/runs/run-urls";

const ZId = z.string().min(1).max(100);

export const runRouter = createTRPCRouter({
  list: teamProcedure
    .input(
      z.object({
        testId: ZId.optional(),
        status: z.enum(RunStatus).optional(),
        verdict: z.enum(RunVerdict).optional(),
        /** Only runs with a healed step. */
        healedOnly: z.boolean().optional(),
        /** The last run id of the previous page (cursor pagination, newest first); replaces `page` when given. */
        cursor: ZId.optional(),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(async ({ ctx, input }) => {
      const where: Prisma.RunWhereInput = {
        teamId: ctx.team.id,
        ...(input.testId ? { testId: input.testId } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.verdict ? { verdict: input.verdict } : {}),
        ...(input.healedOnly ? { runSteps: { some: { healed: true } } } : {}),
      };
      const [total, rows] = await Promise.all([
        ctx.db.run.count({ where }),
        ctx.db.run.findMany({
          where,
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : { skip: (input.page - 1) * input.pageSize }),
          take: input.pageSize + 1,
          select: {
            id: true,
            testId: true,
            testName: true,
            status: true,
            verdict: true,
            trigger: true,
            totalSteps: true,
            completedSteps: true,
            durationMs: true,
            createdAt: true,
          },
        }),
      ]);
      const items = rows.slice(0, input.pageSize);
      const nextCursor = rows.length > input.pageSize ? (items.at(-1)?.id ?? null) : null;
      return { items, total, page: input.page, pageSize: input.pageSize, nextCursor };
    }),

  byId: teamProcedure.input(z.object({ id: ZId })).query(async ({ ctx, input }) => {
    const run = await ctx.db.run.findFirst({
      where: { id: input.id, teamId: ctx.team.id },
      select: {
        id: true,
        testId: true,
        testName: true,
        url: true,
        status: true,
        verdict: true,
        trigger: true,
        attempts: true,
        workerId: true,
        startTime: true,
        attemptStartedAt: true,
        endTime: true,
        totalSteps: true,
        completedSteps: true,
        healRounds: true,
        healEventCount: true,
        durationMs: true,
        errorMessage: true,
        createdAt: true,
        triggeredBy: { select: { email: true } },
        runSteps: {
          orderBy: { stepIdx: "asc" },
          select: {
            stepIdx: true,
            text: true,
            action: true,
            element: true,
            value: true,
            status: true,
            strategy: true,
            selector: true,
            confidence: true,
            cacheSource: true,
            healed: true,
            durationMs: true,
            errorMessage: true,
            note: true,
          },
        },
        artifacts: {
          orderBy: [{ stepIdx: "asc" }, { createdAt: "asc" }],
          select: { id: true, stepIdx: true, type: true, mime: true, sizeBytes: true, filePath: true },
        },
        healEvents: {
          orderBy: [{ stepIdx: "asc" }, { round: "asc" }],
          select: {
            id: true,
            stepIdx: true,
            round: true,
            elementName: true,
            outcome: true,
            strategy: true,
            oldSelector: true,
            newSelector: true,
            score: true,
            verified: true,
            durationMs: true,
            attempts: true,
            screenshotArtifactId: true,
            wrongHeal: true,
            // Review decisions on this heal (src/server/review/review.ts), oldest first: the audit on the run page.
            reviews: { orderBy: { createdAt: "asc" }, select: { id: true, decision: true, reason: true, reviewerEmail: true, createdAt: true } },
          },
        },
      },
    });
    if (!run) throw new AppError("NOT_FOUND", "Run not found");
    // The storage path is an internal detail; the UI gets a file name for display only.
    const artifacts = run.artifacts.map(({ filePath, ...a }) => ({ ...a, fileName: filePath.split("/").pop() ?? filePath }));
    return { ...run, artifacts, ...runTimings(run) };
  }),

  create: teamProcedure.input(z.object({ testId: ZId })).mutation(async ({ ctx, input }) => {
    const test = await ctx.db.test.findFirst({ where: { id: input.testId, teamId: ctx.team.id }, select: { id: true, startUrl: true, steps: true } });
    if (!test) throw new AppError("NOT_FOUND", "Test not found");
    const steps = ZSteps.safeParse(test.steps);
    if (steps.success) assertRunUrlsAllowed({ startUrl: test.startUrl, steps: steps.data }, serverEnv().urlPolicy);
    return enqueueRun(ctx.db, { teamId: ctx.team.id, testId: test.id, trigger: "MANUAL", triggeredById: ctx.user.id });
  }),

  cancel: teamProcedure.input(z.object({ id: ZId })).mutation(async ({ ctx, input }) => {
    // Compare-and-set inside cancelRun: a finished run stays as it is.
    const { cancelled } = await cancelRun(ctx.db, { teamId: ctx.team.id, runId: input.id });
    if (!cancelled) throw new AppError("CONFLICT", "This run has already finished");
    return { id: input.id, status: "CANCELLED" as const };
  }),
});

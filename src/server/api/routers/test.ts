import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { createTRPCRouter, teamProcedure } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { parseSteps } from "@/server/steps/step-parser";
import type { Step, StepParseError } from "@/domain/step";
import { DEFAULT_RUN_TIME_LIMIT_SEC, ZRunTimeLimitSec } from "@/domain/run";
import { serverEnv } from "@/server/env";
import { assertRunUrlsAllowed } from "@/server/runs/run-urls";

export const MAX_STEPS = 200;

const ZHttpUrl = z
  .string()
  .trim()
  .max(2000)
  .url("Start URL must be a full URL, e.g. https://example.com/login")
  .refine((u) => /^https?:$/.test(new URL(u).protocol), "Start URL must use http or https");

export const ZTestInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(200),
  startUrl: ZHttpUrl,
  source: z.string().max(20_000, "Steps are limited to 20,000 characters"),
  /** What a run does when a heal cannot be verified by two evidence families. Omitted: FAIL. */
  healPolicy: z.enum(["FAIL", "PROCEED_AND_FLAG"]).optional(),
  /** A run taking longer ends FAILED (TIMEOUT); null or omitted = the default (15 minutes). */
  runTimeLimitSec: ZRunTimeLimitSec.optional(),
  /** Which runs keep a Playwright trace. Omitted: ALWAYS. */
  traceMode: z.enum(["ALWAYS", "FAILED_OR_HEALED"]).optional(),
});

export function formatParseError(e: StepParseError): string {
  return `Line ${e.line}: ${e.reason}${e.suggestion ? ` (try: ${e.suggestion})` : ""}`;
}

/** Parses the source or throws BAD_REQUEST listing every bad line, before anything is stored or run. */
export function parseOrThrow(source: string): Step[] {
  if (source.trim() === "") {
    throw new AppError("BAD_REQUEST", "Write at least one step", { errors: [] });
  }
  const result = parseSteps(source);
  if (!result.ok) {
    throw new AppError("BAD_REQUEST", result.errors.map(formatParseError).join("\n"), { errors: result.errors });
  }
  if (result.steps.length > MAX_STEPS) {
    throw new AppError("BAD_REQUEST", `A test can have at most ${MAX_STEPS} steps (this one has ${result.steps.length})`);
  }
  return result.steps;
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

async function findTeamTest(db: Db, teamId: string, id: string) {
  const test = await db.test.findFirst({ where: { id, teamId } });
  if (!test) throw new AppError("NOT_FOUND", "Test not found");
  return test;
}

export const testRouter = createTRPCRouter({
  list: teamProcedure.query(async ({ ctx }) => {
    const tests = await ctx.db.test.findMany({
      where: { teamId: ctx.team.id },
      orderBy: { createdAt: "desc" },
      select: {
        id: true,
        name: true,
        startUrl: true,
        createdAt: true,
        updatedAt: true,
        runs: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, createdAt: true } },
      },
    });
    return tests.map(({ runs, ...t }) => ({ ...t, lastRun: runs[0] ?? null }));
  }),

  byId: teamProcedure.input(z.object({ id: z.string().min(1).max(100) })).query(async ({ ctx, input }) => {
    const test = await findTeamTest(ctx.db, ctx.team.id, input.id);
    return {
      id: test.id,
      name: test.name,
      startUrl: test.startUrl,
      source: test.source,
      stepCount: Array.isArray(test.steps) ? test.steps.length : 0,
      healPolicy: test.healPolicy,
      runTimeLimitSec: test.runTimeLimitSec,
      defaultRunTimeLimitSec: DEFAULT_RUN_TIME_LIMIT_SEC,
      traceMode: test.traceMode,
      createdAt: test.createdAt,
      updatedAt: test.updatedAt,
    };
  }),

  create: teamProcedure.input(ZTestInput).mutation(async ({ ctx, input }) => {
    const steps = parseOrThrow(input.source);
    assertRunUrlsAllowed({ startUrl: input.startUrl, steps }, serverEnv().urlPolicy);
    try {
      return await ctx.db.test.create({
        data: {
          teamId: ctx.team.id,
          createdById: ctx.user.id,
          name: input.name,
          startUrl: input.startUrl,
          source: input.source,
          steps: steps as unknown as Prisma.InputJsonValue,
          healPolicy: input.healPolicy ?? "FAIL",
          runTimeLimitSec: input.runTimeLimitSec ?? null,
          traceMode: input.traceMode ?? "ALWAYS",
        },
        select: { id: true, name: true },
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A test named "${input.name}" already exists`);
      throw err;
    }
  }),

  update: teamProcedure
    .input(ZTestInput.partial().extend({ id: z.string().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const current = await findTeamTest(ctx.db, ctx.team.id, input.id);
      const steps = input.source === undefined ? undefined : parseOrThrow(input.source);
      if (input.startUrl !== undefined || steps !== undefined) {
        const stored = Array.isArray(current.steps) ? (current.steps as unknown as Step[]) : [];
        assertRunUrlsAllowed({ startUrl: input.startUrl ?? current.startUrl, steps: steps ?? stored }, serverEnv().urlPolicy);
      }
      try {
        return await ctx.db.test.update({
          where: { id: input.id },
          data: {
            name: input.name,
            startUrl: input.startUrl,
            source: input.source,
            steps: steps as unknown as Prisma.InputJsonValue | undefined,
            healPolicy: input.healPolicy,
            runTimeLimitSec: input.runTimeLimitSec,
            traceMode: input.traceMode,
          },
          select: { id: true, name: true },
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError("CONFLICT", `A test named "${input.name}" already exists`);
        throw err;
      }
    }),

  delete: teamProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.test.deleteMany({ where: { id: input.id, teamId: ctx.team.id } });
    if (count === 0) throw new AppError("NOT_FOUND", "Test not found");
    return { id: input.id };
  }),
});

import { z } from "zod";
import { allows, PROCEDURE_POLICY } from "@/server/teams/policy";
import { createTRPCRouter, teamAdminProcedure, teamProcedure } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { MAX_CRON_LENGTH, nextRunAfter, validateCron } from "@/server/schedules/cron";

export const MAX_SCHEDULES_PER_TEST = 20;

const ZId = z.string().min(1).max(100);
const ZCron = z.string().max(MAX_CRON_LENGTH, `Cron expression is limited to ${MAX_CRON_LENGTH} characters`);
const ZTimezone = z.string().max(64, "Time zone is limited to 64 characters");

export const ZScheduleCreateInput = z.object({
  testId: ZId,
  cron: ZCron,
  timezone: ZTimezone.default("UTC"),
  enabled: z.boolean().default(true),
});

export const ZScheduleUpdateInput = z.object({
  id: ZId,
  cron: ZCron.optional(),
  timezone: ZTimezone.optional(),
  enabled: z.boolean().optional(),
});

const SCHEDULE_SELECT = {
  id: true,
  testId: true,
  cron: true,
  timezone: true,
  enabled: true,
  nextRunAt: true,
  lastRunAt: true,
  createdAt: true,
} as const;

/** Validated cron + zone or BAD_REQUEST with the message the form shows next to the field named in details. */
function checkOrThrow(cron: string, timezone: string): { cron: string; timezone: string } {
  const check = validateCron(cron, timezone);
  if (!check.ok) throw new AppError("BAD_REQUEST", check.message, { field: check.field });
  return { cron: check.cron, timezone: check.timezone };
}

/** A disabled schedule has no next time; enabling (or editing) always counts from now, so missed slots never fire. */
function nextFor(cron: string, timezone: string, enabled: boolean): Date | null {
  return enabled ? nextRunAfter(cron, timezone, new Date()) : null;
}

async function findTeamSchedule(db: Db, teamId: string, id: string) {
  const schedule = await db.schedule.findFirst({ where: { id, teamId } });
  if (!schedule) throw new AppError("NOT_FOUND", "Schedule not found");
  return schedule;
}

export const scheduleRouter = createTRPCRouter({
  listForTest: teamProcedure.input(z.object({ testId: ZId })).query(async ({ ctx, input }) => {
    const test = await ctx.db.test.findFirst({ where: { id: input.testId, teamId: ctx.team.id }, select: { id: true } });
    if (!test) throw new AppError("NOT_FOUND", "Test not found");
    const items = await ctx.db.schedule.findMany({
      where: { testId: test.id, teamId: ctx.team.id },
      orderBy: { createdAt: "asc" },
      select: SCHEDULE_SELECT,
    });
    // Members see schedules; only owners and admins change them (the UI hides the controls accordingly).
    return { items, canManage: allows(ctx.team.role, PROCEDURE_POLICY["schedule.create"]) };
  }),

  create: teamAdminProcedure.input(ZScheduleCreateInput).mutation(async ({ ctx, input }) => {
    const test = await ctx.db.test.findFirst({ where: { id: input.testId, teamId: ctx.team.id }, select: { id: true } });
    if (!test) throw new AppError("NOT_FOUND", "Test not found");
    const { cron, timezone } = checkOrThrow(input.cron, input.timezone);
    const existing = await ctx.db.schedule.count({ where: { testId: test.id } });
    if (existing >= MAX_SCHEDULES_PER_TEST) {
      throw new AppError("BAD_REQUEST", `A test can have at most ${MAX_SCHEDULES_PER_TEST} schedules`);
    }
    return ctx.db.schedule.create({
      data: { teamId: ctx.team.id, testId: test.id, cron, timezone, enabled: input.enabled, nextRunAt: nextFor(cron, timezone, input.enabled) },
      select: SCHEDULE_SELECT,
    });
  }),

  update: teamAdminProcedure.input(ZScheduleUpdateInput).mutation(async ({ ctx, input }) => {
    const current = await findTeamSchedule(ctx.db, ctx.team.id, input.id);
    const { cron, timezone } = checkOrThrow(input.cron ?? current.cron, input.timezone ?? current.timezone);
    const enabled = input.enabled ?? current.enabled;
    // A worker firing this schedule right now settles with a compare-and-set that keeps this nextRunAt when the
    // cron or zone changed (src/server/schedules/fire.ts).
    const updated = await ctx.db.schedule.updateManyAndReturn({
      where: { id: current.id, teamId: ctx.team.id },
      data: { cron, timezone, enabled, nextRunAt: nextFor(cron, timezone, enabled) },
      select: SCHEDULE_SELECT,
    });
    const row = updated[0];
    if (!row) throw new AppError("NOT_FOUND", "Schedule not found");
    return row;
  }),

  delete: teamAdminProcedure.input(z.object({ id: ZId })).mutation(async ({ ctx, input }) => {
    const { count } = await ctx.db.schedule.deleteMany({ where: { id: input.id, teamId: ctx.team.id } });
    if (count === 0) throw new AppError("NOT_FOUND", "Schedule not found");
    return { id: input.id };
  }),
});

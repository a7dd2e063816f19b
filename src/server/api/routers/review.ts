// Heal review queue (src/server/review/review.ts). Any member of the team may review (teamProcedure); a heal of
// another team is "not found".
import { z } from "zod";
import { createTRPCRouter, teamProcedure } from "@/server/api/trpc";
import { getL1 } from "@/server/cache/kv";
import { createSelectorCache } from "@/server/cache/selector-cache";
import type { Db } from "@/server/db";
import { approveHeal, listReviewQueue, rejectHeal, reviewsForRun, rollbackHeal } from "@/server/review/review";

const ZId = z.string().min(1).max(100);
const ZReason = z.string().trim().min(1, "Say why the heal is wrong").max(500);

const cacheFor = (db: Db) => createSelectorCache({ db, l1: getL1() });

export const reviewRouter = createTRPCRouter({
  list: teamProcedure
    .input(
      z.object({
        status: z.enum(["pending", "decided", "all"]).default("pending"),
        cursor: ZId.optional(),
        limit: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) => listReviewQueue(ctx.db, { teamId: ctx.team.id, ...input })),

  forRun: teamProcedure.input(z.object({ runId: ZId })).query(({ ctx, input }) => reviewsForRun(ctx.db, ctx.team.id, input.runId)),

  approve: teamProcedure
    .input(z.object({ healEventId: ZId, note: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      approveHeal(ctx.db, cacheFor(ctx.db), { teamId: ctx.team.id, healEventId: input.healEventId, reviewer: ctx.user, reason: input.note || undefined }),
    ),

  reject: teamProcedure
    .input(z.object({ healEventId: ZId, reason: ZReason }))
    .mutation(({ ctx, input }) => rejectHeal(ctx.db, cacheFor(ctx.db), { teamId: ctx.team.id, healEventId: input.healEventId, reviewer: ctx.user, reason: input.reason })),

  rollback: teamProcedure
    .input(z.object({ healEventId: ZId, note: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      rollbackHeal(ctx.db, cacheFor(ctx.db), { teamId: ctx.team.id, healEventId: input.healEventId, reviewer: ctx.user, reason: input.note || undefined }),
    ),
});

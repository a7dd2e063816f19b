import { createTRPCRouter, teamAdminProcedure } from "@/server/api/trpc";
import { DEFAULT_RETENTION, getRetention, MAX_RETENTION_DAYS, setRetention, ZRetentionSettings } from "@/server/retention/retention";

// Team retention settings: owners and admins only (reading too: they decide what is deleted).
export const retentionRouter = createTRPCRouter({
  get: teamAdminProcedure.query(async ({ ctx }) => ({
    ...(await getRetention(ctx.db, ctx.team.id)),
    defaults: DEFAULT_RETENTION,
    maxDays: MAX_RETENTION_DAYS,
  })),

  set: teamAdminProcedure.input(ZRetentionSettings).mutation(({ ctx, input }) => setRetention(ctx.db, ctx.team.id, input)),
});

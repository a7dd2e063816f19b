import { z } from "zod";
import { createTRPCRouter, protectedProcedure, teamAdminProcedure, teamProcedure } from "@/server/api/trpc";

export const teamRouter = createTRPCRouter({
  current: teamProcedure.query(({ ctx }) => ctx.team),

  list: protectedProcedure.query(async ({ ctx }) => {
    const memberships = await ctx.db.membership.findMany({
      where: { userId: ctx.user.id },
      orderBy: { createdAt: "asc" },
      select: { role: true, team: { select: { id: true, name: true, slug: true } } },
    });
    return memberships.map((m) => ({ ...m.team, role: m.role }));
  }),

  setDemoVersion: teamAdminProcedure
    .input(z.object({ version: z.union([z.literal(1), z.literal(2)]) }))
    .mutation(async ({ ctx, input }) => {
      const team = await ctx.db.team.update({
        where: { id: ctx.team.id },
        data: { demoVersion: input.version },
        select: { id: true, demoVersion: true },
      });
      return team;
    }),
});

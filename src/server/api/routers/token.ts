import { z } from "zod";
import { createTRPCRouter, teamAdminProcedure, teamProcedure } from "@/server/api/trpc";
import { allows, PROCEDURE_POLICY } from "@/server/teams/policy";
import { createApiToken, listApiTokens, revokeApiToken, ZApiTokenName } from "@/server/tokens/api-token";

// Team API tokens: members see the list (prefixes only), owners and admins create and revoke (teams/policy.ts).
export const tokenRouter = createTRPCRouter({
  list: teamProcedure.query(async ({ ctx }) => {
    const items = await listApiTokens(ctx.db, ctx.team.id);
    return { items, canManage: allows(ctx.team.role, PROCEDURE_POLICY["token.create"]) };
  }),

  /** Returns the token itself exactly once; only its hash is stored. */
  create: teamAdminProcedure.input(z.object({ name: ZApiTokenName })).mutation(({ ctx, input }) =>
    createApiToken(ctx.db, { teamId: ctx.team.id, name: input.name, createdById: ctx.user.id }),
  ),

  revoke: teamAdminProcedure
    .input(z.object({ id: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, { teamId: ctx.team.id, id: input.id })),
});

import { z } from "zod";
import { createTRPCRouter, teamAdminProcedure, teamProcedure } from "@/server/api/trpc";
import { AppError } from "@/server/errors";
import { allows, PROCEDURE_POLICY, roleAtLeast } from "@/server/teams/policy";
import { createApiToken, listApiTokens, revokeApiToken, ZApiTokenName } from "@/server/tokens/api-token";

// Team API tokens: members see the list (prefixes only), owners and admins create and revoke (teams/policy.ts).
export const tokenRouter = createTRPCRouter({
  list: teamProcedure.query(async ({ ctx }) => {
    const items = await listApiTokens(ctx.db, ctx.team.id);
    return { items, canManage: allows(ctx.team.role, PROCEDURE_POLICY["token.create"]) };
  }),

  /** Returns the token itself exactly once; only its hash is stored. */
  /** A token acts with its role (default member), never above its creator's. */
  create: teamAdminProcedure
    .input(z.object({ name: ZApiTokenName, role: z.enum(["VIEWER", "MEMBER", "ADMIN"]).default("MEMBER") }))
    .mutation(({ ctx, input }) => {
      if (!roleAtLeast(ctx.team.role, input.role)) throw new AppError("FORBIDDEN", "A token cannot have a higher role than yours");
      return createApiToken(ctx.db, { teamId: ctx.team.id, name: input.name, createdById: ctx.user.id, role: input.role });
    }),

  revoke: teamAdminProcedure
    .input(z.object({ id: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, { teamId: ctx.team.id, id: input.id })),
});

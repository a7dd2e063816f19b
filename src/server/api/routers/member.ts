import { z } from "zod";
import { createTRPCRouter, protectedProcedure, teamProcedure } from "@/server/api/trpc";
import { changeRole, createTeam, leaveTeam, listMembers, removeMember } from "@/server/teams/members";

const ZId = z.string().min(1).max(100);
const ZRole = z.enum(["VIEWER", "MEMBER", "ADMIN", "OWNER"]);

// The Team settings page: members and their roles, role changes, removal, leaving, and creating a team.
export const memberRouter = createTRPCRouter({
  list: teamProcedure.query(async ({ ctx }) => ({ items: await listMembers(ctx.db, ctx.team.id), me: ctx.user.id, myRole: ctx.team.role })),

  setRole: teamProcedure
    .input(z.object({ userId: ZId, role: ZRole }))
    .mutation(({ ctx, input }) => changeRole(ctx.db, { teamId: ctx.team.id, actorRole: ctx.team.role, userId: input.userId, role: input.role })),

  remove: teamProcedure
    .input(z.object({ userId: ZId }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, { teamId: ctx.team.id, actorRole: ctx.team.role, userId: input.userId })),

  leave: teamProcedure.mutation(({ ctx }) => leaveTeam(ctx.db, { teamId: ctx.team.id, userId: ctx.user.id })),

  createTeam: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1, "Name the team").max(100) }))
    .mutation(({ ctx, input }) => createTeam(ctx.db, ctx.user.id, input.name)),
});

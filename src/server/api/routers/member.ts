import { z } from "zod";
import { createTRPCRouter, protectedProcedure, teamProcedure } from "@/server/api/trpc";
import { acceptInvitation, createInvitation, listInvitations, ZInviteEmail } from "@/server/teams/invitations";
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

  /** The link's token is returned once, to show the inviter; only its hash is stored. */
  invite: teamProcedure
    .input(z.object({ email: ZInviteEmail, role: ZRole.default("MEMBER") }))
    .mutation(({ ctx, input }) => createInvitation(ctx.db, { teamId: ctx.team.id, actorRole: ctx.team.role, createdById: ctx.user.id, email: input.email, role: input.role })),

  invitations: teamProcedure.query(({ ctx }) => listInvitations(ctx.db, ctx.team.id)),

  /** The signed-in user accepts an invitation sent to their e-mail. */
  acceptInvite: protectedProcedure
    .input(z.object({ token: z.string().min(20).max(100) }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, input.token, ctx.user)),

  createTeam: protectedProcedure
    .input(z.object({ name: z.string().trim().min(1, "Name the team").max(100) }))
    .mutation(({ ctx, input }) => createTeam(ctx.db, ctx.user.id, input.name)),
});

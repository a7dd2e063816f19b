// Team membership changes: create a team, change a member's role, remove a member, leave. Every rule about who
// may do it beyond the procedure's least role (teams/policy.ts) is here: nobody gives a role above their own,
// only owners make or unmake owners, and a team always keeps at least one owner. No Next, tRPC or auth imports.
import type { PrismaClient } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";
import { AppError } from "../errors";
import { roleAtLeast } from "./policy";

export type MemberRow = { userId: string; email: string; name: string | null; role: Role; joinedAt: Date };

export async function listMembers(db: PrismaClient, teamId: string): Promise<MemberRow[]> {
  const rows = await db.membership.findMany({
    where: { teamId },
    orderBy: { createdAt: "asc" },
    select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  return rows.map((m) => ({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

function slugify(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "team";
}

/** A new team with its creator as owner; the slug is made unique. */
export async function createTeam(db: PrismaClient, userId: string, name: string): Promise<{ id: string; name: string; slug: string }> {
  const base = slugify(name);
  for (let i = 0; i < 20; i++) {
    const slug = i === 0 ? base : `${base}-${i + 1}`;
    if (await db.team.findUnique({ where: { slug }, select: { id: true } })) continue;
    return db.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { name, slug }, select: { id: true, name: true, slug: true } });
      await tx.membership.create({ data: { teamId: team.id, userId, role: "OWNER" } });
      return team;
    });
  }
  throw new AppError("CONFLICT", "Choose another team name");
}

async function membershipOf(db: PrismaClient, teamId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { userId_teamId: { userId, teamId } }, select: { id: true, role: true } });
  if (!m) throw new AppError("NOT_FOUND", "Member not found");
  return m;
}

async function assertAnotherOwner(db: PrismaClient, teamId: string, userId: string, what: string): Promise<void> {
  const owners = await db.membership.count({ where: { teamId, role: "OWNER", userId: { not: userId } } });
  if (owners === 0) throw new AppError("BAD_REQUEST", `The team's last owner cannot ${what}; make someone else an owner first`);
}

/** `actor` (with `actorRole` in the team) changes `userId`'s role. */
export async function changeRole(db: PrismaClient, input: { teamId: string; actorRole: Role; userId: string; role: Role }): Promise<MemberRow["role"]> {
  const target = await membershipOf(db, input.teamId, input.userId);
  if (!roleAtLeast(input.actorRole, input.role)) throw new AppError("FORBIDDEN", "You cannot give a role above your own");
  if ((target.role === "OWNER" || input.role === "OWNER") && input.actorRole !== "OWNER") throw new AppError("FORBIDDEN", "Only owners can make or change owners");
  if (target.role === "OWNER" && input.role !== "OWNER") await assertAnotherOwner(db, input.teamId, input.userId, "be demoted");
  await db.membership.update({ where: { id: target.id }, data: { role: input.role } });
  return input.role;
}

export async function removeMember(db: PrismaClient, input: { teamId: string; actorRole: Role; userId: string }): Promise<void> {
  const target = await membershipOf(db, input.teamId, input.userId);
  if (target.role === "OWNER" && input.actorRole !== "OWNER") throw new AppError("FORBIDDEN", "Only owners can remove an owner");
  if (!roleAtLeast(input.actorRole, target.role)) throw new AppError("FORBIDDEN", "You cannot remove someone with a role above yours");
  if (target.role === "OWNER") await assertAnotherOwner(db, input.teamId, input.userId, "be removed");
  await db.membership.delete({ where: { id: target.id } });
}

export async function leaveTeam(db: PrismaClient, input: { teamId: string; userId: string }): Promise<void> {
  const me = await membershipOf(db, input.teamId, input.userId);
  if (me.role === "OWNER") await assertAnotherOwner(db, input.teamId, input.userId, "leave");
  await db.membership.delete({ where: { id: me.id } });
}

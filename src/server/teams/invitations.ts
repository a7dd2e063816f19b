// Invitations to a team: an admin invites an e-mail with a role (never above their own) and gets a link with a
// random single-use token (stored only as its sha256) valid for 7 days. The invitee accepts signed in as the
// invited e-mail, or, when no account has that e-mail yet, as a new user choosing a password. No Next imports.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/generated/prisma/client";
import type { Role } from "@/generated/prisma/enums";
import { AppError } from "../errors";
import { hashPassword } from "../password";
import { roleAtLeast } from "./policy";

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
export const ZInviteEmail = z.string().trim().toLowerCase().email("Enter an e-mail address").max(320);
export const ZNewPassword = z.string().min(10, "Use at least 10 characters").max(1024);

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createInvitation(
  db: PrismaClient,
  input: { teamId: string; actorRole: Role; createdById: string; email: string; role: Role; now?: Date },
): Promise<{ id: string; token: string; email: string; role: Role; expiresAt: Date }> {
  if (!roleAtLeast(input.actorRole, input.role)) throw new AppError("FORBIDDEN", "You cannot invite someone with a role above your own");
  const email = ZInviteEmail.parse(input.email);
  const existing = await db.membership.findFirst({ where: { teamId: input.teamId, user: { email } }, select: { id: true } });
  if (existing) throw new AppError("CONFLICT", `${email} is already a member of this team`);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date((input.now ?? new Date()).getTime() + INVITATION_TTL_MS);
  const row = await db.invitation.create({
    data: { teamId: input.teamId, email, role: input.role, tokenHash: hashToken(token), createdById: input.createdById, expiresAt },
    select: { id: true, email: true, role: true, expiresAt: true },
  });
  return { ...row, token };
}

export async function listInvitations(db: PrismaClient, teamId: string, now = new Date()) {
  return db.invitation.findMany({
    where: { teamId, acceptedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
  });
}

export type InvitationView = { teamName: string; email: string; role: Role; hasAccount: boolean };

/** What the invitation link shows, or a clear error for an unknown, used or expired link. */
export async function inspectInvitation(db: PrismaClient, token: string, now = new Date()): Promise<InvitationView> {
  const inv = await usable(db, token, now);
  const user = await db.user.findUnique({ where: { email: inv.email }, select: { passwordHash: true } });
  return { teamName: inv.team.name, email: inv.email, role: inv.role, hasAccount: !!user?.passwordHash };
}

async function usable(db: PrismaClient, token: string, now: Date) {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) throw new AppError("NOT_FOUND", "This invitation link is not valid");
  const inv = await db.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { team: { select: { name: true } } } });
  if (!inv) throw new AppError("NOT_FOUND", "This invitation link is not valid");
  if (inv.acceptedAt) throw new AppError("BAD_REQUEST", "This invitation was already used");
  if (inv.expiresAt <= now) throw new AppError("BAD_REQUEST", "This invitation has expired; ask for a new one");
  return inv;
}

/** Marks the invitation used (once: a second, concurrent accept finds it gone) and adds the membership. */
type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

async function consume(db: PrismaClient, inv: { id: string; teamId: string; role: Role }, userFor: (tx: Tx) => Promise<string>, now: Date): Promise<{ teamId: string }> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, expiresAt: { gt: now } }, data: { acceptedAt: now } });
    if (count !== 1) throw new AppError("BAD_REQUEST", "This invitation was already used");
    const userId = await userFor(tx);
    await tx.membership.upsert({
      where: { userId_teamId: { userId, teamId: inv.teamId } },
      create: { userId, teamId: inv.teamId, role: inv.role },
      update: {},
    });
    return { teamId: inv.teamId };
  });
}

/** A signed-in user accepts; the invitation must be for their e-mail. */
export async function acceptInvitation(db: PrismaClient, token: string, user: { id: string; email: string }, now = new Date()): Promise<{ teamId: string }> {
  const inv = await usable(db, token, now);
  if (inv.email !== user.email.trim().toLowerCase()) throw new AppError("FORBIDDEN", `This invitation is for ${inv.email}; sign in as that user to accept it`);
  return consume(db, inv, async () => user.id, now);
}

/** Someone without an account accepts by choosing a password; they sign in with the invited e-mail after. */
export async function acceptAsNewUser(db: PrismaClient, token: string, input: { password: string; name?: string }, now = new Date()): Promise<{ teamId: string; email: string }> {
  const password = ZNewPassword.parse(input.password);
  const inv = await usable(db, token, now);
  const existing = await db.user.findUnique({ where: { email: inv.email }, select: { id: true, passwordHash: true } });
  if (existing?.passwordHash) throw new AppError("CONFLICT", "An account with this e-mail exists; sign in to accept the invitation");
  const passwordHash = await hashPassword(password);
  // (In the same transaction as using the invitation: a lost race leaves no account behind.)
  const { teamId } = await consume(
    db,
    inv,
    async (tx) =>
      (existing
        ? await tx.user.update({ where: { id: existing.id }, data: { passwordHash }, select: { id: true } })
        : await tx.user.create({ data: { email: inv.email, name: input.name?.trim() || null, passwordHash }, select: { id: true } })
      ).id,
    now,
  );
  return { teamId, email: inv.email };
}

// Membership rules on the real database: a team keeps an owner (the last one can neither leave, be removed nor
// be demoted), nobody gives a role above their own, only owners make owners, and a new team's creator owns it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { changeRole, createTeam, leaveTeam, listMembers, removeMember } from "./members";
import { createTestDatabase } from "../../../test/helpers/test-db";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let teamId: string;
const u: Record<string, string> = {};

beforeAll(async () => {
  tdb = await createTestDatabase("teams/members.int.test");
  db = tdb.db;
  for (const name of ["owner", "admin", "member", "second"]) u[name] = (await db.user.create({ data: { email: `${name}@example.com` } })).id;
  teamId = (await createTeam(db, u.owner!, "Acme QA")).id;
  await db.membership.create({ data: { teamId, userId: u.admin!, role: "ADMIN" } });
  await db.membership.create({ data: { teamId, userId: u.member!, role: "MEMBER" } });
});
afterAll(async () => {
  await tdb?.drop();
});

describe("members", () => {
  it("makes the creator of a team its owner, with a unique slug", async () => {
    const again = await createTeam(db, u.second!, "Acme QA");
    expect(again.slug).toBe("acme-qa-2");
    expect((await listMembers(db, again.id)).map((m) => [m.email, m.role])).toEqual([["second@example.com", "OWNER"]]);
  });

  it("keeps the last owner: cannot leave, be demoted or be removed", async () => {
    await expect(leaveTeam(db, { teamId, userId: u.owner! })).rejects.toThrow(/last owner cannot leave/);
    await expect(changeRole(db, { teamId, actorRole: "OWNER", userId: u.owner!, role: "ADMIN" })).rejects.toThrow(/last owner cannot be demoted/);
    await expect(removeMember(db, { teamId, actorRole: "OWNER", userId: u.owner! })).rejects.toThrow(/last owner cannot be removed/);
    expect((await listMembers(db, teamId)).find((m) => m.userId === u.owner)?.role).toBe("OWNER");
  });

  it("never gives a role above the giver's, and leaves owners to owners", async () => {
    await expect(changeRole(db, { teamId, actorRole: "ADMIN", userId: u.member!, role: "OWNER" })).rejects.toThrow(/above your own/);
    await expect(changeRole(db, { teamId, actorRole: "ADMIN", userId: u.owner!, role: "MEMBER" })).rejects.toThrow(/Only owners/);
    await expect(removeMember(db, { teamId, actorRole: "ADMIN", userId: u.owner! })).rejects.toThrow(/Only owners/);
    expect(await changeRole(db, { teamId, actorRole: "ADMIN", userId: u.member!, role: "VIEWER" })).toBe("VIEWER");
  });

  it("lets an owner hand over: promote another owner, then leave", async () => {
    await changeRole(db, { teamId, actorRole: "OWNER", userId: u.admin!, role: "OWNER" });
    await leaveTeam(db, { teamId, userId: u.owner! });
    const members = await listMembers(db, teamId);
    expect(members.map((m) => m.email).sort()).toEqual(["admin@example.com", "member@example.com"]);
    await expect(leaveTeam(db, { teamId, userId: u.admin! })).rejects.toThrow(/last owner/);
    await removeMember(db, { teamId, actorRole: "OWNER", userId: u.member! });
    await expect(removeMember(db, { teamId, actorRole: "OWNER", userId: u.member! })).rejects.toThrow(/Member not found/);
  });
});

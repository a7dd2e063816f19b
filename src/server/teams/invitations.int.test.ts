// Invitations on the real database and the real accept route: an admin's link (single use, expiring, never above
// the inviter's role) lets a new user join by choosing a password and then sign in, and an existing user join
// signed in as the invited e-mail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { resetServerEnv } from "../env";
import { verifyPassword } from "../password";
import { acceptInvitation, createInvitation, INVITATION_TTL_MS, inspectInvitation } from "./invitations";
import { listMembers } from "./members";
import { createTestDatabase } from "../../../test/helpers/test-db";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let teamId: string;
let adminId: string;
let acceptRoute: typeof import("../../app/api/invitations/accept/route");

beforeAll(async () => {
  tdb = await createTestDatabase("teams/invitations.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  resetServerEnv();
  acceptRoute = await import("../../app/api/invitations/accept/route");
  teamId = (await db.team.create({ data: { name: "Acme QA", slug: "acme" } })).id;
  adminId = (await db.user.create({ data: { email: "admin@example.com" } })).id;
  await db.membership.create({ data: { teamId, userId: adminId, role: "ADMIN" } });
});
afterAll(async () => {
  const { getDb } = await import("../db");
  await getDb().$disconnect();
  await tdb?.drop();
});

const post = (body: unknown) =>
  acceptRoute.POST(new Request("http://127.0.0.1:3000/api/invitations/accept", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));

describe("invitations", () => {
  it("a new user accepts once by choosing a password, joins with the invited role and can sign in", async () => {
    const inv = await createInvitation(db, { teamId, actorRole: "ADMIN", createdById: adminId, email: " New.Person@Example.com ", role: "VIEWER" });
    expect(inv.email).toBe("new.person@example.com");
    expect(await inspectInvitation(db, inv.token)).toEqual({ teamName: "Acme QA", email: "new.person@example.com", role: "VIEWER", hasAccount: false });
    expect(await db.invitation.count({ where: { tokenHash: inv.token } })).toBe(0); // only the hash is stored

    const short = await post({ token: inv.token, password: "short" });
    expect(short.status).toBe(400);
    const res = await post({ token: inv.token, password: "a long enough password" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ email: "new.person@example.com" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "new.person@example.com" } });
    expect(await verifyPassword("a long enough password", user.passwordHash!)).toBe(true);
    expect((await listMembers(db, teamId)).find((m) => m.userId === user.id)?.role).toBe("VIEWER");

    const again = await post({ token: inv.token, password: "another long password" });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
  });

  it("an existing user accepts signed in as the invited e-mail only", async () => {
    const bob = await db.user.create({ data: { email: "bob@example.com", passwordHash: "x" } });
    const eve = await db.user.create({ data: { email: "eve@example.com" } });
    const inv = await createInvitation(db, { teamId, actorRole: "ADMIN", createdById: adminId, email: "bob@example.com", role: "MEMBER" });
    expect((await inspectInvitation(db, inv.token)).hasAccount).toBe(true);
    expect((await post({ token: inv.token, password: "a long enough password" })).status).toBe(400); // has an account: sign in
    await expect(acceptInvitation(db, inv.token, eve)).rejects.toThrow(/for bob@example.com/);
    expect(await acceptInvitation(db, inv.token, bob)).toEqual({ teamId });
    expect((await listMembers(db, teamId)).find((m) => m.userId === bob.id)?.role).toBe("MEMBER");
    await expect(createInvitation(db, { teamId, actorRole: "ADMIN", createdById: adminId, email: "bob@example.com", role: "MEMBER" })).rejects.toThrow(/already a member/);
  });

  it("refuses an expired or unknown link, and a role above the inviter's", async () => {
    const past = new Date(Date.now() - INVITATION_TTL_MS - 60_000);
    const old = await createInvitation(db, { teamId, actorRole: "ADMIN", createdById: adminId, email: "late@example.com", role: "MEMBER", now: past });
    await expect(inspectInvitation(db, old.token)).rejects.toThrow(/expired/);
    expect((await post({ token: old.token, password: "a long enough password" })).status).toBe(400);
    expect((await post({ token: "n".repeat(43), password: "a long enough password" })).status).toBe(404);
    expect(await db.user.count({ where: { email: "late@example.com" } })).toBe(0);
    await expect(createInvitation(db, { teamId, actorRole: "ADMIN", createdById: adminId, email: "boss@example.com", role: "OWNER" })).rejects.toThrow(/above your own/);
  });
});

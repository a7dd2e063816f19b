// Token lifecycle on the real Postgres: create -> verify -> revoke, team scoping, lastUsedAt throttling, and
// the tRPC `token` router's role checks (members list, owners/admins create and revoke).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { TEAM_COOKIE } from "@/server/api/trpc";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { createApiToken, hashApiToken, listApiTokens, revokeApiToken, VERIFIED_TOKEN_CACHE_MS, verifyApiToken } from "./api-token";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let teamA: string;
let teamB: string;
let owner: { id: string; email: string };
let member: { id: string; email: string };

beforeAll(async () => {
  tdb = await createTestDatabase("server/tokens/api-token");
  const db = tdb.db;
  teamA = (await db.team.create({ data: { name: "Team A", slug: "team-a" } })).id;
  teamB = (await db.team.create({ data: { name: "Team B", slug: "team-b" } })).id;
  owner = await db.user.create({ data: { email: "owner@example.com", memberships: { create: { teamId: teamA, role: "OWNER" } } } });
  member = await db.user.create({ data: { email: "member@example.com", memberships: { create: { teamId: teamA, role: "MEMBER" } } } });
});

afterAll(async () => {
  await tdb?.drop();
});

describe("createApiToken / verifyApiToken", () => {
  it("stores only the hash and a display prefix, and verifies the token for its team", async () => {
    const { id, token, prefix } = await createApiToken(tdb.db, { teamId: teamA, name: " CI ", createdById: owner.id });
    const row = await tdb.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(hashApiToken(token));
    expect(row.prefix).toBe(token.slice(0, 12));
    expect(prefix).toBe(row.prefix);
    expect(row.name).toBe("CI");
    // The token itself is nowhere in the row.
    expect(JSON.stringify(row)).not.toContain(token.slice(12));

    expect(await verifyApiToken(tdb.db, `Bearer ${token}`)).toEqual({ teamId: teamA, tokenId: id, role: "MEMBER" });
  });

  it("rejects missing, malformed, unknown and tampered tokens", async () => {
    const { token } = await createApiToken(tdb.db, { teamId: teamA, name: "x" });
    const tampered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const header of [null, "", token, `Basic ${token}`, `Bearer ${tampered}`, "Bearer pacts_short", `Bearer ${token}x`]) {
      expect(await verifyApiToken(tdb.db, header), String(header)).toBeNull();
    }
  });

  it("rejects a revoked token at once", async () => {
    const { id, token } = await createApiToken(tdb.db, { teamId: teamA, name: "to revoke" });
    expect(await verifyApiToken(tdb.db, `Bearer ${token}`)).not.toBeNull();
    const revoked = await revokeApiToken(tdb.db, { teamId: teamA, id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await verifyApiToken(tdb.db, `Bearer ${token}`)).toBeNull();
    // Idempotent: revoking again keeps the first time.
    expect((await revokeApiToken(tdb.db, { teamId: teamA, id })).revokedAt).toEqual(revoked.revokedAt);
  });

  it("a team cannot revoke or list another team's token", async () => {
    const { id, token } = await createApiToken(tdb.db, { teamId: teamB, name: "B's" });
    await expect(revokeApiToken(tdb.db, { teamId: teamA, id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await verifyApiToken(tdb.db, `Bearer ${token}`)).toEqual({ teamId: teamB, tokenId: id, role: "MEMBER" });
    expect((await listApiTokens(tdb.db, teamA)).map((t) => t.id)).not.toContain(id);
    expect((await listApiTokens(tdb.db, teamB)).map((t) => t.id)).toEqual([id]);
  });

  it("remembers a verified token for a few seconds; a revoke through the app forgets it at once", async () => {
    const { id, token } = await createApiToken(tdb.db, { teamId: teamA, name: "cached" });
    const t0 = new Date("2031-01-01T00:00:00Z");
    expect(await verifyApiToken(tdb.db, `Bearer ${token}`, t0)).toEqual({ teamId: teamA, tokenId: id, role: "MEMBER" });
    // Revoked behind the app's back (SQL, another instance): still accepted while remembered, refused after.
    await tdb.db.apiToken.update({ where: { id }, data: { revokedAt: t0 } });
    expect(await verifyApiToken(tdb.db, `Bearer ${token}`, new Date(t0.getTime() + VERIFIED_TOKEN_CACHE_MS - 1))).not.toBeNull();
    expect(await verifyApiToken(tdb.db, `Bearer ${token}`, new Date(t0.getTime() + VERIFIED_TOKEN_CACHE_MS))).toBeNull();

    const other = await createApiToken(tdb.db, { teamId: teamA, name: "revoked in the app" });
    expect(await verifyApiToken(tdb.db, `Bearer ${other.token}`)).not.toBeNull();
    await revokeApiToken(tdb.db, { teamId: teamA, id: other.id });
    expect(await verifyApiToken(tdb.db, `Bearer ${other.token}`)).toBeNull();
  });

  it("updates lastUsedAt at most once a minute", async () => {
    const { id, token } = await createApiToken(tdb.db, { teamId: teamA, name: "usage" });
    const lastUsed = async () => (await tdb.db.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const t0 = new Date("2030-01-01T00:00:00Z");
    await verifyApiToken(tdb.db, `Bearer ${token}`, t0);
    expect(await lastUsed()).toEqual(t0);
    await verifyApiToken(tdb.db, `Bearer ${token}`, new Date(t0.getTime() + 59_000));
    expect(await lastUsed()).toEqual(t0);
    const t1 = new Date(t0.getTime() + 61_000);
    await verifyApiToken(tdb.db, `Bearer ${token}`, t1);
    expect(await lastUsed()).toEqual(t1);
  });
});

describe("token router", () => {
  const callerFor = (user: { id: string; email: string }) =>
    createCaller({ db: tdb.db, session: { user }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${teamA}` }) });

  it("owners create (token shown once) and revoke; the list never contains the token", async () => {
    const api = callerFor(owner);
    const created = await api.token.create({ name: "GitHub Actions" });
    expect(created.token).toMatch(/^pacts_/);
    const { items, canManage } = await api.token.list();
    expect(canManage).toBe(true);
    const listed = items.find((t) => t.id === created.id);
    expect(listed).toMatchObject({ name: "GitHub Actions", prefix: created.token.slice(0, 12), revokedAt: null, createdBy: owner.email });
    expect(JSON.stringify(items)).not.toContain(created.token);

    await api.token.revoke({ id: created.id });
    expect((await api.token.list()).items.find((t) => t.id === created.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it("members can list but not create or revoke", async () => {
    const { id } = await createApiToken(tdb.db, { teamId: teamA, name: "member-visible" });
    const api = callerFor(member);
    const list = await api.token.list();
    expect(list.canManage).toBe(false);
    expect(list.items.map((t) => t.id)).toContain(id);
    await expect(api.token.create({ name: "nope" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.token.revoke({ id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await tdb.db.apiToken.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });

  it("rejects an empty name and another team's token id", async () => {
    const api = callerFor(owner);
    await expect(api.token.create({ name: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { id } = await createApiToken(tdb.db, { teamId: teamB, name: "other team" });
    await expect(api.token.revoke({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

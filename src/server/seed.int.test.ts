import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/helpers/test-db";
import { verifyPassword } from "./password";
import { DEMO_TEST_NAME, DEMO_TEST_SOURCE, seedDatabase } from "./seed";

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  t = await createTestDatabase("seed-int");
});
afterAll(async () => {
  await t?.drop();
});

const base = { adminEmail: "Admin@Example.com", adminPassword: "first-password", appUrl: "http://localhost:3000", queueDemoRun: false };

async function counts() {
  const db = t.db;
  return {
    users: await db.user.count(),
    teams: await db.team.count(),
    memberships: await db.membership.count(),
    tests: await db.test.count(),
    runs: await db.run.count(),
  };
}

describe("seedDatabase", () => {
  it("creates the admin (OWNER of the demo team) and the demo test with parsed steps", async () => {
    const r = await seedDatabase(t.db, base);
    expect(r.runId).toBeUndefined();
    const admin = await t.db.user.findUniqueOrThrow({ where: { id: r.adminId } });
    expect(admin.email).toBe("admin@example.com");
    expect(await verifyPassword("first-password", admin.passwordHash!)).toBe(true);
    const team = await t.db.team.findUniqueOrThrow({ where: { id: r.teamId } });
    expect(team).toMatchObject({ name: "Demo team", slug: "demo", demoVersion: 1 });
    const m = await t.db.membership.findUniqueOrThrow({ where: { userId_teamId: { userId: r.adminId, teamId: r.teamId } } });
    expect(m.role).toBe("OWNER");
    const test = await t.db.test.findUniqueOrThrow({ where: { id: r.demoTestId } });
    expect(test).toMatchObject({ teamId: r.teamId, name: DEMO_TEST_NAME, startUrl: "http://localhost:3000/demo/login", source: DEMO_TEST_SOURCE });
    expect(Array.isArray(test.steps) && test.steps.length).toBe(4);
    expect(await counts()).toEqual({ users: 1, teams: 1, memberships: 1, tests: 1, runs: 0 });
  });

  it("is idempotent and rehashes the admin password on every call", async () => {
    const first = await seedDatabase(t.db, base);
    const before = await t.db.user.findUniqueOrThrow({ where: { id: first.adminId } });
    const second = await seedDatabase(t.db, { ...base, adminEmail: "admin@example.com", adminPassword: "second-password" });
    expect(second).toEqual(first);
    expect(await counts()).toEqual({ users: 1, teams: 1, memberships: 1, tests: 1, runs: 0 });
    const after = await t.db.user.findUniqueOrThrow({ where: { id: first.adminId } });
    expect(after.passwordHash).not.toBe(before.passwordHash);
    expect(await verifyPassword("second-password", after.passwordHash!)).toBe(true);
    expect(await verifyPassword("first-password", after.passwordHash!)).toBe(false);
  });

  it("follows a new app URL for the demo test but keeps a start URL the user changed", async () => {
    const r = await seedDatabase(t.db, { ...base, appUrl: "http://127.0.0.1:3001/" });
    expect((await t.db.test.findUniqueOrThrow({ where: { id: r.demoTestId } })).startUrl).toBe("http://127.0.0.1:3001/demo/login");
    await t.db.test.update({ where: { id: r.demoTestId }, data: { startUrl: "https://example.test/login" } });
    await seedDatabase(t.db, base);
    expect((await t.db.test.findUniqueOrThrow({ where: { id: r.demoTestId } })).startUrl).toBe("https://example.test/login");
    await t.db.test.update({ where: { id: r.demoTestId }, data: { startUrl: "http://localhost:3000/demo/login" } });
  });

  it("rejects a password shorter than 8 characters, changing nothing", async () => {
    const before = await t.db.user.findFirstOrThrow();
    await expect(seedDatabase(t.db, { ...base, adminPassword: "short7!" })).rejects.toThrow(/at least 8/);
    expect((await t.db.user.findFirstOrThrow()).passwordHash).toBe(before.passwordHash);
  });

  it("queues one PENDING demo run per call when asked, creating nothing else", async () => {
    const r = await seedDatabase(t.db, { ...base, queueDemoRun: true });
    expect(r.runId).toEqual(expect.any(String));
    const run = await t.db.run.findUniqueOrThrow({ where: { id: r.runId! } });
    expect(run).toMatchObject({
      status: "PENDING",
      trigger: "SEED",
      teamId: r.teamId,
      testId: r.demoTestId,
      testName: DEMO_TEST_NAME,
      url: "http://localhost:3000/demo/login",
      totalSteps: 4,
    });
    expect(await counts()).toEqual({ users: 1, teams: 1, memberships: 1, tests: 1, runs: 1 });
  });
});

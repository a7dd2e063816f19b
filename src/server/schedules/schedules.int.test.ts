// Cron schedules on the real Postgres: a due schedule fires exactly one SCHEDULE run (also under concurrent
// workers), advances past now and records its lag; disabled / not-yet-due / freshly locked ones do not fire;
// the `schedule` router validates crons and scopes everything to the caller's team.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createCaller } from "@/server/api/root";
import { TEAM_COOKIE } from "@/server/api/trpc";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { fireDueSchedules } from "./fire";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let teamA: string;
let teamB: string;
let testA: string;
let testB: string;
let emptyTest: string;
let owner: { id: string; email: string };
let member: { id: string; email: string };

const STEPS = [{ line: 1, text: 'Expect text "hi"', action: "expectText", value: "hi" }];
const ago = (ms: number) => new Date(Date.now() - ms);

beforeAll(async () => {
  tdb = await createTestDatabase("server/schedules/schedules");
  db = tdb.db;
  teamA = (await db.team.create({ data: { name: "A", slug: "a" } })).id;
  teamB = (await db.team.create({ data: { name: "B", slug: "b" } })).id;
  const mk = (teamId: string, name: string, steps: unknown[]) =>
    db.test.create({ data: { teamId, name, startUrl: "http://127.0.0.1:9/", source: 'Expect text "hi"', steps: steps as never } });
  testA = (await mk(teamA, "T", STEPS)).id;
  testB = (await mk(teamB, "T", STEPS)).id;
  emptyTest = (await mk(teamA, "Empty", [])).id;
  owner = await db.user.create({ data: { email: "owner@example.com", memberships: { create: { teamId: teamA, role: "OWNER" } } } });
  member = await db.user.create({ data: { email: "member@example.com", memberships: { create: { teamId: teamA, role: "MEMBER" } } } });
});

afterAll(async () => {
  await tdb?.drop();
});

beforeEach(async () => {
  await db.run.deleteMany();
  await db.schedule.deleteMany();
  await db.metricHistogramBucket.deleteMany();
});

const due = (data: { cron?: string; testId?: string; enabled?: boolean; nextRunAt?: Date; lockedAt?: Date | null } = {}) =>
  db.schedule.create({
    data: {
      teamId: teamA,
      testId: data.testId ?? testA,
      cron: data.cron ?? "*/5 * * * *",
      enabled: data.enabled ?? true,
      nextRunAt: data.nextRunAt ?? ago(60_000),
      lockedAt: data.lockedAt ?? null,
    },
  });

describe("fireDueSchedules", () => {
  it("fires a due schedule once: one PENDING SCHEDULE run, nextRunAt past now, lastRunAt set, lock cleared", async () => {
    const s = await due();
    const before = Date.now();
    const fired = await fireDueSchedules(db, "w1", 10);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ scheduleId: s.id });
    expect(fired[0]!.error).toBeUndefined();

    const runs = await db.run.findMany();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: fired[0]!.runId, status: "PENDING", trigger: "SCHEDULE", scheduleId: s.id, testId: testA, teamId: teamA });

    const after = await db.schedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    // One slot ahead, not a catch-up: within the next 5 minutes, on a 5-minute boundary.
    expect(after.nextRunAt!.getTime() - before).toBeLessThanOrEqual(5 * 60_000);
    expect(after.nextRunAt!.getUTCMinutes() % 5).toBe(0);
    expect(after.lastRunAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(after.lockedAt).toBeNull();

    // Fired once: a second call finds nothing due.
    expect(await fireDueSchedules(db, "w1", 10)).toEqual([]);
    expect(await db.run.count()).toBe(1);
  });

  it("skips missed slots: a schedule due an hour ago fires one run, not twelve", async () => {
    await due({ nextRunAt: ago(60 * 60_000) });
    await fireDueSchedules(db, "w1", 10);
    await fireDueSchedules(db, "w1", 10);
    expect(await db.run.count()).toBe(1);
  });

  it("two concurrent workers fire a due schedule exactly once", async () => {
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push((await due()).id);
    const [a, b] = await Promise.all([fireDueSchedules(db, "worker-a", 8), fireDueSchedules(db, "worker-b", 8)]);
    const firedIds = [...a!, ...b!].map((f) => f.scheduleId);
    expect(new Set(firedIds).size).toBe(firedIds.length);
    expect(firedIds.sort()).toEqual(ids.sort());
    const runs = await db.run.findMany({ select: { scheduleId: true } });
    expect(runs).toHaveLength(8);
    expect(new Set(runs.map((r) => r.scheduleId)).size).toBe(8);
  });

  it("does not fire disabled, not-yet-due or freshly locked schedules; re-claims a stale lock", async () => {
    await due({ enabled: false });
    await due({ nextRunAt: new Date(Date.now() + 60_000) });
    await db.schedule.create({ data: { teamId: teamA, testId: testA, cron: "* * * * *", nextRunAt: null } });
    await due({ lockedAt: ago(60_000) });
    expect(await fireDueSchedules(db, "w1", 10)).toEqual([]);
    expect(await db.run.count()).toBe(0);

    const stale = await due({ lockedAt: ago(10 * 60_000) });
    const fired = await fireDueSchedules(db, "w1", 10);
    expect(fired.map((f) => f.scheduleId)).toEqual([stale.id]);
    expect(await db.run.count()).toBe(1);
  });

  it("records the schedule lag in the histogram rollup", async () => {
    await due({ nextRunAt: ago(90_000) });
    await fireDueSchedules(db, "w1", 10);
    const rows = await db.metricHistogramBucket.findMany({ where: { metric: "schedule_lag_seconds", teamId: teamA } });
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.count)).toBe(1);
    // ~90 s late lands in the 300 s bucket.
    expect(rows[0]!.le).toBe(300);
    expect(rows[0]!.sum).toBeGreaterThanOrEqual(89);
    expect(rows[0]!.sum).toBeLessThan(150);
  });

  it("a test that cannot run skips the slot (advances, no run, no lastRunAt) instead of retrying every tick", async () => {
    const s = await due({ testId: emptyTest });
    const fired = await fireDueSchedules(db, "w1", 10);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ scheduleId: s.id, runId: null, error: expect.stringMatching(/no steps/) });
    const after = await db.schedule.findUniqueOrThrow({ where: { id: s.id } });
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(after.lastRunAt).toBeNull();
    expect(after.lockedAt).toBeNull();
    expect(await db.run.count()).toBe(0);
    expect(await db.metricHistogramBucket.count()).toBe(0);
  });
});

describe("schedule router", () => {
  const callerFor = (user: { id: string; email: string }) =>
    createCaller({ db, session: { user }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${teamA}` }) });

  async function expectTrpcError(p: Promise<unknown>, code: string, message?: RegExp) {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe(code);
    if (message) expect((err as TRPCError).message).toMatch(message);
  }

  it("creates with a computed nextRunAt, lists, updates (recomputing) and deletes", async () => {
    const api = callerFor(owner);
    const created = await api.schedule.create({ testId: testA, cron: "0 9 * * *", timezone: "Europe/Berlin" });
    expect(created).toMatchObject({ cron: "0 9 * * *", timezone: "Europe/Berlin", enabled: true, lastRunAt: null });
    expect(created.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    expect(created.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 3600_000);

    const defaults = await api.schedule.create({ testId: testA, cron: "*/15 * * * *" });
    expect(defaults.timezone).toBe("UTC");

    expect((await api.schedule.listForTest({ testId: testA })).items.map((s) => s.id)).toEqual([created.id, defaults.id]);

    const disabled = await api.schedule.update({ id: created.id, enabled: false });
    expect(disabled).toMatchObject({ enabled: false, nextRunAt: null });
    const edited = await api.schedule.update({ id: created.id, enabled: true, cron: "*/10 * * * *", timezone: "UTC" });
    expect(edited.cron).toBe("*/10 * * * *");
    expect(edited.nextRunAt!.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    await api.schedule.delete({ id: created.id });
    expect((await api.schedule.listForTest({ testId: testA })).items.map((s) => s.id)).toEqual([defaults.id]);
  });

  it("rejects a bad cron or time zone with a clear BAD_REQUEST and stores nothing", async () => {
    const api = callerFor(owner);
    await expectTrpcError(api.schedule.create({ testId: testA, cron: "* * * *" }), "BAD_REQUEST", /Cron must have 5 fields \(minute hour day month weekday\)/);
    await expectTrpcError(api.schedule.create({ testId: testA, cron: "61 * * * *" }), "BAD_REQUEST", /expected range 0-59/);
    await expectTrpcError(api.schedule.create({ testId: testA, cron: "* * * * *", timezone: "Mars/Base" }), "BAD_REQUEST", /Unknown time zone "Mars\/Base"/);
    const s = await api.schedule.create({ testId: testA, cron: "0 * * * *" });
    await expectTrpcError(api.schedule.update({ id: s.id, cron: "0 0 0 * * *" }), "BAD_REQUEST", /seconds are not supported/);
    expect((await db.schedule.findUniqueOrThrow({ where: { id: s.id } })).cron).toBe("0 * * * *");
    expect(await db.schedule.count()).toBe(1);
  });

  it("another team's test or schedule is NOT_FOUND; members cannot change schedules", async () => {
    const api = callerFor(owner);
    await expectTrpcError(api.schedule.create({ testId: testB, cron: "* * * * *" }), "NOT_FOUND", /Test not found/);
    await expectTrpcError(api.schedule.listForTest({ testId: testB }), "NOT_FOUND");
    const foreign = await db.schedule.create({ data: { teamId: teamB, testId: testB, cron: "* * * * *" } });
    await expectTrpcError(api.schedule.update({ id: foreign.id, enabled: false }), "NOT_FOUND");
    await expectTrpcError(api.schedule.delete({ id: foreign.id }), "NOT_FOUND");
    expect(await db.schedule.findUnique({ where: { id: foreign.id } })).not.toBeNull();

    const m = callerFor(member);
    expect(await m.schedule.listForTest({ testId: testA })).toEqual({ items: [], canManage: false });
    await expectTrpcError(m.schedule.create({ testId: testA, cron: "* * * * *" }), "FORBIDDEN");
  });
});

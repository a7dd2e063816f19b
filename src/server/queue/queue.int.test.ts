// The run queue on a real Postgres: enqueue snapshots + NOTIFY, concurrent claims are disjoint, settling is
// compare-and-set, and the stale sweep hands dead workers' runs back (or ERRORs them when attempts are spent).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import type { PrismaClient } from "@/generated/prisma/client";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { createCallerFactory } from "../api/trpc";
import { resetServerEnv } from "../env";
import { testRouter } from "../api/routers/test";
import { cancelRun } from "../runs/cancel";
import { enqueueRun } from "../runs/enqueue";
import { claimRuns } from "./claim";
import { listenForRuns } from "./notify";
import { finishRun, heartbeat, releaseRun, releaseStaleRuns, requeueRun } from "./settle";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let teamId: string;
let testId: string;

const STEPS = [{ line: 1, text: 'Expect text "hi"', action: "expectText", value: "hi" }];

beforeAll(async () => {
  tdb = await createTestDatabase("queue.int.test");
  db = tdb.db;
  const team = await db.team.create({ data: { name: "Q", slug: "q" } });
  teamId = team.id;
  const test = await db.test.create({
    data: { teamId, name: "T", startUrl: "http://127.0.0.1:9/", source: 'Expect text "hi"', steps: STEPS },
  });
  testId = test.id;
});
afterAll(async () => {
  await tdb?.drop();
});

async function clearRuns() {
  await db.run.deleteMany();
}

describe("enqueueRun", () => {
  it("snapshots the test into a PENDING run and notifies listeners", async () => {
    await clearRuns();
    const listener = await listenForRuns(tdb.url, pino({ level: "silent" }));
    try {
      const waiting = listener.wait(5000);
      const { id } = await enqueueRun(db, { teamId, testId, trigger: "MANUAL", dataRow: { user: "bob" } });
      expect(await waiting).toBe("notified");
      const run = await db.run.findUniqueOrThrow({ where: { id } });
      expect(run).toMatchObject({ status: "PENDING", testName: "T", url: "http://127.0.0.1:9/", totalSteps: 1, trigger: "MANUAL", dataRow: { user: "bob" } });
      expect(run.steps).toEqual(STEPS);
    } finally {
      await listener.close();
    }
  });

  it("claimFor creates the run already claimed, so a worker never sees it PENDING", async () => {
    await clearRuns();
    const { id, claimed } = await enqueueRun(db, { teamId, testId, trigger: "CLI" }, { claimFor: "cli-1" });
    expect(claimed).toMatchObject({ id, workerId: "cli-1", attempts: 1 });
    expect(await claimRuns(db, "worker-x", 5)).toEqual([]);
    const run = await db.run.findUniqueOrThrow({ where: { id } });
    expect(run).toMatchObject({ status: "RUNNING", workerId: "cli-1" });
  });

  it("rejects a test of another team and bad input", async () => {
    await expect(enqueueRun(db, { teamId: "other", testId, trigger: "MANUAL" })).rejects.toThrow(/not found/i);
    await expect(enqueueRun(db, { teamId, testId, trigger: "NOPE" as never })).rejects.toThrow();
  });
});

describe("claimRuns", () => {
  it("two concurrent claims return disjoint sets that together cover the queue", async () => {
    await clearRuns();
    for (let i = 0; i < 10; i++) await enqueueRun(db, { teamId, testId, trigger: "API" });
    const [a, b] = await Promise.all([claimRuns(db, "worker-a", 6), claimRuns(db, "worker-b", 6)]);
    const ids = [...a!, ...b!].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(10);
    expect(a!.every((r) => r.workerId === "worker-a" && r.attempts === 1)).toBe(true);
    const running = await db.run.findMany({ where: { status: "RUNNING" } });
    expect(running.length).toBe(10);
    expect(running.every((r) => r.lockedAt && r.heartbeatAt && r.startTime)).toBe(true);
    expect(await claimRuns(db, "worker-c", 5)).toEqual([]);
  });

  it("claims oldest first and returns a typed run", async () => {
    await clearRuns();
    const first = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    const [run] = await claimRuns(db, "w", 1);
    expect(run).toMatchObject({ id: first.id, teamId, testId, testName: "T", healPolicy: "FAIL", attempts: 1 });
    expect(run!.steps).toEqual(STEPS);
    expect(run!.startTime).toBeInstanceOf(Date);
  });
});

describe("run time limit", () => {
  it("is a test setting (validated), snapshotted at queue time and handed to the worker with the claim", async () => {
    await clearRuns();
    // The router reads the URL policy from the server environment.
    process.env.DATABASE_URL = tdb.url;
    resetServerEnv();
    const user = await db.user.create({ data: { email: "limit@example.test" } });
    await db.membership.create({ data: { teamId, userId: user.id, role: "MEMBER" } });
    const caller = createCallerFactory(testRouter)({ db, session: { user: { id: user.id, email: user.email } }, headers: new Headers() });
    const created = await caller.create({ name: "Limited", startUrl: "http://127.0.0.1:9/", source: 'Expect text "hi"', runTimeLimitSec: 120 });
    expect((await caller.byId({ id: created.id })).runTimeLimitSec).toBe(120);
    await expect(caller.update({ id: created.id, runTimeLimitSec: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const { id } = await enqueueRun(db, { teamId, testId: created.id, trigger: "MANUAL" });
    // Editing the test later does not change the queued run.
    await caller.update({ id: created.id, runTimeLimitSec: null });
    expect((await caller.byId({ id: created.id })).runTimeLimitSec).toBeNull();
    const [run] = await claimRuns(db, "w", 1);
    expect(run).toMatchObject({ id, timeLimitSec: 120 });
  });
});

describe("fair claims across teams", () => {
  async function otherTeam(slug: string) {
    const team = await db.team.create({ data: { name: slug, slug } });
    const test = await db.test.create({ data: { teamId: team.id, name: "T", startUrl: "http://127.0.0.1:9/", source: "", steps: STEPS } });
    return { teamId: team.id, testId: test.id };
  }
  /** A burst of `n` queued runs for a team, all older than anything queued after. */
  async function flood(team: { teamId: string; testId: string }, n: number) {
    const t0 = Date.now() - 60_000;
    await db.run.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        teamId: team.teamId, testId: team.testId, testName: "T", url: "http://127.0.0.1:9/", steps: STEPS, createdAt: new Date(t0 + i),
      })),
    });
  }

  it("team A floods 200 runs; team B's single run is claimed within the first two claims", async () => {
    await clearRuns();
    const a = await otherTeam("flood-a");
    const b = await otherTeam("single-b");
    await flood(a, 200);
    const single = await enqueueRun(db, { teamId: b.teamId, testId: b.testId, trigger: "API" });
    const claimed: { id: string; teamId: string }[] = [];
    for (let i = 0; i < 4; i++) claimed.push(...(await claimRuns(db, `w${i}`, 1)));
    expect(claimed.slice(0, 2).map((r) => r.id)).toContain(single.id);
    // The rest are A's, oldest first; B has nothing more queued.
    const aClaims = claimed.filter((r) => r.teamId === a.teamId);
    expect(aClaims).toHaveLength(3);
    const created = await db.run.findMany({ where: { id: { in: aClaims.map((r) => r.id) } }, orderBy: { createdAt: "asc" } });
    expect(created.map((r) => r.id)).toEqual(aClaims.map((r) => r.id));
    expect(await db.run.count({ where: { teamId: a.teamId, status: "PENDING" } })).toBe(197);
  });

  it("alternates between busy teams, prefers the one with fewer running runs, and spreads a batch claim", async () => {
    await clearRuns();
    const a = await otherTeam("busy-a");
    const b = await otherTeam("busy-b");
    const c = await otherTeam("busy-c");
    await flood(a, 50);
    await flood(b, 50);
    const teams: string[] = [];
    for (let i = 0; i < 6; i++) teams.push((await claimRuns(db, "w", 1))[0]!.teamId);
    // A and B take turns (each claim goes to the team with fewer running, ties to the one claimed less recently).
    expect(teams).toEqual([a.teamId, b.teamId, a.teamId, b.teamId, a.teamId, b.teamId]);
    // C arrives with 2 runs while A and B have 3 running each: a batch of 4 gives C both, then A and B one each.
    await flood(c, 2);
    const batch = await claimRuns(db, "w", 4);
    expect(batch.map((r) => r.teamId).sort()).toEqual([a.teamId, b.teamId, c.teamId, c.teamId].sort());
  });

  it("concurrent fair claims stay disjoint", async () => {
    await clearRuns();
    const a = await otherTeam("conc-a");
    const b = await otherTeam("conc-b");
    await flood(a, 30);
    await flood(b, 30);
    const batches = await Promise.all(Array.from({ length: 6 }, (_, i) => claimRuns(db, `c${i}`, 5)));
    const ids = batches.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
    expect(await db.run.count({ where: { status: "RUNNING" } })).toBe(30);
  });
});

describe("settling", () => {
  it("finishRun and heartbeat are compare-and-set on the owning worker", async () => {
    await clearRuns();
    await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    const [run] = await claimRuns(db, "owner", 1);
    expect(await heartbeat(db, run!.id, "intruder")).toBe(false);
    expect(await heartbeat(db, run!.id, "owner", 1)).toBe(true);
    expect(await finishRun(db, run!.id, "intruder", { status: "PASSED", verdict: "CLEAN" })).toBe(false);
    expect(await finishRun(db, run!.id, "owner", { status: "PASSED", verdict: "CLEAN" })).toBe(true);
    const done = await db.run.findUniqueOrThrow({ where: { id: run!.id } });
    expect(done).toMatchObject({ status: "PASSED", verdict: "CLEAN", completedSteps: 1 });
    expect(done.durationMs).toBeGreaterThanOrEqual(0);
    expect(done.endTime).toBeInstanceOf(Date);
    // Settled once: a second finish is refused.
    expect(await finishRun(db, run!.id, "owner", { status: "FAILED", verdict: "TIMEOUT" })).toBe(false);
  });

  it("releases stale runs: back to PENDING with attempts left, ERROR with a message when spent", async () => {
    await clearRuns();
    const a = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    const b = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    const c = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    await claimRuns(db, "dead", 3);
    const old = new Date(Date.now() - 10 * 60_000);
    await db.run.update({ where: { id: a.id }, data: { heartbeatAt: old } });
    await db.run.update({ where: { id: b.id }, data: { heartbeatAt: old, attempts: 3 } });
    // c keeps a fresh heartbeat: untouched.
    const released = await releaseStaleRuns(db, 5 * 60_000);
    expect(released.map((r) => [r.id, r.status]).sort()).toEqual([[a.id, "PENDING"], [b.id, "ERROR"]].sort());
    const ra = await db.run.findUniqueOrThrow({ where: { id: a.id } });
    expect(ra).toMatchObject({ status: "PENDING", workerId: null, lockedAt: null });
    const rb = await db.run.findUniqueOrThrow({ where: { id: b.id } });
    expect(rb.status).toBe("ERROR");
    expect(rb.errorMessage).toMatch(/^Worker lost \(worker dead\): no heartbeat for 300 s.*3 attempts/);
    expect(rb.endTime).toBeInstanceOf(Date);
    expect((await db.run.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("RUNNING");
    // The released run is claimable again, with its attempt counted.
    const [again] = await claimRuns(db, "alive", 1);
    expect(again).toMatchObject({ id: a.id, attempts: 2 });
  });

  it("a swept worker cannot write to the run, even after claiming it again (CAS on worker and attempt)", async () => {
    await clearRuns();
    const r = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    const [first] = await claimRuns(db, "w-swept", 1);
    await db.run.update({ where: { id: r.id }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    expect(await releaseStaleRuns(db, 5_000)).toEqual([{ id: r.id, status: "PENDING", attempts: 1 }]);
    // The swept worker is alive and claims the same run again: its old attempt's writes must still fail.
    const [second] = await claimRuns(db, "w-swept", 1);
    expect(second).toMatchObject({ id: r.id, attempts: 2 });
    const stale = { workerId: "w-swept", attempt: first!.attempts };
    expect(await heartbeat(db, r.id, stale)).toBe(false);
    expect(await finishRun(db, r.id, stale, { status: "FAILED", verdict: "TIMEOUT" })).toBe(false);
    expect(await requeueRun(db, r.id, stale, "stopping")).toBe(false);
    const current = { workerId: "w-swept", attempt: second!.attempts };
    expect(await heartbeat(db, r.id, current)).toBe(true);
    expect(await finishRun(db, r.id, current, { status: "PASSED", verdict: "CLEAN" })).toBe(true);
    expect((await db.run.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("PASSED");
  });

  it("releaseRun gives a run back without counting the attempt (the worker could not start it)", async () => {
    await clearRuns();
    const r = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    const [run] = await claimRuns(db, "no-browser", 1);
    expect(run).toMatchObject({ id: r.id, attempts: 1 });
    expect(await releaseRun(db, r.id, { workerId: "intruder", attempt: 1 })).toBe(false);
    expect(await releaseRun(db, r.id, { workerId: "no-browser", attempt: 1 })).toBe(true);
    expect(await db.run.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "PENDING", attempts: 0, workerId: null, startTime: null });
    // Once released, the CAS fails: a second release (or a late write) changes nothing.
    expect(await releaseRun(db, r.id, { workerId: "no-browser", attempt: 1 })).toBe(false);
    const [again] = await claimRuns(db, "healthy", 1);
    expect(again).toMatchObject({ id: r.id, attempts: 1 });
  });

  it("requeueRun hands a run back; cancelRun cancels and the worker's CAS then fails", async () => {
    await clearRuns();
    const r = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
    await claimRuns(db, "w1", 1);
    expect(await requeueRun(db, r.id, "w1", "stopping")).toBe(true);
    expect((await db.run.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("PENDING");
    await claimRuns(db, "w2", 1);
    expect(await cancelRun(db, { teamId, runId: r.id })).toEqual({ cancelled: true });
    expect(await heartbeat(db, r.id, "w2")).toBe(false);
    expect((await db.run.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("CANCELLED");
    expect(await cancelRun(db, { teamId, runId: r.id })).toEqual({ cancelled: false });
  });
});

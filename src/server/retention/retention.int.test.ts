// Retention against the real Postgres and a real artifact folder: exactly the finished runs older than the team's
// setting go, with their rows and files; heal events older than their setting go; expired selector-cache rows go;
// metric totals keep their counts; a store that fails to delete an object is retried, never leaving a row whose
// file is gone. The worker loop's tick runs the same job, and retention.get/set are for owners and admins only.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/helpers/test-db";
import { runWorkerLoop } from "../../../worker/loop";
import { createCaller } from "../api/root";
import { TEAM_COOKIE } from "../api/trpc";
import { recordRunFinished } from "../metrics/rollups";
import { writeArtifact } from "../storage/artifact-store";
import { type ArtifactStore, LocalArtifactStore } from "../storage/store";
import { DEFAULT_RETENTION, drainArtifactDeletions, runRetention, setRetention } from "./retention";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
let store: LocalArtifactStore;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const PNG = Buffer.from("89504e470d0a1a0a", "hex");

beforeAll(async () => {
  tdb = await createTestDatabase("server/retention");
  dir = await mkdtemp(path.join(tmpdir(), "pacts-retention-"));
  store = new LocalArtifactStore(dir);
});
afterAll(async () => {
  await tdb?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function team(slug: string): Promise<string> {
  return (await tdb.db.team.create({ data: { name: slug, slug } })).id;
}

/** A run created `ageMs` before `now` with one screenshot and one spec artifact (rows + files). */
async function run(teamId: string, now: Date, ageMs: number, status: "PASSED" | "FAILED" | "RUNNING" | "PENDING" = "PASSED") {
  const createdAt = new Date(now.getTime() - ageMs);
  const r = await tdb.db.run.create({ data: { teamId, testName: "t", url: "http://127.0.0.1/", steps: [], status, createdAt } });
  const shot = await writeArtifact(tdb.db, { runId: r.id, stepIdx: 0, type: "SCREENSHOT", name: "step-0.png", bytes: PNG, mime: "image/png" }, store);
  const spec = await writeArtifact(tdb.db, { runId: r.id, stepIdx: null, type: "TEST_FILE", name: "test.spec.ts", bytes: Buffer.from("x"), mime: "text/plain" }, store);
  return { id: r.id, files: [shot.filePath, spec.filePath] };
}

async function healEvent(runId: string, now: Date, ageMs: number): Promise<string> {
  const e = await tdb.db.healEvent.create({
    data: { runId, stepIdx: 0, elementName: "Save", urlPattern: "/", outcome: "HEALED", durationMs: 5, createdAt: new Date(now.getTime() - ageMs) },
  });
  return e.id;
}

const fileExists = (key: string) => existsSync(path.join(dir, key));

async function metricTotals(): Promise<number> {
  const rows = await tdb.db.metricCounterTotal.findMany();
  return rows.reduce((n, r) => n + Number(r.value), 0);
}

describe("runRetention", () => {
  it("deletes exactly what is older than each team's setting, rows and files, in batches", async () => {
    const db = tdb.db;
    const now = new Date();
    const a = await team("ret-a");
    const b = await team("ret-b");
    await setRetention(db, a, { runDays: 10, healEventDays: 5 });

    // Team A (10 days): just over goes, just under stays; an old run still RUNNING or PENDING is never touched.
    const aOld = await Promise.all([1, 2, 3, 4, 5].map((i) => run(a, now, 10 * DAY + i * HOUR)));
    const aYoung = await run(a, now, 10 * DAY - HOUR, "FAILED");
    const aRunning = await run(a, now, 40 * DAY, "RUNNING");
    const aPending = await run(a, now, 40 * DAY, "PENDING");
    // Team B has no row: the defaults (30 days).
    const bOld = await run(b, now, DEFAULT_RETENTION.runDays * DAY + HOUR, "FAILED");
    const bYoung = await run(b, now, DEFAULT_RETENTION.runDays * DAY - HOUR);

    // Heal events on kept runs: A keeps them 5 days, B 30.
    const heOld = await healEvent(aYoung.id, now, 5 * DAY + HOUR);
    const heYoung = await healEvent(aYoung.id, now, 5 * DAY - HOUR);
    const heB = await healEvent(bYoung.id, now, 6 * DAY);

    const cacheBase = { teamId: a, urlPattern: "/", selector: "#x", strategy: "test-id", confidence: 1 };
    await db.selectorCacheEntry.create({ data: { ...cacheBase, cacheKey: "k-old", elementName: "old", expiresAt: new Date(now.getTime() - 1000) } });
    await db.selectorCacheEntry.create({ data: { ...cacheBase, cacheKey: "k-new", elementName: "new", expiresAt: new Date(now.getTime() + DAY) } });

    const rule = await db.alertRule.create({ data: { teamId: a, event: "FAILURE", channel: "EMAIL", target: "x@example.com" } });
    const delivery = (ageMs: number) =>
      db.alertDelivery.create({ data: { ruleId: rule.id, teamId: a, event: "FAILURE", payload: {}, createdAt: new Date(now.getTime() - ageMs) } });
    await delivery(10 * DAY + HOUR);
    const youngDelivery = await delivery(10 * DAY - HOUR);

    for (const t of [a, a, b]) await recordRunFinished(db, { teamId: t, status: "PASSED", durationMs: 1000, healRounds: 1, at: new Date(now.getTime() - 40 * DAY) });
    const totalsBefore = await metricTotals();
    expect(totalsBefore).toBeGreaterThan(0);

    const gone = [...aOld, bOld];
    const kept = [aYoung, aRunning, aPending, bYoung];
    for (const r of [...gone, ...kept]) for (const f of r.files) expect(fileExists(f)).toBe(true);

    const res = await runRetention(db, { store, batchSize: 2, now });
    expect(res).toMatchObject({ runsDeleted: 6, artifactsQueued: 12, healEventsDeleted: 1, cacheRowsDeleted: 1, alertDeliveriesDeleted: 1, filesDeleted: 12, fileErrors: 0 });

    const remaining = await db.run.findMany({ select: { id: true } });
    expect(remaining.map((r) => r.id).sort()).toEqual(kept.map((r) => r.id).sort());
    const artifacts = await db.artifact.findMany({ select: { filePath: true } });
    expect(artifacts.map((x) => x.filePath).sort()).toEqual(kept.flatMap((r) => r.files).sort());
    for (const r of gone) {
      for (const f of r.files) expect(fileExists(f)).toBe(false);
      expect(existsSync(path.join(dir, r.id))).toBe(false);
    }
    for (const r of kept) for (const f of r.files) expect(fileExists(f)).toBe(true);
    expect((await db.healEvent.findMany({ select: { id: true } })).map((e) => e.id).sort()).toEqual([heYoung, heB].sort());
    expect(heOld).toBeTruthy();
    expect((await db.selectorCacheEntry.findMany({ select: { cacheKey: true } })).map((c) => c.cacheKey)).toEqual(["k-new"]);
    expect(await db.artifactDeletion.count()).toBe(0);
    expect((await db.alertDelivery.findMany({ select: { id: true } })).map((d) => d.id)).toEqual([youngDelivery.id]);
    expect(await metricTotals()).toBe(totalsBefore);

    // A second pass finds nothing more.
    expect(await runRetention(db, { store, batchSize: 2, now })).toMatchObject({ runsDeleted: 0, filesDeleted: 0, healEventsDeleted: 0 });
  });

  it("deletes the row first and retries the file when the store fails, so no row points at a missing file", async () => {
    const db = tdb.db;
    const now = new Date();
    const t = await team("ret-flaky");
    await setRetention(db, t, { runDays: 1, healEventDays: 1 });
    const r = await run(t, now, 2 * DAY);
    let failures = 1;
    const flaky: ArtifactStore = {
      kind: "local",
      put: (k, b, m) => store.put(k, b, m),
      get: (k) => store.get(k),
      open: (k) => store.open(k),
      deletePrefix: (p) => store.deletePrefix(p),
      delete: async (k) => {
        if (failures-- > 0) throw new Error("store unavailable");
        await store.delete(k);
      },
    };

    const first = await runRetention(db, { store: flaky, batchSize: 10, now });
    expect(first).toMatchObject({ runsDeleted: 1, filesDeleted: 1, fileErrors: 1 });
    expect(await db.run.findUnique({ where: { id: r.id } })).toBeNull();
    expect(await db.artifact.count({ where: { runId: r.id } })).toBe(0);
    const queued = await db.artifactDeletion.findMany();
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ attempts: 1, lastError: "store unavailable" });
    expect(r.files).toContain(queued[0]!.storageKey);
    expect(fileExists(queued[0]!.storageKey)).toBe(true);

    // Not before its backoff; then it goes.
    expect(await drainArtifactDeletions(db, flaky, { now, batchSize: 10 })).toEqual({ deleted: 0, failed: 0 });
    expect(await drainArtifactDeletions(db, flaky, { now: new Date(now.getTime() + 2 * 60_000), batchSize: 10 })).toEqual({ deleted: 1, failed: 0 });
    expect(await db.artifactDeletion.count()).toBe(0);
    for (const f of r.files) expect(fileExists(f)).toBe(false);
  });
});

it("the worker loop runs retention on its own tick", async () => {
  const db = tdb.db;
  const t = await team("ret-loop");
  await setRetention(db, t, { runDays: 3, healEventDays: 3 });
  const old = await run(t, new Date(), 3 * DAY + HOUR);
  const young = await run(t, new Date(), 3 * DAY - HOUR);
  const stop = new AbortController();
  const loop = runWorkerLoop({
    db,
    workerId: "retention-test",
    getBrowser: () => Promise.reject(new Error("no browser in this test")),
    listener: { wait: (ms: number) => new Promise((r) => setTimeout(() => r("timeout"), Math.min(ms, 100))) },
    pollMs: 100,
    log: pino({ level: "silent" }),
    signal: stop.signal,
    retention: { everyMs: 200, batchSize: 10, store },
  });
  try {
    await expect.poll(() => db.run.findUnique({ where: { id: old.id } }), { timeout: 30_000, interval: 200 }).toBeNull();
    await expect.poll(() => old.files.some(fileExists), { timeout: 30_000, interval: 200 }).toBe(false);
    expect(await db.run.findUnique({ where: { id: young.id } })).not.toBeNull();
    for (const f of young.files) expect(fileExists(f)).toBe(true);
  } finally {
    stop.abort();
    await loop;
  }
});

describe("retention router", () => {
  it("lets owners and admins read and set, refuses members, validates", async () => {
    const db = tdb.db;
    const t = await team("ret-rbac");
    const admin = await db.user.create({ data: { email: "ret-admin@example.com", memberships: { create: { teamId: t, role: "ADMIN" } } } });
    const member = await db.user.create({ data: { email: "ret-member@example.com", memberships: { create: { teamId: t, role: "MEMBER" } } } });
    const as = (u: { id: string; email: string }) => createCaller({ db, session: { user: u }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${t}` }) });

    expect(await as(admin).retention.get()).toMatchObject({ ...DEFAULT_RETENTION, isDefault: true });
    await expect(as(member).retention.get()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(member).retention.set({ runDays: 7, healEventDays: 7 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(admin).retention.set({ runDays: 7, healEventDays: 8 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(admin).retention.set({ runDays: 0, healEventDays: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await as(admin).retention.set({ runDays: 7, healEventDays: 3 })).toEqual({ runDays: 7, healEventDays: 3 });
    expect(await as(admin).retention.get()).toMatchObject({ runDays: 7, healEventDays: 3, isDefault: false });
  });
});

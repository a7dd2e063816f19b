// The worker loop fires due schedules before claiming runs: with a due schedule and an idle queue, one loop
// turn queues the SCHEDULE run (the browser is never needed to prove that, so getBrowser refuses).
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase } from "../test/helpers/test-db";
import { runWorkerLoop } from "./loop";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  tdb = await createTestDatabase("worker/schedule-tick");
});
afterAll(async () => {
  await tdb?.drop();
});

it("fires a due schedule on the first loop turn and keeps looping when a run cannot start", async () => {
  const db = tdb.db;
  const team = await db.team.create({ data: { name: "W", slug: "w" } });
  const test = await db.test.create({
    data: {
      teamId: team.id,
      name: "T",
      startUrl: "http://127.0.0.1:9/",
      source: 'Expect text "hi"',
      steps: [{ line: 1, text: 'Expect text "hi"', action: "expectText", value: "hi" }],
    },
  });
  const schedule = await db.schedule.create({
    data: { teamId: team.id, testId: test.id, cron: "* * * * *", nextRunAt: new Date(Date.now() - 5_000) },
  });
  const stop = new AbortController();
  const loop = runWorkerLoop({
    db,
    workerId: "tick-test",
    getBrowser: () => Promise.reject(new Error("no browser in this test")),
    listener: { wait: (ms: number) => new Promise((r) => setTimeout(() => r("timeout"), Math.min(ms, 50))) },
    pollMs: 50,
    log: pino({ level: "silent" }),
    signal: stop.signal,
  });
  try {
    // The run is queued first and the schedule settled (lock cleared, next slot) right after: wait for both.
    const deadline = Date.now() + 10_000;
    let runs: { scheduleId: string | null; trigger: string }[] = [];
    let after = schedule;
    while (Date.now() < deadline) {
      runs = await db.run.findMany({ select: { scheduleId: true, trigger: true } });
      after = await db.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
      if (runs.length > 0 && after.lockedAt === null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(runs).toEqual([{ scheduleId: schedule.id, trigger: "SCHEDULE" }]);
    expect(after.lockedAt).toBeNull();
    expect(after.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
  } finally {
    stop.abort();
    await loop;
  }
});

// Real worker processes SIGKILLed mid-run (short heartbeat and stale settings, as WORKER_HEARTBEAT_MS and
// WORKER_STALE_AFTER_MS allow): the run is re-run by another worker within seconds, never left RUNNING; killed at
// every attempt it ends ERROR "Worker lost (worker <id>)" naming the last worker.
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { parseSteps } from "@/server/steps/step-parser";
import { runTimings } from "@/domain/run";
import { MAX_ATTEMPTS } from "@/server/queue/settle";
import { enqueueRun } from "@/server/runs/enqueue";
import { createTestDatabase } from "../test/helpers/test-db";
import { pidOfWorkerId, spawnWorker, type WorkerProcess } from "../test/helpers/worker-process";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let server: http.Server;
let artifactsDir: string;
const workers = new Map<number, WorkerProcess>();
let teamId: string;
let testId: string;
let slowTestId: string;

const RECOVER_WITHIN_MS = 30_000;

beforeAll(async () => {
  tdb = await createTestDatabase("worker-kill.int.test");
  db = tdb.db;
  artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-worker-kill-"));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(`<title>K</title><button onclick="document.body.append('Done!')">Go</button>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const team = await db.team.create({ data: { name: "K", slug: "k" } });
  teamId = team.id;
  // Long enough (a 4 s wait) that the kill lands mid-run, short enough that the last attempt passes quickly.
  const source = `Wait 4 seconds\nClick Go\nExpect text "Done!"`;
  const parsed = parseSteps(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  testId = (await db.test.create({ data: { teamId, name: "K", startUrl: url, source, steps: parsed.steps } })).id;
  // Never finishes within the test: every attempt is killed mid-run.
  const slow = parseSteps(`Wait 20 seconds\nClick Go`);
  if (!slow.ok) throw new Error(JSON.stringify(slow.errors));
  slowTestId = (await db.test.create({ data: { teamId, name: "K slow", startUrl: url, source: "", steps: slow.steps } })).id;
}, 120_000);

afterAll(async () => {
  await Promise.all([...workers.values()].map((w) => w.kill()));
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
  await rm(artifactsDir, { recursive: true, force: true });
});

async function addWorker(): Promise<WorkerProcess> {
  const w = spawnWorker({
    DATABASE_URL: tdb.url,
    ARTIFACTS_DIR: artifactsDir,
    WORKER_POLL_MS: "500",
    WORKER_HEARTBEAT_MS: "300",
    WORKER_STALE_AFTER_MS: "1500",
  });
  workers.set(w.pid, w);
  await w.started();
  return w;
}

/** Waits until the run is RUNNING on attempt `attempt` (its worker may be any live one) and returns its owner. */
async function runningOn(runId: string, attempt: number): Promise<string> {
  let owner: string | null = null;
  await expect
    .poll(
      async () => {
        const r = await db.run.findUniqueOrThrow({ where: { id: runId } });
        owner = r.status === "RUNNING" && r.attempts === attempt ? r.workerId : null;
        return { status: r.status, attempts: r.attempts, owned: owner !== null };
      },
      { timeout: RECOVER_WITHIN_MS, interval: 100 },
    )
    .toEqual({ status: "RUNNING", attempts: attempt, owned: true });
  return owner!;
}

async function killOwner(workerId: string): Promise<void> {
  const pid = pidOfWorkerId(workerId);
  const w = workers.get(pid);
  if (!w) throw new Error(`no worker process ${pid}`);
  await w.kill();
  workers.delete(pid);
}

it("a run whose worker is SIGKILLed is re-run by another worker within seconds, then passes", async () => {
  await Promise.all([addWorker(), addWorker()]);
  const { id } = await enqueueRun(db, { teamId, testId, trigger: "MANUAL" });
  const first = await runningOn(id, 1);
  await killOwner(first);
  const killedAt = Date.now();
  // The survivor sweeps it (no heartbeat for 1.5 s) and claims it again.
  const second = await runningOn(id, 2);
  expect(Date.now() - killedAt).toBeLessThan(RECOVER_WITHIN_MS);
  expect(second).not.toBe(first);
  await expect
    .poll(async () => (await db.run.findUniqueOrThrow({ where: { id } })).status, { timeout: 60_000, interval: 200 })
    .toBe("PASSED");
  const done = await db.run.findUniqueOrThrow({ where: { id }, include: { runSteps: { orderBy: { stepIdx: "asc" } } } });
  expect(done).toMatchObject({ attempts: 2, workerId: second, errorMessage: null });
  // Its duration is the final attempt's execution, not the time the killed attempt sat dead (shown apart).
  const finalAttemptMs = done.endTime!.getTime() - done.attemptStartedAt!.getTime();
  expect(done.durationMs).toBe(finalAttemptMs);
  const earlierMs = done.attemptStartedAt!.getTime() - done.startTime!.getTime();
  expect(earlierMs).toBeGreaterThanOrEqual(1500); // at least the stale window the dead attempt sat out
  expect(runTimings(done)).toEqual({ queueWaitMs: done.startTime!.getTime() - done.createdAt.getTime(), earlierAttemptsMs: earlierMs });
  // The second attempt's steps, each once.
  expect(done.runSteps.map((s) => s.status)).toEqual(["PASSED", "PASSED", "PASSED"]);
  expect(await db.run.count({ where: { status: "RUNNING" } })).toBe(0);
}, 180_000);

it("killed at every attempt, the run ends ERROR 'Worker lost' naming the last worker, never stuck RUNNING", async () => {
  while (workers.size < 2) await addWorker();
  const { id } = await enqueueRun(db, { teamId, testId: slowTestId, trigger: "MANUAL" });
  let last = "";
  const replacements: Promise<WorkerProcess>[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    last = await runningOn(id, attempt);
    await killOwner(last);
    // Keep two workers alive; the new one may take the run as well as the survivor.
    replacements.push(addWorker());
  }
  const killedAt = Date.now();
  await expect
    .poll(async () => (await db.run.findUniqueOrThrow({ where: { id } })).status, { timeout: RECOVER_WITHIN_MS, interval: 100 })
    .toBe("ERROR");
  expect(Date.now() - killedAt).toBeLessThan(RECOVER_WITHIN_MS);
  const r = await db.run.findUniqueOrThrow({ where: { id } });
  expect(r.attempts).toBe(MAX_ATTEMPTS);
  expect(r.errorMessage).toContain(`Worker lost (worker ${last})`);
  expect(r.endTime).toBeInstanceOf(Date);
  expect(await db.run.count({ where: { status: "RUNNING" } })).toBe(0);
  await Promise.all(replacements);
}, 240_000);

// WORKER_CONCURRENCY: one worker process runs several runs at once, in contexts of its one Chromium; when that
// Chromium is killed mid-run, the runs it was driving go back to the queue and the worker relaunches Chromium and
// runs them again.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { enqueueRun } from "@/server/runs/enqueue";
import { parseSteps } from "@/server/steps/step-parser";
import { createTestDatabase } from "../test/helpers/test-db";
import { spawnWorker, type WorkerProcess } from "../test/helpers/worker-process";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let server: http.Server;
let artifactsDir: string;
let w: WorkerProcess | undefined;
let teamId: string;
let testId: string;

beforeAll(async () => {
  tdb = await createTestDatabase("concurrency.int.test");
  db = tdb.db;
  artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-concurrency-"));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(`<title>C</title><button onclick="document.body.append('Done!')">Go</button>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  teamId = (await db.team.create({ data: { name: "C", slug: "c" } })).id;
  const source = `Wait 3 seconds\nClick Go\nExpect text "Done!"`;
  const parsed = parseSteps(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  testId = (await db.test.create({ data: { teamId, name: "C", startUrl: url, source, steps: parsed.steps } })).id;
});
afterAll(async () => {
  await w?.kill();
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
  await rm(artifactsDir, { recursive: true, force: true });
});

/** Chromium browser processes the worker launched (its children; renderers and helpers carry --type=). */
function chromiumBrowsers(workerPid: number): number[] {
  const out = execFileSync("ps", ["-o", "pid=,ppid=,args=", "-e"], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === workerPid && /chrom/i.test(m[3]!) && !/--type=|crashpad/.test(m[3]!))
    .map((m) => Number(m[1]));
}

const statuses = async (ids: string[]) => (await db.run.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: "asc" } })).map((r) => r.status);

it("runs WORKER_CONCURRENCY runs at once on one Chromium, and relaunches it when it is killed mid-run", async () => {
  w = spawnWorker({ DATABASE_URL: tdb.url, ARTIFACTS_DIR: artifactsDir, WORKER_CONCURRENCY: "3", WORKER_POLL_MS: "300" });
  await w.started();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await enqueueRun(db, { teamId, testId, trigger: "MANUAL" })).id);

  // All three RUNNING on this one worker at the same time.
  await expect.poll(() => statuses(ids), { timeout: 30_000, interval: 50 }).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
  const owners = new Set((await db.run.findMany({ where: { id: { in: ids } } })).map((r) => r.workerId));
  expect(owners.size).toBe(1);
  const browsers = chromiumBrowsers(w.pid);
  expect(browsers).toHaveLength(1);
  await expect.poll(() => statuses(ids), { timeout: 60_000, interval: 200 }).toEqual(["PASSED", "PASSED", "PASSED"]);
  expect((await db.run.findMany({ where: { id: { in: ids } } })).map((r) => r.attempts)).toEqual([1, 1, 1]);

  // Chromium dies under two running runs: they are handed back and run again on a relaunched Chromium.
  const again = [(await enqueueRun(db, { teamId, testId, trigger: "MANUAL" })).id, (await enqueueRun(db, { teamId, testId, trigger: "MANUAL" })).id];
  // Both inside their first step (the 3 s wait): their pages are open in the browser about to be killed.
  await expect
    .poll(() => db.runStep.count({ where: { runId: { in: again }, stepIdx: 0, status: "RUNNING" } }), { timeout: 30_000, interval: 50 })
    .toBe(2);
  process.kill(browsers[0]!, "SIGKILL");
  await expect.poll(() => statuses(again), { timeout: 90_000, interval: 200 }).toEqual(["PASSED", "PASSED"]);
  const rerun = await db.run.findMany({ where: { id: { in: again } } });
  expect(rerun.map((r) => r.attempts)).toEqual([2, 2]);
  expect(w.output()).toContain("the browser disconnected during the run; run handed back");
  const relaunched = chromiumBrowsers(w.pid);
  expect(relaunched).toHaveLength(1);
  expect(relaunched[0]).not.toBe(browsers[0]);
  expect(await db.run.count({ where: { status: "RUNNING" } })).toBe(0);
}, 240_000);

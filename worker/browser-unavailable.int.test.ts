// A worker whose Chromium cannot start (CHROMIUM_PATH broken): it claims nothing, so queued runs stay PENDING
// with their attempts unchanged; it reports itself unhealthy (Worker row, pacts_workers_unhealthy, the dashboard's
// worker status) and backs off between launch attempts. A worker with a working Chromium then runs them.
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createCaller } from "@/server/api/root";
import { TEAM_COOKIE } from "@/server/api/trpc";
import { renderMetrics } from "@/server/metrics/prometheus";
import { enqueueRun } from "@/server/runs/enqueue";
import { createTestDatabase } from "../test/helpers/test-db";
import { spawnWorker, type WorkerProcess } from "../test/helpers/worker-process";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let server: http.Server;
let artifactsDir: string;
const started: WorkerProcess[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase("browser-unavailable.int.test");
  db = tdb.db;
  artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-nobrowser-"));
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<title>B</title><p>hello</p>`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  await Promise.all(started.map((w) => w.kill()));
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
  await rm(artifactsDir, { recursive: true, force: true });
});

function worker(env: Record<string, string> = {}): WorkerProcess {
  const w = spawnWorker({ DATABASE_URL: tdb.url, ARTIFACTS_DIR: artifactsDir, WORKER_POLL_MS: "300", WORKER_HEARTBEAT_MS: "500", ...env });
  started.push(w);
  return w;
}

const sample = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

it("a broken Chromium path: runs stay PENDING, attempts unchanged, the worker is unhealthy; a working one runs them", async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const team = await db.team.create({ data: { name: "B", slug: "b" } });
  const user = await db.user.create({ data: { email: "b@example.test", name: "B" } });
  await db.membership.create({ data: { teamId: team.id, userId: user.id, role: "MEMBER" } });
  const steps = [{ line: 1, text: 'Expect text "hello"', action: "expectText", value: "hello" }];
  const test = await db.test.create({ data: { teamId: team.id, name: "B", startUrl: url, source: "", steps } });
  const ids = [
    (await enqueueRun(db, { teamId: team.id, testId: test.id, trigger: "MANUAL" })).id,
    (await enqueueRun(db, { teamId: team.id, testId: test.id, trigger: "MANUAL" })).id,
  ];

  const broken = worker({ CHROMIUM_PATH: path.join(artifactsDir, "no-such-chromium") });
  await broken.started();
  await expect
    .poll(async () => (await db.worker.findFirst({ where: { pid: broken.pid } }))?.health, { timeout: 30_000, interval: 100 })
    .toBe("BROWSER_UNAVAILABLE");
  const row = await db.worker.findFirstOrThrow({ where: { pid: broken.pid } });
  expect(row.healthError).toMatch(/^Chromium could not be started: .*no-such-chromium/);
  // It keeps trying, with growing pauses (1 s, 2 s, ...), and never takes a run.
  await expect.poll(() => broken.output().match(/browser unavailable; claiming nothing/g)?.length ?? 0, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(2);
  const retries = [...broken.output().matchAll(/"retryInMs":(\d+)/g)].map((m) => Number(m[1]));
  expect(retries.slice(0, 2)).toEqual([1000, 2000]);
  const runs = await db.run.findMany({ where: { id: { in: ids } } });
  expect(runs.map((r) => [r.status, r.attempts, r.workerId])).toEqual([["PENDING", 0, null], ["PENDING", 0, null]]);

  const metrics = await renderMetrics(db);
  expect(sample(metrics, "pacts_workers_unhealthy")).toBe(1);
  expect(sample(metrics, "pacts_workers_active")).toBe(1);
  const caller = createCaller({ db, session: { user: { id: user.id, email: user.email } }, headers: new Headers({ cookie: `${TEAM_COOKIE}=${team.id}` }) });
  const status = await caller.metrics.workers();
  expect(status).toMatchObject({ active: 1, unhealthy: [{ id: row.id, health: "BROWSER_UNAVAILABLE" }] });
  expect(status.unhealthy[0]!.error).toContain("no-such-chromium");

  // Fixed (a worker with a working Chromium): the same runs execute, each on its first attempt.
  const good = worker();
  await good.started();
  await expect
    .poll(async () => (await db.run.findMany({ where: { id: { in: ids } } })).map((r) => r.status), { timeout: 60_000, interval: 200 })
    .toEqual(["PASSED", "PASSED"]);
  const done = await db.run.findMany({ where: { id: { in: ids } } });
  expect(done.map((r) => r.attempts)).toEqual([1, 1]);
  expect(sample(await renderMetrics(db), "pacts_workers_unhealthy")).toBe(1); // the broken one still is
  expect((await db.worker.findFirstOrThrow({ where: { pid: good.pid } })).health).toBe("HEALTHY");
}, 180_000);

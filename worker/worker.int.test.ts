// The worker process as users run it (`tsx worker/index.ts`): it wakes on NOTIFY (poll interval set far above
// the observed latency), drives the run to PASSED, and on SIGTERM exits promptly with the browser closed.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { enqueueRun } from "@/server/runs/enqueue";
import { createTestDatabase } from "../test/helpers/test-db";

const TEST_CHROMIUM_ARGS = [
  "--headless", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
];
const ROOT = path.resolve(import.meta.dirname, "..");

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let server: http.Server;
let artifactsDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  tdb = await createTestDatabase("worker.int.test");
  db = tdb.db;
  artifactsDir = await mkdtemp(path.join(tmpdir(), "pacts-worker-"));
  server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(`<title>W</title><button onclick="document.body.append('Done!')">Go</button>`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
  await rm(artifactsDir, { recursive: true, force: true });
});

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("claims on NOTIFY, passes the run, and stops on SIGTERM within 3 s", async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const team = await db.team.create({ data: { name: "W", slug: "w" } });
  const steps = [
    { line: 1, text: "Click Go", action: "click", target: { name: "Go", exact: false } },
    { line: 2, text: 'Expect text "Done!"', action: "expectText", value: "Done!" },
  ];
  const test = await db.test.create({ data: { teamId: team.id, name: "W", startUrl: url, source: "", steps } });

  let output = "";
  child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["worker/index.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: tdb.url,
      ARTIFACTS_DIR: artifactsDir,
      CHROMIUM_ARGS: JSON.stringify(TEST_CHROMIUM_ARGS),
      WORKER_POLL_MS: "20000",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  await waitFor(async () => (output.includes("worker started") ? true : undefined), 20_000);
  // Let the first (empty) claim pass so the worker is idle, waiting on NOTIFY.
  await new Promise((r) => setTimeout(r, 500));

  const queuedAt = Date.now();
  const { id } = await enqueueRun(db, { teamId: team.id, testId: test.id, trigger: "CLI" });
  const claimed = await waitFor(async () => (await db.run.findFirst({ where: { id, status: { not: "PENDING" } } })) ?? undefined, 10_000);
  expect(Date.now() - queuedAt).toBeLessThan(3000); // far below the 20 s poll: NOTIFY woke it
  expect(claimed.workerId).toMatch(/-\d+-[0-9a-f]{6}$/);
  const done = await waitFor(async () => (await db.run.findFirst({ where: { id, status: { in: ["PASSED", "FAILED", "ERROR"] } } })) ?? undefined, 30_000);
  expect(done.errorMessage).toBeNull();
  expect(done.status).toBe("PASSED");
  // The step screenshots and the spec; the run's trace (on by default) is stored beside them and may land just
  // after the run is marked PASSED, so it is not counted here (src/server/trace/trace.int.test.ts checks it).
  expect(await db.artifact.count({ where: { runId: id, type: { not: "TRACE" } } })).toBe(3);

  const stoppedAt = Date.now();
  const exit = new Promise<number | null>((r) => child!.on("exit", (code) => r(code)));
  child.kill("SIGTERM");
  expect(await exit).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(3000);
  expect(output).toContain("worker stopped");
});

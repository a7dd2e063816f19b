// Trace per run: a run records a Playwright trace (TRACE artifact trace.zip) holding its actions; the test's
// FAILED_OR_HEALED mode keeps none for a clean pass but keeps a failed run's; and the dashboard's copy of
// Playwright's trace viewer (traceViewerResponse, behind the same team check as the route) opens it in Chromium
// and lists the run's actions. A user of another team gets 404 for the viewer and the zip.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { unzipSync } from "fflate";
import type { Browser } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { type RunFixture, setupRunFixture } from "../../../test/helpers/run-fixture";
import { parseSteps } from "../steps/step-parser";
import { claimRuns } from "../queue/claim";
import { enqueueRun } from "../runs/enqueue";
import { executeRun } from "../runs/execute-run";
import { readArtifactFile } from "../storage/artifact-store";
import { traceViewerBase, traceViewerResponse } from "./viewer";

const PAGE = `<!doctype html><html><head><title>Login</title></head><body><main>
<label for="u">Username</label><input id="u">
<button type="button" onclick="document.getElementById('o').textContent='Welcome, '+document.getElementById('u').value">Log in</button>
<p id="o"></p></main></body></html>`;
const STEPS = `Fill "alice" in the Username field
Click the Log in button
Expect text "Welcome, alice"`;
const FAILING = `Fill "alice" in the Username field
Expect text "Goodbye"`;

let fx: RunFixture;
let db: PrismaClient;
let browser: Browser;
let baseUrl: string;
let teamId: string;
let viewerServer: http.Server;
let viewerUrl: string;
let viewerUser: string;
const log = pino({ level: "silent" });

beforeAll(async () => {
  fx = await setupRunFixture("trace.int.test", { stepTimeoutMs: 2000, handler: (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE) });
  ({ db, browser, baseUrl } = fx);
  teamId = (await db.team.create({ data: { name: "T", slug: "t" } })).id;
  viewerUser = (await db.user.create({ data: { email: "trace@example.com", memberships: { create: { teamId, role: "MEMBER" } } } })).id;
  // The route handler's work minus the session lookup: /api/runs/<id>/trace/<file> for the user whose id the
  // x-user header (or the default member) names.
  viewerServer = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const m = /^\/api\/runs\/([^/]+)\/trace\/(.*)$/.exec(url.pathname);
      const user = typeof req.headers["x-user"] === "string" ? req.headers["x-user"] : viewerUser;
      const r = m ? await traceViewerResponse(db, user, decodeURIComponent(m[1]!), m[2]!) : new Response("no", { status: 404 });
      res.writeHead(r.status, Object.fromEntries(r.headers.entries()));
      res.end(Buffer.from(await r.arrayBuffer()));
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => viewerServer.listen(0, "127.0.0.1", r));
  viewerUrl = `http://127.0.0.1:${(viewerServer.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((r) => viewerServer?.close(r));
  await fx?.close();
});

async function run(source: string, traceMode: "ALWAYS" | "FAILED_OR_HEALED") {
  const parsed = parseSteps(source);
  if (!parsed.ok) throw new Error("steps do not parse");
  const test = await db.test.create({ data: { teamId, name: `T ${traceMode} ${Math.random().toString(36).slice(2)}`, startUrl: `${baseUrl}/login`, source, steps: parsed.steps, traceMode } });
  const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "MANUAL" });
  const [claimed] = await claimRuns(db, "w-trace", 1);
  expect(claimed).toMatchObject({ id, traceMode });
  await executeRun(db, claimed!, { workerId: "w-trace", browser, log, cache: null });
  return db.run.findUniqueOrThrow({ where: { id }, include: { artifacts: true } });
}

/** The API calls recorded in a trace zip (its *.trace files), e.g. "Locator.fill". */
function tracedCalls(zip: Buffer): string[] {
  const files = unzipSync(new Uint8Array(zip));
  const calls: string[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.endsWith(".trace")) continue;
    for (const line of new TextDecoder().decode(bytes).split("\n")) {
      if (!line.trim()) continue;
      const ev = JSON.parse(line) as { type?: string; class?: string; method?: string; apiName?: string };
      if (ev.type === "before") calls.push(ev.apiName ?? `${ev.class}.${ev.method}`);
    }
  }
  return calls;
}

describe("trace per run", () => {
  it("a run stores a trace zip holding its actions, and the built-in viewer shows them", async () => {
    const r = await run(STEPS, "ALWAYS");
    expect(r.errorMessage).toBeNull();
    expect(r.status).toBe("PASSED");
    const trace = r.artifacts.find((a) => a.type === "TRACE");
    expect(trace).toMatchObject({ filePath: `${r.id}/trace.zip`, mime: "application/zip" });
    const zip = await readArtifactFile(trace!.filePath);
    const calls = tracedCalls(zip);
    expect(calls.some((c) => /fill/i.test(c)), JSON.stringify(calls)).toBe(true);
    expect(calls.some((c) => /click/i.test(c)), JSON.stringify(calls)).toBe(true);
    expect(calls.some((c) => /goto/i.test(c)), JSON.stringify(calls)).toBe(true);

    const base = `${viewerUrl}${traceViewerBase(r.id)}`;
    const other = (await db.user.create({ data: { email: "trace-out@example.com", memberships: { create: { team: { create: { name: "X", slug: "x" } }, role: "OWNER" } } } })).id;
    for (const file of ["index.html", "trace.zip", "sw.bundle.js"]) {
      expect((await fetch(`${base}${file}`, { headers: { "x-user": other } })).status).toBe(404);
      expect((await fetch(`${base}${file}`)).status).toBe(200);
    }
    expect((await fetch(`${base}../../../package.json`)).status).toBe(404);

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${base}index.html?trace=${encodeURIComponent(`${base}trace.zip`)}`);
      // The viewer's action list names the run's calls (e.g. "Fill "alice"", "Click").
      const actions = page.locator(".action-title");
      await expect.poll(async () => (await actions.allTextContents()).join(" | "), { timeout: 60_000 }).toMatch(/Fill/);
      expect((await actions.allTextContents()).join(" | ")).toMatch(/Click/);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("FAILED_OR_HEALED keeps no trace of a clean pass, and keeps a failed run's", async () => {
    const clean = await run(STEPS, "FAILED_OR_HEALED");
    expect(clean.status).toBe("PASSED");
    expect(clean.artifacts.filter((a) => a.type === "TRACE")).toEqual([]);
    expect((await fetch(`${viewerUrl}${traceViewerBase(clean.id)}index.html`)).status).toBe(404);

    const failed = await run(FAILING, "FAILED_OR_HEALED");
    expect(failed.status).toBe("FAILED");
    const trace = failed.artifacts.find((a) => a.type === "TRACE");
    expect(trace).toBeTruthy();
    expect(tracedCalls(await readArtifactFile(trace!.filePath)).some((c) => /fill/i.test(c))).toBe(true);
  }, 180_000);
});

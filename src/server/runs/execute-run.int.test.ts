// executeRun end to end: real Postgres, real Chromium, a tiny local login site. Checks statuses, verdicts,
// per-step rows and screenshots on disk, the generated spec, and that nothing is ever left RUNNING.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { type RunFixture, setupRunFixture } from "../../../test/helpers/run-fixture";
import { newRunContext } from "../browser";
import { parseSteps } from "../steps/step-parser";
import { claimRuns } from "../queue/claim";
import { readArtifactFile } from "../storage/artifact-store";
import { enqueueRun } from "./enqueue";
import { executeRun } from "./execute-run";


const LOGIN_PAGE = (version: string) => `<!doctype html><html><head><title>Demo login</title></head><body>
<p>Site version ${version}</p>
<form id="f">
  <label for="user">Username</label><input id="user">
  <label for="pw">Password</label><input id="pw" type="password">
  <select aria-label="Colour"><option value="r">Red</option><option value="b">Blue</option></select>
  <button type="submit">Log in</button>
</form>
<p id="out"></p>
<script>
document.getElementById('f').addEventListener('submit', (e) => {
  e.preventDefault();
  const ok = document.getElementById('user').value === 'alice' && document.getElementById('pw').value === 'wonderland';
  setTimeout(() => { document.getElementById('out').textContent = ok ? 'Welcome, ' + document.getElementById('user').value : 'Invalid login'; }, 150);
});
</script></body></html>`;

let fx: RunFixture;
let db: PrismaClient;
let browser: Browser;
let baseUrl: string;
let teamId: string;
const log = pino({ level: "silent" });

beforeAll(async () => {
  fx = await setupRunFixture("execute-run.int.test", {
    stepTimeoutMs: 1500,
    handler: (req, res) => {
      if (req.url === "/slow.png") return void setTimeout(() => res.writeHead(404).end(), 400);
      if (req.url === "/late-form") return void res.writeHead(200, { "content-type": "text/html" }).end(LATE_FORM_PAGE);
      if (req.url === "/confirm") return void res.writeHead(200, { "content-type": "text/html" }).end(CONFIRM_PAGE);
      if (req.url === "/tabs-home") return void res.writeHead(200, { "content-type": "text/html" }).end(TABS_HOME);
      if (req.url === "/tabs-docs") return void res.writeHead(200, { "content-type": "text/html" }).end(TABS_DOCS);
      if (req.url === "/dates") return void res.writeHead(200, { "content-type": "text/html" }).end(DATES_PAGE);
      const version = /pacts_demo_version=(\d)/.exec(req.headers.cookie ?? "")?.[1] ?? "none";
      res.writeHead(200, { "content-type": "text/html" }).end(LOGIN_PAGE(version));
    },
  });
  ({ db, browser, baseUrl } = fx);
  teamId = (await db.team.create({ data: { name: "E", slug: "e", demoVersion: 2 } })).id;
});
afterAll(async () => {
  await fx?.close();
});
// Parsed long before it has loaded (an image takes 400 ms), and its load handler replaces the form: the element
// a look at parse time saw is gone by the time the step acts.
const LATE_FORM_PAGE = `<!doctype html><html><head><title>Late form</title></head><body>
<form id="f"><label for="user">Username</label><input id="user"></form>
<img src="/slow.png" alt="">
<p id="out"></p>
<script>
window.addEventListener('load', () => {
  document.getElementById('f').innerHTML = '<label for="user2">Username</label><input id="user2">';
  document.getElementById('user2').addEventListener('input', () => { document.getElementById('out').textContent = 'typed into the new form'; });
});
</script></body></html>`;

const DATES_PAGE = `<!doctype html><html><head><title>Dates</title></head><body><label for="d">Start date</label><input type="date" id="d">
<label for="n">Note</label><input id="n"></body></html>`;

// A destructive button that asks first, as many admin pages do with window.confirm (and a prompt for a reason).
const CONFIRM_PAGE = `<!doctype html><html><head><title>Items</title></head><body><ul><li id="item">Old draft</li></ul>
<button id="del">Delete</button><p id="out"></p>
<script>
document.getElementById('del').addEventListener('click', () => {
  if (!confirm('Delete "Old draft"?')) { document.getElementById('out').textContent = 'Kept'; return; }
  const why = prompt('Why?', 'obsolete');
  document.getElementById('item').remove();
  document.getElementById('out').textContent = 'Deleted (' + why + ')';
});
</script></body></html>`;

// A link that opens a tab whose page asks before it acts, and a file input behind a styled label.
const TABS_HOME = `<!doctype html><html><head><title>Home</title></head><body><a href="/tabs-docs" target="_blank">Open docs</a>
<label for="f">Attachment</label><input type="file" id="f" hidden></body></html>`;
const TABS_DOCS = `<!doctype html><html><head><title>Docs</title></head><body><button onclick="if (confirm('Sure?')) this.textContent = 'Confirmed'">Go</button></body></html>`;

let n = 0;
async function queueAndClaim(source: string, startUrl: string, dataRow?: Record<string, string>) {
  const parsed = parseSteps(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const test = await db.test.create({ data: { teamId, name: `t${++n}`, startUrl, source, steps: parsed.steps } });
  const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "MANUAL", dataRow });
  const [run] = await claimRuns(db, "w-test", 1);
  expect(run?.id).toBe(id);
  return run!;
}

async function loadRun(id: string) {
  return db.run.findUniqueOrThrow({
    where: { id },
    include: { runSteps: { orderBy: { stepIdx: "asc" } }, artifacts: { orderBy: { createdAt: "asc" } } },
  });
}

async function expectNothingRunning() {
  expect(await db.run.count({ where: { status: "RUNNING" } })).toBe(0);
  expect(await db.runStep.count({ where: { status: { in: ["RUNNING", "PENDING"] } } })).toBe(0);
}

const DEMO = `Fill "alice" in the Username field
Fill "wonderland" in the Password field
Click the Log in button
Expect text "Welcome, alice"`;

describe("executeRun", () => {
  it("passes the login flow with a screenshot per step, the demo cookie and a generated spec", async () => {
    const run = await queueAndClaim(`${DEMO}\nExpect text "Site version 2"\nSelect "Blue" from Colour`, `${baseUrl}/demo/login`);
    expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("PASSED");
    const r = await loadRun(run.id);
    expect(r).toMatchObject({ status: "PASSED", verdict: "CLEAN", completedSteps: 6, totalSteps: 6, errorMessage: null });
    expect(r.durationMs).toBeGreaterThan(0);
    expect(r.runSteps.map((s) => s.status)).toEqual(Array(6).fill("PASSED"));
    expect(r.runSteps[0]).toMatchObject({ strategy: "label", selector: 'internal:label="Username"s', cacheSource: "miss" });
    expect(r.runSteps[2]).toMatchObject({ strategy: "role-name", selector: 'internal:role=button[name="Log in"s]' });
    expect(r.runSteps.every((s) => s.durationMs !== null && s.finishedAt)).toBe(true);

    const shots = r.artifacts.filter((a) => a.type === "SCREENSHOT");
    expect(shots.map((a) => [a.stepIdx, a.filePath]).sort()).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [i, `${run.id}/step-${i}.png`]),
    );
    const png = await readArtifactFile(shots[0]!.filePath);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(createHash("sha256").update(png).digest("hex")).toBe(shots[0]!.checksum);
    expect(shots[0]!.sizeBytes).toBe(png.byteLength);

    const specRow = r.artifacts.find((a) => a.type === "TEST_FILE");
    expect(specRow).toMatchObject({ stepIdx: null, filePath: `${run.id}/test.spec.ts` });
    const spec = await readFile(path.join(fx.artifactsDir, specRow!.filePath), "utf8");
    expect(spec).toContain('await page.getByLabel("Username", { exact: true }).fill("alice");');
    expect(spec).toContain('await page.getByRole("button", { name: "Log in", exact: true }).click();');
    expect(spec).toContain('toBeVisible();');

    // The original system's verification queries run unchanged.
    const rows = await db.$queryRawUnsafe<{ artifact_type: string; step_idx: number | null }[]>(
      `SELECT req_id, artifact_type, file_path, step_idx FROM artifacts WHERE req_id = '${run.id}' ORDER BY created_at DESC LIMIT 10`,
    );
    expect(rows.filter((x) => x.artifact_type === "screenshot").length).toBe(6);
    expect(rows.find((x) => x.artifact_type === "test_file")?.step_idx).toBeNull();
    await expectNothingRunning();
  });

  it("a warm run whose start page changes the element after it was parsed acts on what the page shows at load", async () => {
    const source = `Fill "alice" in the Username field\nExpect text "typed into the new form"\nExpect Username to have value "alice"`;
    for (const attempt of ["cold", "warm"]) {
      const run = await queueAndClaim(source, `${baseUrl}/late-form`);
      expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("PASSED");
      const r = await loadRun(run.id);
      expect(r.errorMessage).toBeNull();
      expect(r.runSteps[0]).toMatchObject({ status: "PASSED", selector: 'internal:label="Username"s', cacheSource: attempt === "cold" ? "miss" : "memory" });
    }
    await expectNothingRunning();
  });

  it("a warm run still fails a fill the field does not take, and still fills plain fields without a second look", async () => {
    for (const attempt of ["cold", "warm"]) {
      const ok = await queueAndClaim(`Fill "2024-03-15" in the Start date field\nFill "hi" in the Note field`, `${baseUrl}/dates`);
      expect(await executeRun(db, ok, { workerId: "w-test", browser, log })).toBe("PASSED");
      expect((await loadRun(ok.id)).runSteps.map((s) => s.cacheSource)).toEqual(attempt === "cold" ? ["miss", "miss"] : ["memory", "memory"]);
    }
    const bad = await queueAndClaim(`Fill "03/15/2024" in the Start date field`, `${baseUrl}/dates`);
    expect(await executeRun(db, bad, { workerId: "w-test", browser, log })).toBe("FAILED");
    const r = await loadRun(bad.id);
    expect(r.runSteps[0]).toMatchObject({ status: "FAILED", cacheSource: "memory" });
    expect(r.runSteps[0]?.errorMessage).toMatch(/did not take "03\/15\/2024".*YYYY-MM-DD/);
    await expectNothingRunning();
  });

  it("binds {{variables}} from the data row", async () => {
    const src = `Fill "{{user}}" in the Username field\nFill "wonderland" in the Password field\nClick Log in\nExpect text "Welcome, {{user}}"`;
    const run = await queueAndClaim(src, `${baseUrl}/other`, { user: "alice" });
    expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("PASSED");
    const r = await loadRun(run.id);
    expect(r.runSteps[0]?.value).toBe("alice");
  });

  it("an unreachable URL fails with NAVIGATION_ERROR and a clear message", async () => {
    const run = await queueAndClaim(DEMO, "http://127.0.0.1:1/");
    expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("FAILED");
    const r = await loadRun(run.id);
    expect(r).toMatchObject({ status: "FAILED", verdict: "NAVIGATION_ERROR", completedSteps: 0 });
    expect(r.errorMessage).toBe("Could not open http://127.0.0.1:1/: net::ERR_UNSAFE_PORT");
    expect(r.runSteps.map((s) => s.status)).toEqual(Array(4).fill("SKIPPED"));
    await expectNothingRunning();

    // A port nobody listens on: connection refused.
    const probe = http.createServer();
    await new Promise<void>((res) => probe.listen(0, "127.0.0.1", res));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((res) => probe.close(res));
    const run2 = await queueAndClaim(DEMO, `http://127.0.0.1:${closedPort}/`);
    expect(await executeRun(db, run2, { workerId: "w-test", browser, log })).toBe("FAILED");
    expect((await loadRun(run2.id)).errorMessage).toBe(`Could not open http://127.0.0.1:${closedPort}/: net::ERR_CONNECTION_REFUSED`);
    await expectNothingRunning();
  });

  it("an unknown element fails that step with a clear message and skips the rest", async () => {
    const run = await queueAndClaim(`Fill "alice" in the Username field\nClick the Teleport button\nExpect text "Welcome"`, `${baseUrl}/x`);
    expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("FAILED");
    const r = await loadRun(run.id);
    expect(r).toMatchObject({ status: "FAILED", verdict: "SELECTOR_DRIFT_NOT_HEALED", completedSteps: 1 });
    expect(r.errorMessage).toMatch(/Step 2 .*Teleport.*No unique visible element for "Teleport" \(button\)/);
    expect(r.runSteps.map((s) => s.status)).toEqual(["PASSED", "FAILED", "SKIPPED"]);
    expect(r.runSteps[1]?.errorMessage).toMatch(/No unique visible element/);
    // The failing step still has its screenshot.
    const stepShots = r.artifacts.filter((a) => a.type === "SCREENSHOT" && /\/step-\d+\.png$/.test(a.filePath));
    expect(stepShots.map((a) => a.stepIdx).sort()).toEqual([0, 1]);
    // The failed heal attempts kept their own screenshots and events.
    const heals = await db.healEvent.findMany({ where: { runId: run.id } });
    expect(heals.length).toBeGreaterThan(0);
    expect(heals.every((h) => h.stepIdx === 1 && h.outcome === "FAILED")).toBe(true);
    expect(r.healEventCount).toBe(heals.length);
    await expectNothingRunning();
  });

  it("answers a confirm and a prompt with OK, so a guarded Delete deletes; the generated spec does the same", async () => {
    const run = await queueAndClaim(`Click Delete\nExpect text "Deleted (obsolete)"\nExpect no text "Old draft"`, `${baseUrl}/confirm`);
    expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("PASSED");
    const r = await loadRun(run.id);
    const spec = r.artifacts.find((a) => a.type === "TEST_FILE");
    const text = (await readArtifactFile(spec!.filePath)).toString();
    expect(text).toMatch(/page\.on\("dialog", \(dialog\) => dialog\.accept\(/);
    expect(text.indexOf('page.on("dialog"')).toBeLessThan(text.indexOf("page.goto("));
  });

  it("follows a tab a click opened: later steps, their screenshots and dialogs are the new tab's; uploads are generated", async () => {
    const run = await queueAndClaim(
      `Upload "/etc/passwd" to the Attachment field\nClick Open docs\nSwitch to the new tab\nClick Go\nExpect text "Confirmed"\nExpect URL contains "/tabs-docs"\nClose the tab\nExpect title contains "Home"`,
      `${baseUrl}/tabs-home`,
    );
    const lines: string[] = [];
    const captured = pino({ level: "info" }, { write: (l: string) => void lines.push(l) });
    const urls: string[] = [];
    const outcome = await executeRun(db, run, { workerId: "w-test", browser, log: captured, onStepDone: async (_i, page) => void urls.push(new URL(page.url()).pathname) });
    const r = await loadRun(run.id);
    expect(r.errorMessage).toBeNull();
    expect(outcome).toBe("PASSED");
    expect(urls).toEqual(["/tabs-home", "/tabs-home", "/tabs-docs", "/tabs-docs", "/tabs-docs", "/tabs-docs", "/tabs-home", "/tabs-home"]);
    expect(r.artifacts.filter((a) => a.type === "SCREENSHOT")).toHaveLength(8);
    // A worker run reads no file from the server's disk: the step set a generated "passwd" and the log says so.
    expect(lines.some((l) => /uploaded a generated passwd \(application\/octet-stream, \d+ bytes\)/.test(l))).toBe(true);
    // … and the step's row keeps that note for the dashboard and `pacts run`; steps that did nothing more have none.
    expect(r.runSteps[0]!.note).toMatch(/uploaded a generated passwd/);
    expect(r.runSteps.slice(1).map((s) => s.note)).toEqual(Array(7).fill(null));
    expect(lines.some((l) => /answered a JavaScript dialog with OK/.test(l) && /Sure\?/.test(l))).toBe(true);
    const spec = (await readArtifactFile(r.artifacts.find((a) => a.type === "TEST_FILE")!.filePath)).toString();
    expect(spec).toContain('page = await switchTab("new");');
    expect(spec).not.toContain("/etc/passwd\")");
  });

  it("a false assertion fails with ASSERTION_FAILED", async () => {
    const run = await queueAndClaim(`Fill "alice" in the Username field\nFill "nope" in the Password field\nClick Log in\nExpect text "Welcome, alice"`, `${baseUrl}/x`);
    expect(await executeRun(db, run, { workerId: "w-test", browser, log })).toBe("FAILED");
    const r = await loadRun(run.id);
    expect(r).toMatchObject({ status: "FAILED", verdict: "ASSERTION_FAILED", completedSteps: 3 });
    expect(r.errorMessage).toMatch(/Expected text "Welcome, alice" to be visible on the page within 1500 ms/);
  });

  it("takes over a context the caller opened ahead, and closes it also when the run never got to use it", async () => {
    const run = await queueAndClaim(DEMO, `${baseUrl}/ahead`);
    const before = browser.contexts().length;
    const opened = newRunContext(browser);
    const closed = opened.then((c) => new Promise<void>((res) => c.once("close", () => res())));
    expect(await executeRun(db, run, { workerId: "w-test", browser, log, context: opened })).toBe("PASSED");
    const r = await loadRun(run.id);
    // The demo cookie (a /demo/ URL only) is not asked for here; the steps ran in the context handed in.
    expect(r.runSteps.map((s) => s.status)).toEqual(Array(4).fill("PASSED"));
    await closed;
    expect(browser.contexts().length).toBe(before);

    const broken = await queueAndClaim(DEMO, `${baseUrl}/ahead`);
    const unused = newRunContext(browser);
    const unusedClosed = unused.then((c) => new Promise<void>((res) => c.once("close", () => res())));
    expect(await executeRun(db, { ...broken, steps: [{ nonsense: true }] }, { workerId: "w-test", browser, log, context: unused })).toBe("ERROR");
    await unusedClosed;
    expect(browser.contexts().length).toBe(before);
    await expectNothingRunning();
  });

  it("a stopped worker hands the run back to PENDING", async () => {
    // Stopped while its first step (a long wait) runs, whatever the machine's speed: the abort is sent once that
    // step's row says RUNNING, and the hand-back is timed from the abort (a loaded CI machine made a fixed 800 ms
    // abort land anywhere from context creation to the wait).
    const run = await queueAndClaim(`Wait 20 seconds\nExpect text "x"`, `${baseUrl}/x`);
    const stop = new AbortController();
    const executing = executeRun(db, run, { workerId: "w-test", browser, log, signal: stop.signal });
    await expect
      .poll(async () => (await db.runStep.findFirst({ where: { runId: run.id, stepIdx: 0 } }))?.status, { timeout: 30_000, interval: 50 })
      .toBe("RUNNING");
    const abortedAt = Date.now();
    stop.abort();
    expect(await executing).toBe("REQUEUED");
    expect(Date.now() - abortedAt).toBeLessThan(10_000); // far below the 20 s wait: the stop interrupted it
    const r = await loadRun(run.id);
    expect(r).toMatchObject({ status: "PENDING", workerId: null, attempts: 1 });
    await db.run.delete({ where: { id: run.id } });
  });

  it("a run over its test's time limit is stopped and ends FAILED with verdict TIMEOUT", async () => {
    const source = `Wait 30 seconds\nExpect text "x"`;
    const parsed = parseSteps(source);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const test = await db.test.create({ data: { teamId, name: "limited", startUrl: `${baseUrl}/x`, source, steps: parsed.steps, runTimeLimitSec: 2 } });
    const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "MANUAL" });
    const [run] = await claimRuns(db, "w-test", 1);
    expect(run).toMatchObject({ id, timeLimitSec: 2 });
    const started = Date.now();
    expect(await executeRun(db, run!, { workerId: "w-test", browser, log })).toBe("FAILED");
    expect(Date.now() - started).toBeLessThan(20_000); // well before the 30 s wait would have ended
    const r = await loadRun(id);
    expect(r).toMatchObject({ status: "FAILED", verdict: "TIMEOUT", completedSteps: 0 });
    expect(r.errorMessage).toBe("The run took longer than its time limit of 2 s (after 0 of 2 steps); raise it in the test's settings if it needs more");
    expect(r.runSteps.map((s) => s.status)).toEqual(["FAILED", "SKIPPED"]);
  });
});

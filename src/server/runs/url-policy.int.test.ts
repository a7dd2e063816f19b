// The URL policy in real runs (real Postgres and Chromium, a loopback page server): a `file:` data row bound into
// `Go to`, a cloud-metadata IP, a loopback page that redirects to one, and a link to one all fail their step with
// BLOCKED_BY_POLICY, keep no screenshot of it and fetch nothing. No request ever leaves this machine: each run's
// context carries a catch-all route, registered before the policy's, that answers any non-loopback request
// itself and records it; the policy works when that route hears nothing.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { type RunFixture, setupRunFixture } from "../../../test/helpers/run-fixture";
import { testRouter } from "../api/routers/test";
import { createCallerFactory } from "../api/trpc";
import { newRunContext } from "../browser";
import { resetServerEnv } from "../env";
import { parseSteps } from "../steps/step-parser";
import { claimRuns } from "../queue/claim";
import { enqueueRun } from "./enqueue";
import { executeRun } from "./execute-run";

const METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";
const page = (title: string, body: string) => `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;

let fx: RunFixture;
let db: PrismaClient;
let browser: Browser;
let baseUrl: string;
let teamId: string;
let secretDir: string;
const served: string[] = [];
const log = pino({ level: "silent" });

beforeAll(async () => {
  fx = await setupRunFixture("url-policy.int.test", {
    stepTimeoutMs: 3000,
    handler: (req, res) => {
      served.push(req.url ?? "");
      if (req.url === "/redirect") return void res.writeHead(302, { location: METADATA }).end();
      if (req.url === "/links") return void res.writeHead(200, { "content-type": "text/html" }).end(page("Links", `<a href="${METADATA}">Metadata</a>`));
      res.writeHead(200, { "content-type": "text/html" }).end(page("Home", "<h1>Home</h1>"));
    },
  });
  ({ db, browser, baseUrl } = fx);
  teamId = (await db.team.create({ data: { name: "U", slug: "u" } })).id;
  secretDir = await mkdtemp(path.join(tmpdir(), "pacts-secret-"));
  await writeFile(path.join(secretDir, "secrets.json"), JSON.stringify({ key: "TOP-SECRET-KEY" }));
});
afterAll(async () => {
  delete process.env.PACTS_URL_DENY;
  delete process.env.PACTS_URL_ALLOW;
  resetServerEnv();
  await fx?.close();
  if (secretDir) await rm(secretDir, { recursive: true, force: true });
});

/** A run context whose last-resort route answers (and records) every request that is not for loopback. */
async function guardedContext(offMachine: string[]): Promise<BrowserContext> {
  const context = await newRunContext(browser);
  await context.route("**/*", (route, request) => {
    const host = new URL(request.url()).hostname;
    if (host === "127.0.0.1" || host === "localhost") return route.fallback();
    offMachine.push(request.url());
    return route.fulfill({ status: 200, contentType: "text/html", body: page("Metadata", "<p>AKIA-FAKE-CREDENTIALS</p>") });
  });
  return context;
}

let n = 0;
async function run(source: string, opts: { startUrl?: string; dataRow?: Record<string, string> } = {}) {
  const parsed = parseSteps(source);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const test = await db.test.create({ data: { teamId, name: `t${++n}`, startUrl: opts.startUrl ?? `${baseUrl}/`, source, steps: parsed.steps } });
  const { id } = await enqueueRun(db, { teamId, testId: test.id, trigger: "API", dataRow: opts.dataRow });
  const [claimed] = await claimRuns(db, "w-test", 1);
  expect(claimed?.id).toBe(id);
  const offMachine: string[] = [];
  const urls: string[] = [];
  const outcome = await executeRun(db, claimed!, {
    workerId: "w-test",
    browser,
    log,
    context: guardedContext(offMachine),
    onStepDone: async (_i, p) => void urls.push(p.url()),
  });
  const row = await db.run.findUniqueOrThrow({
    where: { id },
    include: { runSteps: { orderBy: { stepIdx: "asc" } }, artifacts: true },
  });
  return { outcome, row, offMachine, urls };
}

const screenshotsOf = (row: { artifacts: Array<{ type: string; stepIdx: number | null }> }, idx: number) =>
  row.artifacts.filter((a) => a.type === "SCREENSHOT" && a.stepIdx === idx).length;

describe("URL policy in runs", () => {
  it("refuses a file: URL bound into Go to from a data row: nothing opened, no screenshot of it", async () => {
    const secretUrl = `file://${path.join(secretDir, "secrets.json")}`;
    const { outcome, row, offMachine, urls } = await run(`Expect text "Home"\nGo to {{u}}\nExpect text "TOP-SECRET-KEY"`, { dataRow: { u: secretUrl } });
    expect(outcome).toBe("FAILED");
    expect(row.verdict).toBe("BLOCKED_BY_POLICY");
    expect(row.errorMessage).toContain(`Refused to open ${secretUrl} by the URL policy: only http and https URLs may be opened, not file:`);
    expect(row.runSteps.map((s) => s.status)).toEqual(["PASSED", "FAILED", "SKIPPED"]);
    expect(screenshotsOf(row, 0)).toBe(1);
    expect(screenshotsOf(row, 1)).toBe(0);
    // The page never left the start page.
    expect(urls).toEqual([`${baseUrl}/`, `${baseUrl}/`]);
    expect(offMachine).toEqual([]);
  });

  it("refuses a cloud metadata IP in Go to before anything is requested", async () => {
    const { outcome, row, offMachine } = await run(`Go to "${METADATA}"\nExpect text "AKIA"`);
    expect(outcome).toBe("FAILED");
    expect(row.verdict).toBe("BLOCKED_BY_POLICY");
    expect(row.runSteps[0]!.errorMessage).toMatch(/169\.254\.169\.254 is a link-local address/);
    expect(screenshotsOf(row, 0)).toBe(0);
    expect(offMachine).toEqual([]);
  });

  it("refuses a start URL the operator denies, without opening a page, and lets an allow rule through", async () => {
    process.env.PACTS_URL_DENY = "loopback";
    resetServerEnv();
    served.length = 0;
    const denied = await run(`Expect text "Home"`);
    expect(denied.outcome).toBe("FAILED");
    expect(denied.row.verdict).toBe("BLOCKED_BY_POLICY");
    expect(denied.row.errorMessage).toMatch(/the host 127\.0\.0\.1 is refused by PACTS_URL_DENY \(loopback\)/);
    expect(served).toEqual([]);

    process.env.PACTS_URL_ALLOW = "127.0.0.1";
    resetServerEnv();
    const allowed = await run(`Expect text "Home"`);
    expect(allowed.outcome).toBe("PASSED");
    delete process.env.PACTS_URL_DENY;
    delete process.env.PACTS_URL_ALLOW;
    resetServerEnv();
  });

  it("refuses the same URLs when a test is saved from the dashboard", async () => {
    const user = await db.user.create({ data: { email: "policy@example.com" } });
    await db.membership.create({ data: { userId: user.id, teamId, role: "MEMBER" } });
    const caller = createCallerFactory(testRouter)({ db, session: { user: { id: user.id, email: user.email } }, headers: new Headers() });
    await expect(caller.create({ name: "meta", startUrl: "http://169.254.169.254/", source: `Expect text "x"` })).rejects.toThrow(/169\.254\.169\.254 is a link-local address/);
    // (The step parser already refuses a literal file: URL; the policy refuses what parses.)
    await expect(caller.create({ name: "file", startUrl: `${baseUrl}/`, source: `Go to file:///etc/passwd` })).rejects.toThrow(/"file:\/\/\/etc\/passwd" is not a URL/);
    await expect(caller.create({ name: "meta2", startUrl: `${baseUrl}/`, source: `Expect text "Home"\nGo to http://100.100.100.200/latest` })).rejects.toThrow(
      /Step 2 \("Go to http:\/\/100\.100\.100\.200\/latest"\): Refused to open http:\/\/100\.100\.100\.200\/latest by the URL policy: 100\.100\.100\.200 is a cloud metadata endpoint/,
    );
    const ok = await caller.create({ name: "ok", startUrl: `${baseUrl}/`, source: `Go to {{u}}\nGo to /links` });
    await expect(caller.update({ id: ok.id, startUrl: "http://[fe80::1]/" })).rejects.toThrow(/fe80::1 is a link-local address/);
    await expect(caller.update({ id: ok.id, source: "Go to http://metadata.google.internal/" })).rejects.toThrow(/cloud metadata/);
    expect((await caller.byId({ id: ok.id })).startUrl).toBe(`${baseUrl}/`);
  });
});

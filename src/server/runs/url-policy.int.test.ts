// The URL policy in real runs (real Postgres and Chromium, a loopback page server): a `file:` data row bound into
// `Go to`, a cloud-metadata IP, a loopback page that redirects to one, and a link to one all fail their step with
// BLOCKED_BY_POLICY, keep no screenshot of it and fetch nothing. No request ever leaves this machine: the run's
// egress proxy (egress-proxy.ts) is given a stand-in resolver and a connector that only reaches the loopback page
// server and records anything else instead of connecting; the policy works when that record stays empty.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
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
      if (req.url === "/redirect-https") return void res.writeHead(302, { location: METADATA.replace("http:", "https:") }).end();
      if (req.url === "/redirect-rebind") return void res.writeHead(302, { location: "http://rebind.example/latest/meta-data/" }).end();
      if (req.url === "/redirect-staging") return void res.writeHead(302, { location: `http://staging.example:${new URL(baseUrl).port}/staging` }).end();
      if (req.url === "/staging") return void res.writeHead(200, { "content-type": "text/html" }).end(page("Staging", `<h1>Staging ${req.headers.host}</h1>`));
      if (req.url === "/links") return void res.writeHead(200, { "content-type": "text/html" }).end(page("Links", `<a href="${METADATA}">Metadata</a>`));
      res.writeHead(200, { "content-type": "text/html" }).end(page("Home", "<h1>Home</h1>"));
    },
  });
  ({ db, browser, baseUrl } = fx);
  // The built-in policy, not the fixture's deny-all-but-loopback: this file's proxy has a stand-in resolver.
  delete process.env.PACTS_URL_DENY;
  delete process.env.PACTS_URL_ALLOW;
  resetServerEnv();
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

/**
 * A run context whose egress proxy resolves only the test's stand-in names and never connects anywhere but the
 * page server: any other connection it is asked for is recorded and refused by the test, not made.
 */
async function guardedContext(offMachine: string[]): Promise<BrowserContext> {
  const port = Number(new URL(baseUrl).port);
  const context = await newRunContext(browser, {
    egress: {
      lookup: async (host) => {
        if (host === "rebind.example") return ["169.254.169.254"];
        if (host === "staging.example") return ["127.0.0.1"];
        throw new Error(`no DNS in tests (${host})`);
      },
      connect: (address, p) => {
        if (address === "127.0.0.1" && p === port) return net.connect({ host: address, port: p });
        offMachine.push(`${address}:${p}`);
        const s = new net.Socket();
        process.nextTick(() => s.destroy(new Error("the test refuses to connect off loopback")));
        return s;
      },
    },
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

  it("stops a loopback page's redirect to the metadata IP in the egress proxy (http and https)", async () => {
    for (const [path_, target] of [["/redirect", METADATA], ["/redirect-https", "https://169.254.169.254:443/"]] as const) {
      served.length = 0;
      const { outcome, row, offMachine } = await run(`Go to ${path_}\nExpect text "AKIA"`);
      expect(served).toContain(path_); // the loopback page was really asked, and answered with the redirect
      expect(outcome).toBe("FAILED");
      expect(row.verdict).toBe("BLOCKED_BY_POLICY");
      expect(row.runSteps[0]!.errorMessage).toContain(`Refused to open ${target} by the URL policy: 169.254.169.254 is a link-local address`);
      expect(row.runSteps[0]!.errorMessage).toContain(`(a redirect from ${baseUrl}${path_})`);
      expect(screenshotsOf(row, 0)).toBe(0);
      expect(offMachine).toEqual([]);
    }
  });

  it("refuses a host name that resolves to a metadata address, and forwards one that resolves to an allowed one", async () => {
    const bad = await run(`Go to /redirect-rebind\nExpect text "AKIA"`);
    expect(bad.row.verdict).toBe("BLOCKED_BY_POLICY");
    expect(bad.row.runSteps[0]!.errorMessage).toContain("rebind.example resolves to 169.254.169.254: 169.254.169.254 is a link-local address");
    expect(bad.offMachine).toEqual([]);

    const good = await run(`Go to /redirect-staging\nExpect text "Staging staging.example:${new URL(baseUrl).port}"`);
    expect(good.outcome).toBe("PASSED");
    expect(good.urls[0]).toBe(`http://staging.example:${new URL(baseUrl).port}/staging`);
    expect(good.offMachine).toEqual([]);
  });

  it("fails the click whose link leads to a refused host", async () => {
    const { outcome, row, offMachine } = await run(`Click the Metadata link\nExpect text "AKIA"`, { startUrl: `${baseUrl}/links` });
    expect(outcome).toBe("FAILED");
    expect(row.verdict).toBe("BLOCKED_BY_POLICY");
    expect(row.runSteps[0]!.status).toBe("FAILED");
    expect(row.runSteps[0]!.errorMessage).toContain(`Refused to open ${METADATA}`);
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

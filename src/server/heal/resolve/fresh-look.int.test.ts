// "A heal is never stricter than a fresh look" (issue 12 §2), through the real engine (Postgres + memory cache,
// discovery, heal) on a real Chromium: a page swapped for another implementation at the same URL is resolved by
// the step's own words when a run with an empty cache passes there, and recorded as re-discovered, not healed; the
// decoys (Save → "Save draft", Password → "Password hint", a deleted row) still fail with nothing acted on.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { launchBrowser } from "../../browser";
import { createMemoryKv } from "../../cache/kv";
import { createSelectorCache, type SelectorCache } from "../../cache/selector-cache";
import { resetServerEnv } from "../../env";
import { createTestDatabase } from "../../../../test/helpers/test-db";
import { TEST_CHROMIUM_ARGS } from "../../../../test/helpers/chromium";
import { executeStep, type StepContext } from "../act/executor";
import { parseSteps } from "../../steps/step-parser";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let browser: Browser;
let page: Page;
let cache: SelectorCache;
let runId: string;
let server: http.Server;
let base: string;
const versions = new Map<string, string>();

// Every control reports what happened to it under a key the engine never sees (a closure, not the DOM).
const SCRIPT = `<script>
window.acted = [];
document.querySelectorAll('[data-k]').forEach(function (el) {
  var k = el.getAttribute('data-k'); el.removeAttribute('data-k');
  el.addEventListener('click', function () { window.acted.push(k); });
  el.addEventListener('input', function () { window.acted.push(k + '=' + el.value); });
});
</script>`;

const PAGES: Record<string, string> = {
  // The sign-in form as one framework writes it: labels wired with for=.
  "form-v1": `<main><form onsubmit="return false"><label for="email">Email</label><input id="email" name="email" class="form-control" data-k="email">
    <label for="password">Password</label><input id="password" name="password" type="password" class="form-control" data-k="password">
    <button id="save" class="btn btn-primary" data-k="save">Save</button></form></main>`,
  // The same form, another implementation: captions in spans beside the inputs, nothing wired, every id and class new.
  "form-v2": `<div class="app-root"><div class="x8k2p"><div class="fld"><span class="cap">Email</span><input class="i-1" data-k="email"></div>
    <div class="fld"><span class="cap">Password</span><input class="i-1" type="password" data-k="password"></div>
    <div class="acts"><button class="b-1" data-k="save">Save</button></div></div></div>`,
  // Decoys: Save became "Save draft" + Publish; the Password field is gone, "Password hint" remains.
  "decoy-v2": `<main><form onsubmit="return false"><label for="email">Email</label><input id="email" name="email" class="form-control" data-k="email">
    <label for="hint">Password hint</label><input id="hint" name="hint" class="form-control" data-k="password-hint">
    <button id="save-draft" class="btn btn-primary" data-k="save-draft">Save draft</button><button class="btn" data-k="publish">Publish</button></form></main>`,
  "rows-v1": `<table><tbody><tr><td>Alice</td><td><button data-k="delete-alice">Delete</button></td></tr><tr><td>Bob</td><td><button data-k="delete-bob">Delete</button></td></tr><tr><td>Carol</td><td><button data-k="delete-carol">Delete</button></td></tr></tbody></table>`,
  "rows-v2": `<table><tbody><tr><td>Alice</td><td><button data-k="delete-alice">Delete</button></td></tr><tr><td>Carol</td><td><button data-k="delete-carol">Delete</button></td></tr></tbody></table>`,
};

beforeAll(async () => {
  tdb = await createTestDatabase("fresh-look.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  resetServerEnv();
  browser = await launchBrowser();
  cache = createSelectorCache({ db, l1: createMemoryKv() });
  const teamId = (await db.team.create({ data: { name: "Fresh", slug: "fresh-look-runs" } })).id;
  runId = (await db.run.create({ data: { teamId, testName: "fresh", url: "about:blank", steps: [] } })).id;
  server = http.createServer((req, res) => {
    const v = versions.get(req.url ?? "") ?? "";
    res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>App</title>${PAGES[v] ?? ""}${SCRIPT}`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
});
beforeEach(async () => {
  await page?.close();
  page = await browser.newPage();
});

let teams = 0;
const newTeam = async () => (await db.team.create({ data: { name: `T${++teams}`, slug: `fresh-look-${teams}` } })).id;

async function run(teamId: string, path: string, version: string, line: string) {
  versions.set(path, version);
  await page.goto(`${base}${path}`);
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  const ctx: StepContext = { startUrl: base, stepTimeoutMs: 1500, navigationTimeoutMs: 3000, engine: { db, cache, teamId, runId, stepIdx: 0, healPolicy: "FAIL" } };
  const r = await executeStep(page, parsed.steps[0]!, ctx);
  return { ...r, acted: await page.evaluate(() => (window as unknown as { acted: string[] }).acted) };
}

describe("same page: an empty cache passes ⇒ a stale cache passes", () => {
  it.each([
    ['Fill "ada@example.com" in the Email field', ["email=ada@example.com"], true],
    ['Fill "s3cret" in the Password field', ["password=s3cret"], true],
    // The cached role + name selector still finds the button: a plain hit.
    ["Click the Save button", ["save"], false],
  ])("%s", async (line, acted, stale) => {
    const cold = await run(await newTeam(), "/swap", "form-v2", line);
    expect(cold, JSON.stringify(cold)).toMatchObject({ status: "PASSED", acted });

    const team = await newTeam();
    expect(await run(team, "/swap", "form-v1", line)).toMatchObject({ status: "PASSED", acted });
    const after = await run(team, "/swap", "form-v2", line);
    expect(after, JSON.stringify(after)).toMatchObject({ status: "PASSED", healed: false, acted });
    if (stale) expect(after.note ?? "").toMatch(/re-discovered/);
    // The re-discovered element is what the cache holds now: the next run is a plain hit.
    const warm = await run(team, "/swap", "form-v2", line);
    expect(warm, JSON.stringify(warm)).toMatchObject({ status: "PASSED", healed: false, acted });
    expect(warm.note ?? "").not.toMatch(/re-discovered/);
  });
});

describe("decoys still fail cleanly", () => {
  it.each([
    ["Click the Save button", "/decoy-save", "form-v1", "decoy-v2"],
    ['Fill "s3cret" in the Password field', "/decoy-password", "form-v1", "decoy-v2"],
    ['Click Delete in the row "Bob"', "/decoy-row", "rows-v1", "rows-v2"],
  ])("%s", async (line, path, v1, v2) => {
    const team = await newTeam();
    expect(await run(team, path, v1, line)).toMatchObject({ status: "PASSED" });
    const after = await run(team, path, v2, line);
    expect(after.status, JSON.stringify(after)).toBe("FAILED");
    expect(after.acted).toEqual([]);
  });
});

// Reworded and moved-word pages (issue 20 §1–2), through the real engine (Postgres + memory cache, discovery,
// heal) on a real Chromium. v1 is learned into the cache; v2 is a redesign at the same URL (ids renamed, wrappers
// added, copy edited). A reworded control is found again (by the words measure, or by its place and kind) and the
// step is told what the page calls it now; an old-words decoy elsewhere loses to the element in the old place; a
// deleted control fails with nothing acted on. Ground truth is what the page's own listeners saw.
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

// Each control reports to a closure under a key the engine never sees.
const SCRIPT = `<script>
window.acted = [];
document.querySelectorAll('[data-k]').forEach(function (el) {
  var k = el.getAttribute('data-k'); el.removeAttribute('data-k');
  el.addEventListener('click', function () { window.acted.push(k); });
  el.addEventListener('input', function () { window.acted.push(k + '=' + el.value); });
});
</script>`;

const v1 = `<header><a href="#">Home</a></header><main>
  <section><h2>Create your account</h2>
    <form id="signup" onsubmit="return false">
      <div><label for="name">Full name</label><input id="name" name="fullname" class="field" data-k="fullname"></div>
      <div><input id="who" name="who" class="field" placeholder="What is your name?" data-k="who"></div>
      <div><label for="email">Email address</label><input id="email" name="email" type="email" class="field" data-k="email"></div>
      <div><label for="phone">Phone</label><input id="phone" name="phone" type="tel" class="field" data-k="phone"></div>
      <div><label for="comment">Comment:</label><textarea id="comment" name="comment" class="field" data-k="comment"></textarea></div>
      <button type="submit" id="go" class="btn primary" data-k="signup">Sign up</button>
    </form>
  </section>
  <section><h2>Reports</h2><p>Your monthly report is ready.</p><button id="dl" class="btn" data-k="download">Click here to download</button></section>
</main>`;

/** The redesign: ids renamed, wrappers added, copy edited; the name attributes the server reads are kept. */
const v2 = (opts: { phone?: boolean; decoy?: boolean } = {}) => `<header><a href="#">Home</a></header><main><div class="shell">
  <section class="card"><div class="card-head"><h2>Create your account</h2></div>
    <form id="f-8a1c" onsubmit="return false"><div class="grid">
      <div class="cell"><label for="a1">Full name</label><input id="a1" name="fullname" class="field" data-k="fullname"></div>
      <div class="cell"><input id="a2" name="who" class="field" placeholder="Your name?" data-k="who"></div>
      <div class="cell"><label for="a3">Email</label><input id="a3" name="email" type="email" class="field" data-k="email"></div>
      ${opts.phone === false ? "" : `<div class="cell"><label for="a4">Mobile number</label><input id="a4" name="phone" type="tel" class="field" data-k="phone"></div>`}
      <div class="cell"><label for="a5">Comments</label><textarea id="a5" name="comment" class="field" data-k="comment"></textarea></div>
      <button type="submit" id="b-1" class="btn primary" data-k="signup">Sign up</button>
    </div></form>
  </section>
  <section class="card"><h2>Reports</h2><p>Your monthly report is ready.</p><button id="b-2" class="btn" data-k="download">Download</button></section>
  ${opts.decoy ? `<section class="card"><h2>Newsletter</h2><form onsubmit="return false"><input name="subscriber" class="nl" placeholder="What is your name?" data-k="newsletter-name"><button type="submit" data-k="subscribe">Subscribe</button></form></section>` : ""}
</div></main>`;

const PAGES: Record<string, string> = { v1, v2: v2(), "v2-decoy": v2({ decoy: true }), "v2-no-phone": v2({ phone: false }) };

beforeAll(async () => {
  tdb = await createTestDatabase("place.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  resetServerEnv();
  browser = await launchBrowser();
  cache = createSelectorCache({ db, l1: createMemoryKv() });
  const teamId = (await db.team.create({ data: { name: "Reword", slug: "reword-runs" } })).id;
  runId = (await db.run.create({ data: { teamId, testName: "reword", url: "about:blank", steps: [] } })).id;
  server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Sign up</title>${PAGES[versions.get(req.url ?? "") ?? ""] ?? ""}${SCRIPT}`);
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
const newTeam = async () => (await db.team.create({ data: { name: `R${++teams}`, slug: `reword-${teams}` } })).id;

async function run(teamId: string, path: string, version: string, line: string) {
  versions.set(path, version);
  await page.goto(`${base}${path}`);
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  const ctx: StepContext = { startUrl: base, stepTimeoutMs: 1500, navigationTimeoutMs: 3000, engine: { db, cache, teamId, runId, stepIdx: 0, healPolicy: "FAIL" } };
  const r = await executeStep(page, parsed.steps[0]!, ctx);
  return { ...r, acted: await page.evaluate(() => (window as unknown as { acted: string[] }).acted) };
}

/** Learns the step on v1, then runs it on `version`, then once more (warm). */
async function learnThen(path: string, version: string, line: string, acted: string[]) {
  const team = await newTeam();
  const first = await run(team, path, "v1", line);
  expect(first, JSON.stringify(first)).toMatchObject({ status: "PASSED", acted });
  const after = await run(team, path, version, line);
  const warm = after.status === "PASSED" ? await run(team, path, version, line) : undefined;
  return { after, warm };
}

describe("a reworded control is found again and the step is told its new name", () => {
  it.each([
    // a label shortened in the same form
    ['Fill "ada@example.com" in the "Email address" field', "/email", ["email=ada@example.com"], "Email", 'Fill "ada@example.com" in the "Email" field'],
    // a placeholder that lost its function words
    ['Fill "Ada" in the "What is your name?" field', "/who", ["who=Ada"], "Your name?", 'Fill "Ada" in the "Your name?" field'],
    // a stem-only change
    ['Fill "Nice" in the "Comment" field', "/comment", ["comment=Nice"], "Comments", 'Fill "Nice" in the "Comments" field'],
    // a button whose new name is the old one minus its leading words
    ['Click "Click here to download"', "/download", ["download"], "Download", 'Click "Download"'],
    // a label reworded altogether: only its place, kind and name attribute say it is the same field
    ['Fill "0612345678" in the "Phone" field', "/phone", ["phone=0612345678"], "Mobile number", 'Fill "0612345678" in the "Mobile number" field'],
  ])("%s", async (line, path, acted, now, updated) => {
    const { after, warm } = await learnThen(path, "v2", line, acted);
    expect(after, JSON.stringify(after)).toMatchObject({ status: "PASSED", acted });
    expect(after.note ?? "").toContain(`the page now calls this ${JSON.stringify(now)}`);
    expect(after.note ?? "").toContain(`update the step to: ${updated}`);
    // What was found is what the cache holds now: warm = after.
    expect(warm, JSON.stringify(warm)).toMatchObject({ status: "PASSED", acted });
  });

  it("records a reworded-by-place heal as a heal with the old → new selector", async () => {
    const { after } = await learnThen("/phone-heal", "v2", 'Fill "0612345678" in the "Phone" field', ["phone=0612345678"]);
    expect(after, JSON.stringify(after)).toMatchObject({ status: "PASSED", healed: true, healVerified: true });
    const ev = await db.healEvent.findFirst({ where: { runId, outcome: "HEALED", elementName: { contains: "Phone" } }, orderBy: { createdAt: "desc" } });
    expect(ev?.oldSelector).toBeTruthy();
    expect(ev?.newSelector).toMatch(/Mobile number/);
    expect(JSON.stringify(ev?.chosen)).toMatch(/reworded in its place: textbox \\"Phone\\" → .*Mobile number/);
  });
});

describe("what must not heal", () => {
  it("an old-words decoy elsewhere loses to the element in the old place", async () => {
    const { after, warm } = await learnThen("/decoy", "v2-decoy", 'Fill "Ada" in the "What is your name?" field', ["who=Ada"]);
    expect(after, JSON.stringify(after)).toMatchObject({ status: "PASSED", acted: ["who=Ada"] });
    expect(after.note ?? "").toContain('the page now calls this "Your name?"');
    expect(warm, JSON.stringify(warm)).toMatchObject({ status: "PASSED", acted: ["who=Ada"] });
  });

  it("a deleted control fails cleanly", async () => {
    const { after } = await learnThen("/deleted", "v2-no-phone", 'Fill "0612345678" in the "Phone" field', ["phone=0612345678"]);
    expect(after.status, JSON.stringify(after)).toBe("FAILED");
    expect(after.acted).toEqual([]);
  });
});

// A heal into a shadow-DOM redesign, through the real engine (Postgres + memory cache, discovery, heal) on a real
// Chromium: v1 is a plain form; v2 moves the same controls into custom elements nested two shadow roots deep,
// beside a look-alike button, renames the field's label and changes their classes (the ids and names stay). A run on v1
// caches the elements; the run on v2, at the same URL, heals both, verified, and acts on the right ones (ground
// truth: what the page's own handlers saw). The decoy keeps only a look-alike ("Add to favourites") and fails.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
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
let teamId: string;
let runId: string;
let server: http.Server;
let url: string;
let version: keyof typeof PAGES = "v1";

// Each control reports what was done to it, so the test knows which element took the action.
const LIST = `<ul class="list"></ul><p class="count">0 items left</p>`;
const APP = `<script>
window.acted = [];
function wire(root) {
  const add = root.querySelector("[data-role=add]");
  const field = root.querySelector("[data-role=field]");
  const out = (root.host ? root.host.getRootNode() : document).querySelector(".list") || root.querySelector(".list");
  const count = (root.host ? root.host.getRootNode() : document).querySelector(".count") || root.querySelector(".count");
  if (field) field.addEventListener("input", () => window.acted.push("typed into the task field"));
  root.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => {
    window.acted.push("clicked " + b.textContent.trim());
    if (b !== add || !field.value) return;
    const li = document.createElement("li");
    li.textContent = field.value;
    out.append(li);
    count.textContent = out.children.length + (out.children.length === 1 ? " item left" : " items left");
  }));
}
</script>`;
const shadowApp = (form: string) => `${APP}<task-app></task-app><script>
customElements.define("task-form", class extends HTMLElement { constructor() { super();
  this.attachShadow({ mode: "open" }).innerHTML = ${JSON.stringify(form)}; } connectedCallback() { wire(this.shadowRoot); } });
customElements.define("task-app", class extends HTMLElement { constructor() { super();
  this.attachShadow({ mode: "open" }).innerHTML = ${JSON.stringify(`<header><h1>Tasks</h1></header><section class="panel"><task-form></task-form>${LIST}</section>`)}; } });
</script>`;
const PAGES = {
  v1: `${APP}<h1>Tasks</h1><form onsubmit="return false"><label for="task">Task</label><input id="task" name="task" class="new-todo" data-role="field">
<button type="button" id="add-task" class="btn-add" data-role="add">Add</button></form>${LIST}<script>wire(document)</script>`,
  v2: shadowApp(`<div class="composer"><input id="task" name="task" class="composer-input" aria-label="New task" data-role="field">
<button type="button" class="composer-fav">Add to favourites</button><button type="button" id="add-task" class="composer-add" data-role="add">Add</button></div>`),
  decoy: shadowApp(`<div class="composer"><input id="task" name="task" class="composer-input" aria-label="New task" data-role="field">
<button type="button" class="composer-fav">Add to favourites</button></div>`),
};

beforeAll(async () => {
  tdb = await createTestDatabase("shadow-heal.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  resetServerEnv();
  browser = await launchBrowser();
  cache = createSelectorCache({ db, l1: createMemoryKv() });
  teamId = (await db.team.create({ data: { name: "Shadow", slug: "shadow-heal" } })).id;
  runId = (await db.run.create({ data: { teamId, testName: "shadow", url: "about:blank", steps: [] } })).id;
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Tasks</title>${PAGES[version]}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks`;
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

const STEPS = ['Fill "Buy milk" in the Task field', "Click Add", 'Expect text "1 item left"'];

async function runAll(lines: string[]) {
  await page.goto(url);
  const out = [];
  for (const [i, line] of lines.entries()) {
    const parsed = parseSteps(line);
    if (!parsed.ok) throw new Error(`unparseable: ${line}`);
    const ctx: StepContext = { startUrl: url, stepTimeoutMs: 3000, navigationTimeoutMs: 5000, engine: { db, cache, teamId, runId, stepIdx: i, healPolicy: "FAIL" } };
    out.push(await executeStep(page, parsed.steps[0]!, ctx));
  }
  return { results: out, acted: await page.evaluate(() => (window as unknown as { acted: string[] }).acted) };
}

it("heals a form moved into nested shadow roots, verified, onto the same controls", async () => {
  version = "v1";
  const cold = await runAll(STEPS);
  expect(cold.results.map((r) => [r.status, r.error])).toEqual(STEPS.map(() => ["PASSED", undefined]));
  expect(cold.acted).toContain("clicked Add");

  version = "v2";
  const after = await runAll(STEPS);
  expect(after.results.map((r) => [r.status, r.error])).toEqual(STEPS.map(() => ["PASSED", undefined]));
  expect(after.acted.filter((a) => a.startsWith("clicked"))).toEqual(["clicked Add"]);
  expect(after.acted).toContain("typed into the task field");
  expect(after.results[0]).toMatchObject({ healed: true, healVerified: true });

  // Warm on v2: the healed selectors are cached and need no heal.
  const warm = await runAll(STEPS);
  expect(warm.results.map((r) => [r.status, r.healed])).toEqual(STEPS.map((_, i) => ["PASSED", i < 2 ? false : undefined]));
  expect(warm.acted.filter((a) => a.startsWith("clicked"))).toEqual(["clicked Add"]);
});

it("a decoy inside the shadow roots still fails: only 'Add to favourites' is left, and nothing is clicked", async () => {
  version = "v1";
  await runAll(STEPS);
  version = "decoy";
  const r = await runAll(STEPS.slice(0, 2));
  expect(r.results[1]!.status).toBe("FAILED");
  expect(r.acted.filter((a) => a.startsWith("clicked"))).toEqual([]);
});

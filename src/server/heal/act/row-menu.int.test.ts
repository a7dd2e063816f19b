// A row's actions moved into its "⋯" menu (shadcn/Radix tables render the menu only once it is opened), through
// the real engine (Postgres + memory cache, discovery, heal) on a real Chromium. Ground truth is what the page's own
// handlers saw: the heal opens Bob's menu and clicks its Delete, the next run opens it again from the cache, and a
// menu without Delete makes the step fail with nothing deleted.
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
import { executeStep, type StepContext } from "./executor";
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

const USERS = ["Alice", "Bob", "Carol"];
const PAGES = {
  // v1: Edit and Delete buttons in each row.
  v1: `<table><tbody>${USERS.map((u) => `<tr><td>${u}</td><td><button onclick="act('edit ${u}')">Edit</button> <button onclick="act('delete ${u}')">Delete</button></td></tr>`).join("")}</tbody></table>`,
  // v2: one "⋯" trigger per row; the menu is rendered into the body when opened, as Radix does.
  v2: `<table><tbody>${USERS.map((u) => `<tr><td><div class="font-medium">${u}</div></td><td><button type="button" aria-haspopup="menu" aria-expanded="false" onclick="openMenu(this, '${u}', true)"><span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)">Open menu</span>⋯</button></td></tr>`).join("")}</tbody></table>`,
  // The decoy: the menu holds Edit and Archive; Delete is gone.
  decoy: `<table><tbody>${USERS.map((u) => `<tr><td>${u}</td><td><button type="button" aria-haspopup="menu" aria-expanded="false" onclick="openMenu(this, '${u}', false)">⋯</button></td></tr>`).join("")}</tbody></table>`,
  // A toolbar whose text buttons became icon buttons named with their shortcut (Material Web, Google Docs).
  tb1: `<div role="toolbar"><button onclick="act('image')">Insert image</button><button onclick="act('link')">Insert link</button></div>`,
  tb2: `<div role="toolbar"><button aria-label="Insert image (Ctrl+Alt+I)" onclick="act('image')">🖼</button><button aria-label="Insert link (Ctrl+K)" onclick="act('link')">🔗</button></div>`,
};
const SCRIPT = `<p id="out"></p><script>
window.acted = [];
function act(what) { window.acted.push(what); document.getElementById('out').textContent = what; document.querySelector('[role=menu]')?.remove(); }
function openMenu(btn, user, withDelete) {
  document.querySelector('[role=menu]')?.remove();
  btn.setAttribute('aria-expanded', 'true');
  const m = document.createElement('div');
  m.setAttribute('role', 'menu');
  m.style.cssText = 'position:absolute;top:40px;left:200px;background:#fff;border:1px solid #ccc';
  const items = withDelete ? ['Edit', 'Copy ID', 'Delete'] : ['Edit', 'Archive'];
  m.innerHTML = items.map((i) => '<div role="menuitem" tabindex="-1">' + i + '</div>').join('');
  m.querySelectorAll('[role=menuitem]').forEach((el) => el.addEventListener('click', () => act(el.textContent.toLowerCase() + ' ' + user)));
  document.body.appendChild(m);
}
</script>`;

beforeAll(async () => {
  tdb = await createTestDatabase("row-menu.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  resetServerEnv();
  browser = await launchBrowser();
  cache = createSelectorCache({ db, l1: createMemoryKv() });
  teamId = (await db.team.create({ data: { name: "Rows", slug: "row-menu" } })).id;
  runId = (await db.run.create({ data: { teamId, testName: "rows", url: "about:blank", steps: [] } })).id;
  server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Users</title>${PAGES[version]}${SCRIPT}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/users`;
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

async function run(line: string) {
  await page.goto(url);
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  // 3 s a step (the hung-step watchdog is then 20 s): with 1 s, a heal on a loaded machine hit the watchdog.
  const ctx: StepContext = { startUrl: url, stepTimeoutMs: 3000, navigationTimeoutMs: 2000, engine: { db, cache, teamId, runId, stepIdx: 0, healPolicy: "FAIL" } };
  const r = await executeStep(page, parsed.steps[0]!, ctx);
  return { ...r, acted: await page.evaluate(() => (window as unknown as { acted: string[] }).acted) };
}

it("heals a row's Delete moved into the row's menu, repeats it from the cache, and fails on a menu without Delete", async () => {
  const step = 'Click Delete in the row "Bob"';
  version = "v1";
  expect(await run(step)).toMatchObject({ status: "PASSED", acted: ["delete Bob"] });

  version = "v2";
  const healed = await run(step);
  expect(healed, JSON.stringify(healed)).toMatchObject({ status: "PASSED", healed: true, acted: ["delete Bob"] });
  const again = await run(step);
  expect(again, JSON.stringify(again)).toMatchObject({ status: "PASSED", healed: false, cacheSource: "memory", acted: ["delete Bob"] });

  version = "decoy";
  const gone = await run(step);
  expect(gone.status).toBe("FAILED");
  expect(gone.acted).toEqual([]);
}, 120_000);

it("finds an item of a row's menu on a first run, with no history", async () => {
  version = "v2";
  const r = await run('Click Copy ID in the row "Carol"');
  expect(r, JSON.stringify(r)).toMatchObject({ status: "PASSED", acted: ["copy id Carol"] });
});

it("heals 'Click Insert link' (a link 'Insert', or the element named 'Insert link') onto the icon button named with its shortcut", async () => {
  version = "tb1";
  expect(await run("Click Insert link")).toMatchObject({ status: "PASSED", acted: ["link"] });
  version = "tb2";
  const healed = await run("Click Insert link");
  expect(healed, JSON.stringify(healed)).toMatchObject({ status: "PASSED", acted: ["link"] });
});

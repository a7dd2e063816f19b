// `Click Add to cart for Hoodie`, `Click Edit for Bob` through the real engine (cache, discovery, gate, heal) on a
// real Chromium, with ground truth from the page's own click handlers: the literal name wins when an element
// carries it ("Search for jobs"), else the element inside the one repeated item that says the name as whole words
// (never Bobby's row for Bob, never the first of several), and each reading is cached under its own key.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { literalTarget, scopedTarget, type Step } from "@/domain/step";
import type { PrismaClient } from "@/generated/prisma/client";
import { launchBrowser } from "../../browser";
import { createMemoryKv } from "../../cache/kv";
import { createSelectorCache, describeElement, type SelectorCache } from "../../cache/selector-cache";
import { resetServerEnv } from "../../env";
import { createTestDatabase } from "../../../../test/helpers/test-db";
import { TEST_CHROMIUM_ARGS } from "../../../../test/helpers/chromium";
import { generateSpec } from "../emit/codegen";
import { executeStep, type StepContext } from "./executor";
import { parseSteps } from "../../steps/step-parser";
import { toUrlPattern } from "../resolve/url-pattern";

let tdb: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PrismaClient;
let browser: Browser;
let page: Page;
let cache: SelectorCache;
let teamId: string;
let runId: string;

beforeAll(async () => {
  tdb = await createTestDatabase("for-scope.int.test");
  db = tdb.db;
  process.env.DATABASE_URL = tdb.url;
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  resetServerEnv();
  browser = await launchBrowser();
  cache = createSelectorCache({ db, l1: createMemoryKv() });
  teamId = (await db.team.create({ data: { name: "For", slug: "for-scope" } })).id;
  runId = (await db.run.create({ data: { teamId, testName: "for", url: "about:blank", steps: [] } })).id;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await tdb?.drop();
});
beforeEach(async () => {
  await page?.close();
  page = await browser.newPage();
});

/** Each button, link and checkbox records its id when clicked: what the engine acted on. */
const RECORD = `<script>window.__acted = []; document.addEventListener("click", (e) => { const el = e.target.closest("[id]"); if (el) window.__acted.push(el.id); }, true);</script>`;
const acted = () => page.evaluate(() => (window as unknown as { __acted: string[] }).__acted);

function step(line: string): Step {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  return parsed.steps[0]!;
}
async function run(line: string, stepIdx = 0) {
  const ctx: StepContext = {
    startUrl: "about:blank", stepTimeoutMs: 800, navigationTimeoutMs: 2000,
    engine: { db, cache, teamId, runId, stepIdx, healPolicy: "FAIL" },
  };
  return executeStep(page, step(line), ctx);
}
/** The id of the element the generated code (what codegen writes after `page.`) points at. */
async function idByCode(code: string): Promise<string | null> {
  const loc = new Function("page", `return page.${code};`)(page) as ReturnType<Page["locator"]>;
  expect(await loc.count()).toBe(1);
  return loc.getAttribute("id");
}
const keyOf = (line: string, reading: "literal" | "scoped") => {
  const t = step(line).target!;
  return { teamId, urlPattern: toUrlPattern(page.url()), elementName: describeElement(reading === "literal" ? literalTarget(t) : scopedTarget(t)!) };
};

const card = (name: string, id: string, title = `<h3>${name}</h3>`) =>
  `<div class="card">${title}<p class="price">$40</p><button id="${id}">Add to cart</button></div>`;
const GRID = `${RECORD}<h1>Shop</h1><div class="grid">${card("T-shirt", "add-tee")}${card("Hoodie", "add-hoodie")}${card("Zip Hoodie", "add-zip")}</div>`;

describe("for X: the element in the one item that says X", () => {
  it("clicks the Hoodie card's Add to cart, caches it as the scoped reading, and writes a scoped locator", async () => {
    await page.setContent(GRID);
    const first = await run("Click Add to cart for Hoodie");
    expect(first.status, first.error).toBe("PASSED");
    expect(await acted()).toEqual(["add-hoodie"]);
    expect(await idByCode(first.locatorCode!)).toBe("add-hoodie");
    // Only the scoped reading's key holds it: the literal name "Add to cart for Hoodie" was never found.
    expect((await cache.get(keyOf("Click Add to cart for Hoodie", "scoped"))).entry).not.toBeNull();
    expect((await cache.get(keyOf("Click Add to cart for Hoodie", "literal"))).entry).toBeNull();
    const spec = generateSpec({ testName: "t", startUrl: "about:blank", steps: [{ step: step("Click Add to cart for Hoodie"), locatorCode: first.locatorCode }] });
    expect(spec).toContain(`await page.${first.locatorCode}.click();`);

    // The next run is a cache hit on the same button.
    await page.setContent(GRID);
    const again = await run("Click Add to cart for Hoodie");
    expect(again.status, again.error).toBe("PASSED");
    expect(again.cacheSource).not.toBe("miss");
    expect(await acted()).toEqual(["add-hoodie"]);

    await page.setContent(GRID);
    expect((await run("Click Add to cart for Zip Hoodie")).status).toBe("PASSED");
    expect(await acted()).toEqual(["add-zip"]);
  });

  it("finds a card whose title holds the name as whole words, in plain divs without headings", async () => {
    const plain = (name: string, id: string) => `<div class="product"><span class="title">${name}</span><button id="${id}">Add to cart</button></div>`;
    await page.setContent(`${RECORD}<div class="list">${plain("Denim Jacket", "add-jacket")}${plain("Wool Cap", "add-cap")}${plain("Jacketed Mug", "add-mug")}</div>`);
    const r = await run("Click Add to cart for Jacket");
    expect(r.status, r.error).toBe("PASSED");
    expect(await acted()).toEqual(["add-jacket"]);
    expect(await idByCode(r.locatorCode!)).toBe("add-jacket");
  });

  it("clicks a real button named with 'for' as written (the literal reading wins)", async () => {
    await page.setContent(`${RECORD}<form><input aria-label="Keywords"><button id="search-jobs" type="button">Search for jobs</button></form>
      <ul><li>Saved jobs <button id="search-saved">Search</button></li><li>Alerts <button id="search-alerts">Search</button></li></ul>`);
    const r = await run("Click Search for jobs");
    expect(r.status, r.error).toBe("PASSED");
    expect(await acted()).toEqual(["search-jobs"]);
    expect((await cache.get(keyOf("Click Search for jobs", "literal"))).entry?.selector).toBe(r.selector);
    expect((await cache.get(keyOf("Click Search for jobs", "scoped"))).entry).toBeNull();
  });

  const TABLE = `${RECORD}<table><thead><tr><th>Name</th><th>Role</th><th></th></tr></thead><tbody>
    <tr><td>Bobby</td><td>Admin</td><td><button id="edit-bobby">Edit</button> <input type="checkbox" id="pick-bobby" aria-label="Select"></td></tr>
    <tr><td>Bob</td><td>Editor</td><td><button id="edit-bob">Edit</button> <input type="checkbox" id="pick-bob" aria-label="Select"></td></tr>
    <tr><td>Carol Smith</td><td>Viewer</td><td><button id="edit-carol">Edit</button> <input type="checkbox" id="pick-carol" aria-label="Select"></td></tr>
    </tbody></table>`;

  it("takes Bob's row for Bob, never Bobby's, and a row that holds the name as a whole word", async () => {
    await page.setContent(TABLE);
    expect((await run("Click Edit for Bob")).status).toBe("PASSED");
    expect(await acted()).toEqual(["edit-bob"]);
    await page.setContent(TABLE);
    expect((await run("Click Edit next to Bobby")).status).toBe("PASSED");
    expect(await acted()).toEqual(["edit-bobby"]);
    await page.setContent(TABLE);
    expect((await run("Check the checkbox for Carol")).status).toBe("PASSED");
    expect(await page.isChecked("#pick-carol")).toBe(true);
    expect(await page.isChecked("#pick-bob")).toBe(false);
  });

  it("checks the checkbox in the row of a quoted invoice number", async () => {
    await page.setContent(`${RECORD}<ul class="invoices">
      <li><input type="checkbox" id="inv-1041"> Invoice 1041 <a href="#" id="view-1041">View</a></li>
      <li><input type="checkbox" id="inv-1042"> Invoice 1042 <a href="#" id="view-1042">View</a></li></ul>`);
    const r = await run('Check the checkbox for "Invoice 1042"');
    expect(r.status, r.error).toBe("PASSED");
    expect(await page.isChecked("#inv-1042")).toBe(true);
    expect(await page.isChecked("#inv-1041")).toBe(false);
  });

  it("fails clearly, acting on nothing, when no item or several say the name", async () => {
    await page.setContent(TABLE);
    const missing = await run("Click Edit for Dave", 1);
    expect(missing.status).toBe("FAILED");
    expect(missing.error).toMatch(/"Edit for Dave".*read as "Edit" within item "Dave" \(region not found\)/);
    expect(await acted()).toEqual([]);

    // Bob's row, cached by the earlier case, is no longer one: the stale entry is not healed onto either row.
    await page.setContent(TABLE.replace("Carol Smith", "Bob"));
    const stale = await run("Click Edit for Bob", 2);
    expect(stale.status).toBe("FAILED");
    expect(await acted()).toEqual([]);
    // A first run says why.
    await page.setContent(TABLE.replace("Carol Smith", "Bob"));
    const twice = await run("Click Delete for Bob", 2);
    expect(twice.status).toBe("FAILED");
    expect(twice.error).toMatch(/ambiguous: 2 repeated items \(rows, list items, cards\) say "Bob"/);
    expect(await acted()).toEqual([]);

    // One item, but two such elements in it: never the first.
    await page.setContent(`${RECORD}<ul><li>Hoodie <button id="a1">Add to cart</button><button id="a2">Add to cart</button></li><li>Cap <button id="a3">Add to cart</button></li></ul>`);
    const two = await run("Click Add to cart for Hoodie", 3);
    expect(two.status).toBe("FAILED");
    expect(await acted()).toEqual([]);
  });
});

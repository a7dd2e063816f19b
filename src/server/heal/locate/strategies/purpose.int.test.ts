// Real Chromium: controls with no words of their own, found by the purpose their class, id or icon names — on a
// plain page, inside open shadow roots, in a row that shows its actions only on hover — and never a control that
// has a name of its own, nor one whose class says something else.
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testLaunchArgs } from "../../../../../test/helpers/chromium";
import { executeStep } from "../../act/executor";
import { parseSteps } from "../../../steps/step-parser";

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: testLaunchArgs() });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage();
});
afterEach(async () => {
  await page.close();
});

async function run(line: string, stepTimeoutMs = 5000) {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparsed: ${line}`);
  return executeStep(page, parsed.steps[0]!, { startUrl: "about:blank", stepTimeoutMs, navigationTimeoutMs: 10_000 });
}
const clicked = () => page.evaluate(() => document.body.dataset.clicked ?? "");

const ROWS = `<style>li .destroy{display:none} li:hover .destroy{display:inline-block;width:20px;height:20px}</style>
<ul class="todo-list">
  <li><input type="checkbox" class="toggle"><label>Buy milk</label><button class="destroy" onclick="document.body.dataset.clicked='milk'"></button></li>
  <li><input type="checkbox" class="toggle"><label>Walk dog</label><button class="destroy" onclick="document.body.dataset.clicked='dog'"></button></li>
</ul>`;

describe("controls named by their purpose", () => {
  it("clicks the row's hover-only delete button that has no name, by its class", async () => {
    await page.setContent(ROWS);
    const r = await run('Click the delete button in the row "Walk dog"');
    expect(r.error).toBeUndefined();
    expect(await clicked()).toBe("dog");
  });

  it("finds an icon-only button by its icon, inside nested open shadow roots", async () => {
    await page.setContent(`<x-card></x-card><script>
      customElements.define("x-tools", class extends HTMLElement { connectedCallback() {
        this.attachShadow({ mode: "open" }).innerHTML = '<button type="button" onclick="document.body.dataset.clicked=\\'trash\\'"><i class="fa fa-trash-can"></i></button><button type="button" onclick="document.body.dataset.clicked=\\'star\\'"><i class="fa fa-star"></i></button>';
      } });
      customElements.define("x-card", class extends HTMLElement { connectedCallback() {
        this.attachShadow({ mode: "open" }).innerHTML = "<p>Report</p><x-tools></x-tools>";
      } });</script>`);
    const r = await run("Click the Remove button");
    expect(r.error).toBeUndefined();
    expect(await clicked()).toBe("trash");
  });

  it("fills the edit field that only exists while a row is edited", async () => {
    await page.setContent(`<ul><li ondblclick="this.querySelector('.edit').style.display='block'"><label>Buy milk</label><input class="edit" value="Buy milk" style="display:none"></li>
      <li><label>Walk dog</label><input class="edit" value="Walk dog" style="display:none"></li></ul>`);
    expect((await run('Double-click "Buy milk"')).error).toBeUndefined();
    const r = await run('Fill "Buy oat milk" in the edit field');
    expect(r.error).toBeUndefined();
    expect(await page.locator("li").first().locator("input").inputValue()).toBe("Buy oat milk");
    expect(await page.locator("li").nth(1).locator("input").inputValue()).toBe("Walk dog");
  });

  it("never takes a control that has words of its own, nor one whose class means something else", async () => {
    await page.setContent(`<button class="destroy-session" onclick="document.body.dataset.clicked='logout'">Log out</button>
      <button class="archive" onclick="document.body.dataset.clicked='archive'"></button>`);
    const r = await run("Click the delete button", 600);
    expect(r.status).toBe("FAILED");
    expect(await clicked()).toBe("");
  });

  it("is ambiguous, and acts on nothing, when two unnamed controls share the purpose and no row is named", async () => {
    await page.setContent(ROWS.replace(/display:none/, "display:inline-block;width:20px;height:20px"));
    const r = await run("Click the delete button", 600);
    expect(r.status).toBe("FAILED");
    expect(await clicked()).toBe("");
  });
});

// Shadow DOM is the normal case (issue 12): every step kind and assertion on a to-do app made of custom elements
// nested three deep in open shadow roots (test/helpers/shadow-pages.ts), on a real Chromium. Each assertion is
// checked both ways: what the page shows passes, and what it does not (a slot's hidden fallback, a template's
// copy, a removed row) fails.
import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { executeStep, type StepResult } from "./executor";
import { expandToReveal } from "../repair/reveal";
import { parseSteps } from "../../steps/step-parser";
import { useTestBrowser } from "../../../../test/helpers/browser";
import { todoElementsPage } from "../../../../test/helpers/shadow-pages";

const browser = useTestBrowser();
let page: Page;

beforeEach(async () => {
  await page?.close();
  page = await browser().newPage();
  await page.setContent(todoElementsPage());
});

async function run(line: string, stepTimeoutMs = 3000): Promise<StepResult> {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}`);
  return executeStep(page, parsed.steps[0]!, { startUrl: "http://127.0.0.1:1/", stepTimeoutMs, navigationTimeoutMs: 2000 });
}

async function passes(...lines: string[]) {
  for (const line of lines) {
    const r = await run(line);
    expect({ line, status: r.status, error: r.error }).toEqual({ line, status: "PASSED", error: undefined });
  }
}

async function fails(line: string) {
  const r = await run(line, 800);
  expect({ line, status: r.status }).toEqual({ line, status: "FAILED" });
  return r;
}

/** The titles of the rows, read through the shadow roots by hand (not by the engine under test). */
const rows = () =>
  page.evaluate(() => {
    const list = document.querySelector("todo-app")!.shadowRoot!.querySelector("todo-list")!.shadowRoot!.firstElementChild!;
    return Array.from(list.children).map((i) => ({ title: i.shadowRoot!.querySelector("span")!.textContent, done: i.shadowRoot!.querySelector("input")!.checked }));
  });

describe("steps inside nested open shadow roots", () => {
  it("fills, presses, checks and clicks controls three shadow roots deep, and text assertions see the result", async () => {
    await passes('Fill "Buy milk" in the "What needs to be done?" field', "Press Enter", 'Fill "Walk dog" in the New task field', "Press Enter on New task");
    expect(await rows()).toEqual([{ title: "Buy milk", done: false }, { title: "Walk dog", done: false }]);
    await passes('Expect text "Buy milk"', 'Expect text "2 items left"', 'Wait for text "Walk dog"');
    await fails('Expect no text "Buy milk"');
    await fails('Expect text "3 items left"');

    await passes('Check Done in the row "Buy milk"');
    expect(await rows()).toEqual([{ title: "Buy milk", done: true }, { title: "Walk dog", done: false }]);
    await passes('Expect text "1 item left"', 'Expect Done in the row "Buy milk" to be checked', 'Expect Done in the row "Walk dog" to be unchecked');
    await fails('Expect Done in the row "Walk dog" to be checked');

    await passes('Click Delete in the row "Walk dog"');
    expect(await rows()).toEqual([{ title: "Buy milk", done: true }]);
    await passes('Expect no text "Walk dog"', 'Expect text "0 items left"');
    await fails('Expect text "Walk dog"');
    await fails('Click Delete in the row "Walk dog"');
  });

  it("counts, visibility and values inside shadow roots", async () => {
    await passes('Fill "a" in New task', "Press Enter", 'Fill "b" in New task', "Press Enter", 'Fill "c" in New task', "Press Enter");
    await passes("Expect 3 checkboxes", 'Expect 3 "Delete" buttons', "Expect Delete in the row \"b\" to be visible");
    await fails("Expect 2 checkboxes");
    await passes('Fill "draft" in New task', 'Expect New task to have value "draft"');
    await fails('Expect New task to have value "other"');
  });

  it("text follows what is shown: a slot's projected content, not its fallback, a template's or a hidden element's copy", async () => {
    await passes('Expect text "Projected title"', 'Expect text "Card body"', 'Expect no text "Hidden fallback title"', 'Expect no text "Template copy"', 'Expect no text "Hidden note"');
    await fails('Expect text "Hidden fallback title"');
    await fails('Expect text "Template copy"');
    await fails('Expect text "Hidden note"');
  });

  it("waits for text that appears later inside a shadow root", async () => {
    await page.evaluate(() => setTimeout(() => document.querySelector("todo-app")!.shadowRoot!.querySelector("h1")!.append(" are saved"), 400));
    await passes('Wait for text "todos are saved"');
  });

  /** A custom element `name` whose open shadow root holds `html`. */
  const element = (name: string, html: string, after = "") =>
    `customElements.define(${JSON.stringify(name)}, class extends HTMLElement { connectedCallback() { if (this.shadowRoot) return; const root = this.attachShadow({ mode: "open" }); root.innerHTML = ${JSON.stringify(html)}; ${after} } });`;

  it("of two Cancel buttons, takes the one in a modal dialog shown inside a shadow root over the form's", async () => {
    await page.setContent(`<x-form></x-form><x-dialog></x-dialog><script>window.clicked = [];
${element("x-form", '<form><input aria-label="Title"><button type="button">Cancel</button></form>', 'root.querySelector("button").onclick = () => window.clicked.push("form");')}
${element("x-dialog", "<dialog><p>Discard changes?</p><button>Cancel</button></dialog>", 'root.querySelector("button").onclick = () => { window.clicked.push("dialog"); root.querySelector("dialog").close(); }; root.querySelector("dialog").showModal();')}
</script>`);
    await passes("Click Cancel");
    expect(await page.evaluate(() => (window as unknown as { clicked: string[] }).clicked)).toEqual(["dialog"]);
  });

  it("scrolls a web-component app's own scrolling pane when the document cannot scroll", async () => {
    await page.setContent(`<style>html,body{margin:0;height:100%;overflow:hidden}</style><x-shell></x-shell><script>
${element("x-shell", '<div id="pane" style="height:100vh;overflow:auto"><div style="height:5000px">Long list</div></div>')}</script>`);
    await passes("Scroll down");
    expect(await page.evaluate(() => document.querySelector("x-shell")!.shadowRoot!.getElementById("pane")!.scrollTop)).toBeGreaterThan(100);
  });

  it("opens the menu whose button (aria-controls, in the same shadow root) hides a link", async () => {
    await page.setContent(`<x-header></x-header><script>
${element("x-header", '<header><div class="bar"><button aria-controls="menu" aria-expanded="false">Menu</button></div><nav id="menu" hidden><a href="#settings">Settings</a></nav></header>', 'const b = root.querySelector("button"); b.onclick = () => { b.setAttribute("aria-expanded", "true"); root.getElementById("menu").hidden = false; };')}</script>`);
    const link = page.locator('a[href="#settings"]');
    expect(await link.isVisible()).toBe(false);
    const opened = await expandToReveal(page, link);
    expect(opened).not.toBeNull();
    await expect.poll(() => link.isVisible(), { timeout: 5000 }).toBe(true);
  });

  it("scopes to a card component named by its title ('for Tee'), whose button sits in the card's own shadow root", async () => {
    await page.setContent(`<product-grid></product-grid><p id="out"></p><script>
${element("product-card", '<div class="card"><div class="info"><span class="title"></span><span class="price">$20</span></div><button>Add to cart</button></div>', 'root.querySelector(".title").textContent = this.getAttribute("name"); root.querySelector("button").onclick = () => { document.getElementById("out").textContent = "added " + this.getAttribute("name"); };')}
${element("product-grid", ["Hoodie", "Tee", "Cap"].map((n) => `<product-card name="${n}"></product-card>`).join(""))}</script>`);
    await passes("Click Add to cart for Tee");
    expect(await page.locator("#out").textContent()).toBe("added Tee");
    await passes("Click Add to cart in the Cap card");
    expect(await page.locator("#out").textContent()).toBe("added Cap");
    await fails("Click Add to cart for Sweater");
    expect(await page.locator("#out").textContent()).toBe("added Cap");
  });

  it("selects an answer of a radio-group component whose radios live in its shadow root", async () => {
    await page.setContent(`<size-picker role="radiogroup" aria-label="Size"></size-picker><script>
${element("size-picker", '<label><input type="radio" name="s" value="S"> Small</label><label><input type="radio" name="s" value="L"> Large</label>')}</script>`);
    await passes('Select "Large" from Size');
    expect(await page.locator("input[value=L]").isChecked()).toBe(true);
    await fails('Select "Medium" from Size');
  });

  it("finds the row component whose text holds the name as whole words ('for Buy milk'), its button in the row's root", async () => {
    await page.setContent(`<task-list></task-list><p id="out"></p><script>
${element("task-row", '<span class="t"></span> <button>Delete</button>', 'root.querySelector(".t").textContent = this.getAttribute("text"); root.querySelector("button").onclick = () => { document.getElementById("out").textContent = "deleted " + this.getAttribute("text"); };')}
${element("task-list", '<div class="rows">' + ["Buy milkshake", "Buy milk today", "Walk dog"].map((t) => `<task-row text="${t}"></task-row>`).join("") + "</div>")}</script>`);
    await passes("Click Delete for Buy milk");
    expect(await page.locator("#out").textContent()).toBe("deleted Buy milk today");
    await fails("Click Delete for Buy");
  });
});


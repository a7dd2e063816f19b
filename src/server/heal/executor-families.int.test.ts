// The disclosure, upload and tab steps on a real Chromium page: each acts only as far as it must, checks that the
// page followed, and fails with a message a tester can act on when it did not.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchBrowser } from "../browser";
import { resetServerEnv } from "../env";
import { executeStep, type StepContext } from "./executor";
import { parseSteps } from "./step-parser";
import { TEST_CHROMIUM_ARGS } from "../../../test/helpers/chromium";

let browser: Browser;
let page: Page;
const ctx: StepContext = { startUrl: "http://127.0.0.1:1/", stepTimeoutMs: 800, navigationTimeoutMs: 2000 };

beforeAll(async () => {
  process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";
  process.env.CHROMIUM_ARGS = JSON.stringify(TEST_CHROMIUM_ARGS);
  resetServerEnv();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  await page?.context().close();
  page = await (await browser.newContext()).newPage();
});

async function run(line: string, more: Partial<StepContext> = {}) {
  const parsed = parseSteps(line);
  if (!parsed.ok) throw new Error(`unparseable: ${line}: ${JSON.stringify(parsed.errors)}`);
  return executeStep(page, parsed.steps[0]!, { ...ctx, ...more });
}

describe("Expand / Collapse", () => {
  const ACCORDION = `<h3><button id="ship" aria-expanded="false" aria-controls="p1">Shipping</button></h3><div id="p1" hidden>Ships in 2 days</div>
    <h3><button id="bill" aria-expanded="true" aria-controls="p2"><span>Billing</span></button></h3><div id="p2">Pay by card</div>
    <details id="ret"><summary>Returns</summary><p>30 days to return</p></details>
    <button id="more">More info</button><p id="info" hidden>Extra</p>
    <button id="stuck" aria-expanded="false">Broken</button>
    <script>
      document.querySelectorAll('[aria-controls]').forEach((b) => b.addEventListener('click', () => {
        const open = b.getAttribute('aria-expanded') !== 'true';
        b.setAttribute('aria-expanded', String(open));
        document.getElementById(b.getAttribute('aria-controls')).hidden = !open;
        b.dataset.clicks = String(Number(b.dataset.clicks || 0) + 1);
      }));
      document.getElementById('more').addEventListener('click', () => { document.getElementById('info').hidden = false; });
    </script>`;
  beforeEach(async () => {
    await page.setContent(ACCORDION);
  });

  it("expands a collapsed accordion button and verifies aria-expanded", async () => {
    const r = await run("Expand the Shipping section");
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("PASSED");
    expect(await page.getAttribute("#ship", "aria-expanded")).toBe("true");
    expect(await page.isVisible("text=Ships in 2 days")).toBe(true);
    expect(r.note).toBeUndefined();
  });

  it("expanding an expanded panel (or collapsing a collapsed one) passes without clicking it", async () => {
    const r = await run("Expand Billing");
    expect(r.status).toBe("PASSED");
    expect(r.note).toMatch(/already expanded/);
    expect(await page.getAttribute("#bill", "data-clicks")).toBeNull();
    expect((await run("Collapse the Shipping accordion")).note).toMatch(/already collapsed/);
    expect(await page.getAttribute("#ship", "data-clicks")).toBeNull();
  });

  it("collapses through Close the … accordion, and toggles a <details> by its summary", async () => {
    expect((await run("Close the Billing accordion")).status).toBe("PASSED");
    expect(await page.getAttribute("#bill", "aria-expanded")).toBe("false");
    expect(await page.isHidden("text=Pay by card")).toBe(true);
    const open = await run("Open the Returns section");
    expect(open.error).toBeUndefined();
    expect(await page.evaluate(() => (document.getElementById("ret") as HTMLDetailsElement).open)).toBe(true);
    expect((await run("Expand Returns")).note).toMatch(/already expanded/);
    expect((await run("Collapse Returns")).status).toBe("PASSED");
    expect(await page.evaluate(() => (document.getElementById("ret") as HTMLDetailsElement).open)).toBe(false);
  });

  it("a control with no expanded state is clicked, and the step says so", async () => {
    const r = await run("Expand More info");
    expect(r.status).toBe("PASSED");
    expect(r.note).toMatch(/no expanded state.*clicked it/);
    expect(await page.isVisible("#info")).toBe(true);
  });

  it("fails when the control does not follow", async () => {
    const r = await run("Expand Broken");
    expect(r.status).toBe("FAILED");
    expect(r.failure).toBe("ASSERTION");
    expect(r.error).toMatch(/Clicked "Broken", but it did not become expanded within 800 ms \(it is collapsed\)/);
  });

  it("finds the control through the element a click would find (a heading wrapping its button)", async () => {
    await page.setContent(`<div class="acc"><h3 id="h" onclick="void 0"><span>FAQ</span> <button aria-expanded="false" aria-label="toggle" onclick="this.setAttribute('aria-expanded', 'true')">+</button></h3></div>`);
    const r = await run("Expand the FAQ section");
    expect(r.error).toBeUndefined();
    expect(await page.getAttribute("button", "aria-expanded")).toBe("true");
  });
});
